import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { handler as Handler, LambdaContextLike } from '../../rule/handler';
import {
  startLoopbackServer,
  type LoopbackServer,
  type LoopbackServerOptions,
} from '../../sandbox/aws-loopback-server';
import {
  changeEvent,
  historyItem,
  oversizedChangeEvent,
  RULE_NAME,
  scheduledEvent,
} from '../../sandbox/config-rule-events';
import { loopbackFunctionContext, useLoopbackEnvironment } from '../../sandbox/loopback-environment';
import {
  endpointIdOf,
  loopbackWorld,
  sweepWorld,
  worldRegion,
  type LoopbackWorld,
  type WorldEndpoint,
} from '../../sandbox/loopback-world';

const REGION = 'us-east-1';
/** The Lambda context of a function in the loopback world's account, as Lambda passes it. */
const FUNCTION_CONTEXT: LambdaContextLike = loopbackFunctionContext(REGION);
const MEMBER_ACCOUNT_ID = '210987654321';
const EXECUTION_ROLE = 'ClientVpnConnectionLoggingEvaluation-us-east-1';
const GROUP = '/aws/clientvpn/corp-remote-access';
const ON: WorldEndpoint = {
  endpointId: endpointIdOf(0xc1),
  status: 'available',
  enabled: true,
  logGroup: GROUP,
  logStream: 'connections',
};
const GROUP_GONE: WorldEndpoint = {
  ...ON,
  endpointId: endpointIdOf(0xc2),
  logGroup: '/aws/clientvpn/deleted',
};

function smallWorld(): LoopbackWorld {
  return loopbackWorld({
    [REGION]: worldRegion({
      endpoints: [ON, GROUP_GONE],
      logGroups: [{ name: GROUP, retentionInDays: 365 }],
      configRuleName: RULE_NAME,
    }),
  });
}

// The handler builds its SDK clients once per container from the standard configuration chain, so
// each test loads a fresh copy of it after pointing the environment at its own loopback server.
describe('the rule handler on the wire (real SDK clients against the loopback AWS)', () => {
  let server: LoopbackServer;
  let restore: () => void;
  /** The handler as Lambda calls it, with the context of a function in the loopback world's account. */
  let handler: (event: Parameters<typeof Handler>[0]) => ReturnType<typeof Handler>;

  async function start(
    options: Partial<LoopbackServerOptions> & {
      world: LoopbackWorld;
      /** The function's `EXECUTION_ROLE_NAME`, as the organization stack sets it. */
      executionRoleName?: string;
    },
  ): Promise<void> {
    server = await startLoopbackServer(options);
    restore = useLoopbackEnvironment(server.url, REGION, {
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      ...(options.executionRoleName === undefined ? {} : { EXECUTION_ROLE_NAME: options.executionRoleName }),
    });
    jest.resetModules();
    const loaded = jest.requireActual<typeof import('../../rule/handler')>('../../rule/handler').handler;
    handler = (event) => loaded(event, FUNCTION_CONTEXT);
  }

  afterEach(async () => {
    restore();
    await server.close();
  });

  const operations = (): string[] =>
    server.calls.map((c) => (c.errorCode ? `${c.operation}!${c.errorCode}` : c.operation));

  it('judges the documented change-notification fixture with one log-group look-up and one put, never calling EC2', async () => {
    // Prepare
    const fixture = JSON.parse(
      readFileSync(
        join(
          __dirname,
          '..',
          '..',
          'sandbox',
          'fixtures',
          'config-rule',
          'configuration-item-change-notification.json',
        ),
        'utf8',
      ),
    );
    await start({ world: smallWorld() });

    // Act
    await handler(fixture);

    // Assess
    expect(operations()).toEqual(['DescribeLogGroups', 'PutEvaluations']);
    expect(server.callsOf('DescribeLogGroups')[0]?.params).toEqual({ logGroupIdentifiers: [GROUP] });
    expect(server.world.receivedEvaluations).toEqual([
      expect.objectContaining({
        resourceType: 'AWS::EC2::ClientVpnEndpoint',
        resourceId: 'cvpn-endpoint-0a1b2c3d4e5f60718',
        complianceType: 'COMPLIANT',
        orderingTimestamp: new Date('2026-11-20T09:15:42.318Z'),
        testMode: false,
      }),
    ]);
  });

  it('marks an endpoint whose log group was deleted NON_COMPLIANT, naming the group', async () => {
    await start({ world: smallWorld() });

    await handler(changeEvent(REGION, GROUP_GONE));

    const [evaluation] = server.world.receivedEvaluations;
    expect(evaluation?.complianceType).toBe('NON_COMPLIANT');
    expect(evaluation?.annotation).toContain('/aws/clientvpn/deleted');
  });

  it('fetches an oversized item with GetResourceConfigHistory and judges its JSON-string configuration', async () => {
    const world = smallWorld();
    world.regions[REGION]?.configHistory.set(GROUP_GONE.endpointId, [historyItem(REGION, GROUP_GONE)]);
    await start({ world });

    await handler(oversizedChangeEvent(REGION, GROUP_GONE.endpointId));

    expect(operations()).toEqual(['GetResourceConfigHistory', 'DescribeLogGroups', 'PutEvaluations']);
    expect(server.callsOf('GetResourceConfigHistory')[0]?.params).toMatchObject({
      resourceType: 'AWS::EC2::ClientVpnEndpoint',
      resourceId: GROUP_GONE.endpointId,
    });
    expect(server.world.receivedEvaluations.map((e) => [e.resourceId, e.complianceType])).toEqual([
      [GROUP_GONE.endpointId, 'NON_COMPLIANT'],
    ]);
  });

  it('sweeps every page of endpoints, looks each log group up once, puts in batches of 100 and retires vanished endpoints', async () => {
    // Prepare: 2,345 endpoints over 20 groups, and 7 endpoints judged before that no longer exist.
    const world = sweepWorld(REGION, 2345, 20, RULE_NAME);
    const vanished = Array.from({ length: 7 }, (_, i) => endpointIdOf(0xdead00 + i));
    for (const id of vanished) {
      world.regions[REGION]?.configResults.set(id, {
        resourceId: id,
        resourceType: 'AWS::EC2::ClientVpnEndpoint',
        complianceType: 'COMPLIANT',
        orderingTimestamp: new Date('2026-11-25T12:00:00Z'),
      });
    }
    await start({ world });

    // Act
    await handler(scheduledEvent(REGION));

    // Assess
    const listing = server.callsOf('DescribeClientVpnEndpoints');
    expect(listing.map((c) => c.params.MaxResults)).toEqual(['1000', '1000', '1000']);
    expect(server.callsOf('DescribeLogGroups')).toHaveLength(1);
    const puts = server.callsOf('PutEvaluations').map((c) => (c.params.Evaluations as unknown[]).length);
    expect(Math.max(...puts)).toBeLessThanOrEqual(100);
    expect(puts).toHaveLength(Math.ceil(2352 / 100));
    const byId = new Map(server.world.receivedEvaluations.map((e) => [e.resourceId, e]));
    expect(server.world.receivedEvaluations).toHaveLength(2352);
    expect(byId.size).toBe(2352);
    expect(vanished.map((id) => byId.get(id)?.complianceType)).toEqual(Array(7).fill('NOT_APPLICABLE'));
    expect(byId.get(endpointIdOf(10))?.complianceType).toBe('NON_COMPLIANT');
    expect(byId.get(endpointIdOf(1))?.complianceType).toBe('COMPLIANT');
    expect(byId.get(endpointIdOf(1))?.orderingTimestamp).toEqual(new Date('2026-11-26T12:00:00.000Z'));
  });

  it('rides out throttling of every service it calls', async () => {
    await start({
      world: sweepWorld(REGION, 120, 3, RULE_NAME),
      throttle: {
        DescribeClientVpnEndpoints: 1,
        DescribeLogGroups: 1,
        GetComplianceDetailsByConfigRule: 1,
        PutEvaluations: 1,
      },
    });

    await handler(scheduledEvent(REGION));

    expect(
      server.calls
        .filter((c) => c.errorCode !== undefined)
        .map((c) => c.errorCode)
        .sort(),
    ).toEqual(['RequestLimitExceeded', 'ThrottlingException', 'ThrottlingException', 'ThrottlingException']);
    expect(new Set(server.world.receivedEvaluations.map((e) => e.resourceId)).size).toBe(120);
  });

  it('fails with the service error code when EC2 denies the listing, and puts nothing', async () => {
    const world = sweepWorld(REGION, 5, 1, RULE_NAME);
    if (world.regions[REGION])
      world.regions[REGION].failures.ec2 = {
        code: 'UnauthorizedOperation',
        message: 'You are not authorized to perform this operation.',
        status: 403,
      };
    await start({ world });

    await expect(handler(scheduledEvent(REGION))).rejects.toMatchObject({ name: 'UnauthorizedOperation' });
    expect(server.callsOf('PutEvaluations', true)).toHaveLength(0);
  });

  it('fails when the rule was deleted meanwhile (NoSuchConfigRuleException), and puts nothing', async () => {
    const world = sweepWorld(REGION, 5, 1, 'another-rule');
    await start({ world });

    await expect(handler(scheduledEvent(REGION))).rejects.toMatchObject({
      name: 'NoSuchConfigRuleException',
    });
    expect(server.callsOf('PutEvaluations', true)).toHaveLength(0);
  });

  it('retries evaluations Config reports in FailedEvaluations until they are accepted', async () => {
    const world = smallWorld();
    world.regions[REGION]?.failEvaluations.set(ON.endpointId, 1);
    await start({ world });

    await handler(changeEvent(REGION, ON));

    expect(server.callsOf('PutEvaluations')).toHaveLength(2);
    expect(server.world.receivedEvaluations.map((e) => e.resourceId)).toEqual([ON.endpointId]);
  });

  it('puts with TestMode for the TESTMODE result token, recording no result', async () => {
    await start({ world: smallWorld() });

    await handler({ ...changeEvent(REGION, ON), resultToken: 'TESTMODE' });

    expect(server.callsOf('PutEvaluations')[0]?.params).toMatchObject({
      ResultToken: 'TESTMODE',
      TestMode: true,
    });
    expect(server.world.regions[REGION]?.configResults.size).toBe(0);
  });

  it.each([
    [
      'an invokingEvent that is not JSON',
      { ...changeEvent(REGION, ON), invokingEvent: '{not json' },
      /invokingEvent/,
    ],
    ['an unknown rule parameter', changeEvent(REGION, ON, { retentionDays: '30' }), /retentionDays/],
  ])('calls nothing and puts nothing for %s', async (_case, event, message) => {
    await start({ world: smallWorld() });

    await expect(handler(event)).rejects.toThrow(message);
    expect(server.calls).toEqual([]);
  });

  /** An event of the rule in another account of the organization: its account and rule ARN agree. */
  const memberAccountEvent = (ruleParameters: Record<string, string> = {}) => ({
    ...changeEvent(REGION, ON, ruleParameters),
    accountId: MEMBER_ACCOUNT_ID,
    configRuleArn: `arn:aws:config:${REGION}:${MEMBER_ACCOUNT_ID}:config-rule/config-rule-a1b2c3`,
  });

  it('in organization mode assumes exactly the configured role in the event’s account over STS, and signs every later call with it', async () => {
    // Prepare
    await start({ world: smallWorld(), executionRoleName: EXECUTION_ROLE });

    // Act
    await handler(memberAccountEvent());

    // Assess
    expect(operations()).toEqual(['AssumeRole', 'DescribeLogGroups', 'PutEvaluations']);
    expect(server.callsOf('AssumeRole')[0]?.params).toMatchObject({
      RoleArn: `arn:aws:iam::${MEMBER_ACCOUNT_ID}:role/${EXECUTION_ROLE}`,
      RoleSessionName: 'client-vpn-connection-logging-rule',
    });
    // The function's own key asks STS; the loopback STS's temporary key makes every other call.
    expect(server.calls.map((c) => c.accessKeyId)).toEqual([
      'AKIAIOSFODNN7EXAMPLE',
      'ASIAIOSFODNN7EXAMPLE',
      'ASIAIOSFODNN7EXAMPLE',
    ]);
  });

  it('in organization mode accepts an executionRoleName rule parameter that names the configured role', async () => {
    await start({ world: smallWorld(), executionRoleName: EXECUTION_ROLE });

    await handler(memberAccountEvent({ executionRoleName: EXECUTION_ROLE }));

    expect(operations()).toEqual(['AssumeRole', 'DescribeLogGroups', 'PutEvaluations']);
  });

  it.each([
    [
      'in organization mode, an executionRoleName rule parameter naming another role',
      EXECUTION_ROLE,
      () => memberAccountEvent({ executionRoleName: 'OrganizationAccountAccessRole' }),
      /"OrganizationAccountAccessRole" is not the role this function is configured to assume/,
    ],
    [
      'in organization mode, an event whose accountId is not its rule ARN’s account',
      EXECUTION_ROLE,
      () => ({ ...changeEvent(REGION, ON), accountId: MEMBER_ACCOUNT_ID }),
      /accountId 210987654321 is not the account 123456789012 of its configRuleArn/,
    ],
    [
      'without EXECUTION_ROLE_NAME, an event for another account',
      undefined,
      () => memberAccountEvent(),
      /only its own account 123456789012 .* the event is for account 210987654321/,
    ],
    [
      'without EXECUTION_ROLE_NAME, an executionRoleName rule parameter',
      undefined,
      () => changeEvent(REGION, ON, { executionRoleName: EXECUTION_ROLE }),
      /asks for a role, but this function assumes none/,
    ],
    [
      'without EXECUTION_ROLE_NAME, an event whose accountId is not its rule ARN’s account',
      undefined,
      () => ({ ...scheduledEvent(REGION), accountId: MEMBER_ACCOUNT_ID }),
      /is not the account 123456789012 of its configRuleArn/,
    ],
  ])('refuses %s before any call: nothing assumed, looked up or put', async (_case, role, event, message) => {
    // Prepare
    await start({ world: smallWorld(), ...(role === undefined ? {} : { executionRoleName: role }) });

    // Act / Assess
    await expect(handler(event())).rejects.toThrow(message);
    expect(server.calls).toEqual([]);
  });
});
