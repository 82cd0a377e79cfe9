import { LOG_GROUP_NAME_PATTERN } from './cloudwatch-logs-limits';
import { InvalidRuleParameterError } from './errors';
import type { RuleParameters } from './types';

/** The parameters that apply when `ruleParameters` is absent or empty. */
export const DEFAULT_RULE_PARAMETERS: RuleParameters = Object.freeze({
  verifyLogGroup: true,
  requireKmsEncryption: false,
  verifyKmsKeyState: true,
  verifyDelivery: false,
  deliveryGraceMinutes: 60,
});

/** The parameter names the rule knows; any other name is an error. */
export const RULE_PARAMETER_NAMES = [
  'verifyLogGroup',
  'minRetentionDays',
  'requireKmsEncryption',
  'logGroupNamePrefix',
  'executionRoleName',
  'verifyKmsKeyState',
  'verifyDelivery',
  'deliveryGraceMinutes',
] as const;

/** One of the parameter names the rule knows. */
export type RuleParameterName = (typeof RULE_PARAMETER_NAMES)[number];

/**
 * An IAM role name (1-64 of [\w+=,.@-]), optionally after a path of `segment/` parts of the same
 * characters, without the path's leading `/`: what follows `role/` in the role's ARN.
 */
export const ROLE_NAME_PATTERN = /^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

function parseBoolean(name: RuleParameterName, value: string): boolean {
  const normalised = value.trim().toLowerCase();
  if (normalised === 'true') return true;
  if (normalised === 'false') return false;
  throw new InvalidRuleParameterError(name, `expected "true" or "false", got ${JSON.stringify(value)}`);
}

function parsePositiveInteger(name: RuleParameterName, value: string, unit = 'days'): number {
  const trimmed = value.trim();
  const parsed = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidRuleParameterError(
      name,
      `expected a positive whole number of ${unit}, got ${JSON.stringify(value)}`,
    );
  }
  return parsed;
}

function parseRoleName(name: RuleParameterName, value: string): string {
  // A leading `/` is how IAM writes paths (`/config/`); the ARN needs the role name without it.
  const trimmed = value.trim().replace(/^\//, '');
  if (!ROLE_NAME_PATTERN.test(trimmed) || trimmed.length > 512 + 64) {
    throw new InvalidRuleParameterError(
      name,
      `expected an IAM role name (1-64 of A-Z a-z 0-9 +=,.@_-), optionally with a path such as "config/RoleName", got ${JSON.stringify(value)}`,
    );
  }
  return trimmed;
}

function parsePrefix(name: RuleParameterName, value: string): string {
  if (!LOG_GROUP_NAME_PATTERN.test(value)) {
    throw new InvalidRuleParameterError(
      name,
      `expected a log group name prefix (1-512 of A-Z a-z 0-9 . - _ / #), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * Parses and validates the rule's `ruleParameters` JSON string, so a misconfigured rule fails
 * loudly, naming the parameter, before anything is evaluated.
 *
 * An empty string value counts as unset (the Config console keeps keys whose value was cleared).
 *
 * @param raw - the event's `ruleParameters`, a JSON object whose values are strings
 * @returns the parameters with defaults applied
 * @throws InvalidRuleParameterError when a name is unknown or a value does not parse
 */
export function parseRuleParameters(raw: string | undefined): RuleParameters {
  if (raw === undefined || raw.trim() === '') return DEFAULT_RULE_PARAMETERS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InvalidRuleParameterError(
      'ruleParameters',
      `not valid JSON: ${JSON.stringify(raw.slice(0, 100))}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidRuleParameterError('ruleParameters', 'expected a JSON object of string values');
  }
  const result: { -readonly [K in keyof RuleParameters]: RuleParameters[K] } = { ...DEFAULT_RULE_PARAMETERS };
  const given = new Set<RuleParameterName>();
  for (const [name, value] of Object.entries(parsed)) {
    if (!(RULE_PARAMETER_NAMES as readonly string[]).includes(name)) {
      throw new InvalidRuleParameterError(
        name,
        `unknown parameter; the rule knows ${RULE_PARAMETER_NAMES.join(', ')}`,
      );
    }
    const known = name as RuleParameterName;
    if (typeof value !== 'string') {
      throw new InvalidRuleParameterError(known, `expected a string value, got ${JSON.stringify(value)}`);
    }
    if (value.trim() === '') continue;
    given.add(known);
    switch (known) {
      case 'verifyLogGroup':
        result.verifyLogGroup = parseBoolean(known, value);
        break;
      case 'requireKmsEncryption':
        result.requireKmsEncryption = parseBoolean(known, value);
        break;
      case 'minRetentionDays':
        result.minRetentionDays = parsePositiveInteger(known, value);
        break;
      case 'logGroupNamePrefix':
        result.logGroupNamePrefix = parsePrefix(known, value);
        break;
      case 'executionRoleName':
        result.executionRoleName = parseRoleName(known, value);
        break;
      case 'verifyKmsKeyState':
        result.verifyKmsKeyState = parseBoolean(known, value);
        break;
      case 'verifyDelivery':
        result.verifyDelivery = parseBoolean(known, value);
        break;
      case 'deliveryGraceMinutes':
        result.deliveryGraceMinutes = parsePositiveInteger(known, value, 'minutes');
        break;
    }
  }
  if (!result.verifyLogGroup) {
    // The key is read from the group's description: a default of true simply has nothing to read.
    if (!given.has('verifyKmsKeyState')) result.verifyKmsKeyState = false;
    // Retention, encryption, the key and delivery are facts of the log group; with no look-up they
    // could never be judged.
    for (const needsLookUp of [
      'minRetentionDays',
      'requireKmsEncryption',
      'verifyKmsKeyState',
      'verifyDelivery',
    ] as const) {
      if (result[needsLookUp]) {
        throw new InvalidRuleParameterError(
          needsLookUp,
          'needs verifyLogGroup "true" to look the log group up',
        );
      }
    }
  }
  return result;
}
