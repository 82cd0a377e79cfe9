/**
 * Runs one Logs Insights query through StartQuery and GetQueryResults, within AWS's documented limits:
 * at most 50 log groups a query, at most 10,000 rows a result (the time range is then split at the
 * last row's second and queried again, rows deduplicated by `@ptr`), and queries time out after 60
 * minutes of runtime. Polls with a bounded exponential backoff; every wait and every loop has an end.
 *
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_StartQuery.html
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetQueryResults.html
 */
import {
  GetQueryResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';

import { MAX_GROUPS_PER_QUERY, MAX_QUERY_ROWS } from './connection-query';
import type { QueryRow } from './connection-records';
import { InsightsError } from './insights-error';

/** AWS ends a query after 60 minutes of runtime; the report waits no longer. */
export const QUERY_RUNTIME_LIMIT_MS = 60 * 60 * 1000;

/** A query ended Failed, Cancelled, Timeout or Unknown, or did not end within the runtime limit. */
export class QueryFailedError extends InsightsError {
  public override readonly name = 'QueryFailedError';
}

/** More than 10,000 entries share one second, so no split of the time range can return them all. */
export class RowLimitError extends InsightsError {
  public override readonly name = 'RowLimitError';
}

/** How the queries wait; tests shorten it. */
export interface QueryPacing {
  /**
   * The first wait before asking for results, in milliseconds; each next wait is 1.5 times longer.
   * @default 500
   */
  readonly firstPollMs?: number;
  /**
   * The longest wait between two polls.
   * @default 5000
   */
  readonly maxPollMs?: number;
  /**
   * How long one query may run before it is stopped and the report fails.
   * @default QUERY_RUNTIME_LIMIT_MS
   */
  readonly queryTimeoutMs?: number;
  /**
   * The most queries one time range may take after splits, so a loop always ends.
   * @default 1000
   */
  readonly maxQueries?: number;
  /** Waits; `setTimeout` by default. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The rows of a query over a time range, and how it had to be split. */
export interface QueryOutcome {
  /** Every row, deduplicated by `@ptr`. */
  readonly rows: QueryRow[];
  /** Queries run. */
  readonly queries: number;
  /** Where the range was split because a result hit the row limit, as epoch seconds. */
  readonly splitsAt: number[];
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// A result field's value is documented as a string; anything else an answer carries is shown as its
// JSON text, never as "[object Object]". https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_ResultField.html
const fieldText = (value: unknown): string =>
  value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);

/** `@timestamp` as Logs Insights returns it (`2026-11-20 09:41:07.000`, UTC), in epoch seconds. */
export function timestampSeconds(value: string | undefined): number {
  const ms = Date.parse(`${(value ?? '').replace(' ', 'T')}Z`);
  if (Number.isNaN(ms))
    throw new QueryFailedError(`a result row has no readable @timestamp (${JSON.stringify(value)})`);
  return Math.floor(ms / 1000);
}

/**
 * Runs `queryString` over `logGroupNames` from `startTime` to `endTime` (epoch seconds, both inclusive),
 * splitting the range each time a result holds the full 10,000 rows.
 *
 * @param logs - a CloudWatch Logs client of the groups' region
 * @param logGroupNames - 1 to 50 groups
 * @param range - the time range, epoch seconds
 * @param queryString - a query sorted by `@timestamp asc` and limited to 10,000 rows
 * @param pacing - waits and bounds
 * @param onQuery - called as each query starts, for progress
 */
export async function queryTimeRange(
  logs: CloudWatchLogsClient,
  logGroupNames: readonly string[],
  range: { readonly startTime: number; readonly endTime: number },
  queryString: string,
  pacing: QueryPacing = {},
  onQuery: (from: number) => void = () => undefined,
): Promise<QueryOutcome> {
  if (logGroupNames.length === 0 || logGroupNames.length > MAX_GROUPS_PER_QUERY)
    throw new RangeError(
      `a query takes 1 to ${MAX_GROUPS_PER_QUERY} log groups, got ${logGroupNames.length}`,
    );
  const maxQueries = pacing.maxQueries ?? 1000;
  const rows: QueryRow[] = [];
  const pointers = new Set<string>();
  const splitsAt: number[] = [];
  let from = range.startTime;
  for (let queries = 1; queries <= maxQueries; queries++) {
    onQuery(from);
    const page = await runQuery(
      logs,
      logGroupNames,
      { startTime: from, endTime: range.endTime },
      queryString,
      pacing,
    );
    for (const row of page) {
      const pointer = row['@ptr'];
      if (pointer !== undefined && pointers.has(pointer)) continue;
      if (pointer !== undefined) pointers.add(pointer);
      rows.push(row);
    }
    if (page.length < MAX_QUERY_ROWS) return { rows, queries, splitsAt };
    // Sorted oldest first: everything before the last row's second is complete; go on from that second.
    const next = timestampSeconds(page.at(-1)?.['@timestamp']);
    if (next <= from)
      throw new RowLimitError(
        `more than ${MAX_QUERY_ROWS} entries at ${new Date(from * 1000).toISOString()} alone: no split of the time range can return them all`,
      );
    splitsAt.push(next);
    from = next;
  }
  throw new RowLimitError(
    `the time range still hit the ${MAX_QUERY_ROWS}-row limit after ${maxQueries} queries`,
  );
}

async function runQuery(
  logs: CloudWatchLogsClient,
  logGroupNames: readonly string[],
  range: { readonly startTime: number; readonly endTime: number },
  queryString: string,
  pacing: QueryPacing,
): Promise<QueryRow[]> {
  const sleep = pacing.sleep ?? sleepFor;
  const started = await logs.send(
    new StartQueryCommand({
      logGroupNames: [...logGroupNames],
      ...range,
      queryString,
      limit: MAX_QUERY_ROWS,
    }),
  );
  const queryId = started.queryId;
  if (queryId === undefined) throw new QueryFailedError('StartQuery returned no queryId');
  const timeout = pacing.queryTimeoutMs ?? QUERY_RUNTIME_LIMIT_MS;
  let waited = 0;
  let wait = pacing.firstPollMs ?? 500;
  while (waited <= timeout) {
    await sleep(wait);
    waited += wait;
    wait = Math.min(wait * 1.5, pacing.maxPollMs ?? 5000);
    const result = await logs.send(new GetQueryResultsCommand({ queryId }));
    const status = result.status ?? 'Unknown';
    if (status === 'Complete')
      return (result.results ?? []).map((fields) =>
        Object.fromEntries(fields.map((f) => [f.field ?? '', fieldText(f.value)])),
      );
    if (status !== 'Scheduled' && status !== 'Running')
      throw new QueryFailedError(`query ${queryId} ended ${status} (${logGroupNames.join(', ')})`);
  }
  // Best effort: the query is given up on either way.
  await logs.send(new StopQueryCommand({ queryId })).catch(() => undefined);
  throw new QueryFailedError(
    `query ${queryId} did not complete within ${Math.round(timeout / 60000)} minute(s); it was stopped (${logGroupNames.join(', ')})`,
  );
}
