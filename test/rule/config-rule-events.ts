import type { ConfigurationItem as SdkConfigurationItem } from '@aws-sdk/client-config-service';
import type { DescribeClientVpnEndpointsResult } from '@aws-sdk/client-ec2';
import type { DescribeLogGroupsResponse, DescribeLogStreamsResponse } from '@aws-sdk/client-cloudwatch-logs';
import type { DescribeClientVpnConnectionsResult } from '@aws-sdk/client-ec2';
import type { DescribeKeyResponse, KeyState } from '@aws-sdk/client-kms';
import type { ConfigRuleEvent } from '../../rule/event';
import changeFixture from '../fixtures/config-rule/configuration-item-change-notification.json';
import oversizedFixture from '../fixtures/config-rule/oversized-configuration-item-change-notification.json';
import scheduledFixture from '../fixtures/config-rule/scheduled-notification.json';
import historyFixture from '../fixtures/config-rule/get-resource-config-history-response.json';
import endpointsFixture from '../fixtures/config-rule/describe-client-vpn-endpoints-response.json';
import logGroupsFixture from '../fixtures/config-rule/describe-log-groups-response.json';
import keyFixture from '../fixtures/config-rule/describe-key-response.json';
import connectionsFixture from '../fixtures/config-rule/describe-client-vpn-connections-response.json';

/** The endpoint the change-notification fixtures are about. */
export const ENDPOINT_ID = 'cvpn-endpoint-0a1b2c3d4e5f60718';
/** The log group the fixture endpoint writes to. */
export const LOG_GROUP_NAME = '/aws/clientvpn/corp-remote-access';
/** The account of every fixture. */
export const ACCOUNT_ID = '123456789012';

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
export function changeEvent(
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
export function changeEventWithLogOptions(
  connectionLogOptions: unknown,
  overrides: Partial<Record<keyof ConfigRuleEvent, unknown>> = {},
): ConfigRuleEvent {
  return changeEvent((invokingEvent) => {
    invokingEvent.configurationItem.configuration.ConnectionLogOptions = connectionLogOptions;
  }, overrides);
}

/** An oversized configuration-change event about the fixture endpoint. */
export function oversizedEvent(
  change: (invokingEvent: Json & { configurationItemSummary: Json }) => void = () => {},
  overrides: Partial<Record<keyof ConfigRuleEvent, unknown>> = {},
): ConfigRuleEvent {
  const event = clone(oversizedFixture) as ConfigRuleEvent;
  const invokingEvent = invokingEventOf(event) as Json & { configurationItemSummary: Json };
  change(invokingEvent);
  return { ...event, invokingEvent: JSON.stringify(invokingEvent), ...overrides } as ConfigRuleEvent;
}

/** A periodic (scheduled) event. */
export function scheduledEvent(
  overrides: Partial<Record<keyof ConfigRuleEvent, unknown>> = {},
): ConfigRuleEvent {
  return { ...(clone(scheduledFixture) as ConfigRuleEvent), ...overrides } as ConfigRuleEvent;
}

/** The fixture's GetResourceConfigHistory item, as the SDK hands it over (dates as Date). */
export function historyItem(change: (configuration: Json) => void = () => {}): SdkConfigurationItem {
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
