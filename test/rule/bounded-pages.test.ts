import './quiet-environment';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient, GetComplianceDetailsByConfigRuleCommand } from '@aws-sdk/client-config-service';
import {
  DescribeClientVpnConnectionsCommand,
  DescribeClientVpnEndpointsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';

import { boundedPages, PageLimitExceededError, RepeatedPageTokenError } from '../../rule/bounded-pages';
import { listConnectionTimes } from '../../rule/client-vpn-connections';
import { listEvaluatedEndpointIds } from '../../rule/evaluated-endpoints';
import { lookUpLogGroups } from '../../rule/log-group-directory';
import { lastIngestionTime } from '../../rule/log-stream-ingestion';
import { listClientVpnEndpoints } from '../../rule/sweep';

const ec2 = mockClient(EC2Client);
const logs = mockClient(CloudWatchLogsClient);
const config = mockClient(ConfigServiceClient);

beforeEach(() => {
  ec2.reset();
  logs.reset();
  config.reset();
});

async function* pagesOf(tokens: readonly (string | undefined)[]): AsyncGenerator<{ NextToken?: string }> {
  for (const token of tokens) yield token === undefined ? {} : { NextToken: token };
}

async function collect(pages: AsyncIterable<unknown>): Promise<number> {
  const seen: unknown[] = [];
  for await (const page of pages) seen.push(page);
  return seen.length;
}

describe('boundedPages', () => {
  it('hands on every page of a listing whose tokens end', async () => {
    const pages = boundedPages(pagesOf(['a', 'b', undefined]), {
      operation: 'ListThings',
      nextTokenOf: (p) => p.NextToken,
    });

    await expect(collect(pages)).resolves.toBe(3);
  });

  it.each([
    ['repeats at once', ['a', 'a', 'b'], 2],
    ['comes back after another', ['a', 'b', 'a'], 3],
  ])('throws RepeatedPageTokenError, naming the operation, when a token %s', async (_case, tokens, page) => {
    const pages = boundedPages(pagesOf(tokens), { operation: 'ListThings', nextTokenOf: (p) => p.NextToken });

    const error = await collect(pages).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RepeatedPageTokenError);
    expect(error).toMatchObject({ operation: 'ListThings', page });
    expect((error as Error).message).toMatch(
      /^ListThings answered page \d with a page token it had already given/,
    );
  });

  it('throws PageLimitExceededError when a listing needs more pages than its bound', async () => {
    const pages = boundedPages(pagesOf(['a', 'b', 'c', undefined]), {
      operation: 'ListThings',
      nextTokenOf: (p) => p.NextToken,
      maxPages: 2,
    });

    await expect(collect(pages)).rejects.toBeInstanceOf(PageLimitExceededError);
  });
});

describe("the rule's paginated look-ups", () => {
  it.each([
    [
      'DescribeClientVpnEndpoints',
      () => ec2.on(DescribeClientVpnEndpointsCommand).resolves({ ClientVpnEndpoints: [], NextToken: 'same' }),
      () => listClientVpnEndpoints(new EC2Client({})),
    ],
    [
      'DescribeClientVpnConnections',
      () => ec2.on(DescribeClientVpnConnectionsCommand).resolves({ Connections: [], NextToken: 'same' }),
      () => listConnectionTimes(new EC2Client({}), 'cvpn-endpoint-0123456789abcdef0'),
    ],
    [
      'DescribeLogGroups',
      () => logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [], nextToken: 'same' }),
      () => lookUpLogGroups(new CloudWatchLogsClient({}), ['/aws/clientvpn/corp']),
    ],
    [
      'DescribeLogStreams',
      () => logs.on(DescribeLogStreamsCommand).resolves({ logStreams: [], nextToken: 'same' }),
      () =>
        lastIngestionTime(new CloudWatchLogsClient({}), {
          logGroupName: '/aws/clientvpn/corp',
          logStreamName: 'corp',
        }),
    ],
    [
      'GetComplianceDetailsByConfigRule',
      () =>
        config
          .on(GetComplianceDetailsByConfigRuleCommand)
          .resolves({ EvaluationResults: [], NextToken: 'same' }),
      () => listEvaluatedEndpointIds(new ConfigServiceClient({}), 'client-vpn-connection-logging'),
    ],
  ])(
    'stop %s with RepeatedPageTokenError when the service repeats a page token',
    async (operation, prepare, act) => {
      // Prepare
      prepare();

      // Act
      const error = await act().catch((e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(RepeatedPageTokenError);
      expect(error).toMatchObject({ operation, page: 2 });
    },
  );
});
