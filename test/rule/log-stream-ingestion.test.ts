import './quiet-environment';
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { DELIVERY_VALIDATION_STREAM, lastIngestionTime } from '../../rule/log-stream-ingestion';
import { LOG_GROUP_NAME, logStreamsPage } from '../../sandbox/config-rule-events';

const logs = mockClient(CloudWatchLogsClient);
const T0 = Date.parse('2026-11-20T09:00:00Z');

beforeEach(() => logs.reset());

describe('lastIngestionTime of a group', () => {
  it('asks for the streams newest first and takes the newest ingestion, the validation stream ignored', async () => {
    // Prepare
    logs.on(DescribeLogStreamsCommand).resolves(
      logStreamsPage([
        { name: DELIVERY_VALIDATION_STREAM, lastIngestionTime: T0 + 3_600_000 },
        { name: 'cvpn-endpoint-0a1b2c3d4e5f60718-us-east-1-2026/11/20-abc', lastIngestionTime: T0 },
        { name: 'cvpn-endpoint-0a1b2c3d4e5f60718-us-east-1-2026/11/19-def', lastIngestionTime: T0 - 60_000 },
      ]),
    );

    // Act
    const last = await lastIngestionTime(new CloudWatchLogsClient({}), { logGroupName: LOG_GROUP_NAME });

    // Assess
    expect(logs).toHaveReceivedCommandTimes(DescribeLogStreamsCommand, 1);
    expect(logs).toHaveReceivedCommandWith(DescribeLogStreamsCommand, {
      logGroupName: LOG_GROUP_NAME,
      orderBy: 'LastEventTime',
      descending: true,
    });
    expect(last).toEqual(new Date(T0));
  });

  it.each([
    ['no streams', logStreamsPage([])],
    ['streams without ingestion', logStreamsPage([{ name: 'empty' }])],
    [
      'only the validation stream',
      logStreamsPage([{ name: DELIVERY_VALIDATION_STREAM, lastIngestionTime: T0 }]),
    ],
  ])('gives no ingestion for %s', async (_case, page) => {
    // Prepare
    logs.on(DescribeLogStreamsCommand).resolves(page);

    // Act / Assess
    await expect(
      lastIngestionTime(new CloudWatchLogsClient({}), { logGroupName: LOG_GROUP_NAME }),
    ).resolves.toBeUndefined();
  });

  it('gives no ingestion for a group deleted since it was looked up', async () => {
    // Prepare
    logs
      .on(DescribeLogStreamsCommand)
      .rejects(
        new ResourceNotFoundException({ message: 'The specified log group does not exist.', $metadata: {} }),
      );

    // Act / Assess
    await expect(
      lastIngestionTime(new CloudWatchLogsClient({}), { logGroupName: LOG_GROUP_NAME }),
    ).resolves.toBeUndefined();
  });

  it('lets any other failure through', async () => {
    // Prepare
    logs.on(DescribeLogStreamsCommand).rejects(new Error('Rate exceeded'));

    // Act / Assess
    await expect(
      lastIngestionTime(new CloudWatchLogsClient({}), { logGroupName: LOG_GROUP_NAME }),
    ).rejects.toThrow('Rate exceeded');
  });
});

describe('lastIngestionTime of a named stream', () => {
  it('looks the name up as a prefix, without orderBy, and takes only the exact name', async () => {
    // Prepare
    logs.on(DescribeLogStreamsCommand).resolves(
      logStreamsPage([
        { name: 'connections', lastIngestionTime: T0 },
        { name: 'connections-old', lastIngestionTime: T0 + 60_000 },
      ]),
    );

    // Act
    const last = await lastIngestionTime(new CloudWatchLogsClient({}), {
      logGroupName: LOG_GROUP_NAME,
      logStreamName: 'connections',
    });

    // Assess
    const input = logs.commandCalls(DescribeLogStreamsCommand)[0]!.args[0].input;
    expect(input).toEqual({ logGroupName: LOG_GROUP_NAME, logStreamNamePrefix: 'connections', limit: 50 });
    expect(last).toEqual(new Date(T0));
  });

  it('follows pages until the name shows, and gives no ingestion when it never does', async () => {
    // Prepare
    logs
      .on(DescribeLogStreamsCommand)
      .resolvesOnce(logStreamsPage([{ name: 'connections-a', lastIngestionTime: T0 }], 'page-2'))
      .resolvesOnce(logStreamsPage([{ name: 'connections-b', lastIngestionTime: T0 }]));

    // Act
    const last = await lastIngestionTime(new CloudWatchLogsClient({}), {
      logGroupName: LOG_GROUP_NAME,
      logStreamName: 'connections',
    });

    // Assess
    expect(logs).toHaveReceivedCommandTimes(DescribeLogStreamsCommand, 2);
    expect(last).toBeUndefined();
  });
});
