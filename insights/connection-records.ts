/**
 * Turns the rows of the report's query (one per connection log entry) into one record per connection
 * or failed attempt, and sums them up. Pure: no SDK, no clock.
 *
 * AWS writes several entries for one connection (the attempt, periodic updates of its bytes and
 * `connection-last-update-time`, a reset): they share `connection-id`, so that is what a record is made of.
 * https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/connection-logging.html
 */
import { ACCOUNT_ID_PATTERN } from '../rule/aws-name-patterns';
import { FAILED_STATUS, MUTUAL_AUTHENTICATION_CAVEAT, NOT_APPLICABLE } from './connection-log-entry';

/** One row of GetQueryResults: field name to value (`@timestamp`, `@log`, `@ptr` and the entry's fields). */
export type QueryRow = Readonly<Record<string, string>>;

/** One connection, or one failed attempt, as the report lists it. */
export interface ConnectionRecord {
  /** The region of the log group. */
  readonly region: string;
  /** The log group the entries came from (`@log` without its account prefix). */
  readonly logGroup: string;
  /** `client-vpn-endpoint-id`. */
  readonly endpointId: string;
  /** `connection-id`. */
  readonly connectionId: string;
  /** `username` (AD or SAML), else the certificate's `common-name`, else `(unknown)`. */
  readonly user: string;
  /** `device-ip`: the device's public address. */
  readonly deviceIp: string | null;
  /** `connected` when the connection was established, `failed` when the attempt was refused. */
  readonly outcome: 'connected' | 'failed';
  /** `connection-attempt-failure-reason` of a failed attempt. */
  readonly failureReason: string | null;
  /** `connection-start-time` (UTC, as AWS writes it), or the first entry's `@timestamp` when it has none. */
  readonly start: string;
  /** `connection-end-time`, or null while the connection is open (or for a failed attempt). */
  readonly end: string | null;
  /** The largest `ingress-bytes` seen: AWS updates it as a running total. */
  readonly ingressBytes: number;
  /** The largest `egress-bytes` seen. */
  readonly egressBytes: number;
}

/** The report's field names, in output order. */
export const CONNECTION_RECORD_FIELDS = [
  'start',
  'end',
  'user',
  'deviceIp',
  'outcome',
  'failureReason',
  'ingressBytes',
  'egressBytes',
  'endpointId',
  'connectionId',
  'logGroup',
  'region',
] as const satisfies readonly (keyof ConnectionRecord)[];

const present = (value: string | undefined): string | undefined =>
  value === undefined || value === '' || value === NOT_APPLICABLE ? undefined : value;

const bytes = (value: string | undefined): number => {
  const n = Number(present(value) ?? 0);
  return Number.isFinite(n) && n >= 0 ? n : 0;
};

/** `@log` is `account-id:log-group-name`; the group is what the reader knows. */
export function logGroupOfRow(row: QueryRow): string {
  const log = row['@log'] ?? '';
  const colon = log.indexOf(':');
  return ACCOUNT_ID_PATTERN.test(log.slice(0, colon)) ? log.slice(colon + 1) : log;
}

/**
 * Builds one record per connection (or failed attempt) from the rows, oldest first.
 *
 * @param rows - rows of the report's query, any order, duplicates (same `@ptr`) allowed
 * @param region - the region the rows were queried in
 * @returns the records, by start time
 */
export function connectionRecords(rows: readonly QueryRow[], region: string): ConnectionRecord[] {
  const seen = new Set<string>();
  const groups = new Map<string, QueryRow[]>();
  for (const row of rows) {
    const pointer = row['@ptr'];
    if (pointer !== undefined) {
      if (seen.has(pointer)) continue;
      seen.add(pointer);
    }
    const id = present(row['connection-id']);
    const key = id === undefined ? `row:${pointer ?? groups.size}` : `${logGroupOfRow(row)}\u0000${id}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()]
    .map((entries) => recordOf(entries, region))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

function recordOf(entries: readonly QueryRow[], region: string): ConnectionRecord {
  const sorted = [...entries].sort((a, b) => ((a['@timestamp'] ?? '') < (b['@timestamp'] ?? '') ? -1 : 1));
  const first = (field: string) => sorted.map((e) => present(e[field])).find((v) => v !== undefined);
  const last = (field: string) =>
    sorted
      .map((e) => present(e[field]))
      .filter((v) => v !== undefined)
      .at(-1);
  const failed = sorted.find((e) => e['connection-attempt-status'] === FAILED_STATUS);
  return {
    region,
    logGroup: logGroupOfRow(sorted[0] ?? {}),
    endpointId: first('client-vpn-endpoint-id') ?? '',
    connectionId: first('connection-id') ?? '',
    user: first('username') ?? first('common-name') ?? '(unknown)',
    deviceIp: first('device-ip') ?? null,
    outcome: failed === undefined ? 'connected' : 'failed',
    failureReason:
      failed === undefined ? null : (present(failed['connection-attempt-failure-reason']) ?? 'unknown'),
    start: first('connection-start-time') ?? (sorted[0]?.['@timestamp'] ?? '').slice(0, 19),
    end: failed === undefined ? (last('connection-end-time') ?? null) : null,
    ingressBytes: Math.max(0, ...sorted.map((e) => bytes(e['ingress-bytes']))),
    egressBytes: Math.max(0, ...sorted.map((e) => bytes(e['egress-bytes']))),
  };
}

/** What the report ends with. */
export interface ConnectionSummary {
  /** Distinct users among all records. */
  readonly distinctUsers: number;
  /** Connections established. */
  readonly connections: number;
  /** Failed attempts in all (certificate failures excepted: AWS does not log them). */
  readonly failedAttempts: number;
  /** Failed attempts by `connection-attempt-failure-reason`. */
  readonly failedAttemptsByReason: Readonly<Record<string, number>>;
  /** The threshold of {@link usersWithManyDeviceIps}. */
  readonly deviceIpThreshold: number;
  /** Users seen from more than `deviceIpThreshold` distinct device IPs, with their IPs. */
  readonly usersWithManyDeviceIps: Readonly<Record<string, readonly string[]>>;
  /** The caveat on failed attempts. */
  readonly note: string;
}

/**
 * Sums the records up.
 *
 * @param records - the report's records
 * @param deviceIpThreshold - name users seen from more than this many device IPs
 */
export function summarizeConnections(
  records: readonly ConnectionRecord[],
  deviceIpThreshold: number,
): ConnectionSummary {
  const byReason: Record<string, number> = {};
  const ips = new Map<string, Set<string>>();
  for (const r of records) {
    if (r.outcome === 'failed')
      byReason[r.failureReason ?? 'unknown'] = (byReason[r.failureReason ?? 'unknown'] ?? 0) + 1;
    if (r.deviceIp !== null) ips.set(r.user, (ips.get(r.user) ?? new Set()).add(r.deviceIp));
  }
  const many = [...ips.entries()]
    .filter(([, set]) => set.size > deviceIpThreshold)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([user, set]) => [user, [...set].sort()] as const);
  return {
    distinctUsers: new Set(records.map((r) => r.user)).size,
    connections: records.filter((r) => r.outcome === 'connected').length,
    failedAttempts: records.filter((r) => r.outcome === 'failed').length,
    failedAttemptsByReason: Object.fromEntries(Object.entries(byReason).sort(([a], [b]) => (a < b ? -1 : 1))),
    deviceIpThreshold,
    usersWithManyDeviceIps: Object.fromEntries(many),
    note: MUTUAL_AUTHENTICATION_CAVEAT,
  };
}
