import { Writable } from 'node:stream';

import { parse } from 'csv-parse/sync';

import { runClientVpnLogging } from '../../cli/client-vpn-logging';
import { connectionsCommand } from '../../cli/connections-command';
import type { CommandStreams } from '../../cli/command-streams';
import { startLoopbackServer, type LoopbackServer } from '../../sandbox/aws-loopback-server';
import { loopbackEnvironment, useLoopbackEnvironment } from '../../sandbox/loopback-environment';
import { endpointIdOf, loopbackWorld, worldRegion, type WorldLogEvent } from '../../sandbox/loopback-world';
import { logEntry, logEvent } from './connection-log-fixtures';

// The report through the real SDK clients against the loopback AWS, which answers StartQuery and
// GetQueryResults as the CloudWatch Logs API documents them (10,000 rows at most a result).
const REGION = 'eu-west-1';
const NOW = new Date('2026-11-21T00:00:00Z');

function capture(env: Record<string, string>): {
  streams: CommandStreams;
  out: () => string;
  err: () => string;
  code: () => number | undefined;
} {
  let out = '';
  let err = '';
  let code: number | undefined;
  const sink = (add: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        add(chunk.toString());
        done();
      },
    });
  return {
    streams: {
      stdout: sink((t) => (out += t)),
      stderr: sink((t) => (err += t)),
      stdin: process.stdin,
      env,
      exit: (c) => void (code = c),
    },
    out: () => out,
    err: () => err,
    code: () => code,
  };
}

const MAIN_EVENTS: WorldLogEvent[] = [
  logEvent(logEntry('successful'), '2026-11-20T09:41:08Z'),
  logEvent(logEntry('terminated'), '2026-11-20T12:03:52Z'),
  logEvent(logEntry('failed-with-reason'), '2026-11-20T10:14:11Z'),
  logEvent(
    logEntry('failed-with-reason', {
      'connection-id': 'cvpn-connection-0a39f1b3b7082abbc',
      'connection-attempt-failure-reason': 'client-connect-failed',
    }),
    '2026-11-20T10:15:11Z',
  ),
  logEvent(logEntry('reset'), '2026-11-20T11:27:44Z'),
  // joe again, from three more addresses: four device IPs in all.
  ...['198.51.100.90', '198.51.100.91', '198.51.100.92'].map((ip, i) =>
    logEvent(
      logEntry('successful', { 'connection-id': `cvpn-connection-00000000000000${i}aa`, 'device-ip': ip }),
      `2026-11-19T0${i}:00:00Z`,
    ),
  ),
];

// 12,500 failed attempts, one a second: more than one query's 10,000 rows.
const BUSY_EVENTS: WorldLogEvent[] = Array.from({ length: 12_500 }, (_, i) =>
  logEvent(
    logEntry('failed-with-reason', {
      'connection-id': `cvpn-connection-${i.toString(16).padStart(17, '0')}`,
      'device-ip': '203.0.113.9',
    }),
    new Date(Date.parse('2026-11-18T00:00:00Z') + i * 1000).toISOString(),
  ),
);

function world() {
  return loopbackWorld({
    [REGION]: worldRegion({
      endpoints: [
        { endpointId: endpointIdOf(1), status: 'available', enabled: true, logGroup: '/aws/clientvpn' },
        { endpointId: endpointIdOf(2), status: 'available', enabled: false },
        { endpointId: endpointIdOf(3), status: 'available', enabled: true, logGroup: '/aws/clientvpn/quiet' },
        { endpointId: endpointIdOf(4), status: 'available', enabled: true, logGroup: '/aws/clientvpn/short' },
      ],
      logGroups: [
        { name: '/aws/clientvpn', retentionInDays: 365, events: MAIN_EVENTS },
        { name: '/aws/clientvpn/quiet', retentionInDays: 365 },
        {
          name: '/aws/clientvpn/short',
          retentionInDays: 30,
          events: [logEvent(logEntry('reset', { username: 'bea' }), '2026-11-20T08:00:00Z')],
        },
        { name: '/aws/clientvpn/busy', retentionInDays: 365, events: BUSY_EVENTS },
      ],
    }),
  });
}

describe('client-vpn-logging connections (against the loopback AWS)', () => {
  let server: LoopbackServer;
  let env: Record<string, string>;
  let restore: () => void;
  beforeAll(async () => {
    server = await startLoopbackServer({ world: world(), insightsRunningPolls: 2 });
    env = loopbackEnvironment(server.url, REGION);
    // The SDK reads credentials and the endpoint from process.env.
    restore = useLoopbackEnvironment(server.url, REGION);
  });
  afterAll(async () => {
    restore();
    await server.close();
  });
  beforeEach(() => server.resetCalls());

  async function connections(args: string[], pacing = {}) {
    const run = capture(env);
    await connectionsCommand(run.streams, {
      now: () => NOW,
      pacing: { firstPollMs: 1, maxPollMs: 2, ...pacing },
    }).parseAsync(args, {
      from: 'user',
    });
    return run;
  }

  it('reports each connection once, from the log groups the endpoints name, and exits 0', async () => {
    // Act
    const run = await connections(['--since', '90d', '--output', 'json']);
    // Assess
    expect(run.code()).toBe(0);
    const report = JSON.parse(run.out()) as {
      connections: Record<string, unknown>[];
      summary: Record<string, unknown>;
    };
    const joe = report.connections.find((c) => c.connectionId === 'cvpn-connection-abc123abc123abc12');
    expect(joe).toEqual(
      expect.objectContaining({
        user: 'joe',
        deviceIp: '198.51.100.82',
        outcome: 'connected',
        start: '2026-11-20 09:41:07',
        end: '2026-11-20 12:03:51',
        ingressBytes: 734512,
        egressBytes: 2918344,
        logGroup: '/aws/clientvpn',
      }),
    );
    expect(report.summary).toEqual(
      expect.objectContaining({
        connections: 6,
        distinctUsers: 4,
        failedAttempts: 2,
        failedAttemptsByReason: { 'authorization-policy-deny': 1, 'client-connect-failed': 1 },
        usersWithManyDeviceIps: { joe: ['198.51.100.82', '198.51.100.90', '198.51.100.91', '198.51.100.92'] },
      }),
    );
    // Polled until Complete: two Running answers, then the result.
    expect(server.callsOf('GetQueryResults')).toHaveLength(3);
  });

  it.each([
    [`${endpointIdOf(2)}: connection logging is off`],
    ['/aws/clientvpn/quiet: no connection log entries in the time range'],
    ['/aws/clientvpn/short keeps events 30 days: the time range starts before its retention'],
    ['Failed mutual-authentication (certificate) attempts are not logged'],
  ])('names what it could not read, never skipping it silently: %s', async (expected) => {
    const run = await connections(['--since', '90d']);
    expect(run.code()).toBe(0);
    expect(run.err()).toContain(expected);
  });

  it('splits the time range when a query returns the 10,000-row limit, and says so', async () => {
    // Act
    const run = await connections([
      '--log-group',
      '/aws/clientvpn/busy',
      '--since',
      '7d',
      '--output',
      'json',
    ]);
    // Assess
    expect(run.code()).toBe(0);
    const report = JSON.parse(run.out()) as { summary: { failedAttempts: number } };
    expect(report.summary.failedAttempts).toBe(12_500);
    expect(server.callsOf('StartQuery')).toHaveLength(2);
    expect(run.err()).toMatch(
      /hit the 10,000-row limit of Logs Insights, so the time range was split at 2026-11-18T02:46:39\.000Z \(2 queries\)/,
    );
    // The groups came from --log-group: no endpoint was looked up.
    expect(server.callsOf('DescribeClientVpnEndpoints')).toHaveLength(0);
  });

  it('keeps only one user with --user, and only failed attempts with --failed, in the query it sends', async () => {
    const joe = await connections(['--user', 'joe', '--output', 'csv']);
    const rows = parse(joe.out(), { columns: true }) as Record<string, string>[];
    expect(new Set(rows.map((r) => r.user))).toEqual(new Set(['joe']));
    expect(String(server.callsOf('StartQuery')[0]?.params.queryString)).toContain(
      '(username = "joe" or `common-name` = "joe")',
    );

    const failed = await connections(['--failed', '--output', 'csv']);
    const failedRows = parse(failed.out(), { columns: true }) as Record<string, string>[];
    expect(failedRows.map((r) => [r.user, r.outcome, r.failureReason])).toEqual([
      ['mallory', 'failed', 'authorization-policy-deny'],
      ['mallory', 'failed', 'client-connect-failed'],
    ]);
  });

  it('fails closed with exit 2 when a query does not complete in time, after stopping it', async () => {
    const run = await connections(['--endpoint', endpointIdOf(1)], { queryTimeoutMs: 0 });
    expect(run.code()).toBe(2);
    expect(run.err()).toMatch(/did not complete within 0 minute\(s\); it was stopped/);
    expect(server.callsOf('StopQuery')).toHaveLength(1);
  });

  it('names a --log-group that does not exist and still exits 0', async () => {
    const run = await connections(['--log-group', '/aws/clientvpn/gone']);
    expect(run.code()).toBe(0);
    expect(run.err()).toContain('log group /aws/clientvpn/gone does not exist');
    expect(server.callsOf('StartQuery')).toHaveLength(0);
  });

  it.each([
    [['--since', '90x'], '--since'],
    [['--user', 'a"b'], '--user'],
    [['--endpoint', 'vpn-1'], '--endpoint'],
    [['--device-ip-threshold', '0'], '--device-ip-threshold'],
    [['--region', 'mars'], '--region'],
  ])('refuses %j with exit 2, naming %s, before any AWS call', async (args, option) => {
    const run = await connections(args);
    expect(run.code()).toBe(2);
    expect(run.err()).toContain(option);
    expect(server.calls).toHaveLength(0);
  });

  it('shows progress on stderr only when it is a terminal', async () => {
    const plain = await connections(['--endpoint', endpointIdOf(1)]);
    expect(plain.err()).not.toContain('querying');
    const terminal = capture(env);
    Object.assign(terminal.streams.stderr, { isTTY: true });
    await connectionsCommand(terminal.streams, {
      now: () => NOW,
      pacing: { firstPollMs: 1, maxPollMs: 2 },
    }).parseAsync(['--endpoint', endpointIdOf(1)], { from: 'user' });
    expect(terminal.err()).toContain(
      'connections: querying 1 log group(s) in eu-west-1 from 2026-11-14T00:00:00.000Z',
    );
  });

  it('is a subcommand of client-vpn-logging', async () => {
    const run = capture(env);
    const code = await runClientVpnLogging(['connections', '--help'], run.streams);
    expect(code).toBe(0);
    expect(run.out()).toContain('--since <duration>');
  });
});

describe('client-vpn-logging connections when AWS never answers', () => {
  it.each([['StartQuery'], ['GetQueryResults']])(
    'ends, names the region that could not be read and exits 2 when %s hangs',
    async (operation) => {
      // Prepare: every matching call is accepted and never answered
      const server = await startLoopbackServer({ world: world(), hang: [{ operation }] });
      const restore = useLoopbackEnvironment(server.url, REGION);
      try {
        const run = capture(loopbackEnvironment(server.url, REGION));
        // Act
        await connectionsCommand(run.streams, {
          now: () => NOW,
          pacing: { firstPollMs: 1, maxPollMs: 2 },
          requestTimeoutMs: 200,
        }).parseAsync(['--log-group', '/aws/clientvpn'], { from: 'user' });
        // Assess
        expect(run.code()).toBe(2);
        expect(run.err()).toMatch(new RegExp(`${REGION}: could not be read: .*TimeoutError`));
        expect(
          server.calls.filter((c) => c.operation === operation && c.hung === true).length,
        ).toBeGreaterThanOrEqual(1);
      } finally {
        restore();
        await server.close();
      }
    },
    30_000,
  );
});

describe('client-vpn-logging connections with entries whoever connects chose', () => {
  const HOSTILE = '/vpn/hostile';
  let server: LoopbackServer;
  let restore: () => void;
  beforeAll(async () => {
    server = await startLoopbackServer({
      world: loopbackWorld({
        [REGION]: worldRegion({
          logGroups: [
            {
              name: HOSTILE,
              retentionInDays: 1,
              events: [
                logEvent(
                  logEntry('successful', {
                    username: '\t=1+1',
                    'connection-id': 'cvpn-connection-0000000000000001a',
                  }),
                  '2026-11-20T09:00:00Z',
                ),
                logEvent(
                  logEntry('successful', {
                    username: { x: 1 } as unknown as string,
                    'connection-id': 'cvpn-connection-0000000000000002a',
                  }),
                  '2026-11-20T10:00:00Z',
                ),
              ],
            },
          ],
        }),
      }),
    });
    restore = useLoopbackEnvironment(server.url, REGION);
  });
  afterAll(async () => {
    restore();
    await server.close();
  });

  async function csvRows() {
    const run = capture(loopbackEnvironment(server.url, REGION));
    await connectionsCommand(run.streams, {
      now: () => NOW,
      pacing: { firstPollMs: 1, maxPollMs: 2 },
    }).parseAsync(['--log-group', HOSTILE, '--since', '2d', '--output', 'csv'], { from: 'user' });
    return { run, rows: parse(run.out(), { columns: true }) as Record<string, string>[] };
  }

  it('escapes a username that would start a formula once its tab is made a space, as the audit does', async () => {
    // Act
    const { rows } = await csvRows();
    // Assess
    expect(rows.map((r) => r.user)).toContain("' =1+1");
  });

  it('shows a username that is not text as its JSON, never as [object Object]', async () => {
    // Act
    const { rows } = await csvRows();
    // Assess
    expect(rows.map((r) => r.user)).toContain('{"x":1}');
  });

  it('says "1 day", not "1 days", of a group that keeps events a day', async () => {
    // Act
    const { run } = await csvRows();
    // Assess
    expect(run.err()).toContain(`${HOSTILE} keeps events 1 day:`);
  });
});
