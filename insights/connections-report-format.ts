/**
 * Renders the connections report: an aligned table for people, one JSON document or a CSV file for
 * programs, and the summary lines. Every cell from a log entry is stripped of control characters (a
 * username or common name is chosen by whoever connects), and a CSV cell never starts a formula.
 */
import { stringify } from 'csv-stringify/sync';

import { csvCell } from '../audit/csv-renderer';
import { withoutControlCharacters } from '../audit/terminal-text';
import {
  CONNECTION_RECORD_FIELDS,
  type ConnectionRecord,
  type ConnectionSummary,
} from './connection-records';

const cell = (value: string | number | null): string =>
  value === null ? '-' : withoutControlCharacters(String(value));

/**
 * The records as a table, one line each under a header.
 *
 * @param records - the records, in the order to show
 * @param showRegion - add the REGION column (several regions were read)
 */
export function formatConnectionsTable(records: readonly ConnectionRecord[], showRegion: boolean): string {
  const headers = [
    'START (UTC)',
    'END (UTC)',
    'USER',
    'DEVICE IP',
    'OUTCOME',
    'FAILURE REASON',
    'BYTES IN',
    'BYTES OUT',
    'ENDPOINT',
    ...(showRegion ? ['REGION'] : []),
  ];
  const rows = records.map((r) =>
    [
      r.start,
      r.outcome === 'connected' ? (r.end ?? 'open') : '-',
      r.user,
      r.deviceIp,
      r.outcome,
      r.failureReason,
      r.ingressBytes,
      r.egressBytes,
      r.endpointId,
      ...(showRegion ? [r.region] : []),
    ].map(cell),
  );
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => [...(row[i] as string)].length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/**
 * The records, summary and notes as one JSON document.
 *
 * @param report - what the run found
 */
export function formatConnectionsJson(report: {
  readonly records: readonly ConnectionRecord[];
  readonly summary: ConnectionSummary;
  readonly notes: readonly string[];
}): string {
  return `${JSON.stringify({ connections: report.records, summary: report.summary, notes: report.notes }, null, 2)}\n`;
}

/**
 * The records as CSV (RFC 4180, header row of the field names, empty cells for nulls), each cell made
 * safe by the audit's one CSV cell policy ({@link csvCell}: sanitised, then escaped against formulas).
 *
 * @param records - the records
 */
export function formatConnectionsCsv(records: readonly ConnectionRecord[]): string {
  return stringify(
    records.map((r) =>
      CONNECTION_RECORD_FIELDS.map((field) => (r[field] === null ? '' : csvCell(String(r[field])))),
    ),
    { header: true, columns: [...CONNECTION_RECORD_FIELDS] },
  );
}

/**
 * The summary, as lines for stderr.
 *
 * @param summary - the counts
 */
export function formatConnectionsSummary(summary: ConnectionSummary): string {
  const reasons = Object.entries(summary.failedAttemptsByReason).map(([reason, n]) => `${reason} ${n}`);
  const many = Object.entries(summary.usersWithManyDeviceIps).map(
    ([user, ips]) => `${user} (${ips.length}: ${ips.join(', ')})`,
  );
  return withoutControlCharacters(
    [
      `Summary: ${summary.connections} connection(s) by ${summary.distinctUsers} distinct user(s); ${summary.failedAttempts} failed attempt(s)${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}.`,
      `  ${summary.note}`,
      `  Users seen from more than ${summary.deviceIpThreshold} device IP(s): ${many.length > 0 ? many.join('; ') : 'none'}.`,
    ].join('\n'),
    true,
  );
}
