import type {
  DeliveryEvidence,
  EndpointFacts,
  KeyLookup,
  LogGroupLookup,
  PipelineFacts,
  RuleParameters,
  Verdict,
} from './types';

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
 * The KMS key whose state the decision needs for this group: none when `verifyKmsKeyState` is off,
 * the group was not found or it has no key.
 *
 * @param logGroup - what CloudWatch Logs said of the endpoint's group
 * @param parameters - the rule's parsed parameters
 * @returns the key ARN to read with `kms:DescribeKey`, or `undefined`
 */
export function keyToLookUp(logGroup: LogGroupLookup, parameters: RuleParameters): string | undefined {
  if (!parameters.verifyKmsKeyState || logGroup.status !== 'found') return undefined;
  const { kmsKeyId } = logGroup.logGroup;
  return kmsKeyId === undefined || kmsKeyId === '' ? undefined : kmsKeyId;
}

/** Where the delivery check reads ingestion from: the group, and the endpoint's named stream if any. */
export interface IngestionSource {
  /** The log group's name. */
  readonly logGroupName: string;
  /** The stream the endpoint names; absent when the service picks the streams. */
  readonly logStreamName?: string;
}

/**
 * Whether the delivery check applies to this endpoint and, if so, where it reads ingestion from: only
 * when `verifyDelivery` is on, the group was found, and the endpoint passes every other requirement.
 * Delivery evidence can only add a reason to a NON_COMPLIANT verdict, never change it, so an endpoint
 * already failing (retention, encryption, prefix, its key's state) costs no connection or stream calls;
 * its annotation then names the failures found without them.
 *
 * @param endpoint - the endpoint's status and connection-log settings
 * @param logGroup - what CloudWatch Logs said of the endpoint's group
 * @param parameters - the rule's parsed parameters
 * @param key - the state of the group's key, when {@link keyToLookUp} asked for it
 * @returns the group (and named stream) to read, or `undefined`
 */
export function deliveryToCheck(
  endpoint: EndpointFacts,
  logGroup: LogGroupLookup,
  parameters: RuleParameters,
  key?: KeyLookup,
): IngestionSource | undefined {
  if (!parameters.verifyDelivery || logGroup.status !== 'found') return undefined;
  const withoutDelivery = decideCompliance(endpoint, logGroup, parameters, key === undefined ? {} : { key });
  if (withoutDelivery.compliance !== 'COMPLIANT') return undefined;
  const { logStreamName } = endpoint.connectionLog;
  return {
    logGroupName: logGroup.logGroup.name,
    ...(logStreamName ? { logStreamName } : {}),
  };
}

/**
 * The establishment time of the newest connection that is older than the grace period, when the
 * connections leave no doubt that logs should have arrived by now; `undefined` when none is old enough.
 * Only that one matters: ingestion after it is after every older one too.
 *
 * @param connectionTimes - when the endpoint's listed connections were established
 * @param observedAt - when the evidence was gathered
 * @param graceMinutes - `deliveryGraceMinutes`
 * @returns the connection time the ingestion must not be older than, or `undefined`
 */
export function connectionDueInLogs(
  connectionTimes: readonly Date[],
  observedAt: Date,
  graceMinutes: number,
): Date | undefined {
  const dueBefore = observedAt.getTime() - graceMinutes * 60_000;
  let newest: number | undefined;
  for (const time of connectionTimes) {
    const at = time.getTime();
    if (at <= dueBefore && (newest === undefined || at > newest)) newest = at;
  }
  return newest === undefined ? undefined : new Date(newest);
}

function describeTime(time: Date): string {
  return `${time.toISOString().slice(0, 19)}Z`;
}

// KeyState values (KMS API Reference, KeyMetadata) and what each means for the log group, with the fix.
const KEY_STATE_FIXES: Readonly<Record<string, string>> = {
  Disabled: 'enable the key (kms:EnableKey) or associate an enabled key',
  PendingDeletion: 'cancel the deletion (kms:CancelKeyDeletion), then enable the key',
  PendingReplicaDeletion: 'cancel the deletion of the primary key (kms:CancelKeyDeletion)',
  PendingImport: 'import the key material (kms:ImportKeyMaterial)',
  Unavailable: 'reconnect the custom key store that holds the key',
};

function keyProblem(key: KeyLookup): { failure: string; fix: string } | undefined {
  const id = key.keyId.replace(/^arn:[^:]+:kms:[^:]*:[^:]*:key\//, '');
  if (key.status === 'unreadable') {
    return {
      failure: `is encrypted with KMS key ${id}, whose state could not be read (${key.errorCode}; verifyKmsKeyState)`,
      fix: "allow the rule's role kms:DescribeKey on the key, or associate a key that exists",
    };
  }
  if (key.keyState === 'Enabled') return undefined;
  const deletion =
    key.keyState === 'PendingDeletion' && key.deletionDate !== undefined
      ? `, to be deleted ${describeTime(key.deletionDate)}`
      : '';
  return {
    failure: `is encrypted with KMS key ${id}, which is ${key.keyState}${deletion}, so CloudWatch Logs cannot encrypt new events`,
    fix: KEY_STATE_FIXES[key.keyState] ?? 'make the key Enabled or associate an enabled key',
  };
}

function deliveryProblem(
  delivery: DeliveryEvidence,
  graceMinutes: number,
): { failure: string; fix: string } | undefined {
  const due = connectionDueInLogs(delivery.connectionTimes, delivery.observedAt, graceMinutes);
  if (due === undefined) return undefined;
  const { lastIngestion } = delivery;
  if (lastIngestion !== undefined && lastIngestion.getTime() >= due.getTime()) return undefined;
  const where = delivery.streamName ? ` (stream ${quoteName(delivery.streamName)})` : '';
  const last = lastIngestion === undefined ? 'never' : `last at ${describeTime(lastIngestion)}`;
  return {
    failure: `has ingested nothing${where} since a connection at ${describeTime(due)} (${last}; verifyDelivery)`,
    fix: "check the endpoint's logging and the key policy, then make a test connection",
  };
}

/**
 * Decides whether one Client VPN endpoint keeps a usable record of its connections.
 *
 * COMPLIANT only when connection logging is enabled to a named log group, the group exists (unless
 * `verifyLogGroup` is false) and the optional prefix, retention and KMS requirements hold, its key is
 * `Enabled` (`verifyKmsKeyState`) and logs arrive after connections (`verifyDelivery`). Pure: the
 * caller gathers the facts, so the same decision serves the Lambda, the sweep and the audit command.
 *
 * @param endpoint - the endpoint's status and connection-log settings
 * @param logGroup - what CloudWatch Logs said of the named log group, or `not-checked`
 * @param parameters - the rule's parsed parameters
 * @param pipeline - the key state and delivery evidence, gathered when {@link keyToLookUp} and
 *   {@link deliveryToCheck} asked for them; a fact the parameters ask for but that is absent is not judged
 * @returns the verdict, with an annotation (at most 256 characters) naming the failed requirement and the fix
 */
export function decideCompliance(
  endpoint: EndpointFacts,
  logGroup: LogGroupLookup,
  parameters: RuleParameters,
  pipeline: PipelineFacts = {},
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
  const key = parameters.verifyKmsKeyState && pipeline.key ? keyProblem(pipeline.key) : undefined;
  const delivery =
    parameters.verifyDelivery && pipeline.delivery
      ? deliveryProblem(pipeline.delivery, parameters.deliveryGraceMinutes)
      : undefined;
  for (const problem of [key, delivery]) {
    if (problem === undefined) continue;
    failures.push(problem.failure);
    fixes.push(problem.fix);
  }
  if (failures.length > 0) {
    return nonCompliant(`Log group ${name} ${failures.join(' and ')}. Fix: ${fixes.join(' and ')}.`);
  }
  return { compliance: 'COMPLIANT' };
}
