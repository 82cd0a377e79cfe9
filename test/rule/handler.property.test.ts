import './quiet-environment';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { DescribeClientVpnEndpointsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { DescribeKeyCommand, KMSClient, type KeyState } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import {
  ConfigurationItemUnavailableError,
  EvaluationsNotAcceptedError,
  ExecutionRoleAssumptionError,
  ExecutionRoleNameMismatchError,
  ForeignAccountEventError,
  InvalidRuleParameterError,
  MalformedEventError,
  RuleAccountMismatchError,
} from '../../rule/errors';
import { clearExecutionRoleCache } from '../../rule/execution-role';
import { handler } from '../../rule/handler';

const config = mockClient(ConfigServiceClient);
const logs = mockClient(CloudWatchLogsClient);
const ec2 = mockClient(EC2Client);
const sts = mockClient(STSClient);
const kms = mockClient(KMSClient);

const NAMED_ERRORS = [
  MalformedEventError,
  InvalidRuleParameterError,
  EvaluationsNotAcceptedError,
  ExecutionRoleAssumptionError,
  ConfigurationItemUnavailableError,
  RuleAccountMismatchError,
  ForeignAccountEventError,
  ExecutionRoleNameMismatchError,
];
/** The account the function runs in, as its Lambda context says. */
const FUNCTION_ACCOUNT_ID = '123456789012';
const CONTEXT = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:${FUNCTION_ACCOUNT_ID}:function:client-vpn-connection-logging`,
};
const CONFIGURED_ROLE = 'ClientVpnConnectionLoggingEvaluation-us-east-1';
const STATUSES = [
  'OK',
  'ResourceDiscovered',
  'ResourceNotRecorded',
  'ResourceDeleted',
  'ResourceDeletedNotRecorded',
];
const MESSAGE_TYPES = [
  'ConfigurationItemChangeNotification',
  'OversizedConfigurationItemChangeNotification',
  'ScheduledNotification',
];

/** Mostly the valid value, sometimes anything (absent included), so both outcomes are explored. */
function mostly<T>(
  valid: fc.Arbitrary<T>,
  invalid: fc.Arbitrary<unknown> = fc.oneof(fc.constant(undefined), fc.jsonValue()),
) {
  return fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: invalid, weight: 1 });
}

const timestamp = fc
  .date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString());
const endpointId = fc
  .string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 17, maxLength: 17 })
  .map((hex) => `cvpn-endpoint-${hex}`);
const logGroupName = mostly(
  fc.constantFrom('/aws/clientvpn/corp-remote-access', '/aws/clientvpn/lab', '/security/vpn'),
  fc.string({ maxLength: 600 }),
);
const connectionLogOptions = fc.oneof(
  fc.record(
    {
      Enabled: mostly(fc.boolean(), fc.constantFrom('true', 'FALSE', 1, null)),
      CloudwatchLogGroup: logGroupName,
      CloudwatchLogStream: fc.string(),
    },
    { requiredKeys: [] },
  ),
  fc.record(
    { enabled: fc.boolean(), cloudwatchLogGroup: logGroupName, cloudwatchLogStream: fc.string() },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
);
const configuration = mostly(
  fc.oneof(
    fc.record({ ConnectionLogOptions: connectionLogOptions, ClientCidrBlock: fc.constant('10.100.0.0/22') }),
    fc.record({ connectionLogOptions }),
  ),
  fc.oneof(fc.constant(null), fc.jsonValue()),
);
const itemFields = {
  configurationItemCaptureTime: mostly(timestamp, fc.string()),
  configurationItemStatus: mostly(fc.constantFrom(...STATUSES), fc.string()),
  resourceType: mostly(
    fc.constantFrom('AWS::EC2::ClientVpnEndpoint', 'AWS::EC2::ClientVpnEndpoint', 'AWS::EC2::Instance'),
    fc.string(),
  ),
  resourceId: mostly(endpointId, fc.string()),
};
const item = fc.record({ ...itemFields, configuration, awsAccountId: fc.constant('123456789012') });
const summary = fc.record(itemFields);
const invokingEvent = mostly(
  fc
    .record({
      messageType: mostly(fc.constantFrom(...MESSAGE_TYPES), fc.string()),
      configurationItem: mostly(item),
      configurationItemSummary: mostly(summary),
      notificationCreationTime: mostly(timestamp),
    })
    .map((value) => JSON.stringify(value)),
  fc.oneof(
    fc.string(),
    fc.jsonValue().map((value) => JSON.stringify(value)),
  ),
);
const parameterValue = mostly(
  fc.constantFrom('true', 'False', '30', '365', '', '/aws/', 'Exec', 'config/Exec'),
  fc.string(),
);
const ruleParameters = mostly(
  fc.oneof(
    fc.constant(undefined),
    fc
      .record(
        {
          verifyLogGroup: parameterValue,
          minRetentionDays: parameterValue,
          requireKmsEncryption: parameterValue,
          logGroupNamePrefix: parameterValue,
          executionRoleName: parameterValue,
        },
        { requiredKeys: [] },
      )
      .map((value) => JSON.stringify(value)),
  ),
  fc.oneof(
    fc.string(),
    fc.jsonValue().map((value) => JSON.stringify(value)),
  ),
);
const event = fc.record({
  invokingEvent,
  ruleParameters,
  resultToken: mostly(fc.constantFrom('TESTMODE', 'eyJlbmNyeXB0ZWREYXRhIjpbLTEyLDU0XX0=')),
  eventLeftScope: mostly(fc.boolean()),
  configRuleArn: mostly(
    fc.constantFrom(
      'arn:aws:config:us-east-1:123456789012:config-rule/config-rule-k3m9qd',
      'arn:aws-cn:config:cn-north-1:123456789012:config-rule/config-rule-k3m9qd',
      'arn:aws:config:us-east-1:210987654321:config-rule/config-rule-k3m9qd',
    ),
  ),
  configRuleName: mostly(fc.constant('client-vpn-connection-logging')),
  accountId: mostly(fc.constantFrom('123456789012', '210987654321'), fc.string()),
});
const apiEndpoint = fc.record(
  {
    ClientVpnEndpointId: endpointId,
    Status: fc.record({ Code: fc.constantFrom('pending-associate', 'available', 'deleting', 'deleted') }),
    ConnectionLogOptions: fc.record(
      { Enabled: fc.boolean(), CloudwatchLogGroup: logGroupName, CloudwatchLogStream: fc.string() },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['ClientVpnEndpointId'] },
);
const logGroup = fc.record(
  {
    logGroupName,
    retentionInDays: fc.constantFrom(1, 7, 30, 365, 3653),
    kmsKeyId: fc.constant('arn:aws:kms:us-east-1:123456789012:key/4c7e2b1a-9d3f-4e8a-b6c5-0f1e2d3c4b5a'),
  },
  { requiredKeys: ['logGroupName'] },
);
const history = fc.record({
  ...itemFields,
  configuration: mostly(
    configuration.map((c) => JSON.stringify(c)),
    fc.string(),
  ),
});

describe('handler, for arbitrary event-shaped input', () => {
  it('puts only valid evaluations, or fails with a named error having put nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        event,
        fc.array(apiEndpoint, { maxLength: 8 }),
        fc.array(logGroup, { maxLength: 5 }),
        mostly(fc.array(history, { minLength: 1, maxLength: 1 }), fc.constant([])),
        fc.constantFrom<KeyState>('Enabled', 'Disabled', 'PendingDeletion', 'Unavailable'),
        fc.constantFrom(undefined, CONFIGURED_ROLE),
        async (input, endpoints, groups, items, keyState, configuredRole) => {
          // Prepare
          for (const mock of [config, logs, ec2, sts, kms]) mock.reset();
          kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'key', KeyState: keyState } });
          clearExecutionRoleCache();
          config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
          config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
          config.on(GetResourceConfigHistoryCommand).resolves({
            configurationItems: (items as Record<string, unknown>[]).map((entry) => ({
              ...entry,
              configurationItemCaptureTime:
                typeof entry.configurationItemCaptureTime === 'string'
                  ? new Date(entry.configurationItemCaptureTime)
                  : undefined,
            })) as never,
          });
          ec2.on(DescribeClientVpnEndpointsCommand).resolves({ ClientVpnEndpoints: endpoints as never });
          logs.on(DescribeLogGroupsCommand).resolves({ logGroups: groups as never });
          sts.on(AssumeRoleCommand).resolves({
            Credentials: {
              AccessKeyId: 'ASIAIOSFODNN7EXAMPLE',
              SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
              SessionToken: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN',
              Expiration: new Date(Date.now() + 3_600_000),
            },
          });

          if (configuredRole === undefined) delete process.env.EXECUTION_ROLE_NAME;
          else process.env.EXECUTION_ROLE_NAME = configuredRole;

          // Act
          let failure: unknown;
          try {
            await handler(input as never, CONTEXT);
          } catch (error) {
            failure = error;
          } finally {
            delete process.env.EXECUTION_ROLE_NAME;
          }

          // Assess: only the configured role is ever assumed, only in the account of the event and its
          // rule; without one, nothing is assumed and only the function's own account is acted in.
          const assumed = sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleArn);
          const { accountId, configRuleArn } = input as { accountId: unknown; configRuleArn: unknown };
          for (const roleArn of assumed) {
            expect(configuredRole).toBeDefined();
            expect(roleArn).toMatch(new RegExp(`:iam::${String(accountId)}:role/${configuredRole}$`));
            expect(String(configRuleArn)).toContain(`:${String(accountId)}:config-rule/`);
          }
          if (configuredRole === undefined) expect(assumed).toEqual([]);
          if (failure === undefined && configuredRole === undefined)
            expect(accountId).toBe(FUNCTION_ACCOUNT_ID);

          // Assess
          const puts = config.commandCalls(PutEvaluationsCommand);
          if (failure !== undefined) {
            expect(NAMED_ERRORS.some((named) => failure instanceof named)).toBe(true);
            expect((failure as Error).message.length).toBeGreaterThan(10);
            expect(puts).toHaveLength(0);
            return;
          }
          for (const call of puts) {
            expect(call.args[0].input.Evaluations!.length).toBeLessThanOrEqual(100);
            expect(call.args[0].input.TestMode).toBe(
              call.args[0].input.ResultToken === 'TESTMODE' ? true : undefined,
            );
            for (const evaluation of call.args[0].input.Evaluations!) {
              expect(typeof evaluation.ComplianceResourceType).toBe('string');
              expect(evaluation.ComplianceResourceType!.length).toBeGreaterThan(0);
              expect(evaluation.ComplianceResourceId!.length).toBeGreaterThan(0);
              expect(['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE']).toContain(evaluation.ComplianceType);
              expect((evaluation.Annotation ?? '').length).toBeLessThanOrEqual(256);
              expect(evaluation.OrderingTimestamp).toBeInstanceOf(Date);
              expect(Number.isNaN(evaluation.OrderingTimestamp!.getTime())).toBe(false);
              if (evaluation.ComplianceResourceType !== 'AWS::EC2::ClientVpnEndpoint') {
                // Only a change notification about another resource type is judged, and only NOT_APPLICABLE.
                expect(evaluation.ComplianceType).toBe('NOT_APPLICABLE');
                expect(JSON.parse((input as { invokingEvent: string }).invokingEvent)).toMatchObject({
                  messageType: expect.stringMatching(/ConfigurationItemChangeNotification$/),
                });
              }
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
