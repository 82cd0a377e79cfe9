import {
  type ConfigServiceClient,
  GetResourceConfigHistoryCommand,
  type ResourceType,
} from '@aws-sdk/client-config-service';
import { ConfigurationItemUnavailableError, MalformedEventError } from './errors';
import { type ConfigurationItem, type ConfigurationItemSummary, parseConfigurationItem } from './event';

/**
 * Fetches the full configuration item an oversized change notification summarises, and converts it to
 * the shape a change notification carries: the history API names some fields differently (`accountId`,
 * `arn`), returns times as dates and `configuration` as a JSON string.
 *
 * @param config - the Config client of the account the resource lives in
 * @param summary - the notification's `configurationItemSummary`
 * @returns the item as a change notification would carry it
 * @throws ConfigurationItemUnavailableError when Config returns no item, or one whose configuration is not JSON
 */
export async function fetchConfigurationItem(
  config: ConfigServiceClient,
  summary: ConfigurationItemSummary,
): Promise<ConfigurationItem> {
  const resource = `${summary.resourceType} ${summary.resourceId}`;
  const response = await config.send(
    new GetResourceConfigHistoryCommand({
      resourceType: summary.resourceType as ResourceType,
      resourceId: summary.resourceId,
      laterTime: new Date(summary.configurationItemCaptureTime),
      limit: 1,
    }),
  );
  const item = response.configurationItems?.[0];
  if (item === undefined) {
    throw new ConfigurationItemUnavailableError(
      `GetResourceConfigHistory returned no configuration item for ${resource} at ${summary.configurationItemCaptureTime}`,
    );
  }
  let configuration: unknown = null;
  if (item.configuration !== undefined && item.configuration !== null && item.configuration !== '') {
    try {
      configuration = JSON.parse(item.configuration);
    } catch {
      throw new ConfigurationItemUnavailableError(
        `GetResourceConfigHistory returned a configuration for ${resource} that is not valid JSON`,
      );
    }
  }
  try {
    return parseConfigurationItem(
      {
        configurationItemCaptureTime: item.configurationItemCaptureTime?.toISOString(),
        configurationItemStatus: item.configurationItemStatus,
        resourceType: item.resourceType,
        resourceId: item.resourceId,
        awsAccountId: item.accountId,
        awsRegion: item.awsRegion,
        ARN: item.arn,
        configuration,
      },
      `the configuration item GetResourceConfigHistory returned for ${resource}`,
    );
  } catch (error) {
    // The item came from Config's API, not from the event: say so rather than blame the event.
    throw new ConfigurationItemUnavailableError((error as MalformedEventError).message);
  }
}
