/**
 * The loopback server's Logs Insights: `StartQuery`, `GetQueryResults` and `StopQuery` as the CloudWatch
 * Logs API documents them, over the world's log events. It runs the documented subset of the query
 * language this project sends (`fields`, `filter` with `=`, `!=`, `and`, `or`, parentheses and
 * `ispresent()`, `sort @timestamp`, `limit`), refuses anything else with `MalformedQueryException`, and
 * caps every result at 10,000 rows, as the service does.
 *
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_StartQuery.html
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetQueryResults.html
 */
import { randomUUID } from 'node:crypto';

import { LOOPBACK_ACCOUNT_ID, type WorldLogEvent, type WorldRegion } from './loopback-world';

/** An error in the service's JSON protocol; the server turns it into its reply. */
export interface InsightsError {
  readonly code: string;
  readonly message: string;
}

type Params = Record<string, unknown>;

/** The most rows a query returns. */
export const LOOPBACK_MAX_QUERY_ROWS = 10_000;

const START_QUERY_MEMBERS = [
  'queryLanguage',
  'logGroupName',
  'logGroupNames',
  'logGroupIdentifiers',
  'startTime',
  'endTime',
  'queryString',
  'limit',
];

interface StoredQuery {
  readonly rows: Record<string, string>[];
  readonly scanned: number;
  pollsLeft: number;
  stopped: boolean;
}

/** Options of {@link logsInsightsOperations}. */
export interface LogsInsightsOptions {
  /**
   * How many `GetQueryResults` calls of each query answer `Running` before it is `Complete`.
   * @default 1
   */
  readonly runningPolls?: number;
}

/**
 * The three operations, sharing the queries started.
 *
 * @param fail - builds the error the server answers with
 * @param options - how long queries run
 */
export function logsInsightsOperations(
  fail: (code: string, message: string) => Error,
  options: LogsInsightsOptions = {},
): Record<string, (region: string, rw: WorldRegion, p: Params) => Params> {
  const queries = new Map<string, StoredQuery>();
  return {
    StartQuery: (_region, rw, p) => {
      const unknown = Object.keys(p).find((key) => !START_QUERY_MEMBERS.includes(key));
      if (unknown !== undefined) throw fail('SerializationException', `Unknown member ${unknown}`);
      const names = p.logGroupNames as string[] | undefined;
      if (names === undefined || names.length < 1 || names.length > 50)
        throw fail('InvalidParameterException', 'logGroupNames must hold 1 to 50 log groups');
      const { startTime, endTime, queryString } = p as {
        startTime?: number;
        endTime?: number;
        queryString?: string;
      };
      if (typeof startTime !== 'number' || typeof endTime !== 'number' || typeof queryString !== 'string')
        throw fail('ValidationException', 'startTime, endTime and queryString are required');
      if (endTime < startTime)
        throw fail('InvalidParameterException', 'endTime must be at or after startTime');
      if (queryString.length > 10_000) throw fail('ValidationException', 'queryString is longer than 10000');
      const limit = p.limit === undefined ? LOOPBACK_MAX_QUERY_ROWS : Number(p.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > LOOPBACK_MAX_QUERY_ROWS)
        throw fail('ValidationException', `limit must be from 1 to ${LOOPBACK_MAX_QUERY_ROWS}`);
      const groups = names.map((name) => {
        const group = rw.logGroups.find((g) => g.name === name);
        if (group === undefined) throw fail('ResourceNotFoundException', `Log group ${name} does not exist`);
        return group;
      });
      const query = parseQuery(queryString, fail);
      const inRange = (e: WorldLogEvent) =>
        e.timestamp >= startTime * 1000 && e.timestamp < (endTime + 1) * 1000;
      const events = groups.flatMap((g) =>
        // The index in the group, not in the range: an event's @ptr is the same in every query.
        (g.events ?? [])
          .map((event, index) => ({ group: g.name, event, index }))
          .filter(({ event }) => inRange(event)),
      );
      const matched = events
        .map(({ group, event, index }) => ({
          record: recordOf(group, event, index),
          timestamp: event.timestamp,
        }))
        .filter(({ record }) => query.filter(record));
      matched.sort((a, b) => (query.descending ? b.timestamp - a.timestamp : a.timestamp - b.timestamp));
      const rows = matched.slice(0, Math.min(limit, query.limit)).map(({ record }) => query.project(record));
      const queryId = randomUUID();
      queries.set(queryId, {
        rows,
        scanned: events.length,
        pollsLeft: options.runningPolls ?? 1,
        stopped: false,
      });
      return { queryId };
    },
    GetQueryResults: (_region, _rw, p) => {
      const stored = queries.get(String(p.queryId));
      if (stored === undefined)
        throw fail('ResourceNotFoundException', `Query ${String(p.queryId)} does not exist`);
      if (stored.stopped) return { status: 'Cancelled', results: [] };
      if (stored.pollsLeft > 0) {
        stored.pollsLeft--;
        return { status: 'Running', results: [] };
      }
      return {
        status: 'Complete',
        results: stored.rows.map((row) => Object.entries(row).map(([field, value]) => ({ field, value }))),
        statistics: {
          recordsMatched: stored.rows.length,
          recordsScanned: stored.scanned,
          bytesScanned: stored.scanned * 600,
        },
      };
    },
    StopQuery: (_region, _rw, p) => {
      const stored = queries.get(String(p.queryId));
      if (stored === undefined)
        throw fail('ResourceNotFoundException', `Query ${String(p.queryId)} does not exist`);
      stored.stopped = true;
      return { success: true };
    },
  };
}

/** An event as Logs Insights sees it: its JSON fields discovered, plus the system fields. */
function recordOf(group: string, event: WorldLogEvent, index: number): Record<string, string> {
  let fields: Record<string, string>;
  try {
    fields = JSON.parse(event.message) as Record<string, string>;
  } catch {
    // Not JSON: Logs Insights discovers no fields in it.
    fields = {};
  }
  return {
    ...fields,
    '@timestamp': new Date(event.timestamp).toISOString().replace('T', ' ').replace('Z', ''),
    '@message': event.message,
    '@log': `${LOOPBACK_ACCOUNT_ID}:${group}`,
    '@ptr': Buffer.from(`${group}/${index}`).toString('base64'),
  };
}

interface ParsedQuery {
  readonly filter: (record: Record<string, string>) => boolean;
  readonly project: (record: Record<string, string>) => Record<string, string>;
  readonly descending: boolean;
  readonly limit: number;
}

/** Splits on `|` outside quotes and backticks. */
function commands(query: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const ch of query) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === '`') quote = ch;
    else if (ch === '|') {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current.trim());
  return parts.filter((part) => part !== '' && !part.startsWith('#'));
}

const fieldName = (token: string): string => token.replace(/^`(.*)`$/, '$1');

function parseQuery(query: string, fail: (code: string, message: string) => Error): ParsedQuery {
  let fields: string[] | undefined;
  const filters: ((r: Record<string, string>) => boolean)[] = [];
  let descending = false;
  let limit = LOOPBACK_MAX_QUERY_ROWS;
  for (const command of commands(query)) {
    const [, verb = '', rest = ''] = /^(\w+)\s+([\s\S]*)$/.exec(command) ?? [];
    if (verb === 'fields') fields = rest.split(',').map((f) => fieldName(f.trim()));
    else if (verb === 'filter') filters.push(parseFilter(rest, fail));
    else if (verb === 'sort' && /^@timestamp\s+(asc|desc)$/.test(rest.trim()))
      descending = rest.trim().endsWith('desc');
    else if (verb === 'limit' && /^\d+$/.test(rest.trim())) limit = Number(rest.trim());
    else throw fail('MalformedQueryException', `the loopback server does not speak "${command}"`);
  }
  if (limit < 1 || limit > LOOPBACK_MAX_QUERY_ROWS)
    throw fail('MalformedQueryException', `limit must be from 1 to ${LOOPBACK_MAX_QUERY_ROWS}`);
  return {
    filter: (r) => filters.every((f) => f(r)),
    project: (r) =>
      Object.fromEntries(
        [...(fields ?? Object.keys(r)), '@ptr']
          .filter((name, i, all) => all.indexOf(name) === i && r[name] !== undefined)
          .map((name) => [name, r[name] as string]),
      ),
    descending,
    limit,
  };
}

/** `filter` expressions: or of ands of comparisons, `ispresent()` and parenthesised expressions. */
function parseFilter(
  text: string,
  fail: (code: string, message: string) => Error,
): (r: Record<string, string>) => boolean {
  const tokens = text.match(/`[^`]*`|"[^"]*"|!=|=|\(|\)|[@\w.-]+/g) ?? [];
  if (tokens.join('').replace(/\s/g, '') !== text.replace(/\s/g, ''))
    throw fail('MalformedQueryException', `unexpected characters in filter "${text}"`);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string): string => {
    const token = tokens[at++];
    if (token === undefined || (expected !== undefined && token !== expected))
      throw fail('MalformedQueryException', `expected ${expected ?? 'more'} in filter "${text}"`);
    return token;
  };
  type Test = (r: Record<string, string>) => boolean;
  const or = (): Test => {
    const parts = [and()];
    while (peek() === 'or') {
      take();
      parts.push(and());
    }
    return (r) => parts.some((p) => p(r));
  };
  const and = (): Test => {
    const parts = [unary()];
    while (peek() === 'and') {
      take();
      parts.push(unary());
    }
    return (r) => parts.every((p) => p(r));
  };
  const unary = (): Test => {
    const token = take();
    if (token === '(') {
      const inner = or();
      take(')');
      return inner;
    }
    if (token === 'ispresent') {
      take('(');
      const name = fieldName(take());
      take(')');
      return (r) => r[name] !== undefined;
    }
    const name = fieldName(token);
    const operator = take();
    const literal = take();
    if ((operator !== '=' && operator !== '!=') || !/^".*"$/.test(literal))
      throw fail('MalformedQueryException', `unsupported comparison ${token} ${operator} ${literal}`);
    const value = literal.slice(1, -1);
    return operator === '=' ? (r) => r[name] === value : (r) => r[name] !== value;
  };
  const test = or();
  if (at !== tokens.length)
    throw fail('MalformedQueryException', `unexpected "${tokens[at]}" in filter "${text}"`);
  return test;
}
