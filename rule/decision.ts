import type { EndpointFacts, LogGroupLookup, RuleParameters, Verdict } from './types';

/** The most characters AWS Config keeps in an evaluation's annotation. */
export const MAX_ANNOTATION_LENGTH = 256;

/** Endpoint status codes for which connection logging no longer applies. */
const GONE_STATUSES: ReadonlySet<string> = new Set(['deleted', 'deleting']);

// Log group names run to 512 characters; shorten them so an annotation still names the fix.
const MAX_NAME_IN_ANNOTATION = 80;

function quoteName(name: string): string {
  return name.length <= MAX_NAME_IN_ANNOTATION
    ? `"${name}"`
    : `"${name.slice(0, MAX_NAME_IN_ANNOTATION - 3)}..."`;
}

/**
 * Cuts an annotation to the length AWS Config accepts, so no verdict is ever refused for its text.
 *
 * @param text - the annotation as written
 * @returns the text, ending in `...` when it had to be cut
 */
export function limitAnnotation(text: string): string {
  return text.length <= MAX_ANNOTATION_LENGTH ? text : `${text.slice(0, MAX_ANNOTATION_LENGTH - 3)}...`;
}

function nonCompliant(annotation: string): Verdict {
  return { compliance: 'NON_COMPLIANT', annotation: limitAnnotation(annotation) };
}

function describeDays(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

/**
 * The log group whose facts the decision needs for this endpoint, so callers look up only those: none
 * when `verifyLogGroup` is off, the endpoint is gone, logging is off, no group is named, or the name
 * already fails `logGroupNamePrefix` (the verdict is NON_COMPLIANT whatever the look-up would say).
 *
 * @param endpoint - the endpoint's status and connection-log settings
 * @param parameters - the rule's parsed parameters
 * @returns the log group name to look up, or `undefined` to pass `not-checked`
 */
export function logGroupToLookUp(endpoint: EndpointFacts, parameters: RuleParameters): string | undefined {
  const { enabled, logGroupName } = endpoint.connectionLog;
  if (!parameters.verifyLogGroup || !enabled || !logGroupName) return undefined;
  if (endpoint.status !== undefined && GONE_STATUSES.has(endpoint.status)) return undefined;
  const prefix = parameters.logGroupNamePrefix;
  if (prefix !== undefined && !logGroupName.startsWith(prefix)) return undefined;
  return logGroupName;
}

/**
 * Decides whether one Client VPN endpoint keeps a usable record of its connections.
 *
 * COMPLIANT only when connection logging is enabled to a named log group, the group exists (unless
 * `verifyLogGroup` is false) and the optional prefix, retention and KMS requirements hold. Pure: the
 * caller gathers the facts, so the same decision serves the Lambda, the sweep and the audit command.
 *
 * @param endpoint - the endpoint's status and connection-log settings
 * @param logGroup - what CloudWatch Logs said of the named log group, or `not-checked`
 * @param parameters - the rule's parsed parameters
 * @returns the verdict, with an annotation (at most 256 characters) naming the failed requirement and the fix
 */
export function decideCompliance(
  endpoint: EndpointFacts,
  logGroup: LogGroupLookup,
  parameters: RuleParameters,
): Verdict {
  if (endpoint.status !== undefined && GONE_STATUSES.has(endpoint.status)) {
    return {
      compliance: 'NOT_APPLICABLE',
      annotation: limitAnnotation(
        `Endpoint status is "${endpoint.status}"; connection logging no longer applies.`,
      ),
    };
  }
  const { enabled, logGroupName } = endpoint.connectionLog;
  if (!enabled) {
    return nonCompliant(
      'Connection logging is disabled. Fix: enable ConnectionLogOptions with a CloudWatch Logs group (ModifyClientVpnEndpoint, or run the EnableClientVpnConnectionLogging remediation).',
    );
  }
  if (logGroupName === undefined || logGroupName === '') {
    return nonCompliant(
      'Connection logging is enabled but names no CloudWatch Logs group. Fix: set ConnectionLogOptions.CloudwatchLogGroup to an existing log group.',
    );
  }
  const name = quoteName(logGroupName);
  const prefix = parameters.logGroupNamePrefix;
  if (prefix !== undefined && !logGroupName.startsWith(prefix)) {
    return nonCompliant(
      `Log group ${name} does not start with the required prefix ${quoteName(prefix)} (logGroupNamePrefix). Fix: log to a group whose name starts with it.`,
    );
  }
  if (logGroup.status === 'not-checked') return { compliance: 'COMPLIANT' };
  if (logGroup.status === 'missing') {
    return nonCompliant(
      `Log group ${name} does not exist in this account and region, so connections are not recorded. Fix: create the log group or point the endpoint at an existing one.`,
    );
  }
  const failures: string[] = [];
  const fixes: string[] = [];
  const { retentionInDays, kmsKeyId } = logGroup.logGroup;
  const minimum = parameters.minRetentionDays;
  // A group with no retention policy never expires its events, which meets any minimum.
  if (minimum !== undefined && retentionInDays !== undefined && retentionInDays < minimum) {
    failures.push(`keeps events ${describeDays(retentionInDays)}, minRetentionDays requires ${minimum}`);
    fixes.push(`set its retention to at least ${describeDays(minimum)}`);
  }
  if (parameters.requireKmsEncryption && (kmsKeyId === undefined || kmsKeyId === '')) {
    failures.push('is not encrypted with a KMS key (requireKmsEncryption)');
    fixes.push('associate a KMS key with it');
  }
  if (failures.length > 0) {
    return nonCompliant(`Log group ${name} ${failures.join(' and ')}. Fix: ${fixes.join(' and ')}.`);
  }
  return { compliance: 'COMPLIANT' };
}
