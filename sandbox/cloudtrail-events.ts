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
