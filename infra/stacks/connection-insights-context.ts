import type { Node } from 'constructs';
import { LOG_GROUP_NAME_PATTERN, SNS_TOPIC_ARN_PATTERN } from '../../rule/aws-name-patterns';
import type { ConnectionInsightsSettings } from '../constructs/deployment-settings';
import { CONNECTION_INSIGHTS_CONTEXT_DEFAULTS, InvalidContextError } from './deployment-settings-context';

/**
 * How many log groups one Logs Insights query may name: "You can include up to 50 log groups."
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_StartQuery.html
 */
export const LOGS_INSIGHTS_MAX_LOG_GROUPS = 50;
// The managed connection-log group is in every query, so the others may take the rest.
const MAX_EXTRA_LOG_GROUPS = LOGS_INSIGHTS_MAX_LOG_GROUPS - 1;

type InsightsKey = keyof typeof CONNECTION_INSIGHTS_CONTEXT_DEFAULTS;

function whole(node: Node, key: InsightsKey, min: number, max: number): number {
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null) return CONNECTION_INSIGHTS_CONTEXT_DEFAULTS[key] as number;
  const value =
    typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < min || value > max)
    throw new InvalidContextError(
      key,
      `expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  return value;
}

function enabled(node: Node): boolean {
  const raw: unknown = node.tryGetContext('connectionInsights');
  if (raw === undefined || raw === null) return CONNECTION_INSIGHTS_CONTEXT_DEFAULTS.connectionInsights;
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim()))
    return raw.trim().toLowerCase() === 'true';
  throw new InvalidContextError('connectionInsights', `expected true or false, got ${JSON.stringify(raw)}`);
}

function logGroups(node: Node): string[] {
  const raw: unknown = node.tryGetContext('connectionInsightsLogGroups');
  if (raw === undefined || raw === null || raw === '') return [];
  const items: unknown[] = Array.isArray(raw)
    ? raw
    : typeof raw === 'string'
      ? raw.split(',').map((i) => i.trim())
      : [raw];
  const bad = items.find((item) => typeof item !== 'string' || !LOG_GROUP_NAME_PATTERN.test(item));
  if (bad !== undefined)
    throw new InvalidContextError(
      'connectionInsightsLogGroups',
      `expected comma-separated log group names, got ${JSON.stringify(bad)}`,
    );
  const names = [...new Set(items as string[])];
  if (names.length > MAX_EXTRA_LOG_GROUPS)
    throw new InvalidContextError(
      'connectionInsightsLogGroups',
      `expected at most ${MAX_EXTRA_LOG_GROUPS} log groups, got ${names.length}: a Logs Insights query ` +
        `(the saved queries and the dashboard's widgets) covers at most ${LOGS_INSIGHTS_MAX_LOG_GROUPS} ` +
        'log groups, and the managed connection-log group is always one of them',
    );
  return names;
}

/**
 * Reads the connection insights' context keys, refusing a bad value with an {@link InvalidContextError}
 * naming its key, so a typo fails synthesis instead of deploying an alarm that never fires.
 *
 * @param node - the app's node, whose context is read
 */
export function readConnectionInsightsSettings(node: Node): ConnectionInsightsSettings {
  const topic: unknown = node.tryGetContext('failedAttemptsAlarmTopicArn');
  if (
    topic !== undefined &&
    topic !== null &&
    (typeof topic !== 'string' || !SNS_TOPIC_ARN_PATTERN.test(topic))
  )
    throw new InvalidContextError(
      'failedAttemptsAlarmTopicArn',
      `expected an SNS topic ARN, got ${JSON.stringify(topic)}`,
    );
  return {
    enabled: enabled(node),
    extraLogGroupNames: logGroups(node),
    failedAttemptsThreshold: whole(node, 'failedAttemptsThreshold', 1, 100_000),
    // CloudWatch alarm periods of a minute or more; a day is the longest a burst could mean anything.
    failedAttemptsPeriodMinutes: whole(node, 'failedAttemptsPeriodMinutes', 1, 1440),
    ...(typeof topic === 'string' ? { failedAttemptsAlarmTopicArn: topic } : {}),
  };
}
