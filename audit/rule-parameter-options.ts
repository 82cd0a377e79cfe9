/**
 * The commander options of the rule parameters, derived from their declarations, so `audit` and
 * `check-template` offer the same flags with the same meaning, and a new parameter needs no edit here.
 */
import { Option } from 'commander';
import type { RuleParameterValue } from '../rule/parameters';
import {
  RULE_PARAMETER_NAMES,
  ruleParameterDeclaration,
  type RuleParameterName,
} from '../rule/rule-parameter-declarations';
import { AuditError } from './audit-error';

/** An option value was given in a form no parameter accepts; the message names the flag. */
export class RuleParameterOptionError extends AuditError {
  public override readonly name = 'RuleParameterOptionError';

  /**
   * @param flag - the flag as typed, e.g. `--log-group-name-prefix`
   * @param problem - what is wrong with its value
   */
  public constructor(
    public readonly flag: string,
    problem: string,
  ) {
    super(`${flag}: ${problem}`);
  }
}

/**
 * The raw values commander reads for the rule-parameter flags, keyed by parameter name (commander's
 * camel case of each flag): a string for a value, a boolean for a switch.
 */
export type RuleParameterOptionValues = {
  readonly [K in RuleParameterName]?: string | boolean;
};

/** The parameters with a flag, optionally only those a template check can judge. */
export function flaggedRuleParameterNames(templateCheckableOnly = false): readonly RuleParameterName[] {
  return RULE_PARAMETER_NAMES.filter((name) => {
    const declared = ruleParameterDeclaration(name);
    return declared.cliFlag !== undefined && (!templateCheckableOnly || declared.templateCheckable);
  });
}

/**
 * The flag that sets a parameter, for messages that should name what the user typed.
 *
 * @returns the flag, or the parameter's own name when it has none
 */
export function ruleParameterFlag(name: string): string {
  const found = RULE_PARAMETER_NAMES.find((candidate) => candidate === name);
  return (found && ruleParameterDeclaration(found).cliFlag) ?? name;
}

/** The help line of a parameter: its description without Markdown's code marks; a `--no-` flag turns it off. */
function helpOf(name: RuleParameterName): string {
  const declared = ruleParameterDeclaration(name);
  const description = declared.description.replace(/`/g, '');
  return declared.kind === 'boolean' && declared.default
    ? `turn this check off: ${description}`
    : description;
}

/**
 * The commander options for the given parameters: `--x <value>` for numbers and text, `--x` for a
 * boolean that defaults to false, `--no-x` for one that defaults to true.
 */
export function ruleParameterOptions(names: readonly RuleParameterName[]): Option[] {
  return names.map((name) => {
    const declared = ruleParameterDeclaration(name);
    const flag = declared.cliFlag as string;
    const argument =
      declared.kind === 'wholeNumber' ? ` <${declared.unit}>` : declared.kind === 'boolean' ? '' : ' <value>';
    return new Option(`${flag}${argument}`, helpOf(name));
  });
}

/**
 * The parameter values the user set through the options, ready for `parseRuleParameters`: a flag left
 * out sets nothing, so the rule's own default applies and cross-checks (`verifyLogGroup`) see only what
 * was asked.
 *
 * @param values - commander's option values, keyed by parameter name (commander's camel-case of the flag)
 * @param names - the parameters whose options were offered
 * @throws RuleParameterOptionError when a text option is given an empty value
 */
export function ruleParameterValuesFromOptions(
  values: RuleParameterOptionValues,
  names: readonly RuleParameterName[],
): Partial<Record<RuleParameterName, RuleParameterValue>> {
  const set: Partial<Record<RuleParameterName, RuleParameterValue>> = {};
  for (const name of names) {
    const declared = ruleParameterDeclaration(name);
    const value = values[name];
    if (value === undefined) continue;
    if (declared.kind === 'boolean') {
      // A `--no-x` option holds true until given; a plain `--x` holds true only when given.
      if (value !== declared.default) set[name] = value as boolean;
      continue;
    }
    if (value === '')
      throw new RuleParameterOptionError(declared.cliFlag as string, 'needs a non-empty value');
    set[name] = value as string;
  }
  return set;
}
