import {
  ConfigServiceClient,
  DescribeConfigRulesCommand,
  LimitExceededException,
  NoSuchConfigRuleException,
  StartConfigRulesEvaluationCommand,
} from '@aws-sdk/client-config-service';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeClientVpnEndpointsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeKeyCommand, KMSClient, NotFoundException } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ReEvaluationPendingError,
  RepeatedPageTokenError,
  TriggerConfigurationError,
} from '../../rule/errors';
import {
  BUSY_WAITS_MS,
  WATCHED_API_CALLS,
  createReEvaluationTrigger,
  type TriggerDependencies,
} from '../../rule/re-evaluation-trigger';
import {
  FIXTURE_REGION,
  cloudTrailEvent,
  keyArn,
  kmsEvent,
  logsEvent,
} from '../../sandbox/cloudtrail-events';

const config = mockClient(ConfigServiceClient);
const ec2 = mockClient(EC2Client);
const cloudWatchLogs = mockClient(CloudWatchLogsClient);
const kms = mockClient(KMSClient);
const RULE = 'client-vpn-connection-logging';
const busy = () => new LimitExceededException({ message: 'The evaluation is in progress.', $metadata: {} });

/** The group the fixture's endpoint logs to (the fixture event's group), and that group's key. */
const GROUP = '/aws/clientvpn/corp-remote-access';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KEY_ID = '0987dcba-09ba-87dc-65fe-0987654321ba';

/** DescribeClientVpnEndpoints' answer: endpoints logging to the given groups, logging on. */
function endpointsLoggingTo(...groups: string[]) {
  return {
    ClientVpnEndpoints: groups.map((group, i) => ({
      ClientVpnEndpointId: `cvpn-endpoint-0${String(i).padStart(16, '0')}`,
      Status: { Code: 'available' as const },
      ConnectionLogOptions: { Enabled: true, CloudwatchLogGroup: group },
    })),
  };
}

/** A related change for each watched call: on the endpoint's group, its key, or the endpoint. */
function relatedEvent(eventSource: string, eventName: string) {
  if (eventSource === 'logs.amazonaws.com') return logsEvent(eventName, GROUP);
  if (eventSource === 'kms.amazonaws.com') return kmsEvent(eventName, KEY_ID, keyArn(KEY_ID));
  return cloudTrailEvent(eventSource, eventName);
}

function trigger(overrides: Partial<TriggerDependencies> = {}) {
  const logs: [string, string][] = [];
  const logFields: Record<string, unknown>[] = [];
  const sleeps: number[] = [];
  let clock = new Date('2026-11-20T10:20:00Z');
  const handler = createReEvaluationTrigger({
    config: new ConfigServiceClient({ region: 'us-east-1' }),
    ec2: new EC2Client({ region: 'us-east-1' }),
    logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
    kms: new KMSClient({ region: 'us-east-1' }),
    environment: { CONFIG_RULE_NAME: RULE, AWS_REGION: FIXTURE_REGION },
    now: () => clock,
    sleep: (ms) => {
      sleeps.push(ms);
      clock = new Date(clock.getTime() + ms);
      return Promise.resolve();
    },
    log: (level, message, fields) => {
      logs.push([level, message]);
      logFields.push(fields);
    },
    ...overrides,
  });
  return {
    handler,
    logs,
    logFields,
    sleeps,
    advance: (ms: number) => {
      clock = new Date(clock.getTime() + ms);
    },
  };
}

beforeEach(() => {
  for (const client of [config, ec2, cloudWatchLogs, kms]) client.reset();
  config.on(StartConfigRulesEvaluationCommand).resolves({});
  ec2.on(DescribeClientVpnEndpointsCommand).resolves(endpointsLoggingTo(GROUP));
  cloudWatchLogs
    .on(DescribeLogGroupsCommand)
    .resolves({ logGroups: [{ logGroupName: GROUP, kmsKeyId: keyArn(KEY_ID) }] });
  kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: KEY_ID, Arn: keyArn(KEY_ID) } as never });
});

describe('the re-evaluation trigger', () => {
  it.each(
    Object.entries(WATCHED_API_CALLS).flatMap(([source, names]) =>
      names.map((name) => [source, name] as const),
    ),
  )(
    'starts one evaluation of the rule on %s %s touching a pipeline in use',
    async (eventSource, eventName) => {
      // Prepare
      const { handler } = trigger();

      // Act
      const outcome = await handler(relatedEvent(eventSource, eventName));

      // Assess
      expect(outcome).toEqual({ action: 'started', configRuleName: RULE });
      expect(config).toHaveReceivedCommandTimes(StartConfigRulesEvaluationCommand, 1);
      expect(config).toHaveReceivedCommandWith(StartConfigRulesEvaluationCommand, {
        ConfigRuleNames: [RULE],
      });
    },
  );

  it('starts one evaluation for a burst of changes made before it started', async () => {
    // Prepare
    const { handler, advance } = trigger();
    const burst = [
      kmsEvent('DisableKey', KEY_ID, keyArn(KEY_ID), '2026-11-20T10:14:01Z'),
      logsEvent('DisassociateKmsKey', GROUP, '2026-11-20T10:14:09Z'),
      logsEvent('DeleteRetentionPolicy', GROUP, '2026-11-20T10:15:40Z'),
      kmsEvent('ScheduleKeyDeletion', KEY_ID, keyArn(KEY_ID), '2026-11-20T10:16:12Z'),
    ];

    // Act
    const outcomes = [];
    for (const event of burst) {
      outcomes.push(await handler(event));
      advance(2_000);
    }

    // Assess
    expect(config).toHaveReceivedCommandTimes(StartConfigRulesEvaluationCommand, 1);
    expect(outcomes.map((o) => o.action)).toEqual(['started', 'covered', 'covered', 'covered']);
  });

  it('starts another evaluation for a change made after (or just before) the last one started', async () => {
    // Prepare
    const { handler } = trigger();
    await handler(cloudTrailEvent('logs.amazonaws.com', 'DeleteLogGroup', '2026-11-20T10:14:31Z'));

    // Act
    const outcome = await handler(
      cloudTrailEvent('logs.amazonaws.com', 'PutRetentionPolicy', '2026-11-20T10:19:30Z'),
    );

    // Assess
    expect(outcome.action).toBe('started');
    expect(config).toHaveReceivedCommandTimes(StartConfigRulesEvaluationCommand, 2);
  });

  it('waits while an evaluation is running and starts one when it ends, the change kept', async () => {
    // Prepare
    config.on(StartConfigRulesEvaluationCommand).rejectsOnce(busy()).rejectsOnce(busy()).resolves({});
    const { handler, sleeps, logs } = trigger();

    // Act
    const outcome = await handler(cloudTrailEvent());

    // Assess
    expect(outcome.action).toBe('started');
    expect(sleeps).toEqual(BUSY_WAITS_MS.slice(0, 2));
    expect(logs.filter(([level]) => level !== 'info')).toEqual([]);
  });

  it('hands a change back to Lambda with ReEvaluationPendingError, logged as info, when the evaluation stays busy', async () => {
    // Prepare
    config.on(StartConfigRulesEvaluationCommand).rejects(busy());
    const { handler, logs } = trigger();

    // Act
    const outcome = handler(cloudTrailEvent());

    // Assess
    await expect(outcome).rejects.toThrow(ReEvaluationPendingError);
    expect(config).toHaveReceivedCommandTimes(StartConfigRulesEvaluationCommand, BUSY_WAITS_MS.length + 1);
    expect(logs.map(([level]) => level)).toEqual(['info']);
  });

  it('starts the evaluation again on the retried event', async () => {
    // Prepare
    config
      .on(StartConfigRulesEvaluationCommand)
      .rejectsOnce(busy())
      .rejectsOnce(busy())
      .rejectsOnce(busy())
      .rejectsOnce(busy())
      .resolves({});
    const { handler } = trigger();
    const event = cloudTrailEvent();
    await expect(handler(event)).rejects.toThrow(ReEvaluationPendingError);

    // Act
    const retried = await handler(event);

    // Assess
    expect(retried.action).toBe('started');
  });

  it('lets any other failure through, logged as an error', async () => {
    // Prepare
    config
      .on(StartConfigRulesEvaluationCommand)
      .rejects(new NoSuchConfigRuleException({ message: 'no such rule', $metadata: {} }));
    const { handler, logs } = trigger();

    // Act / Assess
    await expect(handler(cloudTrailEvent())).rejects.toThrow('no such rule');
    expect(logs.map(([level]) => level)).toEqual(['error']);
  });

  it.each([
    ['a call that cannot break a pipeline', cloudTrailEvent('logs.amazonaws.com', 'CreateLogGroup')],
    ['a watched name from another service', cloudTrailEvent('s3.amazonaws.com', 'DeleteLogGroup')],
    [
      'a watched call that failed',
      cloudTrailEvent('kms.amazonaws.com', 'DisableKey', undefined, { errorCode: 'AccessDenied' }),
    ],
    ['a scheduled event', { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }],
    ['no event at all', null],
  ])('does nothing on %s', async (_case, event) => {
    // Prepare
    const { handler } = trigger();

    // Act
    const outcome = await handler(event);

    // Assess
    expect(outcome.action).toBe('ignored');
    expect(config).not.toHaveReceivedCommand(StartConfigRulesEvaluationCommand);
  });

  it('refuses to run without CONFIG_RULE_NAME', async () => {
    // Prepare
    const { handler } = trigger({ environment: {} });

    // Act / Assess
    await expect(handler(cloudTrailEvent())).rejects.toThrow(TriggerConfigurationError);
  });
});

describe('the re-evaluation trigger, on a change to no pipeline in use', () => {
  it.each([
    ['a log group no endpoint logs to deleted', logsEvent('DeleteLogGroup', '/aws/lambda/orders')],
    ['the retention of another group shortened', logsEvent('PutRetentionPolicy', '/app/audit')],
    [
      'another key disabled (key ARN recorded by CloudTrail)',
      kmsEvent('DisableKey', OTHER_KEY_ID, keyArn(OTHER_KEY_ID)),
    ],
    ['another key scheduled for deletion (bare key ID only)', kmsEvent('ScheduleKeyDeletion', OTHER_KEY_ID)],
    [
      "another key's imported material deleted",
      kmsEvent('DeleteImportedKeyMaterial', OTHER_KEY_ID, keyArn(OTHER_KEY_ID)),
    ],
    [
      "the account's query results given a key",
      cloudTrailEvent('logs.amazonaws.com', 'AssociateKmsKey', undefined, {
        requestParameters: {
          resourceIdentifier: 'arn:aws:logs:us-east-1:123456789012:query-result:*',
          kmsKeyId: keyArn(KEY_ID),
        },
      }),
    ],
  ])('starts nothing when %s, and calls no Config', async (_case, event) => {
    // Prepare
    const { handler } = trigger();

    // Act
    const outcome = await handler(event);

    // Assess
    expect(outcome).toMatchObject({ action: 'ignored', configRuleName: RULE });
    expect(config).not.toHaveReceivedCommand(StartConfigRulesEvaluationCommand);
  });

  it('resolves an alias that points to another key, and starts nothing', async () => {
    // Prepare
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: OTHER_KEY_ID } as never });
    const { handler } = trigger();

    // Act
    const outcome = await handler(kmsEvent('PutKeyPolicy', 'alias/orders'));

    // Assess
    expect(outcome.action).toBe('ignored');
    expect(kms).toHaveReceivedCommandWith(DescribeKeyCommand, { KeyId: 'alias/orders' });
    expect(config).not.toHaveReceivedCommand(StartConfigRulesEvaluationCommand);
  });

  it('counts the group of an endpoint whose logging is off, or that is deleted, as not in use', async () => {
    // Prepare
    ec2.on(DescribeClientVpnEndpointsCommand).resolves({
      ClientVpnEndpoints: [
        {
          Status: { Code: 'available' },
          ConnectionLogOptions: { Enabled: false, CloudwatchLogGroup: GROUP },
        },
        { Status: { Code: 'deleted' }, ConnectionLogOptions: { Enabled: true, CloudwatchLogGroup: GROUP } },
      ],
    });
    const { handler } = trigger();

    // Act
    const outcome = await handler(logsEvent('DeleteLogGroup', GROUP));

    // Assess
    expect(outcome.action).toBe('ignored');
  });

  it('reads only the endpoints for a log group change: one DescribeClientVpnEndpoints of up to 1,000', async () => {
    // Prepare
    const { handler } = trigger();

    // Act
    await handler(logsEvent('DeleteLogGroup', '/aws/lambda/orders'));

    // Assess
    expect(ec2).toHaveReceivedCommandTimes(DescribeClientVpnEndpointsCommand, 1);
    expect(ec2).toHaveReceivedCommandWith(DescribeClientVpnEndpointsCommand, { MaxResults: 1000 });
    expect(cloudWatchLogs).not.toHaveReceivedCommand(DescribeLogGroupsCommand);
    expect(kms).not.toHaveReceivedCommand(DescribeKeyCommand);
  });

  it("reads the endpoints' groups 50 to a DescribeLogGroups call for a key change", async () => {
    // Prepare
    const groups = Array.from({ length: 120 }, (_, i) => `/vpn/team-${i}`);
    ec2.on(DescribeClientVpnEndpointsCommand).resolves(endpointsLoggingTo(...groups));
    cloudWatchLogs.on(DescribeLogGroupsCommand).callsFake(({ logGroupIdentifiers = [] }) => ({
      logGroups: logGroupIdentifiers.map((name: string) => ({
        logGroupName: name,
        kmsKeyId: keyArn(OTHER_KEY_ID),
      })),
    }));
    const { handler } = trigger();

    // Act
    const outcome = await handler(kmsEvent('DisableKey', KEY_ID, keyArn(KEY_ID)));

    // Assess
    const batches = cloudWatchLogs
      .commandCalls(DescribeLogGroupsCommand)
      .map((call) => call.args[0].input.logGroupIdentifiers ?? []);
    expect(batches.map((batch) => batch.length)).toEqual([50, 50, 20]);
    expect(batches.flat()).toEqual(groups);
    expect(outcome.action).toBe('ignored');
  });

  it('does not look a key up when no endpoint logs to a group', async () => {
    // Prepare
    ec2.on(DescribeClientVpnEndpointsCommand).resolves({ ClientVpnEndpoints: [] });
    const { handler } = trigger();

    // Act
    const outcome = await handler(kmsEvent('DisableKey', 'alias/vpn-logs'));

    // Assess
    expect(outcome.action).toBe('ignored');
    expect(cloudWatchLogs).not.toHaveReceivedCommand(DescribeLogGroupsCommand);
    expect(kms).not.toHaveReceivedCommand(DescribeKeyCommand);
  });
});

describe('the re-evaluation trigger, on a change to a pipeline in use', () => {
  it.each([
    ['the key named by its ARN', kmsEvent('DisableKey', keyArn(KEY_ID))],
    ['the key named by its bare ID', kmsEvent('ScheduleKeyDeletion', KEY_ID)],
    ['the key named by an alias', kmsEvent('DisableKey', 'alias/vpn-logs')],
    [
      'the key named by an alias ARN',
      kmsEvent('DeleteImportedKeyMaterial', 'arn:aws:kms:us-east-1:123456789012:alias/vpn-logs'),
    ],
    [
      'the key CloudTrail records, whatever alias the caller used',
      kmsEvent('ScheduleKeyDeletion', 'alias/since-moved', keyArn(KEY_ID)),
    ],
    [
      'the group named by its ARN',
      cloudTrailEvent('logs.amazonaws.com', 'DisassociateKmsKey', undefined, {
        requestParameters: { resourceIdentifier: `arn:aws:logs:us-east-1:123456789012:log-group:${GROUP}` },
      }),
    ],
  ])('starts an evaluation for %s', async (_case, event) => {
    // Prepare
    const { handler } = trigger();

    // Act
    const outcome = await handler(event);

    // Assess
    expect(outcome).toEqual({ action: 'started', configRuleName: RULE });
  });

  it.each([
    [
      "a group's key that is not a key ARN, which cannot be compared",
      () =>
        cloudWatchLogs.on(DescribeLogGroupsCommand).resolves({
          logGroups: [{ logGroupName: GROUP, kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:alias/x' }],
        }),
    ],
    ['an alias DescribeKey names no key for', () => kms.on(DescribeKeyCommand).resolves({})],
  ])('starts an evaluation when it meets %s', async (_case, arrange) => {
    // Prepare
    arrange();
    const { handler } = trigger();

    // Act
    const outcome = await handler(kmsEvent('DisableKey', 'alias/vpn-logs'));

    // Assess
    expect(outcome.action).toBe('started');
  });

  it('resolves an alias only when CloudTrail recorded no key ARN', async () => {
    // Prepare
    const { handler } = trigger();

    // Act
    await handler(kmsEvent('ScheduleKeyDeletion', 'alias/since-moved', keyArn(KEY_ID)));

    // Assess
    expect(kms).not.toHaveReceivedCommand(DescribeKeyCommand);
  });
});

describe('the re-evaluation trigger, when the look-up fails (fail safe)', () => {
  it.each([
    [
      'DescribeClientVpnEndpoints is denied',
      () =>
        ec2
          .on(DescribeClientVpnEndpointsCommand)
          .rejects(Object.assign(new Error('denied'), { name: 'UnauthorizedOperation' })),
      'UnauthorizedOperation',
    ],
    [
      'DescribeLogGroups fails',
      () =>
        cloudWatchLogs
          .on(DescribeLogGroupsCommand)
          .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' })),
      'ThrottlingException',
    ],
    [
      'the alias cannot be resolved',
      () =>
        kms
          .on(DescribeKeyCommand)
          .rejects(new NotFoundException({ message: 'Alias not found', $metadata: {} })),
      'NotFoundException',
    ],
    [
      'DescribeClientVpnEndpoints repeats a page token',
      () =>
        ec2
          .on(DescribeClientVpnEndpointsCommand)
          .resolves({ ...endpointsLoggingTo('/vpn/a'), NextToken: 'same-token' }),
      'RepeatedPageTokenError',
    ],
  ])('starts the evaluation anyway when %s, and logs why', async (_case, fail, why) => {
    // Prepare
    fail();
    const { handler, logs, logFields } = trigger();

    // Act
    const outcome = await handler(kmsEvent('DisableKey', 'alias/vpn-logs'));

    // Assess
    expect(outcome.action).toBe('started');
    const warning = logs.findIndex(([level]) => level === 'warn');
    expect(logs[warning]?.[1]).toMatch(/look-up failed/i);
    expect(String(logFields[warning]?.error)).toContain(why);
  });

  it('starts the evaluation anyway when the event does not say what changed, and logs why', async () => {
    // Prepare
    const { handler, logs } = trigger();

    // Act
    const outcome = await handler(
      cloudTrailEvent('kms.amazonaws.com', 'DisableKey', undefined, { requestParameters: null }),
    );

    // Assess
    expect(outcome.action).toBe('started');
    expect(logs).toContainEqual(['warn', expect.stringMatching(/unknown/i)]);
  });
});

describe('the re-evaluation trigger, given events it must not trust', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'ignores an event whose eventSource is %s, without crashing',
    async (eventSource) => {
      // Prepare
      const { handler } = trigger();

      // Act
      const outcome = await handler(cloudTrailEvent(eventSource, 'toString'));

      // Assess
      expect(outcome.action).toBe('ignored');
    },
  );

  it.each([
    ['the event', { region: 'eu-west-1' }],
    ['the CloudTrail record', { detail: { awsRegion: 'eu-west-1' } }],
  ])("ignores a change %s places in another region than the function's own", async (_case, change) => {
    // Prepare
    const { handler } = trigger();
    const event = logsEvent('DeleteLogGroup', GROUP);
    const forwarded = {
      ...event,
      ...('region' in change ? change : {}),
      detail: { ...event.detail, ...('detail' in change ? change.detail : {}) },
    };

    // Act
    const outcome = await handler(forwarded);

    // Assess
    expect(outcome.action).toBe('ignored');
    expect(ec2).not.toHaveReceivedCommand(DescribeClientVpnEndpointsCommand);
  });

  it('stops looking for the organization rule copy when DescribeConfigRules repeats a page token', async () => {
    // Prepare
    // Answered on a later turn of the event loop, so that an endless loop times the test out.
    config
      .on(DescribeConfigRulesCommand)
      .callsFake(
        () => new Promise((resolve) => setTimeout(() => resolve({ ConfigRules: [], NextToken: 'again' }), 1)),
      );
    const { handler } = trigger({ environment: { CONFIG_RULE_NAME: RULE, ORGANIZATION_RULE: 'true' } });

    // Act / Assess
    await expect(handler(logsEvent('DeleteLogGroup', GROUP))).rejects.toThrow(RepeatedPageTokenError);
    expect(config).toHaveReceivedCommandTimes(DescribeConfigRulesCommand, 2);
  });
});

describe('the re-evaluation trigger in a member account (ORGANIZATION_RULE)', () => {
  const organization = { environment: { CONFIG_RULE_NAME: RULE, ORGANIZATION_RULE: 'true' } };

  it("starts the account's copy of the organization rule, looked up once per container", async () => {
    // Prepare
    config
      .on(DescribeConfigRulesCommand)
      .resolvesOnce({
        ConfigRules: [
          { ConfigRuleName: `OrgConfigRule-${RULE}-extra-abcd1234`, Source: undefined },
          { ConfigRuleName: 'securityhub-s3-bucket-versioning-enabled-1a2b3c', Source: undefined },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        ConfigRules: [{ ConfigRuleName: `OrgConfigRule-${RULE}-dbgzf8ba`, Source: undefined }],
      });
    const { handler, advance } = trigger(organization);

    // Act
    await handler(cloudTrailEvent('logs.amazonaws.com', 'DeleteLogGroup', '2026-11-20T10:14:31Z'));
    advance(3_600_000);
    await handler(cloudTrailEvent('kms.amazonaws.com', 'DisableKey', '2026-11-20T11:19:00Z'));

    // Assess
    expect(config).toHaveReceivedCommandTimes(DescribeConfigRulesCommand, 2);
    expect(config).toHaveReceivedCommandTimes(StartConfigRulesEvaluationCommand, 2);
    expect(config).toHaveReceivedCommandWith(StartConfigRulesEvaluationCommand, {
      ConfigRuleNames: [`OrgConfigRule-${RULE}-dbgzf8ba`],
    });
  });

  it('does nothing, with a warning, in an account the organization rule does not reach', async () => {
    // Prepare
    config.on(DescribeConfigRulesCommand).resolves({ ConfigRules: [] });
    const { handler, logs } = trigger(organization);

    // Act
    const outcome = await handler(cloudTrailEvent());

    // Assess
    expect(outcome.action).toBe('ignored');
    expect(logs.map(([level]) => level)).toEqual(['warn']);
    expect(config).not.toHaveReceivedCommand(StartConfigRulesEvaluationCommand);
  });

  it('refuses to guess between two copies', async () => {
    // Prepare
    config.on(DescribeConfigRulesCommand).resolves({
      ConfigRules: [
        { ConfigRuleName: `OrgConfigRule-${RULE}-aaaa1111`, Source: undefined },
        { ConfigRuleName: `OrgConfigRule-${RULE}-bbbb2222`, Source: undefined },
      ],
    });
    const { handler } = trigger(organization);

    // Act / Assess
    await expect(handler(cloudTrailEvent())).rejects.toThrow(TriggerConfigurationError);
  });
});
