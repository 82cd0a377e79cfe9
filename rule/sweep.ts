import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ClientVpnEndpoint, EC2Client } from '@aws-sdk/client-ec2';
import type { KMSClient } from '@aws-sdk/client-kms';
import { boundedPages } from './bounded-pages';
import { readConnectionLogOptions } from './connection-log-options';
import { decideCompliance, logGroupToLookUp } from './decision';
import { lookUpLogGroups } from './log-group-directory';
import { gatherPipelineFacts } from './pipeline-facts';
import type { EndpointFacts, EndpointVerdict, LogGroupLookup, RuleParameters } from './types';
import { loadEc2Module } from './lazy-sdk-modules';

/** The clients a sweep needs, both for the account and region evaluated. */
export interface SweepClients {
  /** Lists the Client VPN endpoints. */
  readonly ec2: EC2Client;
  /** Looks their log groups and log streams up. */
  readonly logs: CloudWatchLogsClient;
  /** Reads the groups' KMS keys; called only when a key needs reading. */
  readonly kms: () => Promise<KMSClient>;
}

// DescribeClientVpnEndpoints accepts 5 to 1000 results a page.
const ENDPOINTS_PER_PAGE = 1000;

const NOT_CHECKED: LogGroupLookup = { status: 'not-checked' };

/**
 * Lists every Client VPN endpoint of the client's account and region, following every page.
 *
 * @param ec2 - the EC2 client of the account and region evaluated
 * @returns each endpoint's ID, status and connection-log settings
 */
export async function listClientVpnEndpoints(ec2: EC2Client): Promise<EndpointFacts[]> {
  // Loaded here, not at the top, so a change notification never pays for the EC2 client's cold start.
  const { paginateDescribeClientVpnEndpoints } = await loadEc2Module();
  // Each page is cut down to the few facts the decision reads before the next is fetched: a sweep of
  // 10,000 endpoints must fit a 128 MB Lambda, and the SDK's full endpoint objects are ~6x larger.
  const endpoints: EndpointFacts[] = [];
  const pages = paginateDescribeClientVpnEndpoints({ client: ec2, pageSize: ENDPOINTS_PER_PAGE }, {});
  for await (const page of boundedPages(pages, {
    operation: 'DescribeClientVpnEndpoints',
    nextTokenOf: (p) => p.NextToken,
  })) {
    for (const endpoint of page.ClientVpnEndpoints ?? []) {
      if (endpoint.ClientVpnEndpointId) endpoints.push(endpointFacts(endpoint, endpoint.ClientVpnEndpointId));
    }
  }
  return endpoints;
}

function endpointFacts(endpoint: ClientVpnEndpoint, endpointId: string): EndpointFacts {
  return {
    endpointId,
    ...(endpoint.Status?.Code ? { status: endpoint.Status.Code } : {}),
    connectionLog: readConnectionLogOptions(endpoint),
  };
}

/**
 * A verdict with the facts it was reached from, so the audit can report the endpoint's log group,
 * retention and key beside the verdict without looking anything up twice.
 */
export interface SweptEndpointVerdict extends EndpointVerdict {
  /** The log group the endpoint names in its connection-log options, when it names one. */
  readonly logGroupName?: string;
  /** What CloudWatch Logs said of that group; `not-checked` when it was not looked up. */
  readonly logGroupLookup: LogGroupLookup;
}

/**
 * Judges every Client VPN endpoint of one account and region: the scheduled sweep of the Lambda and
 * the local audit command share it. Each distinct log group is looked up once, 50 names a call; each
 * distinct key once; connections and streams as `gatherPipelineFacts` reads them.
 *
 * @param clients - EC2, CloudWatch Logs and KMS clients of the account and region evaluated
 * @param parameters - the rule's parsed parameters
 * @returns one verdict per endpoint, in the order EC2 listed them
 */
export async function evaluateEndpointsInRegion(
  clients: SweepClients,
  parameters: RuleParameters,
): Promise<SweptEndpointVerdict[]> {
  const endpoints = await listClientVpnEndpoints(clients.ec2);
  const names = endpoints.map((endpoint) => logGroupToLookUp(endpoint, parameters));
  const lookups = await lookUpLogGroups(
    clients.logs,
    names.filter((name): name is string => name !== undefined),
  );
  const judged = endpoints.map((endpoint, index) => {
    const name = names[index];
    return { endpoint, logGroup: (name !== undefined && lookups.get(name)) || NOT_CHECKED };
  });
  const pipeline = await gatherPipelineFacts(
    { logs: clients.logs, kms: clients.kms, ec2: () => Promise.resolve(clients.ec2) },
    judged,
    parameters,
  );
  return judged.map(({ endpoint, logGroup }, index) => {
    const logGroupName = endpoint.connectionLog.logGroupName;
    return {
      endpointId: endpoint.endpointId,
      ...decideCompliance(endpoint, logGroup, parameters, pipeline[index]),
      ...(logGroupName === undefined ? {} : { logGroupName }),
      logGroupLookup: logGroup,
    };
  });
}
