import './quiet-environment';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { lookUpLogGroup, lookUpLogGroups } from '../../rule/log-group-directory';

const logs = mockClient(CloudWatchLogsClient);
const client = new CloudWatchLogsClient({});

beforeEach(() => logs.reset());

describe('lookUpLogGroups', () => {
  it('looks each distinct name up once and reports retention and KMS key of those found', async () => {
    // Prepare
    logs.on(DescribeLogGroupsCommand).resolves({
      logGroups: [
        {
          logGroupName: '/aws/clientvpn/corp',
          retentionInDays: 30,
          kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/4c7e2b1a-9d3f-4e8a-b6c5-0f1e2d3c4b5a',
        },
        { logGroupName: '/aws/clientvpn/lab' },
      ],
    });

    // Act
    const lookups = await lookUpLogGroups(client, [
      '/aws/clientvpn/corp',
      '/aws/clientvpn/lab',
      '/aws/clientvpn/corp',
      '/aws/clientvpn/gone',
    ]);

    // Assess
    expect(logs).toHaveReceivedCommandTimes(DescribeLogGroupsCommand, 1);
    expect(logs).toHaveReceivedCommandWith(DescribeLogGroupsCommand, {
      logGroupIdentifiers: ['/aws/clientvpn/corp', '/aws/clientvpn/lab', '/aws/clientvpn/gone'],
    });
    expect(Object.fromEntries(lookups)).toEqual({
      '/aws/clientvpn/corp': {
        status: 'found',
        logGroup: {
          name: '/aws/clientvpn/corp',
          retentionInDays: 30,
          kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/4c7e2b1a-9d3f-4e8a-b6c5-0f1e2d3c4b5a',
        },
      },
      '/aws/clientvpn/lab': { status: 'found', logGroup: { name: '/aws/clientvpn/lab' } },
      '/aws/clientvpn/gone': { status: 'missing' },
    });
  });

  it('follows nextToken within a batch', async () => {
    // Prepare
    logs
      .on(DescribeLogGroupsCommand)
      .resolves({ logGroups: [{ logGroupName: 'a' }], nextToken: 'more' })
      .on(DescribeLogGroupsCommand, { nextToken: 'more' })
      .resolves({ logGroups: [{ logGroupName: 'b' }] });

    // Act
    const lookups = await lookUpLogGroups(client, ['a', 'b']);

    // Assess
    expect(logs).toHaveReceivedCommandTimes(DescribeLogGroupsCommand, 2);
    expect(lookups.get('b')).toEqual({ status: 'found', logGroup: { name: 'b' } });
  });

  it('ignores groups it did not ask for, and never sends a name CloudWatch Logs could not hold', async () => {
    // Prepare
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: 'other' }, {}] });

    // Act
    const lookups = await lookUpLogGroups(client, ['valid', 'has space', '']);

    // Assess
    expect(logs).toHaveReceivedCommandWith(DescribeLogGroupsCommand, { logGroupIdentifiers: ['valid'] });
    expect([...lookups.values()]).toEqual([
      { status: 'missing' },
      { status: 'missing' },
      { status: 'missing' },
    ]);
    expect(lookups.has('other')).toBe(false);
  });

  it('makes no call when there is nothing to look up', async () => {
    // Act
    const lookups = await lookUpLogGroups(client, []);

    // Assess
    expect(logs).not.toHaveReceivedCommand(DescribeLogGroupsCommand);
    expect(lookups.size).toBe(0);
  });
});

describe('lookUpLogGroup', () => {
  it('reports a group CloudWatch Logs leaves out of its answer as missing', async () => {
    // Prepare
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });

    // Act / Assess
    await expect(lookUpLogGroup(client, '/aws/clientvpn/deleted')).resolves.toEqual({ status: 'missing' });
  });
});
