import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import {
  DescribeClientVpnEndpointsCommand,
  DescribeRegionsCommand,
  EC2Client,
  paginateDescribeClientVpnEndpoints,
} from '@aws-sdk/client-ec2';
import { DescribeDocumentCommand, SSMClient, StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

import { startLoopbackServer, type LoopbackServer } from '../../sandbox/aws-loopback-server';
import { useLoopbackEnvironment } from '../../sandbox/loopback-environment';
import { endpointIdOf, loopbackWorld, sweepWorld, worldRegion } from '../../sandbox/loopback-world';

// The server is a test instrument: these specify that the real SDK clients read its replies as
// they read AWS's, so a wire-level test that passes means something.
describe('the AWS loopback server, through the real SDK v3 clients', () => {
  let server: LoopbackServer;
  let restore: () => void;

  beforeEach(async () => {
    const world = sweepWorld('us-east-1', 12, 3);
    world.regions['us-east-1']?.documents.push({
      name: 'EnableClientVpnConnectionLogging',
      requiredParameters: ['ClientVpnEndpointId'],
    });
    world.regions['eu-west-1'] = worldRegion({
      failures: {
        ec2: {
          code: 'UnauthorizedOperation',
          message: 'You are not authorized to perform this operation.',
          status: 403,
        },
      },
    });
    world.regions['ap-east-1'] = worldRegion({ optInStatus: 'not-opted-in' });
    server = await startLoopbackServer({ world, defaultEndpointPageSize: 5 });
    restore = useLoopbackEnvironment(server.url, 'us-east-1');
  });

  afterEach(async () => {
    restore();
    await server.close();
  });

  it('lists Client VPN endpoints page by page with PascalCase connection-log options', async () => {
    // Prepare
    const ec2 = new EC2Client({});

    // Act
    const pages = [];
    for await (const page of paginateDescribeClientVpnEndpoints({ client: ec2 }, {})) pages.push(page);

    // Assess
    const endpoints = pages.flatMap((p) => p.ClientVpnEndpoints ?? []);
    expect(pages).toHaveLength(3);
    expect(endpoints).toHaveLength(12);
    expect(endpoints[0]).toMatchObject({
      ClientVpnEndpointId: endpointIdOf(1),
      Status: { Code: 'available' },
      ConnectionLogOptions: {
        Enabled: true,
        CloudwatchLogGroup: '/aws/clientvpn/team-00',
        CloudwatchLogStream: 'connections-1',
      },
    });
    expect(endpoints[9]?.ConnectionLogOptions).toEqual({ Enabled: false });
    expect(server.callsOf('DescribeClientVpnEndpoints').map((c) => c.region)).toEqual([
      'us-east-1',
      'us-east-1',
      'us-east-1',
    ]);
  });

  it('answers an unknown endpoint ID with InvalidClientVpnEndpointId.NotFound', async () => {
    const ec2 = new EC2Client({});

    await expect(
      ec2.send(
        new DescribeClientVpnEndpointsCommand({ ClientVpnEndpointIds: ['cvpn-endpoint-0123456789abcdef0'] }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidClientVpnEndpointId.NotFound',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('rejects MaxResults outside 5 to 1000 as EC2 does', async () => {
    const ec2 = new EC2Client({});

    await expect(ec2.send(new DescribeClientVpnEndpointsCommand({ MaxResults: 1001 }))).rejects.toMatchObject(
      {
        name: 'InvalidParameterValue',
      },
    );
  });

  it('describes only the enabled regions unless AllRegions is set', async () => {
    const ec2 = new EC2Client({});

    const enabled = await ec2.send(new DescribeRegionsCommand({}));
    const all = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));

    expect(enabled.Regions?.map((r) => r.RegionName)).toEqual(['us-east-1', 'eu-west-1']);
    expect(all.Regions?.find((r) => r.RegionName === 'ap-east-1')).toMatchObject({
      OptInStatus: 'not-opted-in',
    });
  });

  it.each([
    ['a region whose EC2 calls are denied', 'eu-west-1', 'UnauthorizedOperation'],
    ['a region not opted in', 'ap-east-1', 'AuthFailure'],
  ])('answers %s (%s) with %s, per region', async (_case, region, code) => {
    const ec2 = new EC2Client({ region });

    await expect(ec2.send(new DescribeClientVpnEndpointsCommand({}))).rejects.toMatchObject({ name: code });
  });

  it('looks log groups up by name or ARN and omits retentionInDays and kmsKeyId when unset', async () => {
    server.world.regions['us-east-1']?.logGroups.push({ name: '/vpn/forever' });
    const logs = new CloudWatchLogsClient({});

    const found = await logs.send(
      new DescribeLogGroupsCommand({
        logGroupIdentifiers: [
          '/vpn/forever',
          'arn:aws:logs:us-east-1:123456789012:log-group:/aws/clientvpn/team-01',
          '/gone',
        ],
      }),
    );

    expect(found.logGroups?.map((g) => [g.logGroupName, g.retentionInDays, g.kmsKeyId])).toEqual([
      ['/aws/clientvpn/team-01', 7, undefined],
      ['/vpn/forever', undefined, undefined],
    ]);
  });

  it('refuses more than 50 log group identifiers, and an identifier list with a prefix', async () => {
    const logs = new CloudWatchLogsClient({});
    const many = Array.from({ length: 51 }, (_, i) => `/g/${i}`);

    await expect(
      logs.send(new DescribeLogGroupsCommand({ logGroupIdentifiers: many })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      logs.send(new DescribeLogGroupsCommand({ logGroupIdentifiers: ['/a'], logGroupNamePrefix: '/a' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('takes evaluations, records them outside test mode and reports them back by rule', async () => {
    const config = new ConfigServiceClient({});
    const at = new Date('2026-11-26T10:00:00Z');

    const put = await config.send(
      new PutEvaluationsCommand({
        ResultToken: 'token',
        Evaluations: [
          {
            ComplianceResourceType: 'AWS::EC2::ClientVpnEndpoint',
            ComplianceResourceId: endpointIdOf(1),
            ComplianceType: 'NON_COMPLIANT',
            Annotation: 'off',
            OrderingTimestamp: at,
          },
        ],
      }),
    );
    const details = await config.send(
      new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: 'client-vpn-connection-logging' }),
    );

    expect(put.FailedEvaluations).toEqual([]);
    expect(server.world.receivedEvaluations).toEqual([
      expect.objectContaining({ resourceId: endpointIdOf(1), orderingTimestamp: at, testMode: false }),
    ]);
    expect(details.EvaluationResults?.[0]).toMatchObject({
      ComplianceType: 'NON_COMPLIANT',
      EvaluationResultIdentifier: {
        EvaluationResultQualifier: { ResourceId: endpointIdOf(1) },
        OrderingTimestamp: at,
      },
    });
  });

  it('refuses more than 100 evaluations in one call', async () => {
    const config = new ConfigServiceClient({});
    const evaluations = Array.from({ length: 101 }, (_, i) => ({
      ComplianceResourceType: 'AWS::EC2::ClientVpnEndpoint',
      ComplianceResourceId: endpointIdOf(i),
      ComplianceType: 'COMPLIANT' as const,
      OrderingTimestamp: new Date(),
    }));

    await expect(
      config.send(new PutEvaluationsCommand({ ResultToken: 't', Evaluations: evaluations })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
    expect(server.world.receivedEvaluations).toEqual([]);
  });

  it('returns the configured FailedEvaluations, then accepts the retry', async () => {
    server.world.regions['us-east-1']?.failEvaluations.set(endpointIdOf(2), 1);
    const config = new ConfigServiceClient({});
    const input = {
      ResultToken: 't',
      Evaluations: [
        {
          ComplianceResourceType: 'AWS::EC2::ClientVpnEndpoint',
          ComplianceResourceId: endpointIdOf(2),
          ComplianceType: 'COMPLIANT' as const,
          OrderingTimestamp: new Date(),
        },
      ],
    };

    const first = await config.send(new PutEvaluationsCommand(input));
    const second = await config.send(new PutEvaluationsCommand(input));

    expect(first.FailedEvaluations).toHaveLength(1);
    expect(second.FailedEvaluations).toEqual([]);
  });

  it('answers GetResourceConfigHistory with configuration as a JSON string, and an unknown resource with ResourceNotDiscoveredException', async () => {
    const item = {
      resourceId: endpointIdOf(1),
      resourceType: 'AWS::EC2::ClientVpnEndpoint',
      configuration: '{"ClientVpnEndpointId":"x"}',
      configurationItemCaptureTime: 1764151200,
    };
    server.world.regions['us-east-1']?.configHistory.set(endpointIdOf(1), [item]);
    const config = new ConfigServiceClient({});

    const history = await config.send(
      new GetResourceConfigHistoryCommand({
        resourceType: 'AWS::EC2::ClientVpnEndpoint',
        resourceId: endpointIdOf(1),
        limit: 1,
      }),
    );

    expect(history.configurationItems?.[0]).toMatchObject({
      configuration: '{"ClientVpnEndpointId":"x"}',
      configurationItemCaptureTime: new Date(1764151200_000),
    });
    await expect(
      config.send(
        new GetResourceConfigHistoryCommand({
          resourceType: 'AWS::EC2::ClientVpnEndpoint',
          resourceId: endpointIdOf(99),
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotDiscoveredException' });
  });

  it('rides throttling out: the SDK retries RequestLimitExceeded and ThrottlingException', async () => {
    await server.close();
    server = await startLoopbackServer({
      world: sweepWorld('us-east-1', 3, 1),
      throttle: { DescribeClientVpnEndpoints: 2, DescribeLogGroups: 1 },
    });
    restore();
    restore = useLoopbackEnvironment(server.url, 'us-east-1');

    const listed = await new EC2Client({}).send(new DescribeClientVpnEndpointsCommand({}));
    const groups = await new CloudWatchLogsClient({}).send(
      new DescribeLogGroupsCommand({ logGroupIdentifiers: ['/aws/clientvpn/team-00'] }),
    );

    expect(listed.ClientVpnEndpoints).toHaveLength(3);
    expect(groups.logGroups).toHaveLength(1);
    expect(server.callsOf('DescribeClientVpnEndpoints', true).map((c) => c.errorCode)).toEqual([
      'RequestLimitExceeded',
      'RequestLimitExceeded',
      undefined,
    ]);
    expect(server.callsOf('DescribeLogGroups', true).map((c) => c.errorCode)).toEqual([
      'ThrottlingException',
      undefined,
    ]);
  });

  it('starts an automation only for a deployed document with its required parameters', async () => {
    const ssm = new SSMClient({});

    const described = await ssm.send(
      new DescribeDocumentCommand({ Name: 'EnableClientVpnConnectionLogging' }),
    );
    const started = await ssm.send(
      new StartAutomationExecutionCommand({
        DocumentName: 'EnableClientVpnConnectionLogging',
        Parameters: { ClientVpnEndpointId: [endpointIdOf(10)] },
      }),
    );

    expect(described.Document?.Status).toBe('Active');
    expect(started.AutomationExecutionId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(ssm.send(new DescribeDocumentCommand({ Name: 'Missing' }))).rejects.toMatchObject({
      name: 'InvalidDocument',
    });
    await expect(
      ssm.send(
        new StartAutomationExecutionCommand({
          DocumentName: 'EnableClientVpnConnectionLogging',
          Parameters: {},
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidAutomationExecutionParametersException' });
    expect(server.world.startedAutomations).toHaveLength(1);
  });

  it('answers a JSON service in a disabled region with UnrecognizedClientException', async () => {
    const ssm = new SSMClient({ region: 'ap-east-1' });

    await expect(
      ssm.send(new DescribeDocumentCommand({ Name: 'EnableClientVpnConnectionLogging' })),
    ).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
    });
  });

  it('assumes a role over the STS query protocol', async () => {
    const sts = new STSClient({});

    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::210987654321:role/ClientVpnRuleExecution',
        RoleSessionName: 'rule',
      }),
    );

    expect(assumed.Credentials?.AccessKeyId).toBe('ASIAIOSFODNN7EXAMPLE');
    expect(assumed.Credentials?.Expiration).toBeInstanceOf(Date);
    expect(server.callsOf('AssumeRole')[0]?.service).toBe('sts');
    expect(server.callsOf('AssumeRole')[0]?.accessKeyId).toBe('AKIAIOSFODNN7EXAMPLE');
  });

  it.each([
    ['a role ARN shorter than 20 characters', 'arn:aws:iam::1:r', 'rule', /at 'roleArn'/],
    [
      'a session name with a space',
      'arn:aws:iam::210987654321:role/ClientVpnRuleExecution',
      'rule session',
      /at 'roleSessionName'/,
    ],
    [
      'a one-character session name',
      'arn:aws:iam::210987654321:role/ClientVpnRuleExecution',
      'r',
      /at 'roleSessionName'/,
    ],
  ])(
    'refuses AssumeRole with %s, as the STS service model constrains it',
    async (_case, roleArn, session, message) => {
      const sts = new STSClient({ maxAttempts: 1 });

      const assuming = sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: session }));

      await expect(assuming).rejects.toMatchObject({
        name: 'ValidationError',
        message: expect.stringMatching(message),
      });
      expect(server.callsOf('AssumeRole', true)[0]?.errorCode).toBe('ValidationError');
    },
  );

  it('holds an empty world without endpoints', async () => {
    await server.close();
    server = await startLoopbackServer({ world: loopbackWorld({ 'us-east-1': worldRegion() }) });
    restore();
    restore = useLoopbackEnvironment(server.url, 'us-east-1');

    const listed = await new EC2Client({}).send(new DescribeClientVpnEndpointsCommand({}));

    expect(listed.ClientVpnEndpoints).toEqual([]);
    expect(listed.NextToken).toBeUndefined();
  });
});

describe('the AWS loopback server, made to misbehave', () => {
  let server: LoopbackServer | undefined;
  let restore: () => void = () => undefined;

  afterEach(async () => {
    restore();
    await server?.close();
  });

  it('accepts a chosen call and never answers it, until the client gives up', async () => {
    // Prepare
    server = await startLoopbackServer({
      world: sweepWorld('us-east-1', 3, 1),
      hang: [{ operation: 'DescribeLogGroups', region: 'us-east-1' }],
    });
    restore = useLoopbackEnvironment(server.url, 'us-east-1');
    const logs = new CloudWatchLogsClient({ maxAttempts: 1 });

    // Act
    const call = logs.send(new DescribeLogGroupsCommand({}), { abortSignal: AbortSignal.timeout(300) });

    // Assess
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.calls).toEqual([expect.objectContaining({ operation: 'DescribeLogGroups', hung: true })]);
    logs.destroy();
  });

  it.each([
    ['EC2 (XML)', 'DescribeClientVpnEndpoints'],
    ['CloudWatch Logs (JSON)', 'DescribeLogGroups'],
  ])('repeats the same page token on every page of a chosen %s call', async (_service, operation) => {
    // Prepare
    server = await startLoopbackServer({
      world: sweepWorld('us-east-1', 3, 1),
      repeatPageToken: [{ operation }],
    });
    restore = useLoopbackEnvironment(server.url, 'us-east-1');
    const page = (token?: string): Promise<string | undefined> =>
      operation === 'DescribeLogGroups'
        ? new CloudWatchLogsClient({})
            .send(new DescribeLogGroupsCommand({ nextToken: token }))
            .then((p) => p.nextToken)
        : new EC2Client({})
            .send(new DescribeClientVpnEndpointsCommand({ NextToken: token }))
            .then((p) => p.NextToken);

    // Act: ask for the first page, then follow its token
    const first = await page();
    const tokens = [first, await page(first)];

    // Assess
    expect(tokens[0]).toEqual(expect.any(String));
    expect(tokens[1]).toBe(tokens[0]);
  });
});
