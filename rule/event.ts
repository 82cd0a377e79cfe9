import { ACCOUNT_ID_PATTERN } from './aws-name-patterns';
import { MalformedEventError, RuleAccountMismatchError } from './errors';
import { parseArn } from './parse-arn';

/**
 * The event AWS Config sends a custom Lambda rule, as AWS documents it in "Example Events for AWS
 * Config Rules". `invokingEvent` and `ruleParameters` are JSON strings.
 */
export interface ConfigRuleEvent {
  /** The JSON-encoded {@link InvokingEvent}. */
  readonly invokingEvent: string;
  /** The JSON-encoded rule parameters, an object of string values. */
  readonly ruleParameters?: string;
  /** The token PutEvaluations must return; `TESTMODE` when the rule is being tested. */
  readonly resultToken: string;
  /** Whether the resource left the rule's scope (its evaluation is then NOT_APPLICABLE). */
  readonly eventLeftScope?: boolean;
  /** The ARN of the role AWS Config uses. */
  readonly executionRoleArn?: string;
  /** The ARN of the rule, whose partition organization mode uses to build the execution role's ARN. */
  readonly configRuleArn: string;
  /** The rule's name. */
  readonly configRuleName: string;
  /** The rule's ID. */
  readonly configRuleId?: string;
  /** The account that owns the rule: the account evaluated. */
  readonly accountId: string;
  /** The event format's version, `1.0`. */
  readonly version?: string;
}

/** `configurationItemStatus` values of AWS Config. */
export type ConfigurationItemStatus =
  'OK' | 'ResourceDiscovered' | 'ResourceNotRecorded' | 'ResourceDeleted' | 'ResourceDeletedNotRecorded';

/** A configuration item as a change notification carries it (`configuration` is an object). */
export interface ConfigurationItem {
  /** When Config recorded this state; evaluations of the item are ordered by it. */
  readonly configurationItemCaptureTime: string;
  /** The resource's state as Config records it. */
  readonly configurationItemStatus: ConfigurationItemStatus;
  /** The resource type, `AWS::EC2::ClientVpnEndpoint` for the resources this rule judges. */
  readonly resourceType: string;
  /** The resource ID, the endpoint ID for a Client VPN endpoint. */
  readonly resourceId: string;
  /** The account that owns the resource. */
  readonly awsAccountId?: string;
  /** The resource's region. */
  readonly awsRegion?: string;
  /** The resource's ARN. */
  readonly ARN?: string;
  /** The resource's configuration, shaped by its resource schema; null for deleted resources. */
  readonly configuration?: unknown;
}

/** What an oversized change notification carries instead of the item. */
export interface ConfigurationItemSummary {
  /** When Config recorded this state. */
  readonly configurationItemCaptureTime: string;
  /** The resource's state as Config records it. */
  readonly configurationItemStatus: ConfigurationItemStatus;
  /** The resource type. */
  readonly resourceType: string;
  /** The resource ID. */
  readonly resourceId: string;
}

/** The three kinds of invoking event the rule handles. */
export type InvokingEvent =
  | {
      readonly messageType: 'ConfigurationItemChangeNotification';
      readonly configurationItem: ConfigurationItem;
    }
  | {
      readonly messageType: 'OversizedConfigurationItemChangeNotification';
      readonly configurationItemSummary: ConfigurationItemSummary;
    }
  | { readonly messageType: 'ScheduledNotification'; readonly notificationCreationTime: string };

/** A Config rule event whose JSON strings were parsed and whose required fields were checked. */
export interface ParsedConfigRuleEvent {
  /** The event as it arrived. */
  readonly event: ConfigRuleEvent;
  /** The parsed `invokingEvent`. */
  readonly invokingEvent: InvokingEvent;
}

const ITEM_STATUSES: readonly string[] = [
  'OK',
  'ResourceDiscovered',
  'ResourceNotRecorded',
  'ResourceDeleted',
  'ResourceDeletedNotRecorded',
];

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(holder: JsonObject, field: string, where: string): string {
  const value = holder[field];
  if (typeof value !== 'string' || value === '') {
    throw new MalformedEventError(`${where}.${field} is missing or not a non-empty string`);
  }
  return value;
}

function requireTimestamp(holder: JsonObject, field: string, where: string): string {
  const value = requireString(holder, field, where);
  if (Number.isNaN(Date.parse(value))) {
    throw new MalformedEventError(
      `${where}.${field} is not a timestamp: ${JSON.stringify(value.slice(0, 64))}`,
    );
  }
  return value;
}

function requireItemStatus(holder: JsonObject, where: string): ConfigurationItemStatus {
  const status = requireString(holder, 'configurationItemStatus', where);
  if (!ITEM_STATUSES.includes(status)) {
    throw new MalformedEventError(
      `${where}.configurationItemStatus ${JSON.stringify(status.slice(0, 64))} is not one of ${ITEM_STATUSES.join(', ')}`,
    );
  }
  return status as ConfigurationItemStatus;
}

/**
 * Checks that a configuration item carries what the rule reads; the rest is kept as it came.
 *
 * @param value - a configuration item, from a change notification or converted from the history API
 * @param where - where the item came from, for the error message
 * @returns the item, typed
 * @throws MalformedEventError naming the first missing or invalid field
 */
export function parseConfigurationItem(value: unknown, where: string): ConfigurationItem {
  if (!isObject(value)) throw new MalformedEventError(`${where} is missing or not an object`);
  return {
    ...value,
    configurationItemCaptureTime: requireTimestamp(value, 'configurationItemCaptureTime', where),
    configurationItemStatus: requireItemStatus(value, where),
    resourceType: requireString(value, 'resourceType', where),
    resourceId: requireString(value, 'resourceId', where),
  };
}

function parseInvokingEvent(raw: string): InvokingEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new MalformedEventError(`invokingEvent is not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(parsed)) throw new MalformedEventError('invokingEvent is not a JSON object');
  const messageType = parsed.messageType;
  switch (messageType) {
    case 'ConfigurationItemChangeNotification':
      return {
        messageType,
        configurationItem: parseConfigurationItem(
          parsed.configurationItem,
          'invokingEvent.configurationItem',
        ),
      };
    case 'OversizedConfigurationItemChangeNotification': {
      const where = 'invokingEvent.configurationItemSummary';
      const summary = parsed.configurationItemSummary;
      if (!isObject(summary)) throw new MalformedEventError(`${where} is missing or not an object`);
      return {
        messageType,
        configurationItemSummary: {
          configurationItemCaptureTime: requireTimestamp(summary, 'configurationItemCaptureTime', where),
          configurationItemStatus: requireItemStatus(summary, where),
          resourceType: requireString(summary, 'resourceType', where),
          resourceId: requireString(summary, 'resourceId', where),
        },
      };
    }
    case 'ScheduledNotification':
      return {
        messageType,
        notificationCreationTime: requireTimestamp(parsed, 'notificationCreationTime', 'invokingEvent'),
      };
    default:
      throw new MalformedEventError(
        `invokingEvent.messageType ${JSON.stringify(messageType)} is not ConfigurationItemChangeNotification, ` +
          'OversizedConfigurationItemChangeNotification or ScheduledNotification',
      );
  }
}

/**
 * Reads a Config rule event, so that everything after it can trust its shape; nothing is put for an
 * event that fails here.
 *
 * @param event - what Lambda passed the handler
 * @returns the event with its invoking event parsed
 * @throws MalformedEventError naming the first missing or invalid field
 */
export function parseConfigRuleEvent(event: unknown): ParsedConfigRuleEvent {
  if (!isObject(event)) throw new MalformedEventError('the event is not an object');
  requireString(event, 'invokingEvent', 'event');
  requireString(event, 'resultToken', 'event');
  requireString(event, 'configRuleName', 'event');
  const accountId = requireString(event, 'accountId', 'event');
  if (!ACCOUNT_ID_PATTERN.test(accountId)) {
    throw new MalformedEventError(
      `event.accountId is not a 12-digit account ID: ${JSON.stringify(accountId.slice(0, 64))}`,
    );
  }
  const ruleArn = requireString(event, 'configRuleArn', 'event');
  const ruleArnParts = parseArn(ruleArn);
  if (
    ruleArnParts === undefined ||
    !/^[a-z-]+$/.test(ruleArnParts.partition) ||
    ruleArnParts.service !== 'config'
  ) {
    throw new MalformedEventError(
      `event.configRuleArn is not a Config rule ARN: ${JSON.stringify(ruleArn.slice(0, 128))}`,
    );
  }
  // arn:<partition>:config:<region>:<account>:config-rule/<id> ("Amazon Resource Names", AWS Config
  // in the Service Authorization Reference): the account that owns the rule.
  const ruleAccountId = ACCOUNT_ID_PATTERN.test(ruleArnParts.accountId) ? ruleArnParts.accountId : undefined;
  if (ruleAccountId === undefined || !/^[a-z0-9-]*$/.test(ruleArnParts.region)) {
    throw new MalformedEventError(
      `event.configRuleArn names no 12-digit account: ${JSON.stringify(ruleArn.slice(0, 128))}`,
    );
  }
  // Config sends a rule's events for the account that owns the rule; an event naming two accounts was
  // not built by Config for one rule, and which account it means cannot be told.
  if (ruleAccountId !== accountId) throw new RuleAccountMismatchError(accountId, ruleArn, ruleAccountId);
  for (const optional of ['ruleParameters'] as const) {
    if (event[optional] !== undefined && event[optional] !== null && typeof event[optional] !== 'string') {
      throw new MalformedEventError(`event.${optional} is not a string`);
    }
  }
  if (event.eventLeftScope !== undefined && typeof event.eventLeftScope !== 'boolean') {
    throw new MalformedEventError('event.eventLeftScope is not a boolean');
  }
  const typed = event as unknown as ConfigRuleEvent;
  return { event: typed, invokingEvent: parseInvokingEvent(typed.invokingEvent) };
}
