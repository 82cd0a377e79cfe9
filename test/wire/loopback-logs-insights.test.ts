import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';

import { logEntry, logEvent } from '../insights/connection-log-fixtures';
import { startLoopbackServer, type LoopbackServer } from '../../sandbox/aws-loopback-server';
import { useLoopbackEnvironment } from '../../sandbox/loopback-environment';
import { loopbackWorld, worldRegion } from '../../sandbox/loopback-world';

// The loopback Logs Insights answers the real SDK as the CloudWatch Logs API documents StartQuery and
// GetQueryResults: its refusals, its Running-then-Complete polling and its 10,000-row cap.
const REGION = 'eu-west-1';

describe('the loopback server\u2019s Logs Insights', () => {
  let server: LoopbackServer;
  let restore: () => void;
  let logs: CloudWatchLogsClient;
  beforeAll(async () => {
    const events = Array.from({ length: 10_050 }, (_, i) =>
      logEvent(
        logEntry('failed-with-reason'),
        new Date(Date.parse('2026-11-20T00:00:00Z') + i * 1000).toISOString(),
      ),
    );
    server = await startLoopbackServer({
      world: loopbackWorld({ [REGION]: worldRegion({ logGroups: [{ name: '/aws/clientvpn', events }] }) }),
    });
    restore = useLoopbackEnvironment(server.url, REGION);
    logs = new CloudWatchLogsClient({ region: REGION, maxAttempts: 1 });
  });
  afterAll(async () => {
    logs.destroy();
    restore();
    await server.close();
  });

  const range = {
    startTime: Date.parse('2026-11-19T00:00:00Z') / 1000,
    endTime: Date.parse('2026-11-21T00:00:00Z') / 1000,
  };

  it('answers Running, then Complete with at most 10,000 rows, oldest first', async () => {
    const { queryId } = await logs.send(
      new StartQueryCommand({
        logGroupNames: ['/aws/clientvpn'],
        ...range,
        queryString: 'fields @timestamp | sort @timestamp asc | limit 10000',
      }),
    );
    const first = await logs.send(new GetQueryResultsCommand({ queryId }));
    const second = await logs.send(new GetQueryResultsCommand({ queryId }));
    expect(first.status).toBe('Running');
    expect(second.status).toBe('Complete');
    expect(second.results).toHaveLength(10_000);
    expect(second.results?.[0]).toEqual(
      expect.arrayContaining([{ field: '@timestamp', value: '2026-11-20 00:00:00.000' }]),
    );
  });

  it.each([
    [
      '51 log groups',
      { logGroupNames: Array.from({ length: 51 }, (_, i) => `/g/${i}`), queryString: 'fields @timestamp' },
      'InvalidParameterException',
    ],
    [
      'a limit over 10,000',
      { logGroupNames: ['/aws/clientvpn'], queryString: 'fields @timestamp', limit: 10_001 },
      'ValidationException',
    ],
    [
      'a group that does not exist',
      { logGroupNames: ['/aws/gone'], queryString: 'fields @timestamp' },
      'ResourceNotFoundException',
    ],
    [
      'a command it does not speak',
      { logGroupNames: ['/aws/clientvpn'], queryString: 'fields @timestamp | dedup @log' },
      'MalformedQueryException',
    ],
  ])('refuses %s with %s', async (_name, input, code) => {
    await expect(logs.send(new StartQueryCommand({ ...range, ...input }))).rejects.toMatchObject({
      name: code,
    });
  });
});
