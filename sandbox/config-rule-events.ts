/**
 * Config rule events shaped like AWS's documented examples for a custom Lambda rule
 * (https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_example-events.html),
 * about `AWS::EC2::ClientVpnEndpoint` items recorded with the resource schema's PascalCase fields.
 * The wire-level tests and the benchmark send these to the real handler.
 */
import { LOOPBACK_ACCOUNT_ID, type WorldEndpoint } from './loopback-world';

/** The rule name the events carry, and the loopback world's recorded rule. */
export const RULE_NAME = 'client-vpn-connection-logging';

/** The event a Config custom Lambda rule receives. */
export interface ConfigRuleEventShape {
  readonly version: string;
  readonly invokingEvent: string;
  readonly ruleParameters: string;
  readonly resultToken: string;
  readonly eventLeftScope: boolean;
  readonly executionRoleArn: string;
  readonly configRuleArn: string;
  readonly configRuleName: string;
  readonly configRuleId: string;
  readonly accountId: string;
  readonly evaluationMode: string;
}

function envelope(
  region: string,
  invokingEvent: object,
  ruleParameters: Record<string, string>,
): ConfigRuleEventShape {
  return {
    version: '1.0',
    invokingEvent: JSON.stringify(invokingEvent),
    ruleParameters: JSON.stringify(ruleParameters),
    resultToken: 'eyJyZXN1bHRUb2tlbiI6Imxvb3BiYWNrIn0=',
    eventLeftScope: false,
    executionRoleArn: `arn:aws:iam::${LOOPBACK_ACCOUNT_ID}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
    configRuleArn: `arn:aws:config:${region}:${LOOPBACK_ACCOUNT_ID}:config-rule/config-rule-a1b2c3`,
    configRuleName: RULE_NAME,
    configRuleId: 'config-rule-a1b2c3',
    accountId: LOOPBACK_ACCOUNT_ID,
    evaluationMode: 'DETECTIVE',
  };
}

/**
 * The endpoint's configuration as AWS Config records `AWS::EC2::ClientVpnEndpoint`: the resource
 * schema's PascalCase properties (`Id`, `ConnectionLogOptions.CloudwatchLogGroup`, ...), no status.
 */
export function endpointConfiguration(region: string, endpoint: WorldEndpoint): Record<string, unknown> {
  const certificate = `arn:aws:acm:${region}:${LOOPBACK_ACCOUNT_ID}:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789`;
  return {
    Id: endpoint.endpointId,
    Description: 'Remote access',
    ClientCidrBlock: '10.100.0.0/22',
    ServerCertificateArn: certificate,
    AuthenticationOptions: [
      {
        Type: 'certificate-authentication',
        MutualAuthentication: { ClientRootCertificateChainArn: certificate },
      },
    ],
    ConnectionLogOptions: {
      Enabled: endpoint.enabled,
      ...(endpoint.logGroup === undefined ? {} : { CloudwatchLogGroup: endpoint.logGroup }),
      ...(endpoint.logStream === undefined ? {} : { CloudwatchLogStream: endpoint.logStream }),
    },
    DnsServers: [],
    SecurityGroupIds: ['sg-0123456789abcdef0'],
    VpcId: 'vpc-0123456789abcdef0',
    SelfServicePortal: 'disabled',
    SessionTimeoutHours: 24,
    SplitTunnel: true,
    TransportProtocol: 'udp',
    VpnPort: 443,
    ClientConnectOptions: { Enabled: false },
    ClientLoginBannerOptions: { Enabled: false },
  };
}

function itemSummary(region: string, endpointId: string, capturedAt: string): Record<string, unknown> {
  return {
    configurationItemVersion: '1.3',
    configurationItemCaptureTime: capturedAt,
    configurationStateId: 1764151200000,
    awsAccountId: LOOPBACK_ACCOUNT_ID,
    configurationItemStatus: 'OK',
    resourceType: 'AWS::EC2::ClientVpnEndpoint',
    resourceId: endpointId,
    resourceName: null,
    ARN: `arn:aws:ec2:${region}:${LOOPBACK_ACCOUNT_ID}:client-vpn-endpoint/${endpointId}`,
    awsRegion: region,
    availabilityZone: 'Not Applicable',
    configurationStateMd5Hash: '',
    resourceCreationTime: '2026-01-15T09:30:00.000Z',
  };
}

/** A `ConfigurationItemChangeNotification` about one endpoint. */
export function changeEvent(
  region: string,
  endpoint: WorldEndpoint,
  ruleParameters: Record<string, string> = {},
  capturedAt = '2026-11-26T10:00:00.000Z',
): ConfigRuleEventShape {
  return envelope(
    region,
    {
      configurationItemDiff: null,
      configurationItem: {
        relatedEvents: [],
        relationships: [],
        configuration: endpointConfiguration(region, endpoint),
        supplementaryConfiguration: {},
        tags: {},
        ...itemSummary(region, endpoint.endpointId, capturedAt),
      },
      notificationCreationTime: '2026-11-26T10:00:05.000Z',
      messageType: 'ConfigurationItemChangeNotification',
      recordVersion: '1.3',
    },
    ruleParameters,
  );
}

/** An `OversizedConfigurationItemChangeNotification`: only the summary; the item must be fetched. */
export function oversizedChangeEvent(
  region: string,
  endpointId: string,
  ruleParameters: Record<string, string> = {},
  capturedAt = '2026-11-26T10:00:00.000Z',
): ConfigRuleEventShape {
  return envelope(
    region,
    {
      configurationItemSummary: { changeType: 'UPDATE', ...itemSummary(region, endpointId, capturedAt) },
      messageType: 'OversizedConfigurationItemChangeNotification',
      notificationCreationTime: '2026-11-26T10:00:05.000Z',
      recordVersion: '1.3',
    },
    ruleParameters,
  );
}

/** The item `GetResourceConfigHistory` returns for an endpoint, `configuration` as a JSON string. */
export function historyItem(
  region: string,
  endpoint: WorldEndpoint,
  capturedAt = '2026-11-26T10:00:00.000Z',
): Record<string, unknown> {
  return {
    version: '1.3',
    accountId: LOOPBACK_ACCOUNT_ID,
    configurationItemCaptureTime: Date.parse(capturedAt) / 1000,
    configurationItemStatus: 'OK',
    configurationStateId: '1764151200000',
    configurationItemMD5Hash: '',
    arn: `arn:aws:ec2:${region}:${LOOPBACK_ACCOUNT_ID}:client-vpn-endpoint/${endpoint.endpointId}`,
    resourceType: 'AWS::EC2::ClientVpnEndpoint',
    resourceId: endpoint.endpointId,
    awsRegion: region,
    availabilityZone: 'Not Applicable',
    resourceCreationTime: Date.parse('2026-01-15T09:30:00.000Z') / 1000,
    tags: {},
    relatedEvents: [],
    relationships: [],
    configuration: JSON.stringify(endpointConfiguration(region, endpoint)),
    supplementaryConfiguration: {},
  };
}

/** A `ScheduledNotification`: sweep every endpoint of the account and region. */
export function scheduledEvent(
  region: string,
  ruleParameters: Record<string, string> = {},
  notifiedAt = '2026-11-26T12:00:00.000Z',
): ConfigRuleEventShape {
  return envelope(
    region,
    {
      awsAccountId: LOOPBACK_ACCOUNT_ID,
      notificationCreationTime: notifiedAt,
      messageType: 'ScheduledNotification',
      recordVersion: '1.0',
    },
    ruleParameters,
  );
}
