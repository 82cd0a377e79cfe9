import { Token } from 'aws-cdk-lib';
import { ruleParameterStrings } from '../../rule/parameters';
import { DEPLOYED_RULE_PARAMETER_NAMES } from '../../rule/rule-parameter-declarations';
import type { RuleSettings } from './deployment-settings';

/**
 * The rule's `InputParameters`: every value a string, as AWS Config delivers `ruleParameters`; unset
 * optional parameters are left out so the rule applies its own default. The parameters come from their
 * declarations, so a new parameter needs nothing here. A value known only at deployment (a CDK token,
 * such as a role name ending in the stack's region) is passed through unchecked.
 *
 * @param settings - the rule's settings
 * @param executionRoleName - organization mode: the role the central Lambda assumes in the event's account
 * @throws InvalidRuleParameterError when a value is one the rule would refuse
 */
export function ruleInputParameters(
  settings: RuleSettings,
  executionRoleName?: string,
): Record<string, string> {
  return ruleParameterStrings(
    {
      ...Object.fromEntries(DEPLOYED_RULE_PARAMETER_NAMES.map((name) => [name, settings[name]])),
      executionRoleName,
    },
    (value) => Token.isUnresolved(value),
  );
}
