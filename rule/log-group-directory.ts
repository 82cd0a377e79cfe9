import { type CloudWatchLogsClient, paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import { boundedPages } from './bounded-pages';
import { LOG_GROUP_NAME_PATTERN } from './aws-name-patterns';
import type { LogGroupLookup } from './types';

/** The most names DescribeLogGroups accepts in `logGroupIdentifiers`. */
export const LOG_GROUP_IDENTIFIERS_PER_CALL = 50;

/**
 * Looks log groups up by name in the client's account and region, each distinct name once, up to 50
 * names a DescribeLogGroups call. A name CloudWatch Logs does not return is `missing`: the API
 * leaves unknown identifiers out of its answer rather than failing.
 *
 * @param logs - the CloudWatch Logs client of the account and region evaluated
 * @param names - the log group names to look up, duplicates allowed
 * @returns every distinct name, mapped to what CloudWatch Logs said of it
 */
export async function lookUpLogGroups(
  logs: CloudWatchLogsClient,
  names: Iterable<string>,
): Promise<Map<string, LogGroupLookup>> {
  const lookups = new Map<string, LogGroupLookup>();
  const queryable: string[] = [];
  for (const name of new Set(names)) {
    lookups.set(name, { status: 'missing' });
    if (LOG_GROUP_NAME_PATTERN.test(name)) queryable.push(name);
  }
  for (let start = 0; start < queryable.length; start += LOG_GROUP_IDENTIFIERS_PER_CALL) {
    const batch = queryable.slice(start, start + LOG_GROUP_IDENTIFIERS_PER_CALL);
    const pages = paginateDescribeLogGroups({ client: logs }, { logGroupIdentifiers: batch });
    for await (const page of boundedPages(pages, {
      operation: 'DescribeLogGroups',
      nextTokenOf: (p) => p.nextToken,
    })) {
      for (const group of page.logGroups ?? []) {
        // Only exact names count: the answer is keyed by name, never by a similar one.
        if (group.logGroupName === undefined || !lookups.has(group.logGroupName)) continue;
        lookups.set(group.logGroupName, {
          status: 'found',
          logGroup: {
            name: group.logGroupName,
            ...(group.retentionInDays === undefined ? {} : { retentionInDays: group.retentionInDays }),
            ...(group.kmsKeyId ? { kmsKeyId: group.kmsKeyId } : {}),
          },
        });
      }
    }
  }
  return lookups;
}

/**
 * Looks one log group up, for a change notification about a single endpoint.
 *
 * @param logs - the CloudWatch Logs client of the account and region evaluated
 * @param name - the log group name
 * @returns what CloudWatch Logs said of it
 */
export async function lookUpLogGroup(logs: CloudWatchLogsClient, name: string): Promise<LogGroupLookup> {
  const lookups = await lookUpLogGroups(logs, [name]);
  return lookups.get(name) ?? { status: 'missing' };
}
