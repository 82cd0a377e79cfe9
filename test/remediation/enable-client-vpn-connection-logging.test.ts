import { ModifyClientVpnEndpointCommand } from '@aws-sdk/client-ec2';
import fc from 'fast-check';
import { calledIamActions, loadRunbook } from '../../remediation/runbook';
import { ACCEPTED_RETENTION_DAYS, ClientVpnWorld, type EndpointSeed } from './client-vpn-world';
import {
  InvalidAutomationParametersError,
  RunbookExecutor,
  type ExecutionResult,
  type SelectorMissBehaviour,
} from '../../sandbox/runbook-executor';

const RUNBOOK = loadRunbook();
const ENDPOINT_ID = 'cvpn-endpoint-0123456789abcdef0';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/ClientVpnConnectionLoggingRemediation';
const KMS_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KMS_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0987dcba-09fe-87dc-65ba-ab0987654321';
const DEFAULT_GROUP = '/aws/clientvpn';
const ENGINEERING_GROUP = '/aws/clientvpn/engineering';
const ORG_PREFIX = '/org/clientvpn/';
const ORG_GROUP = '/org/clientvpn/engineering';
const OTHER_ACCOUNT_KEY_ARN = 'arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_REGION_KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_PARTITION_KEY_ARN =
  'arn:aws-cn:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const LEGACY_GROUP = '/legacy/vpn';
const MUTATING_APIS = [
  'ec2:ModifyClientVpnEndpoint',
  'logs:CreateLogGroup',
  'logs:PutRetentionPolicy',
  'logs:AssociateKmsKey',
];

// AWS does not document what an output selector matching nothing does; the runbook must not depend on it.
const SELECTOR_MISS_BEHAVIOURS: readonly SelectorMissBehaviour[] = ['output-absent', 'step-fails'];

describe.each(SELECTOR_MISS_BEHAVIOURS)(
  'EnableClientVpnConnectionLogging (selector misses: %s)',
  (selectorMiss) => {
    let world: ClientVpnWorld;

    beforeEach(() => {
      world = new ClientVpnWorld().withKey(KMS_KEY_ARN).withKey(OTHER_KMS_KEY_ARN);
    });

    afterEach(() => world.restore());

    async function remediate(parameters: Record<string, string> = {}): Promise<ExecutionResult> {
      const executor = new RunbookExecutor({ clients: world.clients(), selectorMiss });
      const result = await executor.run(RUNBOOK, {
        ClientVpnEndpointId: ENDPOINT_ID,
        AutomationAssumeRole: ROLE_ARN,
        ...parameters,
      });
      // Every path reads outputs only where their selector is sure to match.
      expect(result.selectorMisses).toEqual([]);
      return result;
    }

    function mutatingCalls(): string[] {
      return world.calledApis().filter((api) => MUTATING_APIS.includes(api));
    }

    it('creates the default group with 365 days retention and enables logging when logging is off and no group exists', async () => {
      // Prepare
      world.withEndpoint(ENDPOINT_ID, { enabled: false });
      const before = world.endpoint(ENDPOINT_ID);

      // Act
      const result = await remediate();

      // Assess
      expect(result.status).toBe('Success');
      expect(world.logGroup(DEFAULT_GROUP)).toMatchObject({ retentionInDays: 365 });
      expect(world.logGroup(DEFAULT_GROUP)?.kmsKeyId).toBeUndefined();
      expect(mutatingCalls()).toEqual([
        'logs:CreateLogGroup',
        'logs:PutRetentionPolicy',
        'ec2:ModifyClientVpnEndpoint',
      ]);
      expect(world.ec2Mock).toHaveReceivedCommandWith(ModifyClientVpnEndpointCommand, {
        ClientVpnEndpointId: ENDPOINT_ID,
        ConnectionLogOptions: { Enabled: true, CloudwatchLogGroup: DEFAULT_GROUP },
      });
      const after = world.endpoint(ENDPOINT_ID);
      expect(after.ConnectionLogOptions).toMatchObject({ Enabled: true, CloudwatchLogGroup: DEFAULT_GROUP });
      expect({ ...after, ConnectionLogOptions: undefined }).toEqual({
        ...before,
        ConnectionLogOptions: undefined,
      });
      expect(result.outputs['DescribeConnectionLogOptions.ConnectionLogOptions']).toEqual(
        after.ConnectionLogOptions,
      );
    });

    it('sends nothing but the endpoint ID and ConnectionLogOptions in the modify call', async () => {
      // Prepare
      world.withEndpoint(ENDPOINT_ID, { enabled: false });

      // Act
      await remediate();

      // Assess
      const modify = world.calls.find((call) => call.api === 'ModifyClientVpnEndpoint');
      expect(Object.keys(modify?.input as object).sort()).toEqual([
        'ClientVpnEndpointId',
        'ConnectionLogOptions',
      ]);
    });

    it('enables logging to an existing group without creating it or touching its retention when logging is off', async () => {
      // Prepare
      world
        .withEndpoint(ENDPOINT_ID, { enabled: false })
        .withLogGroup(ENGINEERING_GROUP, { retentionInDays: 731 });

      // Act
      const result = await remediate({ LogGroupName: ENGINEERING_GROUP });

      // Assess
      expect(result.status).toBe('Success');
      expect(mutatingCalls()).toEqual(['ec2:ModifyClientVpnEndpoint']);
      expect(world.logGroup(ENGINEERING_GROUP)).toMatchObject({ retentionInDays: 731 });
      expect(world.endpoint(ENDPOINT_ID).ConnectionLogOptions).toMatchObject({
        CloudwatchLogGroup: ENGINEERING_GROUP,
      });
    });

    it('makes no modify call, and no change at all, when the endpoint already logs to a healthy group', async () => {
      // Prepare
      world
        .withEndpoint(ENDPOINT_ID, {
          enabled: true,
          logGroup: ENGINEERING_GROUP,
          logStream: 'vpn-connections',
        })
        .withLogGroup(ENGINEERING_GROUP, { retentionInDays: 3653 });
      const before = world.snapshot();

      // Act
      const result = await remediate();

      // Assess
      expect(result.status).toBe('Success');
      expect(world.ec2Mock).not.toHaveReceivedCommand(ModifyClientVpnEndpointCommand);
      expect(mutatingCalls()).toEqual([]);
      expect(world.snapshot()).toEqual(before);
      expect(world.logGroup(DEFAULT_GROUP)).toBeUndefined();
    });

    it('re-creates the group the endpoint logs to, not LogGroupName, when that group was deleted', async () => {
      // Prepare
      world
        .withEndpoint(ENDPOINT_ID, {
          enabled: true,
          logGroup: ENGINEERING_GROUP,
          logStream: 'vpn-connections',
        })
        .withLogGroup(ENGINEERING_GROUP, { retentionInDays: 90 });
      world.deleteLogGroup(ENGINEERING_GROUP);

      // Act
      const result = await remediate({ RetentionInDays: '400' });

      // Assess
      expect(result.status).toBe('Success');
      expect(world.logGroup(ENGINEERING_GROUP)).toMatchObject({ retentionInDays: 400 });
      expect(world.logGroup(DEFAULT_GROUP)).toBeUndefined();
      expect(mutatingCalls()).toEqual([
        'logs:CreateLogGroup',
        'logs:PutRetentionPolicy',
        'ec2:ModifyClientVpnEndpoint',
      ]);
      expect(world.endpoint(ENDPOINT_ID).ConnectionLogOptions).toMatchObject({
        Enabled: true,
        CloudwatchLogGroup: ENGINEERING_GROUP,
      });
    });

    it('logs to the named stream when LogStreamName is given', async () => {
      // Prepare
      world.withEndpoint(ENDPOINT_ID, { enabled: false });

      // Act
      await remediate({ LogStreamName: 'office-vpn' });

      // Assess
      expect(world.ec2Mock).toHaveReceivedCommandWith(ModifyClientVpnEndpointCommand, {
        ConnectionLogOptions: {
          Enabled: true,
          CloudwatchLogGroup: DEFAULT_GROUP,
          CloudwatchLogStream: 'office-vpn',
        },
      });
      expect(world.endpoint(ENDPOINT_ID).ConnectionLogOptions?.CloudwatchLogStream).toBe('office-vpn');
    });

    describe('with a KMS key', () => {
      it('creates the missing group encrypted with the key', async () => {
        // Prepare
        world.withEndpoint(ENDPOINT_ID, { enabled: false });

        // Act
        const result = await remediate({ KmsKeyArn: KMS_KEY_ARN });

        // Assess
        expect(result.status).toBe('Success');
        expect(world.logGroup(DEFAULT_GROUP)).toMatchObject({ kmsKeyId: KMS_KEY_ARN, retentionInDays: 365 });
        expect(mutatingCalls()).not.toContain('logs:AssociateKmsKey');
      });

      it('associates the key with an existing group that has none', async () => {
        // Prepare
        world
          .withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: DEFAULT_GROUP })
          .withLogGroup(DEFAULT_GROUP, {
            retentionInDays: 365,
          });

        // Act
        const result = await remediate({ KmsKeyArn: KMS_KEY_ARN });

        // Assess
        expect(result.status).toBe('Success');
        expect(world.logGroup(DEFAULT_GROUP)?.kmsKeyId).toBe(KMS_KEY_ARN);
        expect(mutatingCalls()).toEqual(['logs:AssociateKmsKey']);
      });

      it('keeps the key an existing group already has', async () => {
        // Prepare
        world
          .withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: DEFAULT_GROUP })
          .withLogGroup(DEFAULT_GROUP, {
            retentionInDays: 365,
            kmsKeyId: OTHER_KMS_KEY_ARN,
          });

        // Act
        const result = await remediate({ KmsKeyArn: KMS_KEY_ARN });

        // Assess
        expect(result.status).toBe('Success');
        expect(world.logGroup(DEFAULT_GROUP)?.kmsKeyId).toBe(OTHER_KMS_KEY_ARN);
        expect(mutatingCalls()).toEqual([]);
      });

      it('keeps the key of an existing group when no key is given', async () => {
        // Prepare
        world.withEndpoint(ENDPOINT_ID, { enabled: false }).withLogGroup(DEFAULT_GROUP, {
          retentionInDays: 365,
          kmsKeyId: OTHER_KMS_KEY_ARN,
        });

        // Act
        await remediate();

        // Assess
        expect(world.logGroup(DEFAULT_GROUP)?.kmsKeyId).toBe(OTHER_KMS_KEY_ARN);
        expect(mutatingCalls()).toEqual(['ec2:ModifyClientVpnEndpoint']);
      });
    });

    describe('with a KMS key that CloudWatch Logs cannot use', () => {
      const DISABLED_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/5f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f';
      const DELETION = new Date('2026-12-10T09:00:00Z');

      function expectRefusedBeforeAnyChange(result: ExecutionResult, before: unknown, message: RegExp): void {
        expect(result.status).toBe('Failed');
        expect(result.failureMessage).toMatch(message);
        expect(result.failureMessage).toMatch(/Nothing was changed\. Manual fix: /);
        expect(result.steps.map((step) => step.name)).toEqual(['ReadLoggingState']);
        expect(mutatingCalls()).toEqual([]);
        expect(world.snapshot()).toEqual(before);
      }

      it.each<
        [string, 'Disabled' | 'PendingDeletion' | 'PendingImport' | 'Unavailable', Date | undefined, RegExp]
      >([
        ['Disabled', 'Disabled', undefined, /is Disabled, .*Manual fix: enable the key \(kms:EnableKey\)/],
        [
          'pending deletion',
          'PendingDeletion',
          DELETION,
          /is PendingDeletion, to be deleted 2026-12-10T09:00:00.*Manual fix: cancel the deletion \(kms:CancelKeyDeletion\), then enable the key/,
        ],
        [
          'pending import',
          'PendingImport',
          undefined,
          /is PendingImport, .*Manual fix: import the key material/,
        ],
        [
          'unavailable',
          'Unavailable',
          undefined,
          /is Unavailable, .*Manual fix: reconnect the custom key store/,
        ],
      ])(
        'fails before any change when the group inside the prefix keeps a key that is %s, naming the cause and the fix',
        async (_case, keyState, deletionDate, message) => {
          // Prepare
          world
            .withKey(DISABLED_KEY_ARN, keyState, deletionDate)
            .withEndpoint(ENDPOINT_ID, { enabled: false })
            .withLogGroup(DEFAULT_GROUP, { retentionInDays: 30, kmsKeyId: DISABLED_KEY_ARN });
          const before = world.snapshot();

          // Act
          const result = await remediate();

          // Assess
          expectRefusedBeforeAnyChange(
            result,
            before,
            new RegExp(
              `^Step ReadLoggingState: the script raised RuntimeError: KMS key ${DISABLED_KEY_ARN}, which ${DEFAULT_GROUP} uses, .*the Config rule would still find the endpoint NON_COMPLIANT`,
            ),
          );
          expect(result.failureMessage).toMatch(message);
        },
      );

      it.each([
        ['a group it would create', (w: ClientVpnWorld) => w.withEndpoint(ENDPOINT_ID, { enabled: false })],
        [
          'a group without a key it would associate the key with',
          (w: ClientVpnWorld) =>
            w
              .withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: DEFAULT_GROUP })
              .withLogGroup(DEFAULT_GROUP, { retentionInDays: 30 }),
        ],
      ])('fails before any change when KmsKeyArn is Disabled and meant for %s', async (_case, prepare) => {
        // Prepare
        prepare(world.withKey(DISABLED_KEY_ARN, 'Disabled'));
        const before = world.snapshot();

        // Act
        const result = await remediate({ KmsKeyArn: DISABLED_KEY_ARN });

        // Assess
        expectRefusedBeforeAnyChange(
          result,
          before,
          new RegExp(`KMS key ${DISABLED_KEY_ARN}, which ${DEFAULT_GROUP} uses, is Disabled`),
        );
      });

      it('judges only the key the group will use: a Disabled KmsKeyArn is no obstacle when the group keeps its Enabled key', async () => {
        // Prepare
        world
          .withKey(DISABLED_KEY_ARN, 'Disabled')
          .withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: DEFAULT_GROUP })
          .withLogGroup(DEFAULT_GROUP, { retentionInDays: 30, kmsKeyId: OTHER_KMS_KEY_ARN });

        // Act
        const result = await remediate({ KmsKeyArn: DISABLED_KEY_ARN });

        // Assess
        expect(result.status).toBe('Success');
        expect(world.logGroup(DEFAULT_GROUP)).toMatchObject({
          retentionInDays: 365,
          kmsKeyId: OTHER_KMS_KEY_ARN,
        });
        expect(world.calls.filter((call) => call.service === 'kms').map((call) => call.input)).toEqual([
          { KeyId: OTHER_KMS_KEY_ARN },
        ]);
      });

      it.each([
        [
          'the role may not read it (AccessDeniedException)',
          (w: ClientVpnWorld) => w.denyAccess('kms:DescribeKey'),
          'AccessDeniedException',
        ],
        ['it does not exist (NotFoundException)', (w: ClientVpnWorld) => w, 'NotFoundException'],
      ])(
        "fails before any change, naming the fix, when the group's key cannot be read because %s",
        async (_case, prepare, code) => {
          // Prepare
          const unknownKey = 'arn:aws:kms:us-east-1:123456789012:key/0a0b0c0d-1e1f-2a2b-3c3d-4e4f5a5b6c6d';
          prepare(world)
            .withEndpoint(ENDPOINT_ID, { enabled: false })
            .withLogGroup(DEFAULT_GROUP, {
              retentionInDays: 30,
              kmsKeyId: denied(code) ? KMS_KEY_ARN : unknownKey,
            });
          const before = world.snapshot();

          // Act
          const result = await remediate();

          // Assess
          expectRefusedBeforeAnyChange(
            result,
            before,
            new RegExp(
              `could not be read \\(${code}\\).*Manual fix: allow the automation role kms:DescribeKey`,
            ),
          );
        },
      );

      function denied(code: string): boolean {
        return code === 'AccessDeniedException';
      }
    });

    describe('retention of an existing group', () => {
      it.each<[string, number | undefined, number | undefined, string[]]>([
        ['raises a shorter retention to RetentionInDays', 30, 365, ['logs:PutRetentionPolicy']],
        ['keeps a retention equal to RetentionInDays', 365, 365, []],
        ['keeps a longer retention', 3653, 3653, []],
        ['keeps a never-expiring group never-expiring', undefined, undefined, []],
      ])('%s', async (_case, before, after, calls) => {
        // Prepare
        world
          .withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: DEFAULT_GROUP })
          .withLogGroup(DEFAULT_GROUP, before === undefined ? {} : { retentionInDays: before });

        // Act
        const result = await remediate();

        // Assess
        expect(result.status).toBe('Success');
        expect(world.logGroup(DEFAULT_GROUP)?.retentionInDays).toBe(after);
        expect(mutatingCalls()).toEqual(calls);
      });
    });

    it('fails, naming the step and the EC2 error, and changes nothing when the endpoint does not exist', async () => {
      // Prepare
      world.withEndpoint(ENDPOINT_ID, { enabled: false });
      const before = world.snapshot();

      // Act
      const result = await remediate({ ClientVpnEndpointId: 'cvpn-endpoint-0fedcba9876543210' });

      // Assess
      expect(result.status).toBe('Failed');
      expect(result.failureMessage).toMatch(
        /^Step ReadLoggingState: the script raised ClientError: .*InvalidClientVpnEndpointId\.NotFound/,
      );
      expect(result.steps.map((step) => step.name)).toEqual(['ReadLoggingState']);
      expect(world.snapshot()).toEqual(before);
    });

    it.each([
      ['too short', 'cvpn-endpoint-0123'],
      ['in upper case', 'cvpn-endpoint-0123456789ABCDEF0'],
      ['of another resource type', 'vpn-0123456789abcdef0'],
      ['with an injected reference', 'cvpn-endpoint-0123456789abcdef0{{ LogGroupName }}'],
    ])('makes no call at all for an endpoint ID %s', async (_case, endpointId) => {
      // Prepare
      world.withEndpoint(ENDPOINT_ID, { enabled: false });

      // Act
      const run = remediate({ ClientVpnEndpointId: endpointId });

      // Assess
      await expect(run).rejects.toThrow(InvalidAutomationParametersError);
      await expect(run).rejects.toThrow(/"ClientVpnEndpointId" .* does not match allowedPattern/);
      expect(world.calls).toEqual([]);
    });

    it.each([
      ['a retention CloudWatch Logs refuses', { RetentionInDays: '100' }, /RetentionInDays/],
      ['an invalid log group name', { LogGroupName: '/aws/client vpn' }, /LogGroupName/],
      ['a KMS alias instead of a key ARN', { KmsKeyArn: 'alias/clientvpn' }, /KmsKeyArn/],
      [
        'a log group name prefix with a character no group name may hold',
        { LogGroupNamePrefix: '/org/client vpn/' },
        /"LogGroupNamePrefix" .* does not match allowedPattern/,
      ],
      [
        'an empty log group name prefix, which would let the runbook change any group',
        { LogGroupNamePrefix: '' },
        /"LogGroupNamePrefix" .* does not match allowedPattern/,
      ],
      [
        'a log stream name with a colon',
        { LogStreamName: 'office:vpn' },
        /"LogStreamName" .* does not match allowedPattern/,
      ],
      [
        'a log stream name with an asterisk',
        { LogStreamName: 'office*' },
        /"LogStreamName" .* does not match allowedPattern/,
      ],
      [
        'a log stream name with a newline',
        { LogStreamName: 'office\nvpn' },
        /"LogStreamName" .* does not match allowedPattern/,
      ],
      [
        'a log stream name with a NUL character',
        { LogStreamName: 'office\u0000vpn' },
        /"LogStreamName" .* does not match allowedPattern/,
      ],
      [
        'an assume role that is not a role ARN',
        { AutomationAssumeRole: 'ClientVpnRemediation' },
        /AutomationAssumeRole/,
      ],
    ])('makes no call at all for %s', async (_case, parameters, message) => {
      // Prepare
      world.withEndpoint(ENDPOINT_ID, { enabled: false });

      // Act
      const run = remediate(parameters);

      // Assess
      await expect(run).rejects.toThrow(message);
      expect(world.calls).toEqual([]);
    });

    describe('with LogGroupNamePrefix', () => {
      it('re-points an endpoint logging outside the prefix to LogGroupName and leaves the old group untouched', async () => {
        // Prepare
        world
          .withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: DEFAULT_GROUP, logStream: 'vpn-connections' })
          .withLogGroup(DEFAULT_GROUP, { retentionInDays: 30 });
        const oldGroup = world.logGroup(DEFAULT_GROUP);

        // Act
        const result = await remediate({ LogGroupNamePrefix: ORG_PREFIX, LogGroupName: ORG_GROUP });

        // Assess
        expect(result.status).toBe('Success');
        expect(result.stepOutputs).toMatchObject({
          'ReadLoggingState.TargetLogGroup': ORG_GROUP,
          'ReadLoggingState.ModifyEndpoint': true,
        });
        expect(mutatingCalls()).toEqual([
          'logs:CreateLogGroup',
          'logs:PutRetentionPolicy',
          'ec2:ModifyClientVpnEndpoint',
        ]);
        expect(world.ec2Mock).toHaveReceivedCommandWith(ModifyClientVpnEndpointCommand, {
          ClientVpnEndpointId: ENDPOINT_ID,
          ConnectionLogOptions: { Enabled: true, CloudwatchLogGroup: ORG_GROUP },
        });
        expect(world.endpoint(ENDPOINT_ID).ConnectionLogOptions).toMatchObject({
          Enabled: true,
          CloudwatchLogGroup: ORG_GROUP,
        });
        expect(world.logGroup(ORG_GROUP)).toMatchObject({ retentionInDays: 365 });
        expect(world.logGroup(DEFAULT_GROUP)).toEqual(oldGroup);
        expect(JSON.stringify(world.calls.filter((call) => call.service === 'logs'))).not.toContain(
          `"${DEFAULT_GROUP}"`,
        );
      });

      it('re-points an endpoint logging outside the prefix to an existing LogGroupName with only the modify call', async () => {
        // Prepare
        world
          .withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: DEFAULT_GROUP })
          .withLogGroup(DEFAULT_GROUP, { retentionInDays: 365 })
          .withLogGroup(ORG_GROUP, { retentionInDays: 731 });

        // Act
        const result = await remediate({ LogGroupNamePrefix: ORG_PREFIX, LogGroupName: ORG_GROUP });

        // Assess
        expect(result.status).toBe('Success');
        expect(mutatingCalls()).toEqual(['ec2:ModifyClientVpnEndpoint']);
        expect(world.endpoint(ENDPOINT_ID).ConnectionLogOptions?.CloudwatchLogGroup).toBe(ORG_GROUP);
        expect(world.logGroup(ORG_GROUP)).toMatchObject({ retentionInDays: 731 });
      });

      it('keeps a current group inside the prefix, other than LogGroupName, with no modify call', async () => {
        // Prepare
        const teamGroup = `${ORG_PREFIX}finance`;
        world
          .withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: teamGroup, logStream: 'vpn-connections' })
          .withLogGroup(teamGroup, { retentionInDays: 3653 });
        const before = world.snapshot();

        // Act
        const result = await remediate({ LogGroupNamePrefix: ORG_PREFIX, LogGroupName: ORG_GROUP });

        // Assess
        expect(result.status).toBe('Success');
        expect(result.stepOutputs).toMatchObject({
          'ReadLoggingState.TargetLogGroup': teamGroup,
          'ReadLoggingState.ModifyEndpoint': false,
        });
        expect(world.ec2Mock).not.toHaveReceivedCommand(ModifyClientVpnEndpointCommand);
        expect(mutatingCalls()).toEqual([]);
        expect(world.snapshot()).toEqual(before);
        expect(world.logGroup(ORG_GROUP)).toBeUndefined();
      });

      it('keeps a current group whose name equals the prefix', async () => {
        // Prepare
        world
          .withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: ENGINEERING_GROUP })
          .withLogGroup(ENGINEERING_GROUP, { retentionInDays: 365 });

        // Act
        const result = await remediate({
          LogGroupNamePrefix: ENGINEERING_GROUP,
          LogGroupName: ENGINEERING_GROUP,
        });

        // Assess
        expect(result.status).toBe('Success');
        expect(mutatingCalls()).toEqual([]);
      });

      it.each<[string, EndpointSeed]>([
        ['logging is off', { enabled: false }],
        ['the endpoint logs outside the prefix', { enabled: true, logGroup: DEFAULT_GROUP }],
        ['the endpoint already logs inside the prefix', { enabled: true, logGroup: ORG_GROUP }],
      ])(
        'fails before any change, naming both parameters, when LogGroupName lies outside the prefix and %s',
        async (_case, connectionLog) => {
          // Prepare
          world
            .withEndpoint(ENDPOINT_ID, connectionLog)
            .withLogGroup(DEFAULT_GROUP, { retentionInDays: 30 })
            .withLogGroup(ORG_GROUP, { retentionInDays: 30 });
          const before = world.snapshot();

          // Act
          const result = await remediate({ LogGroupNamePrefix: ORG_PREFIX, LogGroupName: DEFAULT_GROUP });

          // Assess
          expect(result.status).toBe('Failed');
          expect(result.failureMessage).toMatch(
            /^Step ReadLoggingState: .*LogGroupName \/aws\/clientvpn does not start with LogGroupNamePrefix \/org\/clientvpn\//,
          );
          expect(result.steps.map((step) => [step.name, step.status])).toEqual([
            ['ReadLoggingState', 'Failed'],
          ]);
          expect(world.calls).toEqual([]);
          expect(world.snapshot()).toEqual(before);
        },
      );

      it('ends two runs in a row in the same state, the second changing nothing', async () => {
        // Prepare
        world
          .withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: DEFAULT_GROUP })
          .withLogGroup(DEFAULT_GROUP, { retentionInDays: 30 });
        const parameters = {
          LogGroupNamePrefix: ORG_PREFIX,
          LogGroupName: ORG_GROUP,
          KmsKeyArn: KMS_KEY_ARN,
        };
        await remediate(parameters);
        const afterFirst = world.snapshot();
        world.clearCalls();

        // Act
        const second = await remediate(parameters);

        // Assess
        expect(second.status).toBe('Success');
        expect(mutatingCalls()).toEqual([]);
        expect(world.snapshot()).toEqual(afterFirst);
        expect(afterFirst.endpoints[ENDPOINT_ID].ConnectionLogOptions?.CloudwatchLogGroup).toBe(ORG_GROUP);
      });
    });

    describe('inside the default managed prefix /aws/clientvpn', () => {
      it('leaves a group outside the prefix untouched, never reads it, and re-points the endpoint to LogGroupName', async () => {
        // Prepare
        world
          .withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: LEGACY_GROUP, logStream: 'vpn-connections' })
          .withLogGroup(LEGACY_GROUP, { retentionInDays: 1 });
        const legacyBefore = world.logGroup(LEGACY_GROUP);

        // Act
        const result = await remediate({ KmsKeyArn: KMS_KEY_ARN, RetentionInDays: '731' });

        // Assess
        expect(result.status).toBe('Success');
        expect(world.logGroup(LEGACY_GROUP)).toEqual(legacyBefore);
        expect(JSON.stringify(world.calls.filter((call) => call.service === 'logs'))).not.toContain(
          LEGACY_GROUP,
        );
        expect(world.endpoint(ENDPOINT_ID).ConnectionLogOptions).toMatchObject({
          Enabled: true,
          CloudwatchLogGroup: DEFAULT_GROUP,
        });
        expect(world.logGroup(DEFAULT_GROUP)).toMatchObject({ retentionInDays: 731, kmsKeyId: KMS_KEY_ARN });
      });

      it('keeps the different key a group has, still raises its retention, and says the key was left as it was', async () => {
        // Prepare
        world
          .withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: ENGINEERING_GROUP })
          .withLogGroup(ENGINEERING_GROUP, { retentionInDays: 30, kmsKeyId: OTHER_KMS_KEY_ARN });

        // Act
        const result = await remediate({ KmsKeyArn: KMS_KEY_ARN });

        // Assess
        expect(result.status).toBe('Success');
        expect(world.logGroup(ENGINEERING_GROUP)).toMatchObject({
          retentionInDays: 365,
          kmsKeyId: OTHER_KMS_KEY_ARN,
        });
        expect(mutatingCalls()).toEqual(['logs:PutRetentionPolicy']);
        expect(result.outputs['ReadLoggingState.KmsKeyOutcome']).toMatch(
          new RegExp(`keeps its key ${OTHER_KMS_KEY_ARN}; left as it was`),
        );
        expect(result.outputs['ReadLoggingState.RetentionOutcome']).toBe(
          `raised the retention of ${ENGINEERING_GROUP} from 30 to 365 days`,
        );
      });

      it.each([
        ['another account', OTHER_ACCOUNT_KEY_ARN],
        ['another Region', OTHER_REGION_KEY_ARN],
        ['another partition', OTHER_PARTITION_KEY_ARN],
      ])('fails before any call, changing nothing, for a KmsKeyArn of %s', async (_case, keyArn) => {
        // Prepare
        world
          .withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: ENGINEERING_GROUP })
          .withLogGroup(ENGINEERING_GROUP, { retentionInDays: 30 });
        const before = world.snapshot();

        // Act
        const result = await remediate({ KmsKeyArn: keyArn });

        // Assess
        expect(result.status).toBe('Failed');
        expect(result.failureMessage).toMatch(
          /^Step ReadLoggingState: the script raised ValueError: KmsKeyArn .* is not a key of this account, Region and partition \(expected arn:aws:kms:us-east-1:123456789012:key\/\.\.\.\)/,
        );
        expect(world.calls).toEqual([]);
        expect(world.snapshot()).toEqual(before);
      });

      it.each([
        ['logs:DescribeLogGroups', /AccessDeniedException/],
        ['ec2:DescribeClientVpnEndpoints', /UnauthorizedOperation/],
      ])(
        'fails, changing nothing, when the read %s is refused, instead of taking the property as absent',
        async (api, error) => {
          // Prepare
          world
            .withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: ENGINEERING_GROUP })
            .withLogGroup(ENGINEERING_GROUP, { retentionInDays: 30, kmsKeyId: OTHER_KMS_KEY_ARN })
            .denyAccess(api);
          const before = world.snapshot();

          // Act
          const result = await remediate({ KmsKeyArn: KMS_KEY_ARN });

          // Assess
          expect(result.status).toBe('Failed');
          expect(result.failureMessage).toMatch(
            /^Step ReadLoggingState: the script raised \w+: An error occurred \(\w+\) when calling /,
          );
          expect(result.failureMessage).toMatch(error);
          expect(result.steps.map((step) => step.name)).toEqual(['ReadLoggingState']);
          expect(mutatingCalls()).toEqual([]);
          expect(world.snapshot()).toEqual(before);
        },
      );

      it('changes nothing on a second run after re-pointing an endpoint from a group outside the prefix', async () => {
        // Prepare
        world
          .withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: LEGACY_GROUP })
          .withLogGroup(LEGACY_GROUP, { retentionInDays: 1 });
        await remediate({ KmsKeyArn: KMS_KEY_ARN });
        const afterFirst = world.snapshot();
        world.clearCalls();

        // Act
        const second = await remediate({ KmsKeyArn: KMS_KEY_ARN });

        // Assess
        expect(second.status).toBe('Success');
        expect(mutatingCalls()).toEqual([]);
        expect(world.snapshot()).toEqual(afterFirst);
        expect(second.outputs['ReadLoggingState.KmsKeyOutcome']).toBe(
          `${DEFAULT_GROUP} is already encrypted with ${KMS_KEY_ARN}`,
        );
      });
    });

    it('waits while the endpoint is still applying the change', async () => {
      // Prepare
      world.withEndpoint(ENDPOINT_ID, { enabled: false });
      world.modifyPropagationDescribes = 3;

      // Act
      const result = await remediate();

      // Assess
      expect(result.status).toBe('Success');
      expect(world.endpoint(ENDPOINT_ID).ConnectionLogOptions?.Enabled).toBe(true);
    });

    it('ends two runs in a row in the same state, the second changing nothing', async () => {
      // Prepare
      world.withEndpoint(ENDPOINT_ID, { enabled: false }).withLogGroup(DEFAULT_GROUP, { retentionInDays: 7 });
      await remediate({ KmsKeyArn: KMS_KEY_ARN });
      const afterFirst = world.snapshot();
      world.clearCalls();

      // Act
      const second = await remediate({ KmsKeyArn: KMS_KEY_ARN });

      // Assess
      expect(second.status).toBe('Success');
      expect(world.snapshot()).toEqual(afterFirst);
      expect(mutatingCalls()).toEqual([]);
      expect(afterFirst.logGroups[DEFAULT_GROUP]).toMatchObject({
        retentionInDays: 365,
        kmsKeyId: KMS_KEY_ARN,
      });
    });
  },
);

describe('EnableClientVpnConnectionLogging, from any starting state', () => {
  const GROUP_NAMES = [DEFAULT_GROUP, ENGINEERING_GROUP, LEGACY_GROUP, ORG_GROUP, `${ORG_PREFIX}finance`];
  const groupArbitrary = fc.record({
    retentionInDays: fc.option(fc.constantFrom(...ACCEPTED_RETENTION_DAYS), { nil: undefined }),
    kmsKeyId: fc.option(fc.constantFrom(KMS_KEY_ARN, OTHER_KMS_KEY_ARN), { nil: undefined }),
  });
  const seedArbitrary = fc.record({
    logging: fc.constantFrom<'off' | 'on'>('off', 'on'),
    currentGroup: fc.constantFrom(...GROUP_NAMES),
    managed: fc.constantFrom(
      { prefix: undefined, name: undefined },
      { prefix: ORG_PREFIX, name: ORG_GROUP },
      { prefix: DEFAULT_GROUP, name: ENGINEERING_GROUP },
    ),
    groups: fc.dictionary(fc.constantFrom(...GROUP_NAMES), groupArbitrary),
    requestedRetention: fc.constantFrom(...ACCEPTED_RETENTION_DAYS),
    requestedKey: fc.constantFrom(undefined, KMS_KEY_ARN, OTHER_KMS_KEY_ARN, OTHER_ACCOUNT_KEY_ARN),
    denied: fc.constantFrom(
      undefined,
      'logs:DescribeLogGroups',
      'logs:CreateLogGroup',
      'logs:PutRetentionPolicy',
      'logs:AssociateKmsKey',
      'ec2:ModifyClientVpnEndpoint',
    ),
    selectorMiss: fc.constantFrom(...SELECTOR_MISS_BEHAVIOURS),
  });

  it('never changes a group outside the prefix, never lowers a retention, never replaces or removes a key, and ends idempotent', async () => {
    await fc.assert(
      fc.asyncProperty(seedArbitrary, async (seed) => {
        // Prepare
        const world = new ClientVpnWorld().withKey(KMS_KEY_ARN).withKey(OTHER_KMS_KEY_ARN);
        try {
          world.withEndpoint(
            ENDPOINT_ID,
            seed.logging === 'on' ? { enabled: true, logGroup: seed.currentGroup } : { enabled: false },
          );
          for (const [name, group] of Object.entries(seed.groups)) {
            world.withLogGroup(name, {
              ...(group.retentionInDays === undefined ? {} : { retentionInDays: group.retentionInDays }),
              ...(group.kmsKeyId === undefined ? {} : { kmsKeyId: group.kmsKeyId }),
            });
          }
          if (seed.denied !== undefined) world.denyAccess(seed.denied);
          const prefix = seed.managed.prefix ?? DEFAULT_GROUP;
          const before = world.snapshot();
          const executor = new RunbookExecutor({
            clients: world.clients(),
            selectorMiss: seed.selectorMiss,
          });
          const parameters = {
            ClientVpnEndpointId: ENDPOINT_ID,
            AutomationAssumeRole: ROLE_ARN,
            RetentionInDays: String(seed.requestedRetention),
            ...(seed.requestedKey === undefined ? {} : { KmsKeyArn: seed.requestedKey }),
            ...(seed.managed.prefix === undefined ? {} : { LogGroupNamePrefix: seed.managed.prefix }),
            ...(seed.managed.name === undefined ? {} : { LogGroupName: seed.managed.name }),
          };

          // Act
          const first = await executor.run(RUNBOOK, parameters);
          const afterFirst = world.snapshot();

          // Assess: whatever happened, the invariants hold.
          for (const [name, old] of Object.entries(before.logGroups)) {
            const now = afterFirst.logGroups[name];
            if (!name.startsWith(prefix)) expect(now).toEqual(old);
            if (old.retentionInDays === undefined) expect(now.retentionInDays).toBeUndefined();
            else expect(now.retentionInDays).toBeGreaterThanOrEqual(old.retentionInDays);
            if (old.kmsKeyId !== undefined) expect(now.kmsKeyId).toBe(old.kmsKeyId);
          }
          for (const name of Object.keys(afterFirst.logGroups)) {
            if (!(name in before.logGroups)) expect(name.startsWith(prefix)).toBe(true);
          }
          expect({ ...afterFirst.endpoints[ENDPOINT_ID], ConnectionLogOptions: undefined }).toEqual({
            ...before.endpoints[ENDPOINT_ID],
            ConnectionLogOptions: undefined,
          });
          // The role's permissions are derived from the script's text: it must make no other call.
          const derived = calledIamActions(RUNBOOK);
          for (const call of first.scriptCalls) expect(derived).toContain(`${call.service}:${call.api}`);
          const refused = seed.requestedKey === OTHER_ACCOUNT_KEY_ARN || seed.denied !== undefined;
          if (seed.requestedKey === OTHER_ACCOUNT_KEY_ARN) expect(world.calls).toEqual([]);
          if (!refused) {
            expect(first.status).toBe('Success');
            const target = afterFirst.endpoints[ENDPOINT_ID].ConnectionLogOptions?.CloudwatchLogGroup ?? '';
            expect(target.startsWith(prefix)).toBe(true);
            const group = afterFirst.logGroups[target];
            expect(group).toBeDefined();
            const old = before.logGroups[target];
            if (old === undefined) expect(group.retentionInDays).toBe(seed.requestedRetention);
            if (old === undefined || old.kmsKeyId === undefined)
              expect(group.kmsKeyId).toBe(seed.requestedKey);
            world.clearCalls();
            const second = await executor.run(RUNBOOK, parameters);
            expect(second.status).toBe('Success');
            expect(world.snapshot()).toEqual(afterFirst);
            expect(world.calledApis().filter((api) => MUTATING_APIS.includes(api))).toEqual([]);
          }
        } finally {
          world.restore();
        }
      }),
      { numRuns: 120 },
    );
  }, 300_000);
});
