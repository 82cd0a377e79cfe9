import './quiet-environment';
import { CloudWatchLogsClient, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeClientVpnConnectionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_RULE_PARAMETERS } from '../../rule/parameters';
import { gatherPipelineFacts, type JudgedEndpoint } from '../../rule/pipeline-facts';
import type { RuleParameters } from '../../rule/types';
import { KEY_ARN, describeKeyAnswer, logStreamsPage } from '../../sandbox/config-rule-events';

const logs = mockClient(CloudWatchLogsClient);
const kms = mockClient(KMSClient);
const ec2 = mockClient(EC2Client);
const NOW = new Date('2026-11-20T12:00:00Z');
const clients = {
  logs: new CloudWatchLogsClient({}),
  kms: jest.fn(() => Promise.resolve(new KMSClient({}))),
  ec2: jest.fn(() => Promise.resolve(new EC2Client({}))),
};

function judged(
  n: number,
  group: string,
  options: { kmsKeyId?: string; stream?: string } = {},
): JudgedEndpoint {
  return {
    endpoint: {
      endpointId: `cvpn-endpoint-${String(n).padStart(17, '0')}`,
      status: 'available',
      connectionLog: {
        enabled: true,
        logGroupName: group,
        ...(options.stream ? { logStreamName: options.stream } : {}),
      },
    },
    logGroup: {
      status: 'found',
      logGroup: { name: group, ...(options.kmsKeyId ? { kmsKeyId: options.kmsKeyId } : {}) },
    },
  };
}

const OTHER_KEY_ARN = KEY_ARN.replace(/key\/.*$/, 'key/0b0b0b0b-0000-4000-8000-000000000002');
const withDelivery: RuleParameters = { ...DEFAULT_RULE_PARAMETERS, verifyDelivery: true };

beforeEach(() => {
  for (const mock of [logs, kms, ec2]) mock.reset();
  clients.kms.mockClear();
  clients.ec2.mockClear();
  kms.on(DescribeKeyCommand).resolves(describeKeyAnswer());
  ec2.on(DescribeClientVpnConnectionsCommand).resolves({
    Connections: [{ ConnectionEstablishedTime: '2026-11-20 10:00:00' }],
  });
  logs
    .on(DescribeLogStreamsCommand)
    .resolves(logStreamsPage([{ name: 's', lastIngestionTime: NOW.getTime() }]));
});

describe('gatherPipelineFacts', () => {
  it('reads each distinct key once across groups, and builds no EC2 client without verifyDelivery', async () => {
    // Prepare
    const endpoints = [
      judged(1, '/a', { kmsKeyId: KEY_ARN }),
      judged(2, '/b', { kmsKeyId: KEY_ARN }),
      judged(3, '/c'),
    ];

    // Act
    const facts = await gatherPipelineFacts(clients, endpoints, DEFAULT_RULE_PARAMETERS, () => NOW);

    // Assess
    expect(kms).toHaveReceivedCommandTimes(DescribeKeyCommand, 1);
    expect(clients.ec2).not.toHaveBeenCalled();
    expect(facts.map((f) => f.key?.status)).toEqual(['found', 'found', undefined]);
  });

  it('builds no KMS client when no judged group has a key', async () => {
    // Act
    await gatherPipelineFacts(clients, [judged(1, '/a')], DEFAULT_RULE_PARAMETERS, () => NOW);

    // Assess
    expect(clients.kms).not.toHaveBeenCalled();
  });

  it('lists connections once per endpoint and reads each distinct group or named stream once', async () => {
    // Prepare
    const endpoints = [
      judged(1, '/a'),
      judged(2, '/a'),
      judged(3, '/a', { stream: 'one' }),
      judged(4, '/a', { stream: 'one' }),
      judged(5, '/b', { stream: 'one' }),
    ];

    // Act
    const facts = await gatherPipelineFacts(clients, endpoints, withDelivery, () => NOW);

    // Assess
    expect(ec2).toHaveReceivedCommandTimes(DescribeClientVpnConnectionsCommand, 5);
    expect(logs).toHaveReceivedCommandTimes(DescribeLogStreamsCommand, 3);
    expect(facts[0]!.delivery).toEqual({
      connectionTimes: [new Date('2026-11-20T10:00:00Z')],
      observedAt: NOW,
      lastIngestion: NOW,
    });
    expect(facts[4]!.delivery?.streamName).toBe('one');
  });

  it('reads no streams for endpoints whose connections are all within the grace', async () => {
    // Prepare
    ec2.on(DescribeClientVpnConnectionsCommand).resolves({
      Connections: [{ ConnectionEstablishedTime: '2026-11-20 11:30:00' }],
    });

    // Act
    const facts = await gatherPipelineFacts(clients, [judged(1, '/a')], withDelivery, () => NOW);

    // Assess
    expect(logs).not.toHaveReceivedCommand(DescribeLogStreamsCommand);
    expect(facts[0]!.delivery).toEqual({
      connectionTimes: [new Date('2026-11-20T11:30:00Z')],
      observedAt: NOW,
    });
  });

  it('gathers nothing for a missing group', async () => {
    // Act
    const facts = await gatherPipelineFacts(
      clients,
      [{ endpoint: judged(1, '/a').endpoint, logGroup: { status: 'missing' } }],
      withDelivery,
      () => NOW,
    );

    // Assess
    expect(facts).toEqual([{}]);
    expect(clients.ec2).not.toHaveBeenCalled();
  });

  it.each([
    ['whose key is Disabled', { kmsKeyId: KEY_ARN }, withDelivery, 'Disabled'],
    ['whose key is pending deletion', { kmsKeyId: KEY_ARN }, withDelivery, 'PendingDeletion'],
    [
      'whose group keeps events too briefly',
      { retentionInDays: 1 },
      { ...withDelivery, minRetentionDays: 365 },
      'Enabled',
    ],
    [
      'whose group has no key though one is required',
      {},
      { ...withDelivery, requireKmsEncryption: true },
      'Enabled',
    ],
  ] as const)(
    'makes no delivery calls for an endpoint %s, already NON_COMPLIANT without them',
    async (_case, group, parameters, keyState) => {
      // Prepare
      kms.on(DescribeKeyCommand, { KeyId: KEY_ARN }).resolves(describeKeyAnswer(keyState));
      const control = judged(2, '/b', { kmsKeyId: OTHER_KEY_ARN });
      const failing = judged(1, '/a', 'kmsKeyId' in group ? { kmsKeyId: group.kmsKeyId } : {});
      const endpoint: JudgedEndpoint = {
        ...failing,
        logGroup: {
          status: 'found',
          logGroup: { name: '/a', ...group },
        },
      };

      // Act
      const facts = await gatherPipelineFacts(clients, [endpoint, control], parameters, () => NOW);

      // Assess
      expect(ec2).toHaveReceivedCommandTimes(DescribeClientVpnConnectionsCommand, 1);
      expect(ec2).toHaveReceivedCommandWith(DescribeClientVpnConnectionsCommand, {
        ClientVpnEndpointId: control.endpoint.endpointId,
      });
      expect(facts[0]!.delivery).toBeUndefined();
      expect(facts[1]!.delivery).toBeDefined();
    },
  );
});
