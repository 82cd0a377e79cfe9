/**
 * Where the report reads: the log groups named by the endpoints' own `ConnectionLogOptions`, or those
 * given with `--log-group`, each looked up for existence and retention. What cannot be read is named
 * in a note, never skipped silently: an endpoint with logging off, a group that does not exist, a
 * time range that reaches past the group's retention.
 */
import { DescribeLogGroupsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeClientVpnEndpointsCommand, type EC2Client } from '@aws-sdk/client-ec2';

import { MAX_GROUPS_PER_QUERY } from './connection-query';

/** A log group the report will query. */
export interface ConnectionLogGroup {
  /** The group's name. */
  readonly name: string;
  /** The endpoints that log to it (empty for a group given with `--log-group` alone). */
  readonly endpointIds: readonly string[];
}

/** The groups of one region, and what was noticed on the way. */
export interface ConnectionLogSources {
  /** The groups that exist, to query. */
  readonly groups: ConnectionLogGroup[];
  /** Endpoints with logging off, missing groups, retention shorter than the range. */
  readonly notes: string[];
}

/** Where to look, from `--log-group` and `--endpoint`. */
export interface SourceSelection {
  /** `--log-group`: query these groups. */
  readonly logGroups: readonly string[];
  /** `--endpoint`: only these endpoints' groups. */
  readonly endpointIds: readonly string[];
}

// DescribeClientVpnEndpoints returns 5 to 1000 results a page; pages end when NextToken does, or here.
const MAX_ENDPOINT_PAGES = 100;
const DAY_SECONDS = 86_400;

/**
 * Finds the region's connection log groups.
 *
 * @param clients - EC2 and CloudWatch Logs clients of the region
 * @param region - the region, for the notes
 * @param selection - `--log-group` and `--endpoint`
 * @param since - the start of the time range, epoch seconds
 * @param now - the end of the time range, epoch seconds
 */
export async function connectionLogSources(
  clients: { readonly ec2: EC2Client; readonly logs: CloudWatchLogsClient },
  region: string,
  selection: SourceSelection,
  since: number,
  now: number,
): Promise<ConnectionLogSources> {
  const notes: string[] = [];
  const byGroup = new Map<string, string[]>(selection.logGroups.map((name) => [name, []]));
  if (selection.logGroups.length === 0 || selection.endpointIds.length > 0) {
    for (const endpoint of await describeEndpoints(clients.ec2, selection.endpointIds)) {
      const id = endpoint.ClientVpnEndpointId ?? '(unnamed endpoint)';
      const options = endpoint.ConnectionLogOptions;
      if (options?.Enabled !== true || options.CloudwatchLogGroup === undefined) {
        notes.push(
          `${region} ${id}: connection logging is ${options?.Enabled === true ? 'on but names no log group' : 'off'}; it has no connection log to report.`,
        );
        continue;
      }
      byGroup.set(options.CloudwatchLogGroup, [...(byGroup.get(options.CloudwatchLogGroup) ?? []), id]);
    }
  }
  const names = [...byGroup.keys()];
  const found = new Map<string, number | undefined>();
  for (let i = 0; i < names.length; i += MAX_GROUPS_PER_QUERY) {
    for (const group of await describeGroups(clients.logs, names.slice(i, i + MAX_GROUPS_PER_QUERY)))
      found.set(group.name, group.retentionInDays);
  }
  const groups: ConnectionLogGroup[] = [];
  for (const name of names) {
    const endpoints = byGroup.get(name) ?? [];
    const of = endpoints.length > 0 ? ` (logging of ${endpoints.join(', ')})` : '';
    if (!found.has(name)) {
      notes.push(`${region} log group ${name}${of} does not exist; nothing of it can be reported.`);
      continue;
    }
    const retention = found.get(name);
    if (retention !== undefined && since < now - retention * DAY_SECONDS) {
      const kept = new Date((now - retention * DAY_SECONDS) * 1000).toISOString();
      notes.push(
        `${region} log group ${name} keeps events ${retention} ${retention === 1 ? 'day' : 'days'}: the time range starts before its retention, so entries before ${kept} are gone.`,
      );
    }
    groups.push({ name, endpointIds: endpoints });
  }
  return { groups, notes };
}

async function describeEndpoints(ec2: EC2Client, endpointIds: readonly string[]) {
  const endpoints = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_ENDPOINT_PAGES; page++) {
    const out = await ec2.send(
      new DescribeClientVpnEndpointsCommand({
        ...(endpointIds.length > 0 ? { ClientVpnEndpointIds: [...endpointIds] } : { MaxResults: 1000 }),
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      }),
    );
    endpoints.push(...(out.ClientVpnEndpoints ?? []));
    nextToken = out.NextToken;
    if (nextToken === undefined) return endpoints;
  }
  throw new Error(`DescribeClientVpnEndpoints still had pages after ${MAX_ENDPOINT_PAGES}`);
}

async function describeGroups(
  logs: CloudWatchLogsClient,
  names: readonly string[],
): Promise<{ name: string; retentionInDays?: number }[]> {
  const groups: { name: string; retentionInDays?: number }[] = [];
  let nextToken: string | undefined;
  // At most 50 identifiers, answered in pages of up to 50: one page, or a few.
  for (let page = 0; page < MAX_ENDPOINT_PAGES; page++) {
    const out = await logs.send(
      new DescribeLogGroupsCommand({
        logGroupIdentifiers: [...names],
        ...(nextToken === undefined ? {} : { nextToken }),
      }),
    );
    for (const g of out.logGroups ?? []) {
      if (g.logGroupName !== undefined)
        groups.push({
          name: g.logGroupName,
          ...(g.retentionInDays === undefined ? {} : { retentionInDays: g.retentionInDays }),
        });
    }
    nextToken = out.nextToken;
    if (nextToken === undefined) return groups;
  }
  throw new Error(`DescribeLogGroups still had pages after ${MAX_ENDPOINT_PAGES}`);
}
