/**
 * The `connections` report, as a function of its checked options and streams that returns the exit
 * status: 0 when every region was read (notes on endpoints without logging, missing groups, groups
 * without entries and short retention included), 2 when a region or a query failed, after printing
 * what was found so far.
 */
import { writeFile } from 'node:fs/promises';

import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';

import { clientConfig, type AccountAccess } from '../audit/audit-clients';
import { resolveAwsCliSettings, UnknownProfileError } from '../audit/aws-cli-settings';
import { withoutControlCharacters } from '../audit/terminal-text';
import type { CommandStreams } from '../cli/command-streams';
import { createTimedRequestHandler } from '../rule/timed-request-handler';
import { connectionLogSources } from './connection-log-sources';
import { connectionReportQuery, MAX_GROUPS_PER_QUERY, MAX_QUERY_ROWS } from './connection-query';
import {
  connectionRecords,
  logGroupOfRow,
  summarizeConnections,
  type ConnectionRecord,
} from './connection-records';
import type { ConnectionsOptions } from './connections-options';
import {
  formatConnectionsCsv,
  formatConnectionsJson,
  formatConnectionsSummary,
  formatConnectionsTable,
} from './connections-report-format';
import { queryTimeRange, type QueryPacing } from './logs-insights-query';

/** What tests may replace: the clock and the query pacing. */
export interface ConnectionsDependencies {
  /** The current time. */
  readonly now?: () => Date;
  /** Poll waits and bounds. */
  readonly pacing?: QueryPacing;
  /**
   * Milliseconds one AWS request may take before it fails (and the SDK retries it).
   * @default REQUEST_TIMEOUT_MS of rule/timed-request-handler
   */
  readonly requestTimeoutMs?: number;
}

const errorText = (error: unknown): string =>
  error instanceof Error
    ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`
    : String(error);

/** What reading one region needs, and the lists it adds its notes and records to. */
interface RegionReading {
  readonly access: AccountAccess;
  readonly options: ConnectionsOptions;
  readonly startTime: number;
  readonly endTime: number;
  readonly pacing: QueryPacing | undefined;
  readonly progress: (text: string) => void;
  readonly notes: string[];
  readonly records: ConnectionRecord[];
}

/**
 * Reads one region: its connection log groups, then their entries in the time range, in batches of
 * the most groups one Logs Insights query takes.
 */
async function readRegion(region: string, reading: RegionReading): Promise<void> {
  const { access, options, startTime, endTime, progress, notes, records } = reading;
  const ec2 = new EC2Client(clientConfig(region, access));
  const logs = new CloudWatchLogsClient(clientConfig(region, access));
  const sources = await connectionLogSources({ ec2, logs }, region, options, startTime, endTime);
  notes.push(...sources.notes);
  if (sources.groups.length === 0) {
    notes.push(`${region}: no connection log group to query.`);
    return;
  }
  const query = connectionReportQuery({
    failedOnly: options.failedOnly,
    ...(options.user === undefined ? {} : { user: options.user }),
  });
  const names = sources.groups.map((g) => g.name);
  const rows = [];
  for (let i = 0; i < names.length; i += MAX_GROUPS_PER_QUERY) {
    const batch = names.slice(i, i + MAX_GROUPS_PER_QUERY);
    const outcome = await queryTimeRange(logs, batch, { startTime, endTime }, query, reading.pacing, (from) =>
      progress(
        `connections: querying ${batch.length} log group(s) in ${region} from ${new Date(from * 1000).toISOString()}`,
      ),
    );
    if (outcome.splitsAt.length > 0) {
      notes.push(
        `${region}: a query hit the ${MAX_QUERY_ROWS.toLocaleString('en-US')}-row limit of Logs Insights, so the time range was split at ${outcome.splitsAt.map((s) => new Date(s * 1000).toISOString()).join(', ')} (${outcome.queries} queries).`,
      );
    }
    rows.push(...outcome.rows);
  }
  const withEntries = new Set(rows.map(logGroupOfRow));
  const filtered = options.failedOnly || options.user !== undefined;
  for (const name of names.filter((n) => !withEntries.has(n))) {
    notes.push(
      `${region} log group ${name}: no ${filtered ? 'matching ' : ''}connection log entries in the time range.`,
    );
  }
  records.push(...connectionRecords(rows, region));
}

/**
 * Prints the report (or writes it to `--output-file`), then the notes and the summary.
 *
 * @returns whether the report could not be written
 */
async function reportConnections(
  options: ConnectionsOptions,
  streams: CommandStreams,
  found: {
    readonly records: ConnectionRecord[];
    readonly notes: readonly string[];
    readonly regionCount: number;
  },
  say: (text: string) => void,
): Promise<boolean> {
  const { records, notes } = found;
  let failed = false;
  records.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const summary = summarizeConnections(records, options.deviceIpThreshold);
  const rendered =
    options.output === 'json'
      ? formatConnectionsJson({ records, summary, notes })
      : options.output === 'csv'
        ? formatConnectionsCsv(records)
        : formatConnectionsTable(records, found.regionCount > 1);
  if (options.outputFile === undefined) streams.stdout.write(rendered);
  else {
    try {
      await writeFile(options.outputFile, rendered);
    } catch (error) {
      say(`connections: --output-file: could not write ${options.outputFile}: ${errorText(error)}`);
      failed = true;
    }
  }
  for (const note of notes) say(`connections: ${note}`);
  say(formatConnectionsSummary(summary));
  return failed;
}

/**
 * Runs the report.
 *
 * @param options - the checked options
 * @param streams - stdout for the report, stderr for progress, notes and the summary
 * @param dependencies - clock and pacing
 * @returns 0, or 2 when anything could not be read
 */
export async function runConnections(
  options: ConnectionsOptions,
  streams: CommandStreams,
  dependencies: ConnectionsDependencies = {},
): Promise<0 | 2> {
  const say = (text: string): void => void streams.stderr.write(`${withoutControlCharacters(text, true)}\n`);
  let settings;
  try {
    settings = await resolveAwsCliSettings(options, streams.env);
  } catch (error) {
    if (!(error instanceof UnknownProfileError)) throw error;
    say(`connections: ${error.message}`);
    return 2;
  }
  const regions =
    options.regions.kind === 'listed'
      ? options.regions.regions
      : settings.region === undefined
        ? []
        : [settings.region];
  if (regions.length === 0) {
    say(
      'connections: No region configured: pass --region or --regions, or set AWS_REGION, AWS_DEFAULT_REGION or a profile region.',
    );
    return 2;
  }
  const endTime = Math.floor((dependencies.now?.() ?? new Date()).getTime() / 1000);
  const startTime = endTime - options.sinceSeconds;
  // Every call ends: the handler the rule and the audit use throws on a request past its timeout (a plain
  // NodeHttpHandler only logs a warning and goes on waiting), and the SDK's retries are bounded.
  const requestHandler = createTimedRequestHandler(
    dependencies.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: dependencies.requestTimeoutMs },
  );
  const access: AccountAccess = {
    requestHandler,
    ...(settings.profile === undefined ? {} : { profile: settings.profile }),
  };
  const records: ConnectionRecord[] = [];
  const notes: string[] = [];
  let failed = false;
  const progress =
    streams.stderr.isTTY === true
      ? (text: string) => void streams.stderr.write(`\r\u001b[K${text}`)
      : () => undefined;
  try {
    for (const region of regions) {
      try {
        await readRegion(region, {
          access,
          options,
          startTime,
          endTime,
          pacing: dependencies.pacing,
          progress,
          notes,
          records,
        });
      } catch (error) {
        failed = true;
        notes.push(`${region}: could not be read: ${errorText(error)}`);
      }
    }
  } finally {
    progress('');
    requestHandler.destroy();
  }
  const unwritten = await reportConnections(
    options,
    streams,
    { records, notes, regionCount: regions.length },
    say,
  );
  return failed || unwritten ? 2 : 0;
}
