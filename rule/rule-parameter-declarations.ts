/**
 * Every rule parameter, declared once: its type, default, bounds, command-line flag, CDK context key,
 * whether a template check can judge it, and its one-line description. The rule's `RuleParameters`,
 * its parser, the deployment settings, the context reader, the commander options of `audit` and
 * `check-template`, the rule's `InputParameters`, the Guard policy's parameters and the table in
 * docs/rule.md are all derived from {@link RULE_PARAMETER_DECLARATIONS}.
 *
 * Adding a parameter: add its entry here, use it in `decision.ts`, and test both. Pure: no SDK import.
 */
import { LOG_GROUP_NAME_PATTERN } from './aws-name-patterns';
import { CLOUDWATCH_RETENTION_DAYS } from './cloudwatch-logs-limits';

/** How a parameter's value is written as a string in `ruleParameters`, and checked. */
export type RuleParameterKind = 'boolean' | 'wholeNumber' | 'logGroupNamePrefix' | 'roleName';

/** What every declaration says, whatever its kind. */
interface DeclarationBase {
  /** One line: what the parameter asks of the endpoint's log pipeline. */
  readonly description: string;
  /**
   * The `audit` (and, when {@link templateCheckable}, `check-template`) flag that sets it; a boolean that
   * defaults to true is turned off with its `--no-` form.
   * @default - no flag: the parameter is set only on the deployed rule
   */
  readonly cliFlag?: `--${string}`;
  /**
   * The CDK context key that sets it on the deployed rule.
   * @default - no context key: the stacks decide it
   */
  readonly contextKey?: string;
  /** A template or plan check can judge it from the declared resources alone. */
  readonly templateCheckable: boolean;
  /** It is a fact of the log group, so it needs `verifyLogGroup` to look the group up. */
  readonly needsLogGroupLookUp: boolean;
}

/** A `"true"`/`"false"` parameter. */
export interface BooleanParameterDeclaration extends DeclarationBase {
  readonly kind: 'boolean';
  /**
   * The value when unset.
   * @default - none: an unset parameter is false
   */
  readonly default: boolean;
}

/** A positive whole number within bounds. */
export interface WholeNumberParameterDeclaration extends DeclarationBase {
  readonly kind: 'wholeNumber';
  /**
   * The value when unset.
   * @default - none: an unset parameter is not checked
   */
  readonly default?: number;
  /** The least value accepted. */
  readonly min: number;
  /** The largest value accepted. */
  readonly max: number;
  /** What the number counts, for messages. */
  readonly unit: 'days' | 'minutes';
}

/** A text parameter checked against a pattern. */
export interface TextParameterDeclaration extends DeclarationBase {
  readonly kind: 'logGroupNamePrefix' | 'roleName';
}

/** One rule parameter's declaration. */
export type RuleParameterDeclaration =
  BooleanParameterDeclaration | WholeNumberParameterDeclaration | TextParameterDeclaration;

/** The longest retention CloudWatch Logs offers (ten years), so no larger minimum could ever be met. */
const LONGEST_RETENTION_DAYS = CLOUDWATCH_RETENTION_DAYS[CLOUDWATCH_RETENTION_DAYS.length - 1] as number;

/** Every rule parameter, in the order docs/rule.md lists them. */
export const RULE_PARAMETER_DECLARATIONS = {
  verifyLogGroup: {
    kind: 'boolean',
    default: true,
    cliFlag: '--no-verify-log-group',
    contextKey: 'verifyLogGroup',
    templateCheckable: false,
    needsLogGroupLookUp: false,
    description:
      'Look the log group up in CloudWatch Logs. `false` judges from the endpoint’s configuration alone.',
  },
  minRetentionDays: {
    kind: 'wholeNumber',
    min: 1,
    max: LONGEST_RETENTION_DAYS,
    unit: 'days',
    cliFlag: '--min-retention-days',
    contextKey: 'minRetentionDays',
    templateCheckable: true,
    needsLogGroupLookUp: true,
    description:
      'The group’s retention must be at least this many days. A never-expiring group meets any minimum.',
  },
  requireKmsEncryption: {
    kind: 'boolean',
    default: false,
    cliFlag: '--require-kms-encryption',
    contextKey: 'requireKmsEncryption',
    templateCheckable: true,
    needsLogGroupLookUp: true,
    description: 'The group must be encrypted with a KMS key.',
  },
  logGroupNamePrefix: {
    kind: 'logGroupNamePrefix',
    cliFlag: '--log-group-name-prefix',
    contextKey: 'logGroupNamePrefix',
    templateCheckable: true,
    needsLogGroupLookUp: false,
    description: 'The group’s name must start with this (for example `/aws/clientvpn/`).',
  },
  verifyKmsKeyState: {
    kind: 'boolean',
    default: true,
    cliFlag: '--no-verify-kms-key-state',
    contextKey: 'verifyKmsKeyState',
    templateCheckable: false,
    needsLogGroupLookUp: true,
    description:
      'The KMS key of an encrypted group must be `Enabled` (`kms:DescribeKey`). Off when `verifyLogGroup` is `false` and this is not set.',
  },
  verifyDelivery: {
    kind: 'boolean',
    default: false,
    cliFlag: '--verify-delivery',
    contextKey: 'verifyDelivery',
    templateCheckable: false,
    needsLogGroupLookUp: true,
    description:
      'The group must have ingested events since every connection established more than `deliveryGraceMinutes` ago.',
  },
  deliveryGraceMinutes: {
    kind: 'wholeNumber',
    default: 60,
    min: 1,
    // A week: a longer grace would outlast every connection EC2 still lists.
    max: 10080,
    unit: 'minutes',
    cliFlag: '--delivery-grace-minutes',
    contextKey: 'deliveryGraceMinutes',
    templateCheckable: false,
    needsLogGroupLookUp: false,
    description: 'Minutes a connection’s log may take to show in `lastIngestionTime`.',
  },
  executionRoleName: {
    kind: 'roleName',
    templateCheckable: false,
    needsLogGroupLookUp: false,
    description:
      'Organization mode, kept for compatibility: it can confirm the role set by `EXECUTION_ROLE_NAME`, never choose one.',
  },
} as const satisfies Record<string, RuleParameterDeclaration>;

/** One of the parameter names the rule knows. */
export type RuleParameterName = keyof typeof RULE_PARAMETER_DECLARATIONS;

/** The parameter names the rule knows, in declaration order; any other name is an error. */
export const RULE_PARAMETER_NAMES = Object.keys(RULE_PARAMETER_DECLARATIONS) as readonly RuleParameterName[];

type Declarations = typeof RULE_PARAMETER_DECLARATIONS;
type ValueOfKind<D> = D extends { kind: 'boolean' }
  ? boolean
  : D extends { kind: 'wholeNumber' }
    ? number
    : string;
type WithDefault = {
  [K in RuleParameterName]: Declarations[K] extends { default: unknown } ? K : never;
}[RuleParameterName];
type WithoutDefault = Exclude<RuleParameterName, WithDefault>;

/**
 * The rule's parameters, parsed and validated: those with a default are always present, the others
 * only when set. Each one's meaning is its declaration's `description`.
 */
export type RuleParameters = { readonly [K in WithDefault]: ValueOfKind<Declarations[K]> } & {
  readonly [K in WithoutDefault]?: ValueOfKind<Declarations[K]>;
};

/** Whether `name` is a parameter the rule knows (an own key of the table, never `__proto__` and friends). */
export function isRuleParameterName(name: string): name is RuleParameterName {
  return Object.hasOwn(RULE_PARAMETER_DECLARATIONS, name);
}

/** The declaration of one parameter, widened to the union so callers can switch on `kind`. */
export function ruleParameterDeclaration(name: RuleParameterName): RuleParameterDeclaration {
  return RULE_PARAMETER_DECLARATIONS[name];
}

/** The parameters that apply when `ruleParameters` is absent or empty. */
export const DEFAULT_RULE_PARAMETERS: RuleParameters = Object.freeze(
  Object.fromEntries(
    RULE_PARAMETER_NAMES.flatMap((name) => {
      const declared = ruleParameterDeclaration(name);
      return 'default' in declared && declared.default !== undefined ? [[name, declared.default]] : [];
    }),
  ) as unknown as RuleParameters,
);

/** The parameters a template or plan check judges (`templateCheckable`), in declaration order. */
export const TEMPLATE_CHECKABLE_PARAMETER_NAMES = RULE_PARAMETER_NAMES.filter(
  (name) => ruleParameterDeclaration(name).templateCheckable,
);

/** The parameters that are facts of the log group and so need `verifyLogGroup`. */
export const LOG_GROUP_LOOK_UP_PARAMETER_NAMES = RULE_PARAMETER_NAMES.filter(
  (name) => ruleParameterDeclaration(name).needsLogGroupLookUp,
);

/** The pattern a `logGroupNamePrefix` value must match. */
export const LOG_GROUP_NAME_PREFIX_PATTERN = LOG_GROUP_NAME_PATTERN;

/** A parameter a deployment sets through a CDK context key (every one but `executionRoleName`). */
export type DeployedRuleParameterName = {
  [K in RuleParameterName]: Declarations[K] extends { contextKey: string } ? K : never;
}[RuleParameterName];

/** The parameters a deployment sets, in declaration order. */
export const DEPLOYED_RULE_PARAMETER_NAMES = RULE_PARAMETER_NAMES.filter(
  (name): name is DeployedRuleParameterName => ruleParameterDeclaration(name).contextKey !== undefined,
);

/** A parameter a template or plan check can judge from the declared resources alone. */
export type TemplateCheckableParameterName = {
  [K in RuleParameterName]: Declarations[K] extends { templateCheckable: true } ? K : never;
}[RuleParameterName];
