/**
 * Config rule events shaped like AWS's documented examples for a custom Lambda rule
 * (https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_example-events.html),
 * about `AWS::EC2::ClientVpnEndpoint` items recorded with the resource schema's PascalCase fields.
 * The wire-level tests and the benchmark send these to the real handler; the `fixture…` builders and SDK
 * answers below come from recorded fixtures, for the unit tests that mock the SDK clients.
 */
import { LOOPBACK_ACCOUNT_ID, type WorldEndpoint } from './loopback-world';
import type { ConfigurationItem as SdkConfigurationItem } from '@aws-sdk/client-config-service';
import type { DescribeClientVpnEndpointsResult } from '@aws-sdk/client-ec2';
import type { DescribeLogGroupsResponse, DescribeLogStreamsResponse } from '@aws-sdk/client-cloudwatch-logs';
import type { DescribeClientVpnConnectionsResult } from '@aws-sdk/client-ec2';
import type { DescribeKeyResponse, KeyState } from '@aws-sdk/client-kms';
import type { ConfigRuleEvent } from '../rule/event';
import changeFixture from './fixtures/config-rule/configuration-item-change-notification.json';
import oversizedFixture from './fixtures/config-rule/oversized-configuration-item-change-notification.json';
import scheduledFixture from './fixtures/config-rule/scheduled-notification.json';
import historyFixture from './fixtures/config-rule/get-resource-config-history-response.json';
import endpointsFixture from './fixtures/config-rule/describe-client-vpn-endpoints-response.json';
import logGroupsFixture from './fixtures/config-rule/describe-log-groups-response.json';
import keyFixture from './fixtures/config-rule/describe-key-response.json';
import connectionsFixture from './fixtures/config-rule/describe-client-vpn-connections-response.json';

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

// ---------------------------------------------------------------- Recorded fixtures
// The events and SDK answers of sandbox/fixtures/config-rule/, shaped as AWS documents them, for the rule's
// unit tests (the handler against mocked clients).
/** The endpoint the change-notification fixtures are about. */
export const ENDPOINT_ID = 'cvpn-endpoint-0a1b2c3d4e5f60718';
/** The log group the fixture endpoint writes to. */
export const LOG_GROUP_NAME = '/aws/clientvpn/corp-remote-access';
/** The account of every fixture: the loopback world's own. */
export const ACCOUNT_ID = LOOPBACK_ACCOUNT_ID;

type Json = Record<string, unknown>;

const clone = <T>(value: T): T => structuredClone(value);

/** The invoking event of a fixture, parsed, for a test to change. */
export function invokingEventOf(event: ConfigRuleEvent): Json {
  return JSON.parse(event.invokingEvent) as Json;
}

/**
 * A configuration-change event about the fixture endpoint, as AWS Config sends it.
 *
 * @param change - edits to the parsed invoking event (its `configurationItem`) before it is encoded again
 * @param overrides - fields of the outer event to replace
 */
export function fixtureChangeEvent(
  change: (invokingEvent: Json & { configurationItem: Json & { configuration: Json } }) => void = () => {},
  overrides: Partial<Record<keyof ConfigRuleEvent, unknown>> = {},
): ConfigRuleEvent {
  const event = clone(changeFixture) as ConfigRuleEvent;
  const invokingEvent = invokingEventOf(event) as Json & {
    configurationItem: Json & { configuration: Json };
  };
  change(invokingEvent);
  return { ...event, invokingEvent: JSON.stringify(invokingEvent), ...overrides } as ConfigRuleEvent;
}

/** The fixture endpoint's configuration with `ConnectionLogOptions` replaced. */
export function fixtureChangeEventWithLogOptions(
  connectionLogOptions: unknown,
  overrides: Partial<Record<keyof ConfigRuleEvent, unknown>> = {},
): ConfigRuleEvent {
  return fixtureChangeEvent((invokingEvent) => {
    invokingEvent.configurationItem.configuration.ConnectionLogOptions = connectionLogOptions;
  }, overrides);
}

/** An oversized configuration-change event about the fixture endpoint. */
export function fixtureOversizedEvent(
  change: (invokingEvent: Json & { configurationItemSummary: Json }) => void = () => {},
  overrides: Partial<Record<keyof ConfigRuleEvent, unknown>> = {},
): ConfigRuleEvent {
  const event = clone(oversizedFixture) as ConfigRuleEvent;
  const invokingEvent = invokingEventOf(event) as Json & { configurationItemSummary: Json };
  change(invokingEvent);
  return { ...event, invokingEvent: JSON.stringify(invokingEvent), ...overrides } as ConfigRuleEvent;
}

/** A periodic (scheduled) event. */
export function fixtureScheduledEvent(
  overrides: Partial<Record<keyof ConfigRuleEvent, unknown>> = {},
): ConfigRuleEvent {
  return { ...(clone(scheduledFixture) as ConfigRuleEvent), ...overrides } as ConfigRuleEvent;
}

/** The fixture's GetResourceConfigHistory item, as the SDK hands it over (dates as Date). */
export function fixtureHistoryItem(change: (configuration: Json) => void = () => {}): SdkConfigurationItem {
  const raw = clone(historyFixture.configurationItems[0]);
  const configuration = JSON.parse(raw.configuration) as Json;
  change(configuration);
  return {
    ...raw,
    configurationItemStatus: 'OK',
    resourceType: 'AWS::EC2::ClientVpnEndpoint',
    configurationItemCaptureTime: new Date(raw.configurationItemCaptureTime * 1000),
    resourceCreationTime: new Date(raw.resourceCreationTime * 1000),
    configuration: JSON.stringify(configuration),
  };
}

/** The fixture DescribeClientVpnEndpoints page: compliant, disabled, missing-group and deleted endpoints. */
export function endpointsPage(): DescribeClientVpnEndpointsResult {
  return clone(endpointsFixture) as DescribeClientVpnEndpointsResult;
}

/** The fixture DescribeLogGroups answer: the corporate log group, 365 days, KMS-encrypted. */
export function logGroupsPage(): DescribeLogGroupsResponse {
  return clone(logGroupsFixture) as DescribeLogGroupsResponse;
}

/** The fixture group's KMS key ARN. */
export const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/4c7e2b1a-9d3f-4e8a-b6c5-0f1e2d3c4b5a';

/**
 * The fixture DescribeKey answer (shaped as the KMS API Reference's example), as the SDK returns it,
 * in the given state; `PendingDeletion` carries its `DeletionDate`, as KMS documents.
 */
export function describeKeyAnswer(state: KeyState = 'Enabled', deletionDate?: Date): DescribeKeyResponse {
  const metadata = clone(keyFixture).KeyMetadata;
  return {
    KeyMetadata: {
      ...metadata,
      CreationDate: new Date(metadata.CreationDate * 1000),
      Enabled: state === 'Enabled',
      KeyState: state,
      ...(deletionDate ? { DeletionDate: deletionDate, PendingDeletionWindowInDays: 7 } : {}),
    } as DescribeKeyResponse['KeyMetadata'],
  };
}

/**
 * The fixture DescribeClientVpnConnections page (shaped as the AWS CLI reference's example): one
 * terminated connection established 2026-11-20 09:41:07 and one active since 09:52:43.
 */
export function connectionsPage(): DescribeClientVpnConnectionsResult {
  return clone(connectionsFixture) as DescribeClientVpnConnectionsResult;
}

/** A DescribeLogStreams answer of streams named and last ingested as given (epoch milliseconds). */
export function logStreamsPage(
  streams: readonly { readonly name: string; readonly lastIngestionTime?: number }[],
  nextToken?: string,
): DescribeLogStreamsResponse {
  return {
    logStreams: streams.map(({ name, lastIngestionTime }) => ({
      logStreamName: name,
      creationTime: 1768469400000,
      ...(lastIngestionTime === undefined
        ? {}
        : {
            firstEventTimestamp: 1768469400000,
            lastEventTimestamp: lastIngestionTime - 200,
            lastIngestionTime,
          }),
      arn: `arn:aws:logs:us-east-1:123456789012:log-group:${LOG_GROUP_NAME}:log-stream:${name}`,
      storedBytes: 0,
    })),
    ...(nextToken ? { nextToken } : {}),
  };
}
