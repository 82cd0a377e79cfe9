/**
 * Whether a changed resource is part of a connection log pipeline in use in this account and region:
 * an endpoint, the log group an endpoint logs to, or that group's KMS key. Read with the fewest calls:
 * one `DescribeClientVpnEndpoints` (one page holds up to 1,000 endpoints), then, for a key only, one
 * `DescribeLogGroups` per 50 named groups, and, for an alias only, one `DescribeKey`.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { paginateDescribeClientVpnEndpoints } from '@aws-sdk/client-ec2';
import type { KMSClient } from '@aws-sdk/client-kms';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { keyIdOf, type ChangedResource } from './changed-resource';
import { boundedPages } from './bounded-pages';

/** The clients the look-up reads with, all of the function's own account and region. */
export interface PipelineLookupClients {
  /** Lists the endpoints. */
  readonly ec2: EC2Client;
  /** Reads the keys of the endpoints' log groups. */
  readonly logs: CloudWatchLogsClient;
  /** Resolves an alias to its key. */
  readonly kms: KMSClient;
}

/** The answer: whether the change touches a pipeline in use, and why. */
export interface PipelineUse {
  /** `true` when an endpoint of this account and region uses the changed resource. */
  readonly inUse: boolean;
  /** What was found, for the log. */
  readonly reason: string;
}

// The most DescribeClientVpnEndpoints returns in one page (EC2 API Reference: MaxResults 5 to 1000).
const ENDPOINTS_PER_PAGE = 1000;
// The most log groups DescribeLogGroups takes in logGroupIdentifiers (CloudWatch Logs API Reference).
const GROUPS_PER_CALL = 50;

/**
 * The log groups the endpoints of the account and region log to. An endpoint whose logging is
 * explicitly off uses no group; a deleted endpoint is none of this region's pipelines.
 */
async function endpointLogGroups(ec2: EC2Client): Promise<Set<string>> {
  const groups = new Set<string>();
  const pages = paginateDescribeClientVpnEndpoints({ client: ec2, pageSize: ENDPOINTS_PER_PAGE }, {});
  for await (const page of boundedPages(pages, {
    operation: 'DescribeClientVpnEndpoints',
    nextTokenOf: (p) => p.NextToken,
  })) {
    for (const endpoint of page.ClientVpnEndpoints ?? []) {
      const options = endpoint.ConnectionLogOptions;
      if (endpoint.Status?.Code === 'deleted' || options?.Enabled === false) continue;
      if (options?.CloudwatchLogGroup) groups.add(options.CloudwatchLogGroup);
    }
  }
  return groups;
}

/** The keys (as `kmsKeyId`, a key ARN) of the named log groups that exist, by group name. */
async function groupKeys(logs: CloudWatchLogsClient, names: readonly string[]): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (let start = 0; start < names.length; start += GROUPS_PER_CALL) {
    const logGroupIdentifiers = names.slice(start, start + GROUPS_PER_CALL);
    const pages = paginateDescribeLogGroups({ client: logs }, { logGroupIdentifiers });
    for await (const page of boundedPages(pages, {
      operation: 'DescribeLogGroups',
      nextTokenOf: (p) => p.nextToken,
    })) {
      for (const group of page.logGroups ?? []) {
        if (group.logGroupName && group.kmsKeyId) keys.set(group.logGroupName, group.kmsKeyId);
      }
    }
  }
  return keys;
}

/**
 * The key ID an alias points to now (DescribeKey accepts an alias name or alias ARN), `undefined` when
 * the answer names none.
 */
async function aliasTarget(kms: KMSClient, alias: string): Promise<string | undefined> {
  return (await kms.send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata?.KeyId || undefined;
}

/**
 * Finds out whether an endpoint of the account and region uses the changed resource. Throws when a
 * look-up fails (the trigger then evaluates anyway).
 *
 * @param resource - what the event changed, never `unknown`
 * @param clients - the look-up clients
 * @returns whether the resource is in use, and why
 */
export async function pipelineUse(
  resource: Exclude<ChangedResource, { kind: 'unknown' }>,
  clients: PipelineLookupClients,
): Promise<PipelineUse> {
  if (resource.kind === 'none') return { inUse: false, reason: resource.reason };
  if (resource.kind === 'endpoint')
    return { inUse: true, reason: 'a Client VPN endpoint of this account and region changed' };
  const groups = await endpointLogGroups(clients.ec2);
  if (resource.kind === 'log-group') {
    return groups.has(resource.logGroupName)
      ? { inUse: true, reason: `an endpoint logs to ${resource.logGroupName}` }
      : { inUse: false, reason: `no endpoint logs to ${resource.logGroupName}` };
  }
  const keys = await groupKeys(clients.logs, [...groups]);
  if (keys.size === 0)
    return { inUse: false, reason: 'no log group an endpoint logs to is encrypted with a key' };
  const keyId = resource.kind === 'key' ? resource.keyId : await aliasTarget(clients.kms, resource.alias);
  if (keyId === undefined) return { inUse: true, reason: 'DescribeKey named no key for the alias' };
  for (const [group, key] of keys) {
    // A group's key that is not a key ARN cannot be compared: counted as in use, so evaluated.
    const groupKeyId = keyIdOf(key);
    if (groupKeyId === undefined || groupKeyId === keyId)
      return { inUse: true, reason: `the log group ${group} is encrypted with ${key}` };
  }
  return { inUse: false, reason: `no log group an endpoint logs to is encrypted with the key ${keyId}` };
}
