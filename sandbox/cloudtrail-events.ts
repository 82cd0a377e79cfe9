import fixture from './cloudtrail-api-call-event.json';

/** A CloudTrail management event as EventBridge delivers it (shape of the EventBridge User Guide's example). */
export type CloudTrailEvent = typeof fixture;

/**
 * The fixture event (a DeleteLogGroup call) made into the given call.
 *
 * @param eventSource - CloudTrail's `eventSource`, e.g. `kms.amazonaws.com`; `source` becomes `aws.kms`
 * @param eventName - the API call
 * @param eventTime - when the call was made
 * @param extra - fields of `detail` to add, e.g. an `errorCode`
 */
export function cloudTrailEvent(
  eventSource = 'logs.amazonaws.com',
  eventName = 'DeleteLogGroup',
  eventTime = '2026-11-20T10:14:31Z',
  extra: Record<string, unknown> = {},
): CloudTrailEvent {
  const event = structuredClone(fixture);
  return {
    ...event,
    source: `aws.${eventSource.replace('.amazonaws.com', '')}`,
    detail: { ...event.detail, eventSource, eventName, eventTime, ...extra },
  };
}

/** The account and region of the fixture event. */
export const FIXTURE_ACCOUNT = fixture.account;

/** The region of the fixture event. */
export const FIXTURE_REGION = fixture.region;

/** A key ARN in the fixture's account and region. */
export function keyArn(keyId: string): string {
  return `arn:aws:kms:${FIXTURE_REGION}:${FIXTURE_ACCOUNT}:key/${keyId}`;
}

/**
 * A KMS call on a key, shaped as the KMS Developer Guide's CloudTrail examples (DisableKey,
 * DeleteImportedKeyMaterial): `requestParameters.keyId` as the caller wrote it, and, when `recorded` is
 * given, the key ARN CloudTrail adds in `responseElements.keyId` and `resources`.
 *
 * @param eventName - the KMS call
 * @param keyId - `requestParameters.keyId`: a key ARN, key ID, alias name or alias ARN
 * @param recorded - the key ARN CloudTrail records, if any
 * @param eventTime - when the call was made
 */
export function kmsEvent(
  eventName: string,
  keyId: string,
  recorded?: string,
  eventTime = '2026-11-20T10:14:31Z',
): CloudTrailEvent {
  return cloudTrailEvent('kms.amazonaws.com', eventName, eventTime, {
    requestParameters: { keyId },
    responseElements: recorded === undefined ? null : { keyId: recorded },
    ...(recorded === undefined
      ? {}
      : { resources: [{ accountId: FIXTURE_ACCOUNT, type: 'AWS::KMS::Key', ARN: recorded }] }),
  });
}

/**
 * A CloudWatch Logs call on a log group by name (`requestParameters.logGroupName`).
 *
 * @param eventName - the Logs call
 * @param logGroupName - the group
 * @param eventTime - when the call was made
 */
export function logsEvent(
  eventName: string,
  logGroupName: string,
  eventTime = '2026-11-20T10:14:31Z',
): CloudTrailEvent {
  return cloudTrailEvent('logs.amazonaws.com', eventName, eventTime, {
    requestParameters: { logGroupName },
  });
}
