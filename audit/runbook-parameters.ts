import { loadRunbook } from '../remediation/runbook';
import type { RuleParameters } from '../rule/types';

/**
 * The runbook parameters that make a remediated endpoint meet the rule parameters the audit judged it
 * by: the name prefix, and a retention at least `minRetentionDays` (the smallest value the runbook
 * accepts at or above it, never below the runbook's own default). Without them the runbook's defaults
 * could leave the endpoint NON_COMPLIANT.
 *
 * @param parameters - the rule parameters of the audit
 * @returns runbook parameter values, as `StartAutomationExecution` takes them
 */
export function runbookParametersFor(parameters: RuleParameters): Record<string, string[]> {
  const values: Record<string, string[]> = {};
  if (parameters.logGroupNamePrefix !== undefined)
    values.LogGroupNamePrefix = [parameters.logGroupNamePrefix];
  const minimum = parameters.minRetentionDays;
  if (minimum === undefined) return values;
  const retention = loadRunbook().parameters.RetentionInDays;
  if (minimum > Number(retention?.default)) {
    const accepted = (retention?.allowedValues ?? []).map(Number);
    const days = accepted.filter((value) => value >= minimum).sort((a, b) => a - b)[0];
    if (days !== undefined) values.RetentionInDays = [String(days)];
  }
  return values;
}
