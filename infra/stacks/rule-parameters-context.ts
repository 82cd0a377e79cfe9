/**
 * Reads the rule parameters from CDK context: each parameter's context key comes from its declaration
 * (`rule/rule-parameter-declarations.ts`), and its value is checked by the rule's own parser, so the app
 * refuses at synthesis exactly what the deployed rule would refuse at every invocation.
 */
import { InvalidRuleParameterError } from '../../rule/errors';
import { parseRuleParameters, type RuleParameterValue } from '../../rule/parameters';
import {
  DEPLOYED_RULE_PARAMETER_NAMES,
  ruleParameterDeclaration,
  type DeployedRuleParameterName,
} from '../../rule/rule-parameter-declarations';
import type { RuleParameterSettings } from '../constructs/deployment-settings';
import { InvalidContextError } from './context-errors';

/** The context key of a parameter a deployment sets. */
export function ruleParameterContextKey(name: DeployedRuleParameterName): string {
  return ruleParameterDeclaration(name).contextKey as string;
}

/**
 * The rule parameters' context keys, each unset by default: an unset parameter is left out of the rule's
 * `InputParameters`, so the rule's own default (in the declarations) applies.
 */
export const RULE_PARAMETER_CONTEXT_DEFAULTS = Object.fromEntries(
  DEPLOYED_RULE_PARAMETER_NAMES.map((name) => [ruleParameterContextKey(name), undefined]),
) as { readonly [K in DeployedRuleParameterName]: undefined };

/**
 * Reads every rule parameter set in context (`-c minRetentionDays=365` arrives as a string, a `cdk.json`
 * entry keeps its JSON type) and checks them together, as the rule will.
 *
 * @param read - reads one raw context value
 * @returns the parameters that were set, typed
 * @throws InvalidContextError naming the context key of the first bad value
 */
export function readRuleParameterSettings(read: (key: string) => unknown): RuleParameterSettings {
  const given: Partial<Record<DeployedRuleParameterName, RuleParameterValue>> = {};
  for (const name of DEPLOYED_RULE_PARAMETER_NAMES) {
    const key = ruleParameterContextKey(name);
    const raw = read(key);
    if (raw === undefined || raw === null) continue;
    // Config reads an empty value as unset; in context it is a slip (`-c key=`), refused by name.
    if (typeof raw === 'string' && raw.trim() === '')
      throw new InvalidContextError(key, 'expected a value, got ""');
    given[name] = raw as RuleParameterValue;
  }
  let parsed;
  try {
    parsed = parseRuleParameters(given);
  } catch (error) {
    if (!(error instanceof InvalidRuleParameterError)) throw error;
    const name = DEPLOYED_RULE_PARAMETER_NAMES.find((candidate) => candidate === error.parameter);
    const key = name === undefined ? error.parameter : ruleParameterContextKey(name);
    throw new InvalidContextError(key, error.message.replace(/^Invalid rule parameter "[^"]+": /, ''));
  }
  return Object.fromEntries(
    Object.keys(given).map((name) => [name, parsed[name as DeployedRuleParameterName]]),
  ) as RuleParameterSettings;
}
