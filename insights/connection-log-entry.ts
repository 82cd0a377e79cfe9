/**
 * The Client VPN connection log entry, as AWS documents it: a JSON object of string values, one per
 * connection event (an attempt, a periodic update, a reset). Every query, metric filter and report
 * of this project reads these fields and no others.
 *
 * Source: "Connection logging for an AWS Client VPN endpoint",
 * https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/connection-logging.html
 *
 * AWS documents there that failed mutual-authentication (certificate) attempts are NOT logged: every
 * count of failed attempts built on these entries misses them.
 */

/** The documented keys of a connection log entry that this project reads. */
export const CONNECTION_LOG_FIELDS = [
  'connection-log-type',
  'connection-attempt-status',
  'connection-reset-status',
  'connection-attempt-failure-reason',
  'connection-id',
  'client-vpn-endpoint-id',
  'transport-protocol',
  'connection-start-time',
  'connection-last-update-time',
  'client-ip',
  'common-name',
  'device-type',
  'device-ip',
  'port',
  'ingress-bytes',
  'egress-bytes',
  'ingress-packets',
  'egress-packets',
  'connection-end-time',
  'username',
  'connection-duration-seconds',
] as const;

/** A documented key of a connection log entry. */
export type ConnectionLogField = (typeof CONNECTION_LOG_FIELDS)[number];

/** A connection log entry: every documented value is a string (`NA` when it does not apply). */
export type ConnectionLogEntry = Partial<Record<ConnectionLogField, string>>;

/** `connection-attempt-status` of a refused attempt. */
export const FAILED_STATUS = 'failed';
/** `connection-attempt-status` of an established connection. */
export const SUCCESSFUL_STATUS = 'successful';
/** The value AWS writes when a field does not apply (an open connection's end time, for one). */
export const NOT_APPLICABLE = 'NA';

/**
 * The caveat every count of failed attempts carries, so that nobody believes certificate failures are
 * covered: AWS does not log failed mutual-authentication attempts.
 */
export const MUTUAL_AUTHENTICATION_CAVEAT =
  'Failed mutual-authentication (certificate) attempts are not logged by AWS Client VPN, so they are not counted.';
