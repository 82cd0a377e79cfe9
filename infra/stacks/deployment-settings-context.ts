import type { Node } from 'constructs';
import { DEFAULT_LOG_GROUP_NAME_PREFIX, RUNBOOK_NAME } from '../../remediation/runbook';
import {
  ACCOUNT_ID_PATTERN,
  CONFIG_RULE_NAME_PATTERN,
  KMS_KEY_ARN_PATTERN,
  LOG_GROUP_NAME_PATTERN,
  LOG_STREAM_NAME_PATTERN,
  ORGANIZATION_PARENT_ID_PATTERN,
  OWN_SSM_DOCUMENT_NAME_PATTERN,
  REGION_NAME_PATTERN,
  roleNamePattern,
} from '../../rule/aws-name-patterns';
import { CLOUDWATCH_RETENTION_DAYS } from '../../rule/cloudwatch-logs-limits';
import { parseArn } from '../../rule/parse-arn';
import type {
  DeploymentSettings,
  ExecutionFrequency,
  MemberDeployment,
} from '../constructs/deployment-settings';
import {
  MAX_BASE_ROLE_NAME_LENGTH,
  MAX_ROLE_NAME_LENGTH,
  regionalRoleName,
} from '../constructs/regional-role-name';
import { managedPrefixProblem } from '../constructs/service-log-group-namespaces';
import { readConnectionInsightsSettings } from './connection-insights-context';
import { editDistance } from './edit-distance';
import { InvalidContextError, UnknownContextKeyError } from './context-errors';
import { RULE_PARAMETER_CONTEXT_DEFAULTS, readRuleParameterSettings } from './rule-parameters-context';

export { DeploymentContextError, InvalidContextError, UnknownContextKeyError } from './context-errors';

const EXECUTION_FREQUENCIES: readonly ExecutionFrequency[] = [
  'One_Hour',
  'Three_Hours',
  'Six_Hours',
  'Twelve_Hours',
  'TwentyFour_Hours',
];

// Patterns follow the services' own constraints, so a bad value fails at synthesis, not at deploy.
// They are declared once, in rule/aws-name-patterns.ts, with the audit's.
// A base name: the stacks append -<region> (regional-role-name.ts), and the result must fit IAM's 64.
const BASE_ROLE_NAME = roleNamePattern(MAX_BASE_ROLE_NAME_LENGTH);
const BASE_ROLE_NAME_RULE = `an IAM role name of 1 to ${MAX_BASE_ROLE_NAME_LENGTH} letters, digits or +=,.@_- (the stacks append -<region>, and IAM allows 64 characters)`;

/** The Guard hook's context options and their defaults (read by guard-hook-context.ts). */
export const GUARD_HOOK_CONTEXT_DEFAULTS = {
  guardHook: false,
  guardHookFailureMode: 'FAIL',
  guardHookLogBucket: undefined,
} as const;

/** The connection insights' context options and their defaults (read by connection-insights-context.ts). */
export const CONNECTION_INSIGHTS_CONTEXT_DEFAULTS = {
  connectionInsights: false,
  connectionInsightsLogGroups: undefined,
  failedAttemptsThreshold: 20,
  failedAttemptsPeriodMinutes: 5,
  failedAttemptsAlarmTopicArn: undefined,
} as const;

/** The context keys the app reads, each with its default; docs/deployment.md's options table lists the same. */
export const CONTEXT_DEFAULTS = {
  ruleName: 'client-vpn-connection-logging',
  maximumExecutionFrequency: 'TwentyFour_Hours',
  // Each rule parameter, unset: the rule's own default applies (rule/rule-parameter-declarations.ts).
  ...RULE_PARAMETER_CONTEXT_DEFAULTS,
  automaticRemediation: false,
  maximumAutomaticAttempts: 5,
  retryAttemptSeconds: 60,
  concurrentExecutionRatePercentage: 10,
  errorPercentage: 10,
  remediationLogGroupName: '/aws/clientvpn',
  remediationLogStreamName: undefined,
  remediationRetentionInDays: 365,
  remediationKmsKeyArn: undefined,
  functionLogRetentionDays: 365,
  documentName: RUNBOOK_NAME,
  executionRoleName: 'ClientVpnConnectionLoggingEvaluation',
  centralFunctionRoleName: 'ClientVpnConnectionLoggingRuleFunction',
  memberAutomationRoleName: 'ClientVpnConnectionLoggingRemediation',
  excludedAccounts: undefined,
  memberOrganizationalUnitIds: undefined,
  memberRegions: undefined,
  centralFunctionReservedConcurrency: 10,
  organizationRule: true,
} as const;

type ContextKey = keyof typeof CONTEXT_DEFAULTS;

/** Reads raw context values: a `-c key=value` arrives as a string, a `cdk.json` entry keeps its JSON type. */
type ContextSource = (key: string) => unknown;

function text(read: ContextSource, key: ContextKey, pattern?: RegExp, rule?: string): string | undefined {
  const raw = read(key);
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new InvalidContextError(key, `expected a non-empty string, got ${JSON.stringify(raw)}`);
  }
  if (pattern && !pattern.test(raw)) {
    throw new InvalidContextError(
      key,
      `${JSON.stringify(raw)} is not ${rule ?? `a value matching ${pattern}`}`,
    );
  }
  return raw;
}

function requiredText(read: ContextSource, key: ContextKey, pattern: RegExp, rule: string): string {
  return text(read, key, pattern, rule) ?? (CONTEXT_DEFAULTS[key] as string);
}

function flag(read: ContextSource, key: ContextKey): boolean {
  const raw = read(key);
  if (raw === undefined || raw === null) return CONTEXT_DEFAULTS[key] as boolean;
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim()))
    return raw.trim().toLowerCase() === 'true';
  throw new InvalidContextError(key, `expected true or false, got ${JSON.stringify(raw)}`);
}

function wholeNumber(read: ContextSource, key: ContextKey, min: number, max: number): number | undefined {
  const raw = read(key);
  if (raw === undefined || raw === null) return CONTEXT_DEFAULTS[key] as number | undefined;
  const value =
    typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidContextError(
      key,
      `expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

function retention(read: ContextSource, key: ContextKey): number {
  const value = wholeNumber(read, key, 1, 3653) as number;
  if (!CLOUDWATCH_RETENTION_DAYS.includes(value)) {
    throw new InvalidContextError(
      key,
      `${value} is not a retention CloudWatch Logs accepts (${CLOUDWATCH_RETENTION_DAYS.join(', ')})`,
    );
  }
  return value;
}

function frequency(read: ContextSource): ExecutionFrequency {
  const key = 'maximumExecutionFrequency';
  const raw = text(read, key);
  if (raw === undefined) return CONTEXT_DEFAULTS[key];
  const found = EXECUTION_FREQUENCIES.find((candidate) => candidate === raw);
  if (!found)
    throw new InvalidContextError(key, `expected one of ${EXECUTION_FREQUENCIES.join(', ')}, got "${raw}"`);
  return found;
}

function list(read: ContextSource, key: ContextKey, pattern: RegExp, rule: string): readonly string[] {
  const raw = read(key);
  if (raw === undefined || raw === null || raw === '') return [];
  const items = Array.isArray(raw)
    ? raw
    : typeof raw === 'string'
      ? raw.split(',').map((item) => item.trim())
      : [raw];
  const bad = items.find((item) => typeof item !== 'string' || !pattern.test(item));
  if (bad !== undefined)
    throw new InvalidContextError(key, `expected comma-separated ${rule}, got ${JSON.stringify(bad)}`);
  return items as string[];
}

function memberDeployment(read: ContextSource): MemberDeployment | undefined {
  const organizationalUnitIds = list(
    read,
    'memberOrganizationalUnitIds',
    ORGANIZATION_PARENT_ID_PATTERN,
    'OU or root IDs',
  );
  const regions = list(read, 'memberRegions', REGION_NAME_PATTERN, 'region names');
  if (organizationalUnitIds.length === 0 && regions.length === 0) return undefined;
  if (organizationalUnitIds.length === 0) {
    throw new InvalidContextError('memberOrganizationalUnitIds', 'required when memberRegions is set');
  }
  if (regions.length === 0)
    throw new InvalidContextError('memberRegions', 'required when memberOrganizationalUnitIds is set');
  return { organizationalUnitIds, regions };
}

/**
 * Reads and validates every deployment setting from CDK context, so that a bad value stops synthesis
 * with an {@link InvalidContextError} naming its key, before any stack is built.
 *
 * @param node - the construct node whose context to read (usually `app.node`)
 *
 * @example
 * ```ts
 * import { App } from 'aws-cdk-lib';
 * import { readDeploymentSettings } from 'client-vpn-connection-logging';
 *
 * // As `cdk synth -c minRetentionDays=365` would set it.
 * const app = new App({ context: { minRetentionDays: '365' } });
 * const settings = readDeploymentSettings(app.node);
 * console.log(settings.rule.minRetentionDays); // 365
 * ```
 */
export function readDeploymentSettings(node: Node): DeploymentSettings {
  checkContextKeys(Object.keys(node.getAllContext() as Record<string, unknown>));
  const read: ContextSource = (key) => node.tryGetContext(key);
  const settings: DeploymentSettings = {
    rule: {
      ruleName: requiredText(
        read,
        'ruleName',
        CONFIG_RULE_NAME_PATTERN,
        'a rule name of 1 to 64 letters, digits, - or _',
      ),
      maximumExecutionFrequency: frequency(read),
      ...readRuleParameterSettings(read),
    },
    remediation: {
      automatic: flag(read, 'automaticRemediation'),
      maximumAutomaticAttempts: wholeNumber(read, 'maximumAutomaticAttempts', 1, 25) as number,
      retryAttemptSeconds: wholeNumber(read, 'retryAttemptSeconds', 1, 2678000) as number,
      concurrentExecutionRatePercentage: wholeNumber(
        read,
        'concurrentExecutionRatePercentage',
        1,
        100,
      ) as number,
      errorPercentage: wholeNumber(read, 'errorPercentage', 1, 100) as number,
      logGroupName: requiredText(
        read,
        'remediationLogGroupName',
        LOG_GROUP_NAME_PATTERN,
        'a valid log group name',
      ),
      logStreamName: text(
        read,
        'remediationLogStreamName',
        LOG_STREAM_NAME_PATTERN,
        'a valid log stream name',
      ),
      retentionInDays: retention(read, 'remediationRetentionInDays'),
      kmsKeyArn: text(read, 'remediationKmsKeyArn', KMS_KEY_ARN_PATTERN, 'a KMS key ARN'),
    },
    functionLogRetentionDays: retention(read, 'functionLogRetentionDays'),
    documentName: requiredText(
      read,
      'documentName',
      OWN_SSM_DOCUMENT_NAME_PATTERN,
      'a valid SSM document name',
    ),
    executionRoleName: requiredText(read, 'executionRoleName', BASE_ROLE_NAME, BASE_ROLE_NAME_RULE),
    centralFunctionRoleName: requiredText(
      read,
      'centralFunctionRoleName',
      BASE_ROLE_NAME,
      BASE_ROLE_NAME_RULE,
    ),
    memberAutomationRoleName: requiredText(
      read,
      'memberAutomationRoleName',
      BASE_ROLE_NAME,
      BASE_ROLE_NAME_RULE,
    ),
    centralFunctionReservedConcurrency: wholeNumber(
      read,
      'centralFunctionReservedConcurrency',
      1,
      1000,
    ) as number,
    organizationRule: flag(read, 'organizationRule'),
    excludedAccounts: list(read, 'excludedAccounts', ACCOUNT_ID_PATTERN, '12-digit account IDs'),
    memberDeployment: memberDeployment(read),
    connectionInsights: readConnectionInsightsSettings(node),
  };
  checkRemediationMeetsRule(settings);
  checkRegionalRoleNamesFit(settings);
  return settings;
}

const KNOWN_KEYS = [
  ...Object.keys(CONTEXT_DEFAULTS),
  ...Object.keys(GUARD_HOOK_CONTEXT_DEFAULTS),
  ...Object.keys(CONNECTION_INSIGHTS_CONTEXT_DEFAULTS),
];
const squashed = (key: string): string => key.toLowerCase().replace(/[^a-z0-9]/g, '');
const KNOWN_SQUASHED = new Set(KNOWN_KEYS.map(squashed));

/**
 * Refuses a context key that is meant as one of the app's options but is none of them, naming the
 * closest known key. The context also holds keys of the CDK and its CLI (`aws:cdk:…`, `@aws-cdk/…`
 * feature flags, look-up results such as `availability-zones:…`, `acknowledged-issue-numbers`,
 * `cli-telemetry`), none of them letters and digits alone; the app's options all are. So a key of
 * letters and digits only is judged, and so is any other key that differs from an option only in case
 * and punctuation (`automatic-remediation`); the rest belong to others and are left alone.
 *
 * @param keys - every key of the app's context
 * @throws UnknownContextKeyError naming the first unknown key and the known key closest to it
 */
function checkContextKeys(keys: readonly string[]): void {
  const known: ReadonlySet<string> = new Set(KNOWN_KEYS);
  for (const key of keys) {
    if (known.has(key)) continue;
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key) && !KNOWN_SQUASHED.has(squashed(key))) continue;
    // A key that is part of a known one (`reservedConcurrency`) is closest to it whatever the length
    // left out; otherwise, and among several such, the fewest edits win.
    const rank = (candidate: string): [number, number] => {
      const [typed, known] = [squashed(key), squashed(candidate)];
      return [known.includes(typed) || typed.includes(known) ? 0 : 1, editDistance(typed, known)];
    };
    const closer = (a: [number, number], b: [number, number]) =>
      a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
    const closest = KNOWN_KEYS.reduce((best, candidate) =>
      closer(rank(candidate), rank(best)) ? candidate : best,
    );
    throw new UnknownContextKeyError(key, closest);
  }
}

/**
 * Refuses a member region whose name would push a regional role name (`<base>-<region>`) over IAM's
 * 64 characters: base names are checked against the longest known region, a new region may be longer.
 *
 * @throws InvalidContextError naming `memberRegions`
 */
function checkRegionalRoleNamesFit(settings: DeploymentSettings): void {
  const baseNames = [
    settings.executionRoleName,
    settings.centralFunctionRoleName,
    settings.memberAutomationRoleName,
  ];
  for (const region of settings.memberDeployment?.regions ?? []) {
    const tooLong = baseNames
      .map((baseName) => regionalRoleName(baseName, region))
      .find((name) => name.length > MAX_ROLE_NAME_LENGTH);
    if (tooLong !== undefined) {
      throw new InvalidContextError(
        'memberRegions',
        `in ${region} the role name "${tooLong}" would be ${tooLong.length} characters, over IAM's ${MAX_ROLE_NAME_LENGTH}; shorten the role base names`,
      );
    }
  }
}

/**
 * Refuses settings under which the rule could not run, or the remediation could not make an endpoint
 * COMPLIANT: a remediation that leaves the endpoint NON_COMPLIANT would run again and again.
 *
 * @param settings - the settings read from context
 * @throws InvalidContextError naming the key to change
 */
function checkRemediationMeetsRule({ rule, remediation, memberDeployment }: DeploymentSettings): void {
  if (rule.minRetentionDays !== undefined && remediation.retentionInDays < rule.minRetentionDays) {
    throw new InvalidContextError(
      'remediationRetentionInDays',
      `${remediation.retentionInDays} is shorter than minRetentionDays (${rule.minRetentionDays}), so remediated log groups would stay NON_COMPLIANT`,
    );
  }
  if (rule.requireKmsEncryption && remediation.kmsKeyArn === undefined) {
    throw new InvalidContextError(
      'remediationKmsKeyArn',
      'required when requireKmsEncryption is true, so remediated log groups are encrypted',
    );
  }
  // The runbook creates and changes groups only inside this prefix, and its role may write nowhere else.
  const managedPrefix = rule.logGroupNamePrefix ?? DEFAULT_LOG_GROUP_NAME_PREFIX;
  const reachesService = managedPrefixProblem(managedPrefix);
  if (reachesService !== undefined) {
    throw new InvalidContextError('logGroupNamePrefix', `"${managedPrefix}" is too wide: ${reachesService}`);
  }
  if (!remediation.logGroupName.startsWith(managedPrefix)) {
    throw new InvalidContextError(
      'remediationLogGroupName',
      rule.logGroupNamePrefix === undefined
        ? `"${remediation.logGroupName}" does not start with the managed prefix "${managedPrefix}" (the default when logGroupNamePrefix is unset): set logGroupNamePrefix to a prefix it starts with`
        : `"${remediation.logGroupName}" does not start with logGroupNamePrefix "${rule.logGroupNamePrefix}"`,
    );
  }
  // One key serves one account and region: a StackSet reaching other regions would give them a foreign key.
  const keyRegion = remediation.kmsKeyArn === undefined ? undefined : parseArn(remediation.kmsKeyArn)?.region;
  const otherRegion = memberDeployment?.regions.find((region) => region !== keyRegion);
  if (keyRegion !== undefined && otherRegion !== undefined) {
    throw new InvalidContextError(
      'remediationKmsKeyArn',
      `the key is in ${keyRegion}, but memberRegions includes ${otherRegion}: a log group can only use a key of its own account and region`,
    );
  }
}
