/**
 * The Logs Insights query the `connections` report runs: every connection log entry of the time range,
 * one row per entry with the documented fields, oldest first, so the report can rebuild each
 * connection and page on through the row limit by time.
 *
 * Syntax: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html (commands
 * `fields`, `filter`, `sort`, `limit`; `ispresent`; string literals in double quotes); fields with a
 * hyphen in backticks: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-Guidelines.html.
 */
import { FAILED_STATUS, type ConnectionLogField } from './connection-log-entry';
import { insightsField } from './saved-queries';

/**
 * The most rows one query returns ("Logs Insights quotas": 10,000 rows), also the `limit` it asks for.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html
 */
export const MAX_QUERY_ROWS = 10_000;

/** The most log groups one StartQuery may name (`logGroupNames`, up to 50). */
export const MAX_GROUPS_PER_QUERY = 50;

/** The fields each row of the report's query carries, besides `@timestamp`, `@log` and `@ptr`. */
export const REPORT_FIELDS: readonly ConnectionLogField[] = [
  'connection-log-type',
  'connection-attempt-status',
  'connection-attempt-failure-reason',
  'connection-id',
  'client-vpn-endpoint-id',
  'username',
  'common-name',
  'device-ip',
  'client-ip',
  'connection-start-time',
  'connection-end-time',
  'ingress-bytes',
  'egress-bytes',
];

/** What the report asks for. */
export interface ConnectionQueryFilter {
  /** Only entries of this user (its `username` or certificate `common-name`). */
  readonly user?: string;
  /** Only failed attempts. */
  readonly failedOnly: boolean;
}

/**
 * A value a user may be filtered on: it goes into a double-quoted string literal of the query, so quotes,
 * backslashes and control characters are refused rather than escaped.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses.
export const QUERYABLE_USER = /^[^"\\\u0000-\u001f\u007f]{1,256}$/;

/**
 * Builds the report's query.
 *
 * @param filter - the user and failed-only filters
 * @returns the Logs Insights query text
 * @throws Error when the user holds a character {@link QUERYABLE_USER} refuses (the options check it first)
 */
export function connectionReportQuery(filter: ConnectionQueryFilter): string {
  const f = insightsField;
  const conditions = [`ispresent(${f('connection-log-type')})`];
  if (filter.failedOnly) conditions.push(`${f('connection-attempt-status')} = "${FAILED_STATUS}"`);
  if (filter.user !== undefined) {
    if (!QUERYABLE_USER.test(filter.user))
      throw new Error(`cannot query for the user ${JSON.stringify(filter.user)}`);
    conditions.push(`(${f('username')} = "${filter.user}" or ${f('common-name')} = "${filter.user}")`);
  }
  return [
    `fields @timestamp, @log, ${REPORT_FIELDS.map(f).join(', ')}`,
    `| filter ${conditions.join(' and ')}`,
    '| sort @timestamp asc',
    `| limit ${MAX_QUERY_ROWS}`,
  ].join('\n');
}
