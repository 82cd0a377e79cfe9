import './quiet-environment';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
  type Evaluation,
} from '@aws-sdk/client-config-service';
import {
  DescribeClientVpnConnectionsCommand,
  DescribeClientVpnEndpointsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ConfigurationItemUnavailableError,
  EvaluationsNotAcceptedError,
  ExecutionRoleAssumptionError,
  ExecutionRoleNameMismatchError,
  ForeignAccountEventError,
  FunctionConfigurationError,
  InvalidRuleParameterError,
  MalformedEventError,
  RuleAccountMismatchError,
} from '../../rule/errors';
import { clearExecutionRoleCache } from '../../rule/execution-role';
import { handler as ruleHandler, type ConfigRuleEvent, type LambdaContextLike } from '../../rule/handler';
import { logger, metrics } from '../../rule/telemetry';
import {
  ACCOUNT_ID,
  ENDPOINT_ID,
  LOG_GROUP_NAME,
  KEY_ARN,
  fixtureChangeEvent as changeEvent,
  connectionsPage,
  describeKeyAnswer,
  logStreamsPage,
  fixtureChangeEventWithLogOptions as changeEventWithLogOptions,
  endpointsPage,
  fixtureHistoryItem as historyItem,
  logGroupsPage,
  fixtureOversizedEvent as oversizedEvent,
  fixtureScheduledEvent as scheduledEvent,
} from '../../sandbox/config-rule-events';

/** The Lambda context of the rule's function in the fixtures' account: Lambda always passes one. */
const LAMBDA_CONTEXT: LambdaContextLike = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:client-vpn-connection-logging`,
};

/**
 * The handler as Lambda calls it: with a context, the fixtures' account's unless a test passes another,
 * or `null` for none at all.
 */
const handler = (event: ConfigRuleEvent, context: LambdaContextLike | null = LAMBDA_CONTEXT) =>
  ruleHandler(event, context ?? undefined);

const config = mockClient(ConfigServiceClient);
const logs = mockClient(CloudWatchLogsClient);
const kms = mockClient(KMSClient);
const ec2 = mockClient(EC2Client);
const sts = mockClient(STSClient);

const CAPTURE_TIME = new Date('2026-11-20T09:15:42.318Z');
const SWEEP_TIME = new Date('2026-11-21T00:00:00.412Z');
const RESULT_TOKEN =
  'eyJlbmNyeXB0ZWREYXRhIjpbLTEyLDU0LDE0LC0xMDQsLTEyMF0sIm1hdGVyaWFsU2V0U2VyaWFsTnVtYmVyIjoxLCJpdlBhcmFtZXRlclNwZWMiOnsiaXYiOlstMTIsMTEsLTEzXX19';

function putEvaluations(): Evaluation[] {
  return config.commandCalls(PutEvaluationsCommand).flatMap((call) => call.args[0].input.Evaluations ?? []);
}

function onlyEvaluation(): Evaluation {
  const evaluations = putEvaluations();
  expect(evaluations).toHaveLength(1);
  return evaluations[0];
}

function expectNothingPut(): void {
  expect(config).not.toHaveReceivedCommand(PutEvaluationsCommand);
}

/** Nothing assumed, looked up or put: not one call to any AWS client. */
function expectNoAwsCall(): void {
  for (const client of [config, logs, ec2, sts]) expect(client.calls()).toHaveLength(0);
}

beforeEach(() => {
  config.reset();
  logs.reset();
  kms.reset();
  kms.on(DescribeKeyCommand).resolves(describeKeyAnswer());
  ec2.reset();
  sts.reset();
  clearExecutionRoleCache();
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  logs.on(DescribeLogGroupsCommand).resolves(logGroupsPage());
});

describe('handler, ConfigurationItemChangeNotification', () => {
  it('marks an endpoint that logs to an existing log group COMPLIANT, ordered by the capture time', async () => {
    // Act
    const summary = await handler(changeEvent());

    // Assess
    expect(logs).toHaveReceivedCommandWith(DescribeLogGroupsCommand, {
      logGroupIdentifiers: [LOG_GROUP_NAME],
    });
    expect(config).toHaveReceivedCommandTimes(PutEvaluationsCommand, 1);
    expect(config).toHaveReceivedCommandWith(PutEvaluationsCommand, { ResultToken: RESULT_TOKEN });
    expect(config.commandCalls(PutEvaluationsCommand)[0].args[0].input.TestMode).toBeUndefined();
    expect(onlyEvaluation()).toEqual({
      ComplianceResourceType: 'AWS::EC2::ClientVpnEndpoint',
      ComplianceResourceId: ENDPOINT_ID,
      ComplianceType: 'COMPLIANT',
      OrderingTimestamp: CAPTURE_TIME,
    });
    expect(summary).toEqual({
      messageType: 'ConfigurationItemChangeNotification',
      counts: { COMPLIANT: 1, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 },
    });
  });

  it('marks an endpoint with connection logging disabled NON_COMPLIANT without looking a log group up', async () => {
    // Act
    await handler(changeEventWithLogOptions({ Enabled: false }));

    // Assess
    expect(logs).not.toHaveReceivedCommand(DescribeLogGroupsCommand);
    expect(onlyEvaluation()).toMatchObject({
      ComplianceType: 'NON_COMPLIANT',
      Annotation: expect.stringContaining('Connection logging is disabled'),
    });
  });

  it('marks an endpoint with no ConnectionLogOptions at all NON_COMPLIANT', async () => {
    // Act
    await handler(
      changeEvent(
        (invokingEvent) => delete invokingEvent.configurationItem.configuration.ConnectionLogOptions,
      ),
    );

    // Assess
    expect(onlyEvaluation().ComplianceType).toBe('NON_COMPLIANT');
  });

  it('marks an endpoint whose log group was deleted NON_COMPLIANT, naming the group', async () => {
    // Prepare
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });

    // Act
    await handler(changeEvent());

    // Assess
    expect(onlyEvaluation()).toMatchObject({
      ComplianceType: 'NON_COMPLIANT',
      Annotation: expect.stringContaining(`Log group "${LOG_GROUP_NAME}" does not exist`),
    });
  });

  it('reads the camelCase spelling of ConnectionLogOptions too', async () => {
    // Act
    await handler(
      changeEvent((invokingEvent) => {
        const item = invokingEvent.configurationItem;
        delete item.configuration.ConnectionLogOptions;
        item.configuration.connectionLogOptions = {
          enabled: true,
          cloudwatchLogGroup: LOG_GROUP_NAME,
          cloudwatchLogStream: 'connections',
        };
      }),
    );

    // Assess
    expect(logs).toHaveReceivedCommandWith(DescribeLogGroupsCommand, {
      logGroupIdentifiers: [LOG_GROUP_NAME],
    });
    expect(onlyEvaluation().ComplianceType).toBe('COMPLIANT');
  });

  it('judges from the configuration alone when verifyLogGroup is false', async () => {
    // Prepare
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });

    // Act
    await handler(changeEvent(undefined, { ruleParameters: '{"verifyLogGroup":"False"}' }));

    // Assess
    expect(logs).not.toHaveReceivedCommand(DescribeLogGroupsCommand);
    expect(onlyEvaluation().ComplianceType).toBe('COMPLIANT');
  });

  it.each([
    [
      'minRetentionDays above the fixture group’s 365 days',
      '{"minRetentionDays":"400"}',
      'NON_COMPLIANT',
      /minRetentionDays requires 400/,
    ],
    ['minRetentionDays the fixture group meets', '{"minRetentionDays":"365"}', 'COMPLIANT', undefined],
    [
      'requireKmsEncryption, met by the fixture group',
      '{"requireKmsEncryption":"true"}',
      'COMPLIANT',
      undefined,
    ],
    [
      'a logGroupNamePrefix the group lacks',
      '{"logGroupNamePrefix":"/security/"}',
      'NON_COMPLIANT',
      /prefix "\/security\/"/,
    ],
    [
      'a logGroupNamePrefix the group has',
      '{"logGroupNamePrefix":"/aws/clientvpn/"}',
      'COMPLIANT',
      undefined,
    ],
  ])('applies %s', async (_case, ruleParameters, compliance, annotation) => {
    // Act
    await handler(changeEvent(undefined, { ruleParameters }));

    // Assess
    const evaluation = onlyEvaluation();
    expect(evaluation.ComplianceType).toBe(compliance);
    if (annotation) expect(evaluation.Annotation).toMatch(annotation);
  });

  it('marks an unencrypted log group NON_COMPLIANT when requireKmsEncryption is true', async () => {
    // Prepare
    const page = logGroupsPage();
    delete page.logGroups![0].kmsKeyId;
    logs.on(DescribeLogGroupsCommand).resolves(page);

    // Act
    await handler(changeEvent(undefined, { ruleParameters: '{"requireKmsEncryption":"TRUE"}' }));

    // Assess
    expect(onlyEvaluation()).toMatchObject({
      ComplianceType: 'NON_COMPLIANT',
      Annotation: expect.stringContaining('not encrypted with a KMS key'),
    });
  });

  it('marks an endpoint whose log group key is pending deletion NON_COMPLIANT, reading the key once', async () => {
    // Prepare
    kms
      .on(DescribeKeyCommand)
      .resolves(describeKeyAnswer('PendingDeletion', new Date('2026-12-07T10:00:00Z')));

    // Act
    await handler(changeEvent());

    // Assess
    expect(kms).toHaveReceivedCommandTimes(DescribeKeyCommand, 1);
    expect(kms).toHaveReceivedCommandWith(DescribeKeyCommand, { KeyId: KEY_ARN });
    expect(onlyEvaluation()).toMatchObject({
      ComplianceType: 'NON_COMPLIANT',
      Annotation: expect.stringContaining('PendingDeletion, to be deleted 2026-12-07T10:00:00Z'),
    });
  });

  it('reads no key when verifyKmsKeyState is false', async () => {
    // Prepare
    kms.on(DescribeKeyCommand).resolves(describeKeyAnswer('Disabled'));

    // Act
    await handler(changeEvent(undefined, { ruleParameters: '{"verifyKmsKeyState":"false"}' }));

    // Assess
    expect(kms).not.toHaveReceivedCommand(DescribeKeyCommand);
    expect(onlyEvaluation().ComplianceType).toBe('COMPLIANT');
  });

  it('marks an endpoint whose named stream ingested nothing since an old connection NON_COMPLIANT (verifyDelivery)', async () => {
    // Prepare
    ec2.on(DescribeClientVpnConnectionsCommand).resolves(connectionsPage());
    logs
      .on(DescribeLogStreamsCommand)
      .resolves(
        logStreamsPage([{ name: 'connections', lastIngestionTime: Date.parse('2026-11-19T08:00:00Z') }]),
      );

    // Act
    await handler(changeEvent(undefined, { ruleParameters: '{"verifyDelivery":"true"}' }));

    // Assess
    expect(ec2).toHaveReceivedCommandWith(DescribeClientVpnConnectionsCommand, {
      ClientVpnEndpointId: ENDPOINT_ID,
    });
    expect(logs).toHaveReceivedCommandWith(DescribeLogStreamsCommand, {
      logGroupName: LOG_GROUP_NAME,
      logStreamNamePrefix: 'connections',
    });
    expect(onlyEvaluation()).toMatchObject({
      ComplianceType: 'NON_COMPLIANT',
      Annotation: expect.stringMatching(
        /since a connection at 2026-11-20T09:52:43Z \(last at 2026-11-19T08:00:00Z; verifyDelivery\)/,
      ),
    });
  });

  it.each(['ResourceDeleted', 'ResourceDeletedNotRecorded', 'ResourceNotRecorded'])(
    'marks an item with status %s NOT_APPLICABLE without looking anything up',
    async (status) => {
      // Act
      await handler(
        changeEvent((invokingEvent) => {
          invokingEvent.configurationItem.configurationItemStatus = status;
          invokingEvent.configurationItem.configuration = null as never;
        }),
      );

      // Assess
      expect(logs).not.toHaveReceivedCommand(DescribeLogGroupsCommand);
      expect(onlyEvaluation()).toMatchObject({
        ComplianceResourceId: ENDPOINT_ID,
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: expect.stringContaining(status),
        OrderingTimestamp: CAPTURE_TIME,
      });
    },
  );

  it('evaluates a newly discovered endpoint (status ResourceDiscovered)', async () => {
    // Act
    await handler(
      changeEvent(
        (invokingEvent) => (invokingEvent.configurationItem.configurationItemStatus = 'ResourceDiscovered'),
      ),
    );

    // Assess
    expect(onlyEvaluation().ComplianceType).toBe('COMPLIANT');
  });

  it('marks an endpoint that left the rule’s scope NOT_APPLICABLE', async () => {
    // Act
    await handler(changeEventWithLogOptions({ Enabled: false }, { eventLeftScope: true }));

    // Assess
    expect(onlyEvaluation()).toMatchObject({
      ComplianceType: 'NOT_APPLICABLE',
      Annotation: expect.stringContaining('scope'),
    });
  });

  it('marks an item of another resource type NOT_APPLICABLE for that resource', async () => {
    // Act
    await handler(
      changeEvent((invokingEvent) => {
        invokingEvent.configurationItem.resourceType = 'AWS::EC2::Instance';
        invokingEvent.configurationItem.resourceId = 'i-0a1b2c3d4e5f60718';
      }),
    );

    // Assess
    expect(onlyEvaluation()).toMatchObject({
      ComplianceResourceType: 'AWS::EC2::Instance',
      ComplianceResourceId: 'i-0a1b2c3d4e5f60718',
      ComplianceType: 'NOT_APPLICABLE',
    });
  });

  it('builds its clients once per container, from the default chain, assuming no role', async () => {
    // Act
    await handler(changeEvent());
    await handler(changeEvent());

    // Assess
    const [first, second] = config.commandCalls(PutEvaluationsCommand).map((call) => call.thisValue);
    expect(first).toBe(second);
    expect(sts).not.toHaveReceivedCommand(AssumeRoleCommand);
    await expect((first as ConfigServiceClient).config.retryStrategy()).resolves.toMatchObject({
      mode: 'adaptive',
    });
  });

  it('puts with TestMode true when the result token is TESTMODE', async () => {
    // Act
    await handler(changeEvent(undefined, { resultToken: 'TESTMODE' }));

    // Assess
    expect(config).toHaveReceivedCommandWith(PutEvaluationsCommand, {
      ResultToken: 'TESTMODE',
      TestMode: true,
    });
  });

  it('logs each evaluation with the rule name, resource id and verdict, and counts verdicts', async () => {
    // Prepare
    const info = jest.spyOn(logger, 'info');
    const addMetric = jest.spyOn(metrics, 'addMetric');

    // Act
    await handler(changeEventWithLogOptions({ Enabled: false }), LAMBDA_CONTEXT);

    // Assess
    expect(info).toHaveBeenCalledWith(
      'Evaluation put',
      expect.objectContaining({
        requestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
        configRuleName: 'client-vpn-connection-logging',
        resourceId: ENDPOINT_ID,
        compliance: 'NON_COMPLIANT',
      }),
    );
    expect(addMetric).toHaveBeenCalledWith('NonCompliantEvaluations', 'Count', 1);
    expect(addMetric).toHaveBeenCalledWith('CompliantEvaluations', 'Count', 0);
    info.mockRestore();
    addMetric.mockRestore();
  });
});

describe('handler, OversizedConfigurationItemChangeNotification', () => {
  it('fetches the full item with GetResourceConfigHistory and judges its JSON-string configuration', async () => {
    // Prepare
    config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [historyItem()] });

    // Act
    await handler(oversizedEvent());

    // Assess
    expect(config).toHaveReceivedCommandWith(GetResourceConfigHistoryCommand, {
      resourceType: 'AWS::EC2::ClientVpnEndpoint',
      resourceId: ENDPOINT_ID,
      laterTime: CAPTURE_TIME,
      limit: 1,
    });
    expect(onlyEvaluation()).toEqual({
      ComplianceResourceType: 'AWS::EC2::ClientVpnEndpoint',
      ComplianceResourceId: ENDPOINT_ID,
      ComplianceType: 'COMPLIANT',
      OrderingTimestamp: CAPTURE_TIME,
    });
  });

  it('marks a fetched endpoint with logging disabled NON_COMPLIANT', async () => {
    // Prepare
    config.on(GetResourceConfigHistoryCommand).resolves({
      configurationItems: [
        historyItem((configuration) => (configuration.ConnectionLogOptions = { Enabled: false })),
      ],
    });

    // Act
    await handler(oversizedEvent());

    // Assess
    expect(onlyEvaluation().ComplianceType).toBe('NON_COMPLIANT');
  });

  it('marks a deleted resource NOT_APPLICABLE from the summary, without fetching it', async () => {
    // Act
    await handler(
      oversizedEvent(
        (invokingEvent) =>
          (invokingEvent.configurationItemSummary.configurationItemStatus = 'ResourceDeleted'),
      ),
    );

    // Assess
    expect(config).not.toHaveReceivedCommand(GetResourceConfigHistoryCommand);
    expect(onlyEvaluation().ComplianceType).toBe('NOT_APPLICABLE');
  });

  it('marks a resource the history reports deleted NOT_APPLICABLE', async () => {
    // Prepare
    config.on(GetResourceConfigHistoryCommand).resolves({
      configurationItems: [
        { ...historyItem(), configurationItemStatus: 'ResourceDeleted', configuration: undefined },
      ],
    });

    // Act
    await handler(oversizedEvent());

    // Assess
    expect(onlyEvaluation().ComplianceType).toBe('NOT_APPLICABLE');
  });

  it.each([
    [
      'no item',
      { configurationItems: [] },
      /returned no configuration item for AWS::EC2::ClientVpnEndpoint cvpn-endpoint-/,
    ],
    [
      'a configuration that is not JSON',
      { configurationItems: [{ ...historyItem(), configuration: '{"Id":' }] },
      /not valid JSON/,
    ],
    [
      'an item with no capture time',
      { configurationItems: [{ ...historyItem(), configurationItemCaptureTime: undefined }] },
      /configurationItemCaptureTime is missing/,
    ],
  ])(
    'fails with ConfigurationItemUnavailableError, putting nothing, when the history has %s',
    async (_case, response, message) => {
      // Prepare
      config.on(GetResourceConfigHistoryCommand).resolves(response);

      // Act
      const invocation = handler(oversizedEvent());

      // Assess
      await expect(invocation).rejects.toThrow(ConfigurationItemUnavailableError);
      await expect(invocation).rejects.toThrow(message);
      expectNothingPut();
    },
  );

  it('fails with a MalformedEventError when the fetched item of an OK resource has no configuration', async () => {
    // Prepare
    config
      .on(GetResourceConfigHistoryCommand)
      .resolves({ configurationItems: [{ ...historyItem(), configuration: '' }] });

    // Act / Assess
    await expect(handler(oversizedEvent())).rejects.toThrow(/has no configuration object/);
    expectNothingPut();
  });
});

describe('handler, ScheduledNotification', () => {
  const GONE_ID = 'cvpn-endpoint-07a6b5c4d3e2f1a09';

  beforeEach(() => {
    ec2.on(DescribeClientVpnEndpointsCommand).resolves(endpointsPage());
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
      EvaluationResults: [
        {
          EvaluationResultIdentifier: {
            EvaluationResultQualifier: {
              ConfigRuleName: 'client-vpn-connection-logging',
              ResourceType: 'AWS::EC2::ClientVpnEndpoint',
              ResourceId: ENDPOINT_ID,
            },
          },
          ComplianceType: 'COMPLIANT',
        },
        {
          EvaluationResultIdentifier: {
            EvaluationResultQualifier: { ResourceType: 'AWS::EC2::ClientVpnEndpoint', ResourceId: GONE_ID },
          },
          ComplianceType: 'NON_COMPLIANT',
        },
        {
          EvaluationResultIdentifier: {
            EvaluationResultQualifier: {
              ResourceType: 'AWS::EC2::Instance',
              ResourceId: 'i-0a1b2c3d4e5f60718',
            },
          },
          ComplianceType: 'NON_COMPLIANT',
        },
      ],
    });
  });

  it('judges every endpoint of the region and marks vanished ones NOT_APPLICABLE, ordered by the notification time', async () => {
    // Act
    const summary = await handler(scheduledEvent());

    // Assess
    expect(logs).toHaveReceivedCommandTimes(DescribeLogGroupsCommand, 1);
    expect(logs).toHaveReceivedCommandWith(DescribeLogGroupsCommand, {
      logGroupIdentifiers: [LOG_GROUP_NAME, '/aws/clientvpn/lab'],
    });
    expect(config).toHaveReceivedCommandWith(GetComplianceDetailsByConfigRuleCommand, {
      ConfigRuleName: 'client-vpn-connection-logging',
      ComplianceTypes: ['COMPLIANT', 'NON_COMPLIANT'],
    });
    const verdicts = Object.fromEntries(
      putEvaluations().map((e) => [e.ComplianceResourceId, e.ComplianceType]),
    );
    expect(verdicts).toEqual({
      [ENDPOINT_ID]: 'COMPLIANT',
      'cvpn-endpoint-0f9e8d7c6b5a40312': 'NON_COMPLIANT',
      'cvpn-endpoint-04c3b2a1908f7e6d5': 'NON_COMPLIANT',
      'cvpn-endpoint-0d4c3b2a1f0e9d8c7': 'NOT_APPLICABLE',
      [GONE_ID]: 'NOT_APPLICABLE',
    });
    for (const evaluation of putEvaluations()) {
      expect(evaluation.ComplianceResourceType).toBe('AWS::EC2::ClientVpnEndpoint');
      expect(evaluation.OrderingTimestamp).toEqual(SWEEP_TIME);
    }
    expect(putEvaluations().find((e) => e.ComplianceResourceId === GONE_ID)?.Annotation).toMatch(
      /no longer exists/,
    );
    expect(summary.counts).toEqual({ COMPLIANT: 1, NON_COMPLIANT: 2, NOT_APPLICABLE: 2 });
  });

  it('follows every page of endpoints and of earlier evaluations', async () => {
    // Prepare
    const [first, second, ...rest] = endpointsPage().ClientVpnEndpoints!;
    ec2
      .on(DescribeClientVpnEndpointsCommand)
      .resolves({ ClientVpnEndpoints: [first], NextToken: 'page-2' })
      .on(DescribeClientVpnEndpointsCommand, { NextToken: 'page-2' })
      .resolves({ ClientVpnEndpoints: [second, ...rest] });
    config
      .on(GetComplianceDetailsByConfigRuleCommand)
      .resolves({ EvaluationResults: [], NextToken: 'results-2' })
      .on(GetComplianceDetailsByConfigRuleCommand, { NextToken: 'results-2' })
      .resolves({
        EvaluationResults: [
          {
            EvaluationResultIdentifier: {
              EvaluationResultQualifier: { ResourceType: 'AWS::EC2::ClientVpnEndpoint', ResourceId: GONE_ID },
            },
          },
        ],
      });

    // Act
    await handler(scheduledEvent());

    // Assess
    expect(ec2).toHaveReceivedCommandTimes(DescribeClientVpnEndpointsCommand, 2);
    expect(config).toHaveReceivedCommandTimes(GetComplianceDetailsByConfigRuleCommand, 2);
    expect(putEvaluations().map((e) => e.ComplianceResourceId)).toEqual([
      ENDPOINT_ID,
      'cvpn-endpoint-0f9e8d7c6b5a40312',
      'cvpn-endpoint-04c3b2a1908f7e6d5',
      'cvpn-endpoint-0d4c3b2a1f0e9d8c7',
      GONE_ID,
    ]);
  });

  it('puts 250 endpoints in batches of at most 100 and looks 120 log groups up 50 at a time', async () => {
    // Prepare
    const template = endpointsPage().ClientVpnEndpoints![0];
    const endpoints = Array.from({ length: 250 }, (_, index) => ({
      ...template,
      ClientVpnEndpointId: `cvpn-endpoint-${index.toString(16).padStart(17, '0')}`,
      ConnectionLogOptions: { Enabled: true, CloudwatchLogGroup: `/aws/clientvpn/team-${index % 120}` },
    }));
    ec2.on(DescribeClientVpnEndpointsCommand).resolves({ ClientVpnEndpoints: endpoints });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({});
    logs.on(DescribeLogGroupsCommand).callsFake((input: { logGroupIdentifiers: string[] }) => ({
      logGroups: input.logGroupIdentifiers.map((logGroupName) => ({ logGroupName, retentionInDays: 365 })),
    }));

    // Act
    const summary = await handler(scheduledEvent());

    // Assess
    const lookups = logs
      .commandCalls(DescribeLogGroupsCommand)
      .map((c) => c.args[0].input.logGroupIdentifiers!.length);
    expect(lookups).toEqual([50, 50, 20]);
    const batches = config
      .commandCalls(PutEvaluationsCommand)
      .map((c) => c.args[0].input.Evaluations!.length);
    expect(batches).toEqual([100, 100, 50]);
    expect(summary.counts.COMPLIANT).toBe(250);
  });

  it('puts nothing when the region has no endpoints and none was evaluated before', async () => {
    // Prepare
    ec2.on(DescribeClientVpnEndpointsCommand).resolves({ ClientVpnEndpoints: [] });
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });

    // Act
    const summary = await handler(scheduledEvent());

    // Assess
    expectNothingPut();
    expect(logs).not.toHaveReceivedCommand(DescribeLogGroupsCommand);
    expect(summary.counts).toEqual({ COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 });
  });

  it('looks nothing up when verifyLogGroup is false', async () => {
    // Act
    await handler(scheduledEvent({ ruleParameters: '{"verifyLogGroup":"false"}' }));

    // Assess
    expect(logs).not.toHaveReceivedCommand(DescribeLogGroupsCommand);
    expect(
      putEvaluations().find((e) => e.ComplianceResourceId === 'cvpn-endpoint-04c3b2a1908f7e6d5')
        ?.ComplianceType,
    ).toBe('COMPLIANT');
  });
});

describe('handler, failures', () => {
  it.each([
    ['an event that is not an object', 'not an event', /the event is not an object/],
    [
      'invokingEvent that is not JSON',
      changeEvent(undefined, { invokingEvent: '{"configurationItem":' }),
      /invokingEvent is not valid JSON/,
    ],
    [
      'invokingEvent that is a JSON array',
      changeEvent(undefined, { invokingEvent: '[]' }),
      /invokingEvent is not a JSON object/,
    ],
    [
      'an unknown message type',
      changeEvent(undefined, { invokingEvent: '{"messageType":"ComplianceChangeNotification"}' }),
      /messageType "ComplianceChangeNotification" is not/,
    ],
    [
      'a change notification with no configuration item',
      changeEvent((invokingEvent) => delete (invokingEvent as Record<string, unknown>).configurationItem),
      /invokingEvent.configurationItem is missing/,
    ],
    [
      'an item with no resourceId',
      changeEvent(
        (invokingEvent) => delete (invokingEvent.configurationItem as Record<string, unknown>).resourceId,
      ),
      /configurationItem.resourceId is missing/,
    ],
    [
      'an item with an unknown status',
      changeEvent((invokingEvent) => (invokingEvent.configurationItem.configurationItemStatus = 'Gone')),
      /configurationItemStatus "Gone" is not one of/,
    ],
    [
      'an item whose capture time is not a time',
      changeEvent(
        (invokingEvent) => (invokingEvent.configurationItem.configurationItemCaptureTime = 'yesterday'),
      ),
      /configurationItemCaptureTime is not a timestamp/,
    ],
    [
      'an OK item whose configuration is null',
      changeEvent((invokingEvent) => (invokingEvent.configurationItem.configuration = null as never)),
      /has no configuration object/,
    ],
    [
      'an oversized notification with no summary',
      oversizedEvent(
        (invokingEvent) => delete (invokingEvent as Record<string, unknown>).configurationItemSummary,
      ),
      /configurationItemSummary is missing/,
    ],
    [
      'a scheduled notification with no creation time',
      scheduledEvent({
        invokingEvent: '{"messageType":"ScheduledNotification","awsAccountId":"123456789012"}',
      }),
      /notificationCreationTime is missing/,
    ],
    [
      'an event with no result token',
      changeEvent(undefined, { resultToken: undefined }),
      /event.resultToken is missing/,
    ],
    [
      'an account ID that is not 12 digits',
      changeEvent(undefined, { accountId: '1234' }),
      /not a 12-digit account ID/,
    ],
    [
      'a rule ARN that is not one',
      changeEvent(undefined, { configRuleArn: 'config-rule-k3m9qd' }),
      /not a Config rule ARN/,
    ],
    [
      'a rule ARN with too few parts',
      changeEvent(undefined, { configRuleArn: `arn:aws:config:us-east-1:${ACCOUNT_ID}` }),
      /not a Config rule ARN/,
    ],
    [
      'an ARN of another service',
      changeEvent(undefined, {
        configRuleArn: `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:client-vpn-connection-logging`,
      }),
      /not a Config rule ARN/,
    ],
    [
      'ruleParameters that are not a string',
      changeEvent(undefined, { ruleParameters: { verifyLogGroup: 'true' } }),
      /ruleParameters is not a string/,
    ],
    [
      'eventLeftScope that is not a boolean',
      changeEvent(undefined, { eventLeftScope: 'false' }),
      /eventLeftScope is not a boolean/,
    ],
  ])('fails with MalformedEventError, putting nothing, for %s', async (_case, event, message) => {
    // Act
    const invocation = handler(event as never);

    // Assess
    await expect(invocation).rejects.toThrow(MalformedEventError);
    await expect(invocation).rejects.toThrow(message);
    expectNothingPut();
    expect(logs).not.toHaveReceivedCommand(DescribeLogGroupsCommand);
  });

  it.each([
    ['an unknown parameter', '{"minimumRetentionDays":"30"}', 'minimumRetentionDays'],
    ['a number that does not parse', '{"minRetentionDays":"thirty"}', 'minRetentionDays'],
    ['a boolean that does not parse', '{"verifyLogGroup":"no"}', 'verifyLogGroup'],
  ])(
    'fails with InvalidRuleParameterError, putting nothing, for %s',
    async (_case, ruleParameters, parameter) => {
      // Act
      const invocation = handler(scheduledEvent({ ruleParameters }));

      // Assess
      await expect(invocation).rejects.toThrow(InvalidRuleParameterError);
      await expect(invocation).rejects.toThrow(`"${parameter}"`);
      expectNothingPut();
      expect(ec2).not.toHaveReceivedCommand(DescribeClientVpnEndpointsCommand);
    },
  );

  it('reads a null ruleParameters as no parameters', async () => {
    // Act
    await handler(changeEvent(undefined, { ruleParameters: null }));

    // Assess
    expect(onlyEvaluation().ComplianceType).toBe('COMPLIANT');
  });

  it('lets a CloudWatch Logs failure fail the invocation, putting nothing', async () => {
    // Prepare
    logs.on(DescribeLogGroupsCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: logs:DescribeLogGroups'), {
        name: 'AccessDeniedException',
      }),
    );

    // Act / Assess
    await expect(handler(changeEvent())).rejects.toThrow(/not authorized to perform: logs:DescribeLogGroups/);
    expectNothingPut();
  });

  it('counts a failed invocation in the metrics', async () => {
    // Prepare
    const addMetric = jest.spyOn(metrics, 'addMetric');

    // Act
    await expect(handler(changeEvent(undefined, { invokingEvent: 'nope' }))).rejects.toThrow(
      MalformedEventError,
    );

    // Assess
    expect(addMetric).toHaveBeenCalledWith('FailedInvocations', 'Count', 1);
    addMetric.mockRestore();
  });

  describe('when Config reports FailedEvaluations', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    const failed = {
      FailedEvaluations: [
        {
          ComplianceResourceType: 'AWS::EC2::ClientVpnEndpoint',
          ComplianceResourceId: ENDPOINT_ID,
          ComplianceType: 'COMPLIANT' as const,
          OrderingTimestamp: CAPTURE_TIME,
        },
      ],
    };

    it('retries the failed evaluations until Config accepts them', async () => {
      // Prepare
      config
        .on(PutEvaluationsCommand)
        .resolvesOnce(failed)
        .resolvesOnce(failed)
        .resolves({ FailedEvaluations: [] });

      // Act
      const invocation = handler(changeEvent());
      await jest.runAllTimersAsync();

      // Assess
      await expect(invocation).resolves.toMatchObject({ counts: { COMPLIANT: 1 } });
      expect(config).toHaveReceivedCommandTimes(PutEvaluationsCommand, 3);
    });

    it('fails with EvaluationsNotAcceptedError listing them after the last retry', async () => {
      // Prepare
      config.on(PutEvaluationsCommand).resolves(failed);

      // Act
      const invocation = handler(changeEvent());
      const outcome = expect(invocation).rejects.toThrow(
        new EvaluationsNotAcceptedError([`AWS::EC2::ClientVpnEndpoint/${ENDPOINT_ID}`]).message,
      );
      await jest.runAllTimersAsync();

      // Assess
      await outcome;
      expect(config).toHaveReceivedCommandTimes(PutEvaluationsCommand, 4);
    });
  });
});

describe('handler, organization mode (EXECUTION_ROLE_NAME set)', () => {
  const ROLE_NAME = 'ClientVpnLoggingRuleExecution';
  const MEMBER_ACCOUNT_ID = '210987654321';
  const expiration = (minutesFromNow: number) => new Date(Date.now() + minutesFromNow * 60_000);
  const assumed = (minutesFromNow = 60) => ({
    Credentials: {
      AccessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      SessionToken: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN',
      Expiration: expiration(minutesFromNow),
    },
  });
  const withRoleParameter = { ruleParameters: `{"executionRoleName":"${ROLE_NAME}"}` };
  /** An event of the rule in a member account: the account and the rule ARN agree. */
  const memberAccountEvent = (overrides: Record<string, unknown> = {}) =>
    changeEvent(undefined, {
      accountId: MEMBER_ACCOUNT_ID,
      configRuleArn: `arn:aws:config:us-east-1:${MEMBER_ACCOUNT_ID}:config-rule/config-rule-k3m9qd`,
      ...overrides,
    });

  beforeEach(() => {
    process.env.EXECUTION_ROLE_NAME = ROLE_NAME;
  });
  afterEach(() => {
    delete process.env.EXECUTION_ROLE_NAME;
  });

  it('assumes the role in the event’s account and makes every call with it', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).resolves(assumed());

    // Act
    await handler(changeEvent(undefined, withRoleParameter));

    // Assess
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${ROLE_NAME}`,
      RoleSessionName: 'client-vpn-connection-logging-rule',
    });
    const putClient = config.commandCalls(PutEvaluationsCommand)[0].thisValue as ConfigServiceClient;
    const lookUpClient = logs.commandCalls(DescribeLogGroupsCommand)[0].thisValue as CloudWatchLogsClient;
    await expect(putClient.config.credentials()).resolves.toMatchObject({
      accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
    });
    await expect(lookUpClient.config.credentials()).resolves.toMatchObject({
      accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
    });
  });

  it('assumes exactly the configured role in a member account, whatever account the function runs in', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).resolves(assumed());

    // Act
    await handler(memberAccountEvent());

    // Assess
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: `arn:aws:iam::${MEMBER_ACCOUNT_ID}:role/${ROLE_NAME}`,
    });
    expect(onlyEvaluation().ComplianceType).toBe('COMPLIANT');
  });

  it('sweeps the member account with the role, EC2 included', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).resolves(assumed());
    ec2.on(DescribeClientVpnEndpointsCommand).resolves(endpointsPage());
    config.on(GetComplianceDetailsByConfigRuleCommand).resolves({});

    // Act
    await handler(scheduledEvent(withRoleParameter));

    // Assess
    const ec2Client = ec2.commandCalls(DescribeClientVpnEndpointsCommand)[0].thisValue as EC2Client;
    await expect(ec2Client.config.credentials()).resolves.toMatchObject({
      accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
    });
    expect(putEvaluations()).toHaveLength(4);
  });

  it.each([
    ['"/config/<name>"', '/config/'],
    ['"config/<name>"', 'config/'],
  ])('takes the partition from the rule ARN and keeps a role path configured as %s', async (_case, path) => {
    // Prepare
    process.env.EXECUTION_ROLE_NAME = `${path}${ROLE_NAME}`;
    sts.on(AssumeRoleCommand).resolves(assumed());

    // Act
    await handler(
      changeEvent(undefined, {
        ruleParameters: `{"executionRoleName":"/config/${ROLE_NAME}"}`,
        configRuleArn: `arn:aws-us-gov:config:us-gov-west-1:${MEMBER_ACCOUNT_ID}:config-rule/config-rule-k3m9qd`,
        accountId: MEMBER_ACCOUNT_ID,
      }),
    );

    // Assess
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: `arn:aws-us-gov:iam::${MEMBER_ACCOUNT_ID}:role/config/${ROLE_NAME}`,
    });
  });

  it('reuses the role’s credentials across invocations until they near expiry', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).resolvesOnce(assumed(4)).resolves(assumed(60));
    const event = changeEvent(undefined, withRoleParameter);

    // Act
    await handler(event); // credentials expiring in 4 minutes: too close to reuse
    await handler(event); // renewed for an hour
    await handler(event); // reused

    // Assess
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);
    expect(config).toHaveReceivedCommandTimes(PutEvaluationsCommand, 3);
  });

  it('fails with ExecutionRoleAssumptionError naming the role, evaluating nothing, when STS refuses', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), {
        name: 'AccessDenied',
      }),
    );

    // Act
    const invocation = handler(changeEvent(undefined, withRoleParameter));

    // Assess
    await expect(invocation).rejects.toThrow(ExecutionRoleAssumptionError);
    await expect(invocation).rejects.toThrow(`arn:aws:iam::${ACCOUNT_ID}:role/${ROLE_NAME}`);
    await expect(invocation).rejects.toThrow(/not authorized to perform: sts:AssumeRole/);
    expectNothingPut();
    expect(logs).not.toHaveReceivedCommand(DescribeLogGroupsCommand);
  });

  it('fails with ExecutionRoleAssumptionError when STS returns no credentials', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).resolves({});

    // Act / Assess
    await expect(handler(changeEvent(undefined, withRoleParameter))).rejects.toThrow(
      /Could not assume the execution role arn:aws:iam::123456789012:role\/ClientVpnLoggingRuleExecution: no credentials returned/,
    );
    expectNothingPut();
  });
});

describe('handler, who decides where it acts: the function’s configuration, never the event', () => {
  const ROLE_NAME = 'ClientVpnConnectionLoggingEvaluation-us-east-1';
  const OTHER_ACCOUNT_ID = '210987654321';
  const ruleArnOf = (accountId: string) =>
    `arn:aws:config:us-east-1:${accountId}:config-rule/config-rule-k3m9qd`;

  afterEach(() => {
    delete process.env.EXECUTION_ROLE_NAME;
  });

  it.each<
    [
      string,
      string | undefined,
      ConfigRuleEvent,
      LambdaContextLike | null,
      new (...args: never[]) => Error,
      RegExp,
    ]
  >([
    [
      'without EXECUTION_ROLE_NAME: an event for another account',
      undefined,
      changeEvent(undefined, { accountId: OTHER_ACCOUNT_ID, configRuleArn: ruleArnOf(OTHER_ACCOUNT_ID) }),
      LAMBDA_CONTEXT,
      ForeignAccountEventError,
      /only its own account 123456789012 .* the event is for account 210987654321/,
    ],
    [
      'without EXECUTION_ROLE_NAME: a scheduled event for another account',
      undefined,
      scheduledEvent({ accountId: OTHER_ACCOUNT_ID, configRuleArn: ruleArnOf(OTHER_ACCOUNT_ID) }),
      LAMBDA_CONTEXT,
      ForeignAccountEventError,
      /the event is for account 210987654321/,
    ],
    [
      'without EXECUTION_ROLE_NAME: an executionRoleName rule parameter',
      undefined,
      changeEvent(undefined, { ruleParameters: `{"executionRoleName":"${ROLE_NAME}"}` }),
      LAMBDA_CONTEXT,
      ExecutionRoleNameMismatchError,
      /executionRoleName "ClientVpnConnectionLoggingEvaluation-us-east-1" asks for a role, but this function assumes none/,
    ],
    [
      'without EXECUTION_ROLE_NAME: an accountId that is not the rule ARN’s account',
      undefined,
      changeEvent(undefined, { configRuleArn: ruleArnOf(OTHER_ACCOUNT_ID) }),
      LAMBDA_CONTEXT,
      RuleAccountMismatchError,
      /accountId 123456789012 is not the account 210987654321 of its configRuleArn/,
    ],
    [
      'without EXECUTION_ROLE_NAME: a context with no invokedFunctionArn',
      undefined,
      changeEvent(),
      { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678' },
      FunctionConfigurationError,
      /invokedFunctionArn null names no account/,
    ],
    [
      'without EXECUTION_ROLE_NAME: an invokedFunctionArn with too few parts',
      undefined,
      changeEvent(),
      { ...LAMBDA_CONTEXT, invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT_ID}` },
      FunctionConfigurationError,
      /invokedFunctionArn "arn:aws:lambda:us-east-1:123456789012" names no account/,
    ],
    [
      'without EXECUTION_ROLE_NAME: an invokedFunctionArn that names no function',
      undefined,
      changeEvent(),
      { ...LAMBDA_CONTEXT, invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:layer:logging:1` },
      FunctionConfigurationError,
      /names no account/,
    ],
    [
      'without EXECUTION_ROLE_NAME: no context at all',
      undefined,
      changeEvent(),
      null,
      FunctionConfigurationError,
      /cannot tell its own account/,
    ],
    [
      'with EXECUTION_ROLE_NAME: an executionRoleName rule parameter naming another role',
      ROLE_NAME,
      changeEvent(undefined, { ruleParameters: '{"executionRoleName":"OrganizationAccountAccessRole"}' }),
      LAMBDA_CONTEXT,
      ExecutionRoleNameMismatchError,
      /"OrganizationAccountAccessRole" is not the role this function is configured to assume, "ClientVpnConnectionLoggingEvaluation-us-east-1"/,
    ],
    [
      'with EXECUTION_ROLE_NAME: the same role name under another path',
      ROLE_NAME,
      changeEvent(undefined, { ruleParameters: `{"executionRoleName":"admin/${ROLE_NAME}"}` }),
      LAMBDA_CONTEXT,
      ExecutionRoleNameMismatchError,
      /"admin\/ClientVpnConnectionLoggingEvaluation-us-east-1" is not the role/,
    ],
    [
      'with EXECUTION_ROLE_NAME: an accountId that is not the rule ARN’s account',
      ROLE_NAME,
      changeEvent(undefined, { accountId: OTHER_ACCOUNT_ID }),
      LAMBDA_CONTEXT,
      RuleAccountMismatchError,
      /accountId 210987654321 is not the account 123456789012 of its configRuleArn/,
    ],
    [
      'with EXECUTION_ROLE_NAME: a scheduled event whose accountId is not the rule ARN’s account',
      ROLE_NAME,
      scheduledEvent({ configRuleArn: ruleArnOf(OTHER_ACCOUNT_ID) }),
      LAMBDA_CONTEXT,
      RuleAccountMismatchError,
      /is not the account 210987654321/,
    ],
    [
      'with an EXECUTION_ROLE_NAME that is not a role name',
      'Client VPN evaluation',
      changeEvent(),
      LAMBDA_CONTEXT,
      FunctionConfigurationError,
      /EXECUTION_ROLE_NAME "Client VPN evaluation" is not an IAM role name/,
    ],
  ])(
    'refuses, assuming, looking up and putting nothing, %s',
    async (_case, configuredRole, event, context, errorClass, message) => {
      // Prepare
      if (configuredRole !== undefined) process.env.EXECUTION_ROLE_NAME = configuredRole;

      // Act
      const invocation = handler(event, context);

      // Assess
      await expect(invocation).rejects.toThrow(errorClass);
      await expect(invocation).rejects.toThrow(message);
      expectNoAwsCall();
    },
  );

  it('fails with MalformedEventError for a rule ARN that names no account, calling nothing', async () => {
    // Act
    const invocation = handler(
      changeEvent(undefined, { configRuleArn: 'arn:aws:config:us-east-1::config-rule/config-rule-k3m9qd' }),
    );

    // Assess
    await expect(invocation).rejects.toThrow(MalformedEventError);
    await expect(invocation).rejects.toThrow(/configRuleArn names no 12-digit account/);
    expectNoAwsCall();
  });

  it('reads an empty EXECUTION_ROLE_NAME as unset: its own account, its own credentials', async () => {
    // Prepare
    process.env.EXECUTION_ROLE_NAME = '';

    // Act
    await handler(changeEvent());

    // Assess
    expect(sts).not.toHaveReceivedCommand(AssumeRoleCommand);
    expect(onlyEvaluation().ComplianceType).toBe('COMPLIANT');
  });

  it('without EXECUTION_ROLE_NAME acts in its own account with its own credentials, whatever the alias invoked', async () => {
    // Act
    await handler(changeEvent(), {
      invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:client-vpn-connection-logging:live`,
    });

    // Assess
    expect(sts).not.toHaveReceivedCommand(AssumeRoleCommand);
    expect(onlyEvaluation().ComplianceType).toBe('COMPLIANT');
  });
});
