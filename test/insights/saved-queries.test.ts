import { connectionReportQuery } from '../../insights/connection-query';
import {
  DASHBOARD_QUERIES,
  FAILED_ATTEMPT_PATTERN,
  SAVED_QUERIES,
  SUCCESSFUL_CONNECTION_PATTERN,
} from '../../insights/saved-queries';
import { checkJsonFilterPattern, checkLogsInsightsQuery } from './logs-insights-grammar';

describe('the Logs Insights queries', () => {
  it.each([
    ...SAVED_QUERIES.map((q) => [`saved: ${q.name}`, q.query] as const),
    ['dashboard: top users', DASHBOARD_QUERIES.topUsers] as const,
    ['dashboard: top device IPs', DASHBOARD_QUERIES.topDeviceIps] as const,
    ['report', connectionReportQuery({ failedOnly: false })] as const,
    ['report --failed --user', connectionReportQuery({ failedOnly: true, user: 'Jane Doe' })] as const,
  ])('%s is in the documented grammar, over documented fields only', (_name, query) => {
    expect(checkLogsInsightsQuery(query)).toEqual([]);
  });

  it.each([
    ...SAVED_QUERIES.filter((q) => q.query.includes('"failed"')).map((q) => [q.name, q.query] as const),
    ['dashboard: top device IPs', DASHBOARD_QUERIES.topDeviceIps] as const,
  ])('%s, which counts failed attempts, says that certificate failures are not logged', (_name, query) => {
    expect(query).toMatch(/^# Failed mutual-authentication \(certificate\) attempts are not logged/);
  });

  it.each([
    ['a hyphenated field without backticks', 'filter connection-id = "x"', 'must be in backticks'],
    [
      'a field the log entry does not have',
      'filter `connection-status` = "x"',
      'unknown field connection-status',
    ],
    ['an undocumented function', 'fields tonumber(`ingress-bytes`) as n', 'unknown function tonumber()'],
    ['a limit above 10,000', 'fields @timestamp | limit 10001', 'limit must be'],
    [
      'three stats commands',
      'stats count(*) as a by @log | stats count(*) as b by a | stats count(*) as c by b',
      'more than two stats',
    ],
  ])('the checker refuses %s', (_name, query, problem) => {
    expect(checkLogsInsightsQuery(query).join('; ')).toContain(problem);
  });
});

describe('the metric filter patterns', () => {
  it.each([
    ['failed attempts', FAILED_ATTEMPT_PATTERN],
    ['successful connections', SUCCESSFUL_CONNECTION_PATTERN],
  ])('%s is a JSON filter pattern over documented fields', (_name, pattern) => {
    expect(checkJsonFilterPattern(pattern)).toEqual([]);
  });

  it.each([
    ['no braces', '$.connection-attempt-status = "failed"', 'enclosed in { }'],
    ['an unknown property', '{ $.status = "failed" }', 'unknown property $.status'],
    ['an unquoted value', '{ $.connection-attempt-status = failed }', 'quoted string'],
    ['a dangling operator', '{ ($.connection-log-type = "connection-attempt") && }', 'selector'],
  ])('the checker refuses %s', (_name, pattern, problem) => {
    expect(checkJsonFilterPattern(pattern).join('; ')).toContain(problem);
  });
});
