/**
 * The audit command's options: parsed from argv into a checked object, each bad option named in
 * its error, and the rule's parameters validated by the rule's own parser so the audit judges
 * exactly as the deployed rule would.
 */
import { RUNBOOK_NAME } from '../remediation/runbook';
import { InvalidRuleParameterError } from '../rule/errors';
import { parseRuleParameters } from '../rule/parameters';
import type { RuleParameters } from '../rule/types';

/** The runbook the remediation stack deploys; `--document-name` overrides it. */
export const DEFAULT_DOCUMENT_NAME = RUNBOOK_NAME;

/** How many regions are scanned at once unless `--concurrency` says otherwise. */
export const DEFAULT_CONCURRENCY = 4;

/** Which regions to scan. */
export type RegionSelection =
  | { readonly kind: 'configured' }
  | { readonly kind: 'all' }
  | { readonly kind: 'listed'; readonly regions: readonly string[] };

/**
 * The `--automation-assume-role` values: the role each region's runbook runs as. The automation role
 * is regional (its trust policy's `aws:SourceArn` and its permissions name the region it was deployed
 * in), so one plain ARN may serve one region only.
 */
export type AutomationRoleOption =
  /** One role ARN, for a scan of exactly one region. */
  | { readonly kind: 'one'; readonly arn: string }
  /** A role ARN whose role name holds `{region}`, replaced by each scanned region's name. */
  | { readonly kind: 'template'; readonly template: string }
  /** `region=ARN` pairs; a scanned region left out gets no role. */
  | { readonly kind: 'by-region'; readonly arns: ReadonlyMap<string, string> };

/** The audit command's options, checked. */
export interface AuditOptions {
  /** `--regions` or `--all-regions`; the configured region when neither is given. */
  readonly regions: RegionSelection;
  /** The rule parameters, from `--min-retention-days` and friends. */
  readonly parameters: RuleParameters;
  /**
   * `--output table` or `--output json`.
   * @default 'table'
   */
  readonly output: 'table' | 'json';
  /** `--remediate`: start the runbook for each NON_COMPLIANT endpoint. */
  readonly remediate: boolean;
  /** `--yes`: do not ask before remediating. */
  readonly yes: boolean;
  /**
   * `--document-name`: the SSM Automation document to start.
   * @default DEFAULT_DOCUMENT_NAME
   */
  readonly documentName: string;
  /**
   * `--automation-assume-role`: the role ARN(s) passed to the runbook as `AutomationAssumeRole`, when
   * given; {@link automationRolesByRegion} turns them into each scanned region's ARN.
   */
  readonly automationAssumeRole?: AutomationRoleOption;
  /**
   * `--concurrency`: how many regions are scanned at once (1 to 20).
   * @default DEFAULT_CONCURRENCY
   */
  readonly concurrency: number;
  /** `--help`: print usage and exit. */
  readonly help: boolean;
}

/** An option is unknown, repeated where it may not be, missing its value or has a bad value. */
export class AuditOptionError extends Error {
  public override readonly name = 'AuditOptionError';

  /**
   * @param option - the offending option as typed, e.g. `--min-retention-days`
   * @param problem - what is wrong with it
   */
  public constructor(
    public readonly option: string,
    problem: string,
  ) {
    super(`${option}: ${problem}`);
  }
}

/** The usage text `--help` prints. */
export const AUDIT_USAGE = `Usage: npm run audit -- [options]

Evaluates the Client VPN endpoints of the account the default credential chain gives, with the
same decision and look-ups as the deployed Config rule, without deploying anything.

Regions:
  --regions r1,r2             scan these regions (default: the configured region)
  --all-regions               scan every region enabled in the account
  --concurrency N             regions scanned at once, 1-20 (default ${DEFAULT_CONCURRENCY})

Rule parameters:
  --min-retention-days N      the log group must keep events at least N days
  --require-kms-encryption    the log group must be encrypted with a KMS key
  --log-group-name-prefix P   the log group's name must start with P
  --no-verify-log-group       judge from the endpoint's settings alone; do not look the group up
  --no-verify-kms-key-state   do not check that the group's KMS key is Enabled (kms:DescribeKey)
  --verify-delivery           the group must have ingested events since each connection older than
                              the grace period (ec2:DescribeClientVpnConnections, logs:DescribeLogStreams)
  --delivery-grace-minutes N  minutes a connection's log may take to arrive (default 60)

Output:
  --output table|json         a table (default) or one JSON array on stdout

Remediation:
  --remediate                 start the runbook for each NON_COMPLIANT endpoint, after confirming
  --yes, -y                   do not ask for confirmation (needed when stdin is not a terminal)
  --document-name NAME        the runbook's SSM document name (default ${DEFAULT_DOCUMENT_NAME})
  --automation-assume-role ROLE
                              the role passed to the runbook as AutomationAssumeRole; the role is
                              regional, so give one of:
                                ARN                   when exactly one region is scanned
                                ARN with {region}     e.g. arn:aws:iam::123456789012:role/
                                                      ClientVpnConnectionLoggingRemediation-{region},
                                                      {region} replaced by each scanned region
                                r1=ARN1,r2=ARN2       one ARN per region (the option may repeat)

Exit status: 0 all compliant, 1 any NON_COMPLIANT, 2 on error (an error wins over 1).
`;

// AWS region names: two to four letters, geography and a number (us-east-1, us-gov-west-1, eusc-de-east-1),
// as infra/context-props.ts accepts them.
const REGION_NAME = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;
// An IAM role ARN in any partition: an optional path, then a role name of at most 64 characters.
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
// The placeholder a role ARN template holds in its role name.
const REGION_PLACEHOLDER = '{region}';
// Splits `r1=ARN1,r2=ARN2` at the commas that start a pair: role names may themselves hold commas.
const PAIR_SEPARATOR = /,(?=[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}=)/;
const ROLE_OPTION = '--automation-assume-role';
const ROLE_FORMS =
  'an IAM role ARN (arn:aws:iam::123456789012:role/NAME), one with {region} in its role name, or region=ARN pairs separated by commas';
// SSM document names: 3-128 of [a-zA-Z0-9_.-], or a document ARN.
const DOCUMENT_NAME =
  /^([a-zA-Z0-9_.-]{3,128}|arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:document\/[a-zA-Z0-9_.-]{3,128})$/;

const VALUE_OPTIONS = new Set([
  '--regions',
  '--concurrency',
  '--min-retention-days',
  '--log-group-name-prefix',
  '--delivery-grace-minutes',
  '--output',
  '--document-name',
  '--automation-assume-role',
]);
const FLAG_OPTIONS = new Set([
  '--all-regions',
  '--require-kms-encryption',
  '--no-verify-log-group',
  '--no-verify-kms-key-state',
  '--verify-delivery',
  '--remediate',
  '--yes',
  '-y',
  '--help',
  '-h',
]);
// The rule parameter each rule option sets, so a parameter error can name the option instead.
const RULE_PARAMETER_OPTIONS: Readonly<Record<string, string>> = {
  minRetentionDays: '--min-retention-days',
  requireKmsEncryption: '--require-kms-encryption',
  logGroupNamePrefix: '--log-group-name-prefix',
  verifyLogGroup: '--no-verify-log-group',
  verifyKmsKeyState: '--no-verify-kms-key-state',
  verifyDelivery: '--verify-delivery',
  deliveryGraceMinutes: '--delivery-grace-minutes',
};

/**
 * Parses the audit command's arguments.
 *
 * @param argv - the arguments after `npm run audit --`; `--name value` and `--name=value` both work
 * @returns the checked options
 * @throws AuditOptionError naming the option that is unknown, repeated, missing its value or invalid
 */
export function parseAuditOptions(argv: readonly string[]): AuditOptions {
  const values = new Map<string, string>();
  // The one option that may repeat, as a list of region=ARN pairs.
  const roleValues: string[] = [];
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_OPTIONS.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) {
        throw new AuditOptionError(name, 'needs a value');
      }
      if (name === ROLE_OPTION) {
        roleValues.push(value);
        continue;
      }
      if (values.has(name)) throw new AuditOptionError(name, 'given more than once');
      values.set(name, value);
    } else if (FLAG_OPTIONS.has(name)) {
      if (eq > 0) throw new AuditOptionError(name, 'takes no value');
      flags.add(name === '-y' ? '--yes' : name === '-h' ? '--help' : name);
    } else {
      throw new AuditOptionError(arg, `unknown option; see --help`);
    }
  }

  const output = values.get('--output') ?? 'table';
  if (output !== 'table' && output !== 'json') {
    throw new AuditOptionError('--output', `expected "table" or "json", got ${JSON.stringify(output)}`);
  }

  const regions = parseRegionSelection(values.get('--regions'), flags.has('--all-regions'));
  const remediate = flags.has('--remediate');
  const automationAssumeRole = parseAutomationRoleOption(roleValues);
  // Refuse what the regions already tell, before any AWS call; --all-regions is checked again once listed.
  if (regions.kind === 'listed') automationRolesByRegion(automationAssumeRole, regions.regions, remediate);
  if (regions.kind === 'all' && automationAssumeRole?.kind === 'one' && remediate) {
    throw oneRoleForManyRegionsError(automationAssumeRole.arn, 'every enabled region (--all-regions)');
  }

  return {
    regions,
    parameters: parseRuleOptions(values, flags),
    output,
    remediate,
    yes: flags.has('--yes'),
    documentName:
      parseMatching(
        '--document-name',
        values.get('--document-name'),
        DOCUMENT_NAME,
        'an SSM document name',
      ) ?? DEFAULT_DOCUMENT_NAME,
    ...optional('automationAssumeRole', automationAssumeRole),
    concurrency: parseConcurrency(values.get('--concurrency')),
    help: flags.has('--help'),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function parseRegionSelection(list: string | undefined, all: boolean): RegionSelection {
  if (list !== undefined && all)
    throw new AuditOptionError('--all-regions', 'cannot be combined with --regions');
  if (all) return { kind: 'all' };
  if (list === undefined) return { kind: 'configured' };
  const regions = [...new Set(list.split(',').map((r) => r.trim()))];
  if (regions.length === 0 || regions.includes('')) {
    throw new AuditOptionError(
      '--regions',
      `expected a comma-separated list of regions, got ${JSON.stringify(list)}`,
    );
  }
  const bad = regions.find((r) => !REGION_NAME.test(r));
  if (bad !== undefined)
    throw new AuditOptionError('--regions', `${JSON.stringify(bad)} is not a region name such as us-east-1`);
  return { kind: 'listed', regions };
}

function parseRuleOptions(values: ReadonlyMap<string, string>, flags: ReadonlySet<string>): RuleParameters {
  const raw: Record<string, string> = {};
  const days = values.get('--min-retention-days');
  if (days !== undefined) raw.minRetentionDays = days;
  const prefix = values.get('--log-group-name-prefix');
  if (prefix !== undefined) {
    if (prefix === '') throw new AuditOptionError('--log-group-name-prefix', 'needs a non-empty prefix');
    raw.logGroupNamePrefix = prefix;
  }
  if (flags.has('--require-kms-encryption')) raw.requireKmsEncryption = 'true';
  if (flags.has('--no-verify-log-group')) raw.verifyLogGroup = 'false';
  if (flags.has('--no-verify-kms-key-state')) raw.verifyKmsKeyState = 'false';
  if (flags.has('--verify-delivery')) raw.verifyDelivery = 'true';
  const grace = values.get('--delivery-grace-minutes');
  if (grace !== undefined) {
    // A grace period with no delivery check would be silently ignored.
    if (!flags.has('--verify-delivery'))
      throw new AuditOptionError('--delivery-grace-minutes', 'needs --verify-delivery');
    raw.deliveryGraceMinutes = grace;
  }
  try {
    return parseRuleParameters(JSON.stringify(raw));
  } catch (error) {
    if (error instanceof InvalidRuleParameterError) {
      const option = RULE_PARAMETER_OPTIONS[error.parameter] ?? error.parameter;
      // The rule's message names its parameter; say which option set it.
      throw new AuditOptionError(option, error.message.replace(/^Invalid rule parameter "[^"]+": /, ''));
    }
    throw error;
  }
}

function parseMatching(
  option: string,
  value: string | undefined,
  pattern: RegExp,
  what: string,
): string | undefined {
  if (value === undefined) return undefined;
  if (!pattern.test(value))
    throw new AuditOptionError(option, `expected ${what}, got ${JSON.stringify(value)}`);
  return value;
}

function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 20) {
    throw new AuditOptionError(
      '--concurrency',
      `expected a whole number from 1 to 20, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/**
 * Reads the `--automation-assume-role` values: one ARN, one ARN with `{region}` in its role name,
 * or `region=ARN` pairs (comma-separated, the option repeated or both).
 */
function parseAutomationRoleOption(values: readonly string[]): AutomationRoleOption | undefined {
  if (values.length === 0) return undefined;
  const single = values.filter((v) => v.startsWith('arn:'));
  if (single.length > 0) {
    if (values.length > 1) {
      throw new AuditOptionError(
        ROLE_OPTION,
        'a single role ARN cannot be combined with other values of the option; give region=ARN pairs instead',
      );
    }
    const arn = single[0] as string;
    if (!arn.includes(REGION_PLACEHOLDER)) return { kind: 'one', arn: checkedRoleArn(arn) };
    const name = arn.slice(arn.lastIndexOf('/') + 1);
    if (!name.includes(REGION_PLACEHOLDER) || arn.indexOf(REGION_PLACEHOLDER) < arn.lastIndexOf('/')) {
      throw new AuditOptionError(
        ROLE_OPTION,
        `${REGION_PLACEHOLDER} may appear only in the role name (after the last "/"), got ${JSON.stringify(arn)}`,
      );
    }
    // Check the shape with a one-letter stand-in; each region's own ARN is checked once the regions are known.
    checkedRoleArn(arn.replaceAll(REGION_PLACEHOLDER, 'x'), arn);
    return { kind: 'template', template: arn };
  }
  const arns = new Map<string, string>();
  for (const pair of values.flatMap((v) => v.split(PAIR_SEPARATOR))) {
    const eq = pair.indexOf('=');
    const region = eq < 0 ? '' : pair.slice(0, eq);
    if (!REGION_NAME.test(region)) {
      throw new AuditOptionError(ROLE_OPTION, `expected ${ROLE_FORMS}, got ${JSON.stringify(pair)}`);
    }
    if (arns.has(region)) throw new AuditOptionError(ROLE_OPTION, `region ${region} is given more than once`);
    arns.set(region, checkedRoleArn(pair.slice(eq + 1), pair));
  }
  return { kind: 'by-region', arns };
}

function checkedRoleArn(arn: string, asTyped = arn): string {
  if (!ROLE_ARN.test(arn)) {
    throw new AuditOptionError(
      ROLE_OPTION,
      `expected an IAM role ARN such as arn:aws:iam::123456789012:role/NAME (role name at most 64 characters), got ${JSON.stringify(asTyped)}`,
    );
  }
  return arn;
}

function oneRoleForManyRegionsError(arn: string, scanned: string): AuditOptionError {
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  return new AuditOptionError(
    ROLE_OPTION,
    `the one role ${JSON.stringify(arn)} cannot serve ${scanned}: the automation role is regional, and the ` +
      `runbook would fail in every region but its own. Put ${REGION_PLACEHOLDER} in the role name ` +
      `(e.g. ${arn.slice(0, arn.length - name.length)}ClientVpnConnectionLoggingRemediation-${REGION_PLACEHOLDER}) ` +
      `or give one ARN per region as region=ARN pairs (us-east-1=ARN1,eu-west-1=ARN2).`,
  );
}

/**
 * Gives each scanned region the role ARN `--automation-assume-role` names for it, refusing what
 * would pass a role to a region it was not made for.
 *
 * @param option - the parsed option, if given
 * @param regions - the regions scanned
 * @param remediate - whether `--remediate` was given; one plain ARN is refused for several regions only then
 * @returns the role ARN of each scanned region that has one
 * @throws AuditOptionError when one plain ARN would serve several regions, a region=ARN pair names a
 *   region not scanned, or a `{region}` template makes a role name longer than IAM allows
 */
export function automationRolesByRegion(
  option: AutomationRoleOption | undefined,
  regions: readonly string[],
  remediate: boolean,
): ReadonlyMap<string, string> {
  if (option === undefined) return new Map();
  switch (option.kind) {
    case 'one':
      if (regions.length > 1 && remediate) {
        throw oneRoleForManyRegionsError(option.arn, `${regions.length} regions (${regions.join(', ')})`);
      }
      return new Map(regions.map((r) => [r, option.arn]));
    case 'template':
      return new Map(
        regions.map((r) => [
          r,
          checkedRoleArn(option.template.replaceAll(REGION_PLACEHOLDER, r), option.template),
        ]),
      );
    case 'by-region': {
      const unscanned = [...option.arns.keys()].filter((r) => !regions.includes(r));
      if (unscanned.length > 0) {
        throw new AuditOptionError(
          ROLE_OPTION,
          `a role is given for ${unscanned.join(', ')}, which ${unscanned.length > 1 ? 'are' : 'is'} not scanned ` +
            `(scanning ${regions.join(', ')}); drop ${unscanned.length > 1 ? 'those pairs' : 'that pair'} or scan ${unscanned.length > 1 ? 'those regions' : 'that region'}`,
        );
      }
      return option.arns;
    }
  }
}
