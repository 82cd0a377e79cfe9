import { connectionRecords, summarizeConnections, type QueryRow } from '../../insights/connection-records';
import { logEntry, logEvent, type FixtureName } from './connection-log-fixtures';

// A row of the report's query, as GetQueryResults returns it: the entry's fields, @timestamp, @log and @ptr.
function row(name: FixtureName, at: string, overrides = {}, group = '/aws/clientvpn'): QueryRow {
  const event = logEvent(logEntry(name, overrides), at);
  return {
    ...(JSON.parse(event.message) as Record<string, string>),
    '@timestamp': at.replace('T', ' ').replace('Z', ''),
    '@log': `123456789012:${group}`,
    '@ptr': `${group}/${at}`,
  };
}

describe('connectionRecords', () => {
  it('joins a connection\u2019s entries by connection-id: start of the first, end and byte totals of the last', () => {
    // Prepare: the documented successful entry, then the same connection terminated.
    const rows = [
      row('terminated', '2026-11-20T12:03:52.000Z'),
      row('successful', '2026-11-20T09:41:08.000Z'),
    ];
    // Act
    const [record, ...rest] = connectionRecords(rows, 'eu-west-1');
    // Assess
    expect(rest).toEqual([]);
    expect(record).toEqual({
      region: 'eu-west-1',
      logGroup: '/aws/clientvpn',
      endpointId: 'cvpn-endpoint-aaa111bbb222ccc33',
      connectionId: 'cvpn-connection-abc123abc123abc12',
      user: 'joe',
      deviceIp: '198.51.100.82',
      outcome: 'connected',
      failureReason: null,
      start: '2026-11-20 09:41:07',
      end: '2026-11-20 12:03:51',
      ingressBytes: 734512,
      egressBytes: 2918344,
    });
  });

  it.each([
    ['a successful attempt still open', 'successful', { outcome: 'connected', end: null, user: 'joe' }],
    [
      'a failed attempt with its reason',
      'failed-with-reason',
      {
        outcome: 'failed',
        failureReason: 'authorization-policy-deny',
        start: '2026-11-20 10:14:11',
        end: null,
      },
    ],
    ['a reset', 'reset', { outcome: 'connected', end: '2026-11-20 11:27:43', ingressBytes: 21017 }],
    ['a terminated connection', 'terminated', { outcome: 'connected', end: '2026-11-20 12:03:51' }],
  ] as const)('reads %s', (_name, fixture, expected) => {
    const [record] = connectionRecords([row(fixture, '2026-11-20T10:14:11.000Z')], 'eu-west-1');
    expect(record).toMatchObject(expected);
  });

  it('names the certificate\u2019s common name when no username is logged, and drops rows seen twice (@ptr)', () => {
    const entry = row('successful', '2026-11-20T09:41:08.000Z', { username: undefined });
    delete (entry as Record<string, string>).username;
    const records = connectionRecords([entry, entry], 'eu-west-1');
    expect(records.map((r) => r.user)).toEqual(['client1.domain.tld']);
  });
});

describe('summarizeConnections', () => {
  it('counts users, connections, failed attempts by reason and users seen from more than N device IPs', () => {
    // Prepare
    const rows = [
      row('successful', '2026-11-20T09:41:08.000Z'),
      row('successful', '2026-11-20T09:42:08.000Z', {
        'connection-id': 'cvpn-connection-2',
        'device-ip': '198.51.100.7',
      }),
      row('failed-with-reason', '2026-11-20T10:14:11.000Z'),
      row('failed-with-reason', '2026-11-20T10:15:11.000Z', {
        'connection-id': 'cvpn-connection-3',
        'connection-attempt-failure-reason': 'client-connect-failed',
      }),
      row('reset', '2026-11-20T11:27:44.000Z'),
    ];
    // Act
    const summary = summarizeConnections(connectionRecords(rows, 'eu-west-1'), 1);
    // Assess
    expect(summary).toEqual({
      distinctUsers: 3,
      connections: 3,
      failedAttempts: 2,
      failedAttemptsByReason: { 'authorization-policy-deny': 1, 'client-connect-failed': 1 },
      deviceIpThreshold: 1,
      usersWithManyDeviceIps: { joe: ['198.51.100.7', '198.51.100.82'] },
      note: expect.stringContaining('mutual-authentication (certificate) attempts are not logged'),
    });
  });
});
