import type { RuleSettings } from './deployment-settings';

/**
 * The rule's `InputParameters`: every value a string, as AWS Config delivers `ruleParameters`; unset
 * optional parameters are left out so the rule applies its own default.
 *
 * @param settings - the rule's settings
 * @param executionRoleName - organization mode: the role the central Lambda assumes in the event's account
 */
export function ruleInputParameters(
  settings: RuleSettings,
  executionRoleName?: string,
): Record<string, string> {
  const parameters: Record<string, string> = {
    verifyLogGroup: String(settings.verifyLogGroup),
    requireKmsEncryption: String(settings.requireKmsEncryption),
  };
  if (settings.minRetentionDays !== undefined)
    parameters.minRetentionDays = String(settings.minRetentionDays);
  if (settings.logGroupNamePrefix !== undefined) parameters.logGroupNamePrefix = settings.logGroupNamePrefix;
  if (settings.verifyKmsKeyState !== undefined)
    parameters.verifyKmsKeyState = String(settings.verifyKmsKeyState);
  if (settings.verifyDelivery !== undefined) parameters.verifyDelivery = String(settings.verifyDelivery);
  if (settings.deliveryGraceMinutes !== undefined)
    parameters.deliveryGraceMinutes = String(settings.deliveryGraceMinutes);
  if (executionRoleName !== undefined) parameters.executionRoleName = executionRoleName;
  return parameters;
}
