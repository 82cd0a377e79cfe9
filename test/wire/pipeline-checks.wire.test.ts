import type { handler as Handler, LambdaContextLike } from '../../rule/handler';
import { ReEvaluationPendingError } from '../../rule/errors';
import {
  createReEvaluationTrigger,
  createTriggerDependencies,
  type TriggerOutcome,
} from '../../rule/re-evaluation-trigger';
import { cloudTrailEvent, kmsEvent, logsEvent, type CloudTrailEvent } from '../../sandbox/cloudtrail-events';
import { startLoopbackServer, type LoopbackServer } from '../../sandbox/aws-loopback-server';
import { RULE_NAME, changeEvent, scheduledEvent } from '../../sandbox/config-rule-events';
import { loopbackFunctionContext, useLoopbackEnvironment } from '../../sandbox/loopback-environment';
import {
  LOOPBACK_ACCOUNT_ID,
  endpointIdOf,
  loopbackWorld,
  worldRegion,
  type LoopbackWorld,
  type WorldConnection,
  type WorldEndpoint,
  type WorldKey,
  type WorldLogGroup,
} from '../../sandbox/loopback-world';

const REGION = 'eu-west-1';
/** The Lambda context of a function in the loopback world's account, as Lambda passes it. */
const FUNCTION_CONTEXT: LambdaContextLike = loopbackFunctionContext(REGION);
const keyArn = (keyId: string): string => `arn:aws:kms:${REGION}:${LOOPBACK_ACCOUNT_ID}:key/${keyId}`;
const KEY_IDS = {
  Enabled: '1a1a1a1a-0000-4000-8000-000000000001',
  Disabled: '1a1a1a1a-0000-4000-8000-000000000002',
  PendingDeletion: '1a1a1a1a-0000-4000-8000-000000000003',
  PendingImport: '1a1a1a1a-0000-4000-8000-000000000004',
  Unavailable: '1a1a1a1a-0000-4000-8000-000000000005',
  denied: '1a1a1a1a-0000-4000-8000-000000000006',
  deleted: '1a1a1a1a-0000-4000-8000-000000000007',
} as const;
const DELETION = new Date('2026-12-07T10:00:00Z');
const KEYS: WorldKey[] = [
  { keyId: KEY_IDS.Enabled, keyState: 'Enabled' },
  { keyId: KEY_IDS.Disabled, keyState: 'Disabled' },
  { keyId: KEY_IDS.PendingDeletion, keyState: 'PendingDeletion', deletionDate: DELETION },
  { keyId: KEY_IDS.PendingImport, keyState: 'PendingImport' },
  { keyId: KEY_IDS.Unavailable, keyState: 'Unavailable' },
  { keyId: KEY_IDS.denied, keyState: 'Enabled', denied: true },
];

/** `ConnectionEstablishedTime` as EC2 writes it, `minutes` before now. */
function establishedAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

function connections(...minutesAgo: number[]): WorldConnection[] {
  return minutesAgo.map((minutes, i) => ({
    connectionId: `cvpn-connection-${i.toString(16).padStart(17, '0')}`,
    establishedTime: establishedAgo(minutes),
  }));
}

function endpoint(n: number, logGroup: string, extra: Partial<WorldEndpoint> = {}): WorldEndpoint {
  return { endpointId: endpointIdOf(n), status: 'available', enabled: true, logGroup, ...extra };
}

describe('the key and delivery checks on the wire (real SDK clients against the loopback AWS)', () => {
  let server: LoopbackServer;
  let restore: () => void;
  let handler: typeof Handler;

  async function start(world: LoopbackWorld): Promise<void> {
    server = await startLoopbackServer({ world });
    restore = useLoopbackEnvironment(server.url, REGION, {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    jest.resetModules();
    ({ handler } = jest.requireActual<typeof import('../../rule/handler')>('../../rule/handler'));
  }

  afterEach(async () => {
    restore();
    await server.close();
  });

  const verdicts = (): Record<string, [string, string | undefined]> =>
    Object.fromEntries(
      server.world.receivedEvaluations.map((e) => [e.resourceId, [e.complianceType, e.annotation]]),
    );

  it('judges every key state in a sweep, reading each distinct key once across groups', async () => {
    // Prepare: two groups per key, so each key is named twice.
    const names = Object.keys(KEY_IDS) as (keyof typeof KEY_IDS)[];
    const groups: WorldLogGroup[] = names.flatMap((name) =>
      [1, 2].map((copy) => ({ name: `/aws/clientvpn/${name}-${copy}`, kmsKeyId: keyArn(KEY_IDS[name]) })),
    );
    const endpoints = groups.map((group, i) => endpoint(i + 1, group.name));
    await start(
      loopbackWorld({
        [REGION]: worldRegion({ endpoints, logGroups: groups, keys: KEYS, configRuleName: RULE_NAME }),
      }),
    );

    // Act
    await handler(scheduledEvent(REGION) as never, FUNCTION_CONTEXT);

    // Assess
    expect(server.callsOf('DescribeKey', true)).toHaveLength(names.length);
    const byGroup = Object.fromEntries(endpoints.map((e) => [e.logGroup, verdicts()[e.endpointId]]));
    expect(byGroup['/aws/clientvpn/Enabled-1']).toEqual(['COMPLIANT', undefined]);
    for (const state of ['Disabled', 'PendingImport', 'Unavailable'] as const) {
      expect(byGroup[`/aws/clientvpn/${state}-2`]?.[0]).toBe('NON_COMPLIANT');
      expect(byGroup[`/aws/clientvpn/${state}-2`]?.[1]).toContain(`which is ${state}`);
    }
    expect(byGroup['/aws/clientvpn/PendingDeletion-1']?.[1]).toContain('to be deleted 2026-12-07T10:00:00Z');
    expect(byGroup['/aws/clientvpn/denied-1']?.[1]).toContain('(AccessDeniedException; verifyKmsKeyState)');
    expect(byGroup['/aws/clientvpn/denied-1']?.[1]).toContain('kms:DescribeKey');
    expect(byGroup['/aws/clientvpn/deleted-1']?.[1]).toContain('(NotFoundException; verifyKmsKeyState)');
  });

  it('judges a change notification by its key with one DescribeKey', async () => {
    // Prepare
    const on = endpoint(1, '/aws/clientvpn/prod');
    await start(
      loopbackWorld({
        [REGION]: worldRegion({
          endpoints: [on],
          logGroups: [{ name: '/aws/clientvpn/prod', kmsKeyId: keyArn(KEY_IDS.Disabled) }],
          keys: KEYS,
          configRuleName: RULE_NAME,
        }),
      }),
    );

    // Act
    await handler(changeEvent(REGION, on) as never, FUNCTION_CONTEXT);

    // Assess
    expect(server.callsOf('DescribeKey')).toHaveLength(1);
    expect(verdicts()[on.endpointId]?.[0]).toBe('NON_COMPLIANT');
  });

  it('judges delivery from connections and ingestion, in a sweep with verifyDelivery', async () => {
    // Prepare
    const hourAgo = Date.now() - 60 * 60_000;
    const groups: WorldLogGroup[] = [
      {
        name: '/cvpn/fresh',
        streams: [
          { name: 'log_stream_created_by_aws_to_validate_log_delivery_subscriptions' },
          {
            name: 'cvpn-a',
            lastEventTimestamp: Date.now() - 5 * 60_000,
            lastIngestionTime: Date.now() - 5 * 60_000,
          },
        ],
      },
      {
        name: '/cvpn/stale',
        streams: [
          { name: 'cvpn-b', lastEventTimestamp: hourAgo - 3_600_000, lastIngestionTime: hourAgo - 3_600_000 },
        ],
      },
      {
        name: '/cvpn/validation-only',
        streams: [
          {
            name: 'log_stream_created_by_aws_to_validate_log_delivery_subscriptions',
            lastEventTimestamp: Date.now(),
            lastIngestionTime: Date.now(),
          },
        ],
      },
      { name: '/cvpn/empty', streams: [{ name: 'never-written' }] },
      {
        name: '/cvpn/named',
        streams: [
          {
            name: 'connections',
            lastEventTimestamp: hourAgo - 7_200_000,
            lastIngestionTime: hourAgo - 7_200_000,
          },
          { name: 'connections-other', lastEventTimestamp: Date.now(), lastIngestionTime: Date.now() },
        ],
      },
    ];
    const many = connections(...Array.from({ length: 1200 }, () => 30), 90);
    const endpoints = [
      endpoint(1, '/cvpn/fresh', { connections: connections(90) }),
      endpoint(2, '/cvpn/stale', { connections: connections(90) }),
      endpoint(3, '/cvpn/stale', { connections: connections(20) }),
      endpoint(4, '/cvpn/validation-only', { connections: connections(120) }),
      endpoint(5, '/cvpn/empty', { connections: connections(61) }),
      endpoint(6, '/cvpn/empty'),
      endpoint(7, '/cvpn/named', { logStream: 'connections', connections: connections(90) }),
      endpoint(8, '/cvpn/fresh', { connections: many }),
    ];
    await start(
      loopbackWorld({ [REGION]: worldRegion({ endpoints, logGroups: groups, configRuleName: RULE_NAME }) }),
    );

    // Act
    await handler(scheduledEvent(REGION, { verifyDelivery: 'true' }) as never, FUNCTION_CONTEXT);

    // Assess
    const judged = verdicts();
    expect(endpoints.map((e) => judged[e.endpointId]?.[0])).toEqual([
      'COMPLIANT',
      'NON_COMPLIANT',
      'COMPLIANT',
      'NON_COMPLIANT',
      'NON_COMPLIANT',
      'COMPLIANT',
      'NON_COMPLIANT',
      'COMPLIANT',
    ]);
    expect(judged[endpointIdOf(4)]?.[1]).toMatch(/\(never; verifyDelivery\)/);
    expect(judged[endpointIdOf(7)]?.[1]).toContain('(stream "connections")');
    // One listing per endpoint; the 1201 connections of endpoint 8 take two pages of 1000.
    expect(server.callsOf('DescribeClientVpnConnections')).toHaveLength(endpoints.length + 1);
    // One stream look-up per distinct group (or named stream) with a connection past the grace.
    expect(
      server
        .callsOf('DescribeLogStreams')
        .map((c) => [c.params.logGroupName, c.params.logStreamNamePrefix ?? null, c.params.orderBy ?? null])
        .sort(),
    ).toEqual([
      ['/cvpn/empty', null, 'LastEventTime'],
      ['/cvpn/fresh', null, 'LastEventTime'],
      ['/cvpn/named', 'connections', null],
      ['/cvpn/stale', null, 'LastEventTime'],
      ['/cvpn/validation-only', null, 'LastEventTime'],
    ]);
  });
});

describe('the loopback server, for the new operations', () => {
  let server: LoopbackServer;
  let restore: () => void;

  beforeEach(async () => {
    server = await startLoopbackServer({
      world: loopbackWorld({
        [REGION]: worldRegion({
          endpoints: [endpoint(1, '/g')],
          logGroups: [{ name: '/g' }],
          keys: KEYS,
          configRuleName: RULE_NAME,
        }),
      }),
    });
    restore = useLoopbackEnvironment(server.url, REGION);
  });

  afterEach(async () => {
    restore();
    await server.close();
  });

  it('refuses logStreamNamePrefix with orderBy LastEventTime, as CloudWatch Logs does', async () => {
    const { CloudWatchLogsClient, DescribeLogStreamsCommand } =
      await import('@aws-sdk/client-cloudwatch-logs');
    const logs = new CloudWatchLogsClient({});
    await expect(
      logs.send(
        new DescribeLogStreamsCommand({
          logGroupName: '/g',
          logStreamNamePrefix: 'a',
          orderBy: 'LastEventTime',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('refuses input members the model does not define, in each protocol', async () => {
    const { EC2Client, DescribeClientVpnConnectionsCommand } = await import('@aws-sdk/client-ec2');
    const { KMSClient, DescribeKeyCommand } = await import('@aws-sdk/client-kms');
    const ec2 = new EC2Client({});
    const kms = new KMSClient({});
    ec2.middlewareStack.add(
      (next) => (args) => {
        const request = args.request as { body: string; headers: Record<string, string> };
        request.body += '&Bogus=1';
        request.headers['content-length'] = String(Buffer.byteLength(request.body));
        return next(args);
      },
      { step: 'build' },
    );
    kms.middlewareStack.add(
      (next) => (args) => {
        const request = args.request as { body: string | Uint8Array; headers: Record<string, string> };
        // The JSON protocol hands over the body as bytes, in a Uint8Array whose string methods and valueOf
        // (which Buffer.from calls) the SDK warns about: decode the bytes themselves.
        const body = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
        request.body = body.replace(/}$/, ',"Bogus":1}');
        request.headers['content-length'] = String(Buffer.byteLength(request.body));
        return next(args);
      },
      { step: 'build' },
    );
    await expect(
      ec2.send(new DescribeClientVpnConnectionsCommand({ ClientVpnEndpointId: endpointIdOf(1) })),
    ).rejects.toMatchObject({ name: 'UnknownParameter' });
    await expect(kms.send(new DescribeKeyCommand({ KeyId: KEY_IDS.Enabled }))).rejects.toMatchObject({
      name: 'SerializationException',
    });
  });

  it('answers DescribeKey with the documented metadata, DeletionDate a timestamp', async () => {
    const { KMSClient, DescribeKeyCommand } = await import('@aws-sdk/client-kms');
    const answer = await new KMSClient({}).send(
      new DescribeKeyCommand({ KeyId: keyArn(KEY_IDS.PendingDeletion) }),
    );
    expect(answer.KeyMetadata).toMatchObject({
      KeyState: 'PendingDeletion',
      DeletionDate: DELETION,
      Enabled: false,
    });
  });
});

describe('the re-evaluation trigger on the wire (real SDK clients against the loopback AWS)', () => {
  let server: LoopbackServer;
  let restore: () => void;
  const GROUP = '/aws/clientvpn/corp-remote-access';
  /** The endpoint of the world logs to GROUP, encrypted with the Enabled key. */
  const pipeline = {
    endpoints: [endpoint(1, GROUP)],
    logGroups: [{ name: GROUP, retentionInDays: 365, kmsKeyId: keyArn(KEY_IDS.Enabled) }],
    keys: KEYS,
  };

  /** The fixture event, moved to the loopback region as the regional bus delivers it. */
  function inRegion(event: CloudTrailEvent): CloudTrailEvent {
    return { ...event, region: REGION, detail: { ...event.detail, awsRegion: REGION } };
  }

  async function start(
    overrides: Parameters<typeof worldRegion>[0] = {},
    environment: Record<string, string> = { CONFIG_RULE_NAME: RULE_NAME },
  ): Promise<(event: unknown) => Promise<TriggerOutcome>> {
    server = await startLoopbackServer({
      world: loopbackWorld({
        [REGION]: worldRegion({ configRuleName: RULE_NAME, ...pipeline, ...overrides }),
      }),
    });
    restore = useLoopbackEnvironment(server.url, REGION);
    // The clients as the deployed trigger builds them.
    return createReEvaluationTrigger({
      ...createTriggerDependencies(process.env),
      environment: { ...environment, AWS_REGION: REGION },
      ...quiet,
    });
  }

  afterEach(async () => {
    restore();
    await server.close();
  });

  const quiet = { log: () => {}, sleep: () => Promise.resolve() };

  it('starts one evaluation for a burst of drift events', async () => {
    // Prepare
    const trigger = await start();
    const old = new Date(Date.now() - 5 * 60_000).toISOString();

    // Act
    for (const event of [
      kmsEvent('ScheduleKeyDeletion', KEY_IDS.Enabled, keyArn(KEY_IDS.Enabled), old),
      logsEvent('DisassociateKmsKey', GROUP, old),
      cloudTrailEvent('ec2.amazonaws.com', 'ModifyClientVpnEndpoint', old),
    ]) {
      await trigger(inRegion(event));
    }

    // Assess
    expect(server.world.startedEvaluations.map((e) => e.configRuleName)).toEqual([RULE_NAME]);
  });

  it.each([
    [
      'a log group no endpoint uses',
      logsEvent('DeleteLogGroup', '/aws/lambda/orders'),
      ['DescribeClientVpnEndpoints'],
    ],
    [
      'a key no endpoint group uses',
      kmsEvent('DisableKey', KEY_IDS.Disabled, keyArn(KEY_IDS.Disabled)),
      ['DescribeClientVpnEndpoints', 'DescribeLogGroups'],
    ],
  ])('starts nothing for a change to %s, after the fewest reads', async (_case, event, reads) => {
    // Prepare
    const trigger = await start();

    // Act
    const outcome = await trigger(inRegion(event));

    // Assess
    expect(outcome.action).toBe('ignored');
    expect(server.world.startedEvaluations).toEqual([]);
    expect(server.calls.map((call) => call.operation)).toEqual(reads);
  });

  it("starts an evaluation for the endpoint group's key named by its bare key ID", async () => {
    // Prepare
    const trigger = await start();

    // Act
    const outcome = await trigger(inRegion(kmsEvent('DisableKey', KEY_IDS.Enabled)));

    // Assess
    expect(outcome.action).toBe('started');
    expect(server.world.startedEvaluations).toHaveLength(1);
  });

  it('absorbs LimitExceededException while an evaluation runs, and hands the change back when it stays busy', async () => {
    // Prepare: the SDK itself retries LimitExceededException (a throttling code to it), 3 attempts a
    // call, so the trigger's 4 attempts are 12 calls.
    const trigger = await start({ evaluationBusyFor: 12 });
    const event = inRegion(logsEvent('DeleteLogGroup', GROUP));

    // Act / Assess: every attempt busy, handed back; Lambda's retry of the same event then starts it.
    await expect(trigger(event)).rejects.toThrow(ReEvaluationPendingError);
    await expect(trigger(event)).resolves.toMatchObject({ action: 'started' });
    expect(server.callsOf('StartConfigRulesEvaluation', true).map((c) => c.errorCode ?? 'ok')).toEqual([
      ...Array(12).fill('LimitExceededException'),
      'ok',
    ]);
  }, 60_000);

  it("finds a member account's copy of the organization rule and starts it", async () => {
    // Prepare
    const filler = Array.from({ length: 30 }, (_, i) => `other-rule-${i}`);
    const trigger = await start(
      { configRuleName: undefined, otherConfigRules: [...filler, `OrgConfigRule-${RULE_NAME}-dbgzf8ba`] },
      { CONFIG_RULE_NAME: RULE_NAME, ORGANIZATION_RULE: 'true' },
    );

    // Act
    await trigger(inRegion(logsEvent('PutRetentionPolicy', GROUP)));

    // Assess
    expect(server.callsOf('DescribeConfigRules')).toHaveLength(2);
    expect(server.world.startedEvaluations.map((e) => e.configRuleName)).toEqual([
      `OrgConfigRule-${RULE_NAME}-dbgzf8ba`,
    ]);
  });
});
