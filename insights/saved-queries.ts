/**
 * The Logs Insights queries and metric filter patterns over Client VPN connection logs, declared once:
 * the stacks save them (`AWS::Logs::QueryDefinition`), the dashboard shows two of them, and the tests
 * check them against AWS's documented grammar.
 *
 * Query syntax: "CloudWatch Logs Insights language query syntax",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html; a field with a
 * hyphen is written in backticks ("Fields that contain special characters",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Guidelines.html); `#`
 * starts a comment. Filter patterns: "Filter pattern syntax for metric filters" (JSON log events,
 * `{ $.field = "value" }`), https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html.
 * Fields: https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/connection-logging.html.
 */
import {
  FAILED_STATUS,
  MUTUAL_AUTHENTICATION_CAVEAT,
  NOT_APPLICABLE,
  SUCCESSFUL_STATUS,
  type ConnectionLogField,
} from './connection-log-entry';

/** A connection log field as Logs Insights takes it: in backticks when it holds a hyphen. */
export function insightsField(name: ConnectionLogField): string {
  return /^[A-Za-z0-9_.@]+$/.test(name) ? name : `\`${name}\``;
}

const f = insightsField;
// The person: the username with AD or SAML authentication, else the certificate's common name.
const USER = `coalesce(${f('username')}, ${f('common-name')}) as user`;
// An established connection's entries: the attempt, its periodic updates, and a reset.
const CONNECTION_ENTRIES = `${f('connection-attempt-status')} = "${SUCCESSFUL_STATUS}" or ${f('connection-log-type')} = "connection-reset"`;
const FAILED_ENTRIES = `${f('connection-attempt-status')} = "${FAILED_STATUS}"`;
const CAVEAT = `# ${MUTUAL_AUTHENTICATION_CAVEAT}`;

/** A saved query: its name under the folder, and its text. */
export interface SavedQuery {
  /** The name under the folder, e.g. `Who connected and when`. */
  readonly name: string;
  /** What it answers, for docs and the dashboard. */
  readonly answers: string;
  /** The Logs Insights query. */
  readonly query: string;
}

const lines = (...parts: string[]): string => parts.join('\n');

/** The folder the saved queries appear under in the Logs Insights console (`/` makes a folder). */
export const SAVED_QUERY_FOLDER = 'ClientVpn';

/** The saved queries, in the order the console lists them. */
export const SAVED_QUERIES: readonly SavedQuery[] = [
  {
    name: 'Who connected and when',
    answers: 'each connection: user, device IP, endpoint, start, end and duration',
    query: lines(
      `fields ${USER}`,
      `| filter ${CONNECTION_ENTRIES}`,
      `| stats earliest(${f('connection-start-time')}) as connectionStart, latest(${f('connection-end-time')}) as connectionEnd, latest(${f('connection-duration-seconds')}) as durationSeconds by ${f('connection-id')}, user, ${f('device-ip')}, ${f('client-vpn-endpoint-id')}`,
      '| sort connectionStart desc',
      '| limit 10000',
    ),
  },
  {
    name: 'Failed attempts by user and device IP',
    answers: 'failed attempts per user, device IP and failure reason, first and last seen',
    query: lines(
      CAVEAT,
      `fields ${USER}`,
      `| filter ${FAILED_ENTRIES}`,
      `| stats count(*) as failedAttempts, earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen by user, ${f('device-ip')}, ${f('connection-attempt-failure-reason')}`,
      '| sort failedAttempts desc',
      '| limit 10000',
    ),
  },
  {
    name: 'Where each user connected from',
    answers: 'the distinct device IPs of each user, with when each was first and last seen',
    query: lines(
      `fields ${USER}`,
      `| filter ${f('connection-attempt-status')} = "${SUCCESSFUL_STATUS}"`,
      `| stats earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen, count_distinct(${f('connection-id')}) as connections by user, ${f('device-ip')}`,
      '| sort firstSeen asc',
      '| limit 10000',
    ),
  },
  {
    name: 'Usage per user',
    answers: 'per user: connections, bytes in and out, and time connected',
    query: lines(
      `fields ${USER}`,
      `| filter ${CONNECTION_ENTRIES}`,
      // Bytes and duration are running totals of each connection: its largest value is its total.
      `| stats max(${f('ingress-bytes')}) as ingressBytes, max(${f('egress-bytes')}) as egressBytes, max(${f('connection-duration-seconds')}) as durationSeconds by ${f('connection-id')}, user`,
      '| stats count(*) as connections, sum(ingressBytes) as bytesIn, sum(egressBytes) as bytesOut, sum(durationSeconds) as connectedSeconds by user',
      '| sort bytesIn desc',
      '| limit 10000',
    ),
  },
  {
    name: 'Sessions still open',
    answers: `connections whose latest entry has no end time (${NOT_APPLICABLE}) within the time range`,
    query: lines(
      `fields ${USER}`,
      `| filter ${CONNECTION_ENTRIES}`,
      `| stats latest(${f('connection-end-time')}) as connectionEnd, latest(${f('connection-last-update-time')}) as lastUpdate, earliest(${f('connection-start-time')}) as connectionStart by ${f('connection-id')}, user, ${f('device-ip')}`,
      `| filter connectionEnd = "${NOT_APPLICABLE}"`,
      '| sort connectionStart asc',
      '| limit 10000',
    ),
  },
];

/** The dashboard's Logs Insights widgets: the top users and the top device IPs. */
export const DASHBOARD_QUERIES = {
  topUsers: lines(
    `fields ${USER}`,
    `| filter ${f('connection-attempt-status')} = "${SUCCESSFUL_STATUS}"`,
    `| stats count_distinct(${f('connection-id')}) as connections by user`,
    '| sort connections desc',
    '| limit 10',
  ),
  topDeviceIps: lines(
    CAVEAT,
    `filter ${f('connection-attempt-status')} = "${SUCCESSFUL_STATUS}" or ${FAILED_ENTRIES}`,
    `| stats count_distinct(${f('connection-id')}) as attempts by ${f('device-ip')}`,
    '| sort attempts desc',
    '| limit 10',
  ),
} as const;

/** Metric filter pattern: a failed connection attempt (JSON filter pattern). */
export const FAILED_ATTEMPT_PATTERN = `{ $.connection-attempt-status = "${FAILED_STATUS}" }`;

/**
 * Metric filter pattern: a successful connection-attempt entry. AWS repeats an open connection's
 * entry as it updates it (`connection-last-update-time`), so this counts entries, at least one per
 * connection; the saved queries and the report count distinct `connection-id`s.
 */
export const SUCCESSFUL_CONNECTION_PATTERN = `{ ($.connection-log-type = "connection-attempt") && ($.connection-attempt-status = "${SUCCESSFUL_STATUS}") }`;
