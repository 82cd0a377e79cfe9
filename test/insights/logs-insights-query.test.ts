import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

import { queryTimeRange, QueryFailedError, RowLimitError } from '../../insights/logs-insights-query';

// A CloudWatch Logs client that answers StartQuery and GetQueryResults from a script, to drive the edges
// the loopback server reaches only slowly: a full page in one second, a query that fails.
function scriptedLogs(status: string, rows: Record<string, string>[]): CloudWatchLogsClient {
  return {
    send: (command: { constructor: { name: string } }) =>
      Promise.resolve(
        command.constructor.name === 'StartQueryCommand'
          ? { queryId: 'q-1' }
          : {
              status,
              results: rows.map((r) => Object.entries(r).map(([field, value]) => ({ field, value }))),
            },
      ),
  } as unknown as CloudWatchLogsClient;
}

const pacing = { firstPollMs: 0, maxPollMs: 0, sleep: () => Promise.resolve() };

describe('queryTimeRange', () => {
  it('refuses with RowLimitError when 10,000 rows share the range\u2019s first second: no split can help', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({
      '@timestamp': '2026-11-20 00:00:00.000',
      '@ptr': `p${i}`,
    }));
    const run = queryTimeRange(
      scriptedLogs('Complete', rows),
      ['/aws/clientvpn'],
      {
        startTime: Date.parse('2026-11-20T00:00:00Z') / 1000,
        endTime: Date.parse('2026-11-21T00:00:00Z') / 1000,
      },
      'q',
      pacing,
    );
    await expect(run).rejects.toThrow(RowLimitError);
  });

  it.each(['Failed', 'Cancelled', 'Timeout', 'Unknown'])(
    'fails with QueryFailedError when the query ends %s',
    async (status) => {
      const run = queryTimeRange(
        scriptedLogs(status, []),
        ['/aws/clientvpn'],
        { startTime: 0, endTime: 1 },
        'q',
        pacing,
      );
      await expect(run).rejects.toThrow(new RegExp(`ended ${status}`));
      await expect(run).rejects.toBeInstanceOf(QueryFailedError);
    },
  );

  it.each([0, 51])('refuses %i log groups: a query takes 1 to 50', async (count) => {
    const groups = Array.from({ length: count }, (_, i) => `/g/${i}`);
    await expect(
      queryTimeRange(scriptedLogs('Complete', []), groups, { startTime: 0, endTime: 1 }, 'q', pacing),
    ).rejects.toThrow('1 to 50');
  });
});
