/**
 * The preventive half of the rule: the AWS CloudFormation Guard 3 policy that refuses a Client VPN
 * endpoint without connection logging before it exists. The same rule parameters as the AWS Config
 * rule reach the policy by rendering: Guard cannot build a regular expression or a list of accepted
 * retention values from a variable, so each parameter set gets its own rule file. The committed
 * `client-vpn-connection-logging.guard` is the rendering of the rule's defaults.
 *
 * Guard language: https://docs.aws.amazon.com/cfn-guard/latest/ug/writing-rules.html
 */
import { LOG_GROUP_NAME_PATTERN } from '../rule/aws-name-patterns';
import { CLOUDWATCH_RETENTION_DAYS } from '../rule/cloudwatch-logs-limits';
import { InvalidRuleParameterError } from '../rule/errors';
import { DEFAULT_RULE_PARAMETERS } from '../rule/parameters';
import type { TemplateCheckableParameterName } from '../rule/rule-parameter-declarations';
import type { RuleParameters } from '../rule/types';

/**
 * The rule parameters the policy reads: those declared `templateCheckable`; the others (the look-up,
 * the key state, delivery) have no template equivalent. An unset one is not checked.
 */
export type PolicyParameters = { readonly [K in TemplateCheckableParameterName]?: RuleParameters[K] };

/**
 * How a finding counts: a `failure` refuses the template (and fails the hook); a `warning` reports
 * something the policy cannot see in a template, which the Config rule judges after deployment.
 */
export type FindingSeverity = 'failure' | 'warning';

/** One rule of the policy, with the words every report of it uses. */
export interface PolicyRule {
  /** The Guard rule name. */
  readonly name: string;
  /** Whether a finding refuses the template. */
  readonly severity: FindingSeverity;
  /** What is wrong, about one endpoint. */
  readonly violation: string;
  /** How to fix it. */
  readonly fix: string;
}

/** The Guard rule names, so reports and tests refer to them by meaning. */
export const POLICY_RULE_NAMES = {
  enabled: 'CLIENT_VPN_CONNECTION_LOGGING_ENABLED',
  logGroupNamed: 'CLIENT_VPN_CONNECTION_LOG_GROUP_NAMED',
  logGroupNotArn: 'CLIENT_VPN_CONNECTION_LOG_GROUP_NOT_ARN',
  prefix: 'CLIENT_VPN_CONNECTION_LOG_GROUP_PREFIX',
  retention: 'CLIENT_VPN_CONNECTION_LOG_GROUP_RETENTION',
  kmsKey: 'CLIENT_VPN_CONNECTION_LOG_GROUP_KMS_KEY',
  resolvable: 'CLIENT_VPN_CONNECTION_LOG_GROUP_RESOLVABLE',
  inTemplate: 'CLIENT_VPN_CONNECTION_LOG_GROUP_IN_TEMPLATE',
  notGenerated: 'CLIENT_VPN_ENDPOINT_NOT_GENERATED',
} as const;

/** The file name of the blocking policy, the one the Guard hook runs. */
export const POLICY_FILE_NAME = 'client-vpn-connection-logging.guard';

/** The file name of the advisory rules, which report warnings and never block. */
export const ADVISORIES_FILE_NAME = 'client-vpn-connection-logging-advisories.guard';

/**
 * Every rule's words, rendered for a parameter set (the numbers and the prefix appear in the fix).
 *
 * @param parameters - the rule parameters
 * @returns the rules by name
 */
export function policyRules(parameters: PolicyParameters): Readonly<Record<string, PolicyRule>> {
  const prefix = parameters.logGroupNamePrefix ?? '';
  const minimum = parameters.minRetentionDays ?? 0;
  const rules: PolicyRule[] = [
    {
      name: POLICY_RULE_NAMES.enabled,
      severity: 'failure',
      violation:
        'connection logging is not enabled (ConnectionLogOptions.Enabled is missing, false, or not a literal)',
      fix: 'set ConnectionLogOptions.Enabled to true, written as a literal rather than a parameter or condition',
    },
    {
      name: POLICY_RULE_NAMES.logGroupNamed,
      severity: 'failure',
      violation:
        'connection logging is enabled but ConnectionLogOptions.CloudwatchLogGroup is missing or empty',
      fix: 'set ConnectionLogOptions.CloudwatchLogGroup to the name of a CloudWatch Logs group, e.g. a Ref to an AWS::Logs::LogGroup',
    },
    {
      name: POLICY_RULE_NAMES.logGroupNotArn,
      severity: 'failure',
      violation:
        'ConnectionLogOptions.CloudwatchLogGroup is an Fn::GetAtt of an Arn, but it takes the log group name',
      fix: 'use a Ref to the AWS::Logs::LogGroup (its Ref is the name) instead of Fn::GetAtt',
    },
    {
      name: POLICY_RULE_NAMES.prefix,
      severity: 'failure',
      violation: `the log group name does not start with "${prefix}" (logGroupNamePrefix), or the template hides it behind an intrinsic the policy cannot resolve`,
      fix: `name the log group "${prefix}..." as a literal, an Fn::Sub whose text starts with the prefix, or a Ref to an AWS::Logs::LogGroup of this template whose LogGroupName does`,
    },
    {
      name: POLICY_RULE_NAMES.retention,
      severity: 'failure',
      violation: `the referenced log group keeps events fewer than ${minimum} days (minRetentionDays), or its RetentionInDays is not a literal number, or the template hides the group behind an intrinsic the policy cannot resolve (a parameter Ref, Fn::If, Fn::Select, Fn::ImportValue, Fn::Sub with more than one variable, ...)`,
      fix: `set the log group's RetentionInDays to at least ${minimum} (a value CloudWatch Logs accepts), or remove it so events never expire, and name the group by a Ref to it (or its literal name)`,
    },
    {
      name: POLICY_RULE_NAMES.kmsKey,
      severity: 'failure',
      violation:
        'the referenced log group has no KmsKeyId (requireKmsEncryption), or one that may be empty (only a non-blank literal, an Fn::GetAtt or an Fn::Sub with literal text shows a key; a blank string, !Ref AWS::NoValue, a parameter Ref, Fn::If, Fn::Join and other intrinsics do not), or the template hides the group behind an intrinsic the policy cannot resolve (a parameter Ref, Fn::If, Fn::Select, Fn::ImportValue, Fn::Sub with more than one variable, ...)',
      fix: "set the log group's KmsKeyId to a KMS key whose policy lets CloudWatch Logs use it, and name the group by a Ref to it (or its literal name)",
    },
    {
      name: POLICY_RULE_NAMES.notGenerated,
      severity: 'failure',
      violation:
        'an Fn::ForEach loop (AWS::LanguageExtensions) generates AWS::EC2::ClientVpnEndpoint resources, which the policy cannot judge before CloudFormation expands them',
      fix: 'declare each endpoint as its own resource, or check the expanded template: aws cloudformation get-template --template-stage Processed',
    },
    {
      name: POLICY_RULE_NAMES.resolvable,
      severity: 'warning',
      violation:
        'ConnectionLogOptions.CloudwatchLogGroup is an intrinsic the policy cannot resolve (Fn::ImportValue, Fn::If, Fn::Sub with variables, a parameter Ref, ...)',
      fix: 'use a literal name or a Ref to an AWS::Logs::LogGroup of this template so the group can be checked before deployment; otherwise the Config rule judges it after deployment',
    },
    {
      name: POLICY_RULE_NAMES.inTemplate,
      severity: 'warning',
      violation:
        'the log group, named by a literal, is not declared in this template, so its retention and KMS key cannot be checked before deployment',
      fix: 'declare the AWS::Logs::LogGroup in the same template and Ref it; otherwise the Config rule judges the group after deployment',
    },
  ];
  return Object.fromEntries(rules.map((rule) => [rule.name, rule]));
}

function validate(parameters: PolicyParameters): void {
  const { minRetentionDays, logGroupNamePrefix } = parameters;
  if (minRetentionDays !== undefined && (!Number.isSafeInteger(minRetentionDays) || minRetentionDays < 1)) {
    throw new InvalidRuleParameterError(
      'minRetentionDays',
      `expected a positive whole number of days, got ${minRetentionDays}`,
    );
  }
  if (logGroupNamePrefix !== undefined && !LOG_GROUP_NAME_PATTERN.test(logGroupNamePrefix)) {
    throw new InvalidRuleParameterError(
      'logGroupNamePrefix',
      `expected a log group name prefix (1-512 of A-Z a-z 0-9 . - _ / #), got ${JSON.stringify(logGroupNamePrefix)}`,
    );
  }
}

// Every character but letters and digits as \xHH: Guard's /regex/ literal ends at a bare `/` and
// mis-parses an escaped slash at the end, and the prefix may contain `/`, `.`, `-` and `#`.
function prefixRegex(prefix: string): string {
  const escaped = [...prefix].map((c) =>
    /[A-Za-z0-9]/.test(c) ? c : `\\x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `/^${escaped.join('')}/`;
}

function message(rule: PolicyRule): string {
  // Guard messages are static text, so the endpoint is named by the path Guard reports with it.
  return `    <<\n      Violation: ${rule.violation}.\n      Fix: ${rule.fix}.\n    >>`;
}

function describe(parameters: PolicyParameters): string {
  return [
    `#   minRetentionDays:     ${parameters.minRetentionDays ?? '(unset: any retention)'}`,
    `#   requireKmsEncryption: ${parameters.requireKmsEncryption === true}`,
    `#   logGroupNamePrefix:   ${parameters.logGroupNamePrefix ?? '(unset: any name)'}`,
  ].join('\n');
}

const LOG_GROUP = 'Properties.ConnectionLogOptions.CloudwatchLogGroup';
// CloudFormation, like cfn-lint, reads a boolean or the strings true, True and TRUE as true (YAML's
// True and TRUE parse as booleans already); a list, a number or any other word is not true.
const TRUE_VALUES = "[true, 'true', 'True', 'TRUE']";
const ENABLED = `Properties.ConnectionLogOptions.Enabled in ${TRUE_VALUES}`;
// The logical ID in an Fn::Sub whose whole text is one variable, `${LogicalId}`: the group's Ref, its name.
const SUB_OF_ONE_VARIABLE = String.raw`"^\$\{([A-Za-z0-9]+)\}$"`;

// A blank string, and an Fn::Sub text of nothing but whitespace and variables (each may be empty).
const BLANK = String.raw`/^\s*$/`;
const VARIABLES_ONLY = String.raw`/^(\s|\$\{[^}]*\})*$/`;

/**
 * What one rule requires of the group an endpoint names, per kind of reference. A function returns
 * the clauses (with their message) of a `when` block, or '' when the rule has nothing to say of it.
 */
interface GroupChecks {
  /** A logical ID (a Ref, `${Id}` of an Fn::Sub, a one-Ref Fn::Join); `literalText` is Sub text whose start is literal. */
  readonly id: (query: string, literalText?: string) => string;
  /** A name written as a literal: a string, an Fn::Sub without variables, or an Fn::Sub variable mapped to a string. */
  readonly name: (query: string) => string;
  /** A reference the policy cannot resolve; `neverTrue` is a clause that fails there. */
  readonly unresolved: (neverTrue: string) => string;
}

// A `when` block, left out when the rule has nothing to check there.
function whenBlock(indent: string, conditions: readonly string[], body: string): string {
  if (body === '') return '';
  return `${indent}when ${conditions.filter(Boolean).join(' ')} {\n${body}\n${indent}}`;
}

const SUB = `${LOG_GROUP}.'Fn::Sub'`;
const JOIN = `${LOG_GROUP}.'Fn::Join'`;
const HAS_VARIABLE = String.raw`/\$\{/`;

/**
 * The `when` blocks that sort the group an endpoint names into the kinds `GroupChecks` judges:
 * `Ref`; `Fn::Sub '${Id}'` (string or list form: a variable the list's map defines is the map's value,
 * not the logical ID, as CloudFormation substitutes it); `Fn::Join` of one Ref (or of a Ref and '' with
 * an empty delimiter); a literal name; and every other intrinsic, unresolved.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html
 *
 * @param checks - what the rule requires of each kind
 * @param condition - what every block also requires, e.g. that logging is enabled
 * @param arnPasses - whether an Fn::GetAtt of an Arn passes here (its own rule refuses it)
 */
function groupReferenceForms(checks: GroupChecks, condition: string, arnPasses = true): string {
  const at = (...clauses: string[]): string[] => [condition, ...clauses];
  const shadow = '%sub_list_shadow';
  const subList = [
    `      let sub_list_group_id = regex_replace(${SUB}[0], ${SUB_OF_ONE_VARIABLE}, "$1")`,
    `      let sub_list_shadow = ${SUB}[1][ keys == %sub_list_group_id ]`,
    whenBlock(
      '      ',
      [`${shadow} empty`, `${SUB}[0] == ${HAS_VARIABLE}`],
      checks.id('%sub_list_group_id', `${SUB}[0]`),
    ),
    whenBlock('      ', [`${shadow} empty`, `${SUB}[0] != ${HAS_VARIABLE}`], checks.name(`${SUB}[0]`)),
    whenBlock('      ', [`${SUB}[0] !is_string`], checks.unresolved(`${SUB} !is_list`)),
    whenBlock('      ', [`${shadow} !empty`, `${shadow}.Ref exists`], checks.id(`${shadow}.Ref`)),
    whenBlock('      ', [`${shadow} !empty`, `${shadow} is_string`], checks.name(shadow)),
    whenBlock(
      '      ',
      [`${shadow} !empty`, `${shadow} !is_string`, `${shadow}.Ref not exists`],
      checks.unresolved(`${SUB} !is_list`),
    ),
  ].filter(Boolean);
  // Fn::Join [d, [Ref X]] or ['', [Ref X, '']]: in conjunctive form, as Guard's `when` takes it.
  const oneRefJoin = [
    `${JOIN}[1][0].Ref exists`,
    `${JOIN}[1][1] not exists or ${JOIN}[1][1] == ''`,
    `${JOIN}[1][1] not exists or ${JOIN}[0] == ''`,
    `${JOIN}[1][2] not exists`,
  ];
  const neverJoin = `${JOIN} !is_list`;
  const arnForm = `${LOG_GROUP}.'Fn::GetAtt'[1] == 'Arn' or\n      ${LOG_GROUP}.'Fn::GetAtt' == /\\.Arn$/`;
  return [
    whenBlock('    ', at(`${LOG_GROUP}.Ref exists`), checks.id(`${LOG_GROUP}.Ref`)),
    checks.id('%sub_group_id') === ''
      ? ''
      : whenBlock(
          '    ',
          at(`${SUB} is_string`, `${SUB} == ${HAS_VARIABLE}`),
          `      let sub_group_id = regex_replace(${SUB}, ${SUB_OF_ONE_VARIABLE}, "$1")\n${checks.id('%sub_group_id', SUB)}`,
        ),
    whenBlock('    ', at(`${SUB} is_string`, `${SUB} != ${HAS_VARIABLE}`), checks.name(SUB)),
    subList.length > 2 ? whenBlock('    ', at(`${SUB} is_list`), subList.join('\n')) : '',
    whenBlock('    ', at(...oneRefJoin), checks.id(`${JOIN}[1][0].Ref`)),
    whenBlock('    ', at(`${LOG_GROUP} is_string`), checks.name(LOG_GROUP)),
    whenBlock('    ', at(`${JOIN}[1][0].Ref not exists`, `${JOIN} exists`), checks.unresolved(neverJoin)),
    whenBlock('    ', at(`${JOIN}[1][2] exists`), checks.unresolved(neverJoin)),
    // A struct compared with '' is neither equal nor unequal to Guard, so a second part that is no string has its own block.
    whenBlock('    ', at(`${JOIN}[1][1] exists`, `${JOIN}[1][1] !is_string`), checks.unresolved(neverJoin)),
    whenBlock('    ', at(`${JOIN}[1][1] is_string`, `${JOIN}[1][1] != ''`), checks.unresolved(neverJoin)),
    whenBlock('    ', at(`${JOIN}[1][1] exists`, `${JOIN}[0] !is_string`), checks.unresolved(neverJoin)),
    whenBlock(
      '    ',
      at(`${JOIN}[1][1] exists`, `${JOIN}[0] is_string`, `${JOIN}[0] != ''`),
      checks.unresolved(neverJoin),
    ),
    whenBlock(
      '    ',
      at(`${LOG_GROUP} exists`, `${LOG_GROUP} !is_string`, `${LOG_GROUP} !is_struct`),
      checks.unresolved(`${LOG_GROUP} is_string`),
    ),
    whenBlock(
      '    ',
      at(`${LOG_GROUP} is_struct`, `${LOG_GROUP}.Ref not exists`, `${SUB} not exists`, `${JOIN} not exists`),
      checks.unresolved(arnPasses ? arnForm : `${LOG_GROUP} !is_struct`),
    ),
  ]
    .filter(Boolean)
    .join('\n');
}

// The clauses that an ID names a group of the template that is in a set (`in`) or not in it (`not in`);
// Guard binds no IDs of an empty set, so each use sits under `when !empty`.
function idIn(query: string, set: string, text: string, literal?: string): string {
  const or = literal ? ` or\n        ${literal}` : '';
  return `      when %${set}s !empty {
        ${query} in %${set}_ids${or}
${text}
      }
      when %${set}s empty {
        ${literal ?? `${query} !is_string`}
${text}
      }`;
}

function idNotIn(query: string, set: string, text: string): string {
  return `      when %${set}s !empty {
        ${query} not in %${set}_ids
${text}
      }`;
}

// What the retention and key rules require of each kind: an ID must be a group of this template
// outside the failing set; a literal name, if it is a group's literal LogGroupName, not a failing
// group's; anything else fails.
function groupPropertyChecks(failingSet: string, text: string): GroupChecks {
  return {
    id: (query) => `${idIn(query, 'template_log_group', text)}\n${idNotIn(query, failingSet, text)}`,
    name: (query) => `      when %${failingSet}_names !empty {
        ${query} not in %${failingSet}_names
${text}
      }`,
    unresolved: (neverTrue) => `      ${neverTrue}\n${text}`,
  };
}

/**
 * How many levels of nested `Fn::ForEach` loops the raw policy looks into (the loop of `Resources`
 * counts as the first). Guard 3 has no recursion, so each level is a clause of its own.
 */
export const FOR_EACH_DEPTH = 6;

// One clause per level: the endpoints declared directly in the body of a loop nested `level` deep.
function loopLevelClauses(rule: PolicyRule): string {
  return Array.from({ length: FOR_EACH_DEPTH }, (_, level) => {
    const inner = '[ keys == /^Fn::ForEach::/ ][2]'.repeat(level);
    return `    this[2]${inner}[ keys != /^Fn::ForEach::/ ].Type != 'AWS::EC2::ClientVpnEndpoint'\n${message(rule)}`;
  }).join('\n');
}

/** The rules every policy has: logging on, no endpoint made by a loop, a log group named, not an ARN. */
function alwaysRenderedRules(
  parameters: PolicyParameters,
  rules: Readonly<Record<string, PolicyRule>>,
): string {
  return `# AWS CloudFormation Guard 3 policy: every AWS::EC2::ClientVpnEndpoint keeps connection logs.
# Generated by policy/connection-logging-policy.ts for these rule parameters:
${describe(parameters)}
# Run: cfn-guard validate --rules ${POLICY_FILE_NAME} --data template.json

let client_vpn_endpoints = Resources.*[ Type == 'AWS::EC2::ClientVpnEndpoint' ]
let template_log_groups = Resources[ template_log_group_ids | Type == 'AWS::Logs::LogGroup' ]

# CloudFormation accepts a boolean or its string forms (true, True, TRUE); anything else (a list, a
# number, a parameter, Fn::If) cannot be shown to be true before deployment.
rule ${POLICY_RULE_NAMES.enabled} when %client_vpn_endpoints !empty {
  %client_vpn_endpoints {
    Properties.ConnectionLogOptions.Enabled !is_list
    ${ENABLED}
${message(rules[POLICY_RULE_NAMES.enabled])}
  }
}

# Fn::ForEach (AWS::LanguageExtensions) writes resources under a key Fn::ForEach::<Name> as
# [identifier, collection, {template of each}]; an endpoint made there has no logical ID of its own to
# judge, so it is refused. Loops nest: the body may hold another Fn::ForEach:: key. Guard 3 cannot
# recurse, so the levels are written out: a loop of Resources and ${FOR_EACH_DEPTH - 1} loops nested in it
# (${FOR_EACH_DEPTH} levels in all) are looked into; check-template refuses any depth. cfn-guard 3.1.1's default text reporter
# panics on a nested finding beside other resources (exit 101, never a pass); --output-format json
# reports it.
# https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html
let generating_loops = Resources[ keys == /^Fn::ForEach::/ ]

rule ${POLICY_RULE_NAMES.notGenerated} when %generating_loops !empty {
  %generating_loops {
${loopLevelClauses(rules[POLICY_RULE_NAMES.notGenerated])}
  }
}

rule ${POLICY_RULE_NAMES.logGroupNamed} when %client_vpn_endpoints !empty {
  %client_vpn_endpoints {
    when ${ENABLED} {
      ${LOG_GROUP} exists
${message(rules[POLICY_RULE_NAMES.logGroupNamed])}
    }
    when ${ENABLED} ${LOG_GROUP} is_string {
      ${LOG_GROUP} != ''
${message(rules[POLICY_RULE_NAMES.logGroupNamed])}
    }
  }
}

# CloudwatchLogGroup is a name (EC2 ConnectionLogOptions); AWS::Logs::LogGroup's only attribute is Arn.
rule ${POLICY_RULE_NAMES.logGroupNotArn} when %client_vpn_endpoints !empty {
  %client_vpn_endpoints {
    when ${LOG_GROUP}.'Fn::GetAtt' is_list {
      ${LOG_GROUP}.'Fn::GetAtt'[1] != 'Arn'
${message(rules[POLICY_RULE_NAMES.logGroupNotArn])}
    }
    when ${LOG_GROUP}.'Fn::GetAtt' is_string {
      ${LOG_GROUP}.'Fn::GetAtt' != /\\.Arn$/
${message(rules[POLICY_RULE_NAMES.logGroupNotArn])}
    }
  }
}`;
}

/** The prefix rule, or a note that it is not rendered. */
function prefixSection(parameters: PolicyParameters, rules: Readonly<Record<string, PolicyRule>>): string {
  const prefix = parameters.logGroupNamePrefix;
  if (prefix === undefined) {
    return `# ${POLICY_RULE_NAMES.prefix}: not rendered, logGroupNamePrefix is unset.`;
  } else {
    const regex = prefixRegex(prefix);
    const rule = message(rules[POLICY_RULE_NAMES.prefix]);
    return `# A group of this template whose name is provably prefixed: a prefixed string, or an Fn::Sub
# (string or [string, variables] form) whose text is. Fn::Sub's text before its first \${...} is
# literal, so a prefix written there holds whatever the variables are.
let prefixed_log_groups = Resources[ prefixed_log_group_ids | Type == 'AWS::Logs::LogGroup'
  Properties.LogGroupName == ${regex} or
  Properties.LogGroupName.'Fn::Sub' == ${regex} or
  Properties.LogGroupName.'Fn::Sub'[0] == ${regex} ]

# The endpoint's name is prefixed itself, or names a prefixed group of this template (by Ref,
# Fn::Sub '\${Group}' or Fn::Join of one Ref); anything else cannot be shown to be prefixed.
rule ${POLICY_RULE_NAMES.prefix} when %client_vpn_endpoints !empty {
  %client_vpn_endpoints {
${groupReferenceForms(
  {
    id: (query, literal) =>
      idIn(query, 'prefixed_log_group', rule, literal === undefined ? undefined : `${literal} == ${regex}`),
    name: (query) => `      ${query} == ${regex}\n${rule}`,
    unresolved: (neverTrue) => `      ${neverTrue}\n${rule}`,
  },
  `${ENABLED} ${LOG_GROUP} exists`,
  false,
)}
  }
}`;
  }
}

/** The retention rule, or a note that it is not rendered. */
function retentionSection(parameters: PolicyParameters, rules: Readonly<Record<string, PolicyRule>>): string {
  const minimum = parameters.minRetentionDays;
  if (minimum === undefined) {
    return `# ${POLICY_RULE_NAMES.retention}: not rendered, minRetentionDays is unset.`;
  } else {
    // CloudFormation takes a number or its string form; only values PutRetentionPolicy accepts count.
    const accepted = CLOUDWATCH_RETENTION_DAYS.filter((days) => days >= minimum).flatMap((days) => [
      `${days}`,
      `'${days}'`,
    ]);
    const tooShort =
      accepted.length === 0
        ? `  Properties.RetentionInDays exists ]`
        : `  Properties.RetentionInDays exists\n  Properties.RetentionInDays not in [${accepted.join(', ')}] ]`;
    return `# A group of this template that expires events before ${minimum} days (no RetentionInDays: never expires).
let short_retention_log_groups = Resources[ short_retention_log_group_ids | Type == 'AWS::Logs::LogGroup'
${tooShort}

let short_retention_log_group_names = %short_retention_log_groups[ Properties.LogGroupName exists ].Properties.LogGroupName

rule ${POLICY_RULE_NAMES.retention} when %client_vpn_endpoints !empty {
  %client_vpn_endpoints {
${groupReferenceForms(groupPropertyChecks('short_retention_log_group', message(rules[POLICY_RULE_NAMES.retention])), ENABLED)}
  }
}`;
  }
}

/** The KMS key rule, or a note that it is not rendered. */
function kmsKeySection(parameters: PolicyParameters, rules: Readonly<Record<string, PolicyRule>>): string {
  if (!parameters.requireKmsEncryption) {
    return `# ${POLICY_RULE_NAMES.kmsKey}: not rendered, requireKmsEncryption is false.`;
  } else {
    // A key is shown only by a non-blank literal, an Fn::GetAtt (a key's Arn) or an Fn::Sub with literal
    // text. A blank string, !Ref AWS::NoValue, an Fn::If with a NoValue branch, an empty Fn::Join or a
    // parameter (whatever its Default: a stack may pass "") may leave the group without a key, so any
    // other intrinsic counts as no key: fail closed (docs/prevention.md).
    return `let unencrypted_log_groups = Resources[ unencrypted_log_group_ids | Type == 'AWS::Logs::LogGroup'
  Properties.KmsKeyId not exists or
  Properties.KmsKeyId is_list or
  Properties.KmsKeyId == ${BLANK} or
  Properties.KmsKeyId[ keys != /^Fn::(GetAtt|Sub)$/ ] !empty or
  Properties.KmsKeyId.'Fn::Sub' == ${VARIABLES_ONLY} or
  Properties.KmsKeyId.'Fn::Sub'[0] == ${VARIABLES_ONLY} ]
let unencrypted_log_group_names = %unencrypted_log_groups[ Properties.LogGroupName exists ].Properties.LogGroupName

rule ${POLICY_RULE_NAMES.kmsKey} when %client_vpn_endpoints !empty {
  %client_vpn_endpoints {
${groupReferenceForms(groupPropertyChecks('unencrypted_log_group', message(rules[POLICY_RULE_NAMES.kmsKey])), ENABLED)}
  }
}`;
  }
}

/**
 * Renders the blocking policy for a parameter set: the rule file a Guard hook, `check-template` and
 * the CDK check run. Without a prefix, minimum retention or KMS requirement, those rules are left out.
 *
 * @param parameters - the rule parameters; the Config rule's defaults when omitted
 * @returns the Guard rule file's text
 * @throws InvalidRuleParameterError when a parameter is out of range
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { renderConnectionLoggingPolicy } from 'client-vpn-connection-logging';
 *
 * // The Guard rule file for `cfn-guard validate --rules client-vpn-connection-logging.guard --data template.json`.
 * writeFileSync(
 *   'client-vpn-connection-logging.guard',
 *   renderConnectionLoggingPolicy({ minRetentionDays: 365, logGroupNamePrefix: '/aws/clientvpn' }),
 * );
 * ```
 */
export function renderConnectionLoggingPolicy(
  parameters: PolicyParameters = DEFAULT_RULE_PARAMETERS,
): string {
  validate(parameters);
  const rules = policyRules(parameters);
  const sections = [
    alwaysRenderedRules(parameters, rules),
    prefixSection(parameters, rules),
    retentionSection(parameters, rules),
    kmsKeySection(parameters, rules),
  ];
  return `${sections.join('\n\n')}\n`;
}

/**
 * Renders the advisory rules for a parameter set: what the policy cannot see in a template. They are
 * kept out of the blocking file because a Guard hook has one failure mode for all its rules.
 *
 * @param parameters - the rule parameters; the Config rule's defaults when omitted
 * @returns the Guard rule file's text
 * @throws InvalidRuleParameterError when a parameter is out of range
 */
export function renderConnectionLoggingAdvisories(
  parameters: PolicyParameters = DEFAULT_RULE_PARAMETERS,
): string {
  validate(parameters);
  const rules = policyRules(parameters);
  const resolvable = message(rules[POLICY_RULE_NAMES.resolvable]);
  const sections = [
    `# AWS CloudFormation Guard 3 advisories for the Client VPN connection-logging policy: findings here
# are warnings, for what a template cannot show before deployment. Generated by
# policy/connection-logging-policy.ts for these rule parameters:
${describe(parameters)}

let client_vpn_endpoints = Resources.*[ Type == 'AWS::EC2::ClientVpnEndpoint' ]
let template_log_groups = Resources[ template_log_group_ids | Type == 'AWS::Logs::LogGroup' ]
let template_log_group_names = %template_log_groups[ Properties.LogGroupName exists ].Properties.LogGroupName

# A group of this template named by Ref, Fn::Sub '\${Group}' or Fn::Join of one Ref is resolved; a
# literal name is known. Anything else is reported.
rule ${POLICY_RULE_NAMES.resolvable} when %client_vpn_endpoints !empty {
  %client_vpn_endpoints {
${groupReferenceForms(
  {
    id: (query) => idIn(query, 'template_log_group', resolvable),
    name: () => '',
    unresolved: (neverTrue) => `      ${neverTrue}\n${resolvable}`,
  },
  '',
)}
  }
}`,
  ];
  if (parameters.minRetentionDays === undefined && !parameters.requireKmsEncryption) {
    sections.push(
      `# ${POLICY_RULE_NAMES.inTemplate}: not rendered, neither minRetentionDays nor requireKmsEncryption is set.`,
    );
  } else {
    const inTemplate = message(rules[POLICY_RULE_NAMES.inTemplate]);
    sections.push(`# The group is this template's own when named by Ref, Fn::Sub '\${Group}', Fn::Join of one Ref or
# its literal LogGroupName; the blocking rules judge its retention and key then.
rule ${POLICY_RULE_NAMES.inTemplate} when %client_vpn_endpoints !empty {
  %client_vpn_endpoints {
${groupReferenceForms(
  {
    id: () => '',
    name: (query) => `      when %template_log_group_names !empty {
        ${query} in %template_log_group_names
${inTemplate}
      }
      when %template_log_group_names empty {
        ${query} !is_string
${inTemplate}
      }`,
    unresolved: () => '',
  },
  `${ENABLED} ${LOG_GROUP} exists`,
)}
  }
}`);
  }
  return `${sections.join('\n\n')}\n`;
}
