import {
  type CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  type LogStream,
  paginateDescribeLogStreams,
} from '@aws-sdk/client-cloudwatch-logs';
import { boundedPages } from './bounded-pages';
import type { IngestionSource } from './decision';

/**
 * The stream CloudWatch Logs creates in a group to check that a delivery subscription can write to
 * it; it proves nothing about connections, so it never counts as ingestion.
 */
export const DELIVERY_VALIDATION_STREAM = 'log_stream_created_by_aws_to_validate_log_delivery_subscriptions';

// DescribeLogStreams returns at most 50 streams a call; one full page of the most recently written.
const STREAMS_PER_PAGE = 50;

function newestIngestion(streams: readonly LogStream[], accept: (name: string) => boolean): Date | undefined {
  let newest: number | undefined;
  for (const stream of streams) {
    const at = stream.lastIngestionTime;
    if (stream.logStreamName === undefined || at === undefined || !accept(stream.logStreamName)) continue;
    if (newest === undefined || at > newest) newest = at;
  }
  return newest === undefined ? undefined : new Date(newest);
}

/**
 * When the group, or the stream the endpoint names, last ingested an event (`lastIngestionTime`),
 * with one DescribeLogStreams call in the usual case.
 *
 * For a group, the streams come newest first (`orderBy: LastEventTime`, `descending: true`) and the
 * newest ingestion of that first page counts, the validation stream left out. For a named stream, the
 * API cannot combine `orderBy: LastEventTime` with `logStreamNamePrefix`, so the name itself is the
 * prefix in name order, where the exact name comes first (CloudWatch Logs API Reference,
 * DescribeLogStreams). A group deleted since it was looked up has ingested nothing.
 *
 * @param logs - the CloudWatch Logs client of the account and region evaluated
 * @param source - the group, and the endpoint's named stream if any
 * @returns the newest ingestion time, or `undefined` when there is none
 */
export async function lastIngestionTime(
  logs: CloudWatchLogsClient,
  source: IngestionSource,
): Promise<Date | undefined> {
  const { logGroupName, logStreamName } = source;
  try {
    if (logStreamName === undefined) {
      const page = await logs.send(
        new DescribeLogStreamsCommand({
          logGroupName,
          orderBy: 'LastEventTime',
          descending: true,
          limit: STREAMS_PER_PAGE,
        }),
      );
      return newestIngestion(page.logStreams ?? [], (name) => name !== DELIVERY_VALIDATION_STREAM);
    }
    const pages = paginateDescribeLogStreams(
      { client: logs, pageSize: STREAMS_PER_PAGE },
      { logGroupName, logStreamNamePrefix: logStreamName },
    );
    for await (const page of boundedPages(pages, {
      operation: 'DescribeLogStreams',
      nextTokenOf: (p) => p.nextToken,
    })) {
      const streams = page.logStreams ?? [];
      if (streams.some((stream) => stream.logStreamName === logStreamName)) {
        return newestIngestion(streams, (name) => name === logStreamName);
      }
    }
    return undefined;
  } catch (error) {
    if ((error as { name?: unknown }).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}
