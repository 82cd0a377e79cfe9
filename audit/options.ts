/**
 * The audit command's options: parsed from argv into a checked object, each bad option named in
 * its error, and the rule's parameters validated by the rule's own parser so the audit judges
 * exactly as the deployed rule would.
 */
import { InvalidRuleParameterError } from '../rule/errors';
import { parseRuleParameters } from '../rule/parameters';
import type { RuleParameters } from '../rule/types';

/** The runbook the remediation stack deploys; `--document-name` overrides it. */
export const DEFAULT_DOCUMENT_NAME = 'EnableClientVpnConnectionLogging';

/** How many regions are scanned at once unless `--concurrency` says otherwise. */
export const DEFAULT_CONCURRENCY = 4;

/** Which regions to scan. */
export type RegionSelection =
  | { readonly kind: 'configured' }
  | { readonly kind: 'all' }
  | { readonly kind: 'listed'; readonly regions: readonly string[] };

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
  /** `--automation-assume-role`: the role ARN passed to the runbook as `AutomationAssumeRole`, when given. */
  readonly automationAssumeRole?: string;
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

Output:
  --output table|json         a table (default) or one JSON array on stdout

Remediation:
  --remediate                 start the runbook for each NON_COMPLIANT endpoint, after confirming
  --yes, -y                   do not ask for confirmation (needed when stdin is not a terminal)
  --document-name NAME        the runbook's SSM document name (default ${DEFAULT_DOCUMENT_NAME})
  --automation-assume-role ARN  pass this role to the runbook as AutomationAssumeRole

Exit status: 0 all compliant, 1 any NON_COMPLIANT, 2 on error (an error wins over 1).
`;

// AWS region names: partition prefix, geography and a number (us-east-1, us-gov-west-1, eu-central-2).
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
// An IAM role ARN in any partition.
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
// SSM document names: 3-128 of [a-zA-Z0-9_.-], or a document ARN.
const DOCUMENT_NAME =
  /^([a-zA-Z0-9_.-]{3,128}|arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:document\/[a-zA-Z0-9_.-]{3,128})$/;

const VALUE_OPTIONS = new Set([
  '--regions',
  '--concurrency',
  '--min-retention-days',
  '--log-group-name-prefix',
  '--output',
  '--document-name',
  '--automation-assume-role',
]);
const FLAG_OPTIONS = new Set([
  '--all-regions',
  '--require-kms-encryption',
  '--no-verify-log-group',
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

  return {
    regions: parseRegionSelection(values.get('--regions'), flags.has('--all-regions')),
    parameters: parseRuleOptions(values, flags),
    output,
    remediate: flags.has('--remediate'),
    yes: flags.has('--yes'),
    documentName:
      parseMatching(
        '--document-name',
        values.get('--document-name'),
        DOCUMENT_NAME,
        'an SSM document name',
      ) ?? DEFAULT_DOCUMENT_NAME,
    ...optional(
      'automationAssumeRole',
      parseMatching(
        '--automation-assume-role',
        values.get('--automation-assume-role'),
        ROLE_ARN,
        'an IAM role ARN',
      ),
    ),
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
