/**
 * The audit command's options, checked: commander (cli/audit-command.ts) reads argv into raw
 * values, and {@link auditOptionsFrom} turns them into this checked object, each bad value named
 * in its error, the rule's parameters validated by the rule's own parser so the audit judges
 * exactly as the deployed rule would.
 */
import { RUNBOOK_NAME } from '../remediation/runbook';
import { InvalidRuleParameterError } from '../rule/errors';
import { parseRuleParameters } from '../rule/parameters';
import {
  flaggedRuleParameterNames,
  RuleParameterOptionError,
  ruleParameterFlag,
  ruleParameterValuesFromOptions,
  type RuleParameterOptionValues,
} from './rule-parameter-options';
import type { ComplianceType, RuleParameters } from '../rule/types';
import {
  ACCOUNT_ID_PATTERN,
  ORGANIZATION_PARENT_ID_PATTERN,
  REGION_NAME_PATTERN,
  ROLE_ARN_PATTERN,
  ROLE_NAME_PATTERN,
  SSM_DOCUMENT_ARN_PATTERN,
  SSM_DOCUMENT_NAME_PATTERN,
} from '../rule/aws-name-patterns';
import { checkRegionName } from './check-region-name';
import { OUTPUT_RENDERERS } from './output-renderers';
import { AuditError } from './audit-error';

/** The runbook the remediation stack deploys; `--document-name` overrides it. */
export const DEFAULT_DOCUMENT_NAME = RUNBOOK_NAME;

/** How many account×region pairs are scanned at once unless `--concurrency` says otherwise. */
export const DEFAULT_CONCURRENCY = 4;

/** The most account×region pairs `--concurrency` lets run at once. */
export const MAX_CONCURRENCY = 50;

/**
 * Seconds reaching one account, and again scanning one of its regions, may take unless `--timeout`
 * says otherwise. A region of hundreds of endpoints with `--verify-delivery` takes well under a minute;
 * five leave room for throttling while a stuck account still ends the run in minutes, not never.
 */
export const DEFAULT_TIMEOUT_SECONDS = 300;

/** The most seconds `--timeout` accepts: an hour. */
export const MAX_TIMEOUT_SECONDS = 3600;

/** An output format: a key of {@link OUTPUT_RENDERERS}. */
export type OutputFormat = keyof typeof OUTPUT_RENDERERS;

/** The output formats of `--output`, the default first. */
export const OUTPUT_FORMATS = Object.keys(OUTPUT_RENDERERS) as readonly OutputFormat[];

/** The verdicts `--status` may keep. */
export const STATUS_VALUES = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'] as const;

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

/** Which accounts an organization scan covers. */
export interface OrganizationSelection {
  /** `--role-name`: the role assumed in each account. */
  readonly roleName: string;
  /** `--accounts`: only these accounts (each must be an active account of the organization). */
  readonly accounts?: readonly string[];
  /** `--exclude-accounts`: never these. */
  readonly excludeAccounts: readonly string[];
  /** `--ou`: only accounts under these OUs or roots, at any depth. */
  readonly organizationalUnits?: readonly string[];
}

/** The audit command's options, checked. */
export interface AuditOptions {
  /** `--regions`, `--region` or `--all-regions`; the configured region when none is given. */
  readonly regions: RegionSelection;
  /** `--exclude-regions`: never scanned, whatever the selection. */
  readonly excludeRegions: readonly string[];
  /** `--profile`: the named profile of the shared config files, as the AWS CLI reads it. */
  readonly profile?: string;
  /** `--organization`: scan the organization's accounts, not only the caller's. */
  readonly organization?: OrganizationSelection;
  /** The rule parameters, from `--min-retention-days` and friends. */
  readonly parameters: RuleParameters;
  /**
   * `--output`.
   * @default 'table'
   */
  readonly output: OutputFormat;
  /** `--output-file`: write the findings there instead of stdout. */
  readonly outputFile?: string;
  /** `--status`: print only findings with these verdicts; all when absent. */
  readonly statuses?: readonly ComplianceType[];
  /**
   * `--no-color` turns colour off; colour is also off when stdout is not a terminal or NO_COLOR is set.
   * @default true
   */
  readonly color: boolean;
  /** `--ignore-failed-regions`: a region denied or not enabled does not make the exit status 2. */
  readonly ignoreFailedRegions: boolean;
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
   * `--concurrency`: how many account×region pairs are scanned at once (1 to {@link MAX_CONCURRENCY}).
   * @default DEFAULT_CONCURRENCY
   */
  readonly concurrency: number;
  /**
   * `--timeout`: seconds reaching one account, and again scanning one of its regions, may take; also
   * the bound of identifying the caller and of listing the organization's accounts.
   * @default DEFAULT_TIMEOUT_SECONDS
   */
  readonly timeoutSeconds: number;
  /** Warnings about the options that do not stop the audit (a region newer than the SDK's list), one a line. */
  readonly warnings: readonly string[];
}

/** An option has a bad value, or options that cannot go together were given. */
export class AuditOptionError extends AuditError {
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

/**
 * The raw values commander reads from argv (cli/audit-command.ts), before they are checked: strings
 * as typed, lists for the repeatable options, booleans for flags.
 */
export interface AuditOptionValues extends RuleParameterOptionValues {
  /** `--regions`. */
  readonly regions?: string;
  /** `--region`. */
  readonly region?: string;
  /** `--all-regions`. */
  readonly allRegions?: boolean;
  /** `--exclude-regions`, repeatable, each comma-separated. */
  readonly excludeRegions?: readonly string[];
  /** `--profile`. */
  readonly profile?: string;
  /** `--organization`. */
  readonly organization?: boolean;
  /** `--role-name`. */
  readonly roleName?: string;
  /** `--accounts`, repeatable, each comma-separated. */
  readonly accounts?: readonly string[];
  /** `--exclude-accounts`, repeatable, each comma-separated. */
  readonly excludeAccounts?: readonly string[];
  /** `--ou`, repeatable, each comma-separated. */
  readonly ou?: readonly string[];
  /** `--concurrency`. */
  readonly concurrency?: string;
  /** `--timeout`, in seconds. */
  readonly timeout?: string;
  /** `--output`. */
  readonly output?: string;
  /** `--output-file`. */
  readonly outputFile?: string;
  /** `--status`, repeatable, each comma-separated. */
  readonly status?: readonly string[];
  /** `--no-color` sets this false. */
  readonly color?: boolean;
  /** `--ignore-failed-regions`. */
  readonly ignoreFailedRegions?: boolean;
  /** `--remediate`. */
  readonly remediate?: boolean;
  /** `--yes`. */
  readonly yes?: boolean;
  /** `--document-name`. */
  readonly documentName?: string;
  /** `--automation-assume-role`, repeatable. */
  readonly automationAssumeRole?: readonly string[];
}

// Region names, role names (no path here: the role is addressed as role/NAME), role ARNs, account IDs,
// OU and root IDs and document names are the AWS name patterns of rule/aws-name-patterns.ts, shared
// with the CDK context reader, so that both accept the same regions (us-east-1, us-gov-west-1,
// eusc-de-east-1; the decision on the region number is written there).
// The placeholder a role ARN template holds in its role name.
const REGION_PLACEHOLDER = '{region}';
// Splits `r1=ARN1,r2=ARN2` at the commas that start a pair (a region name then `=`): role names may
// themselves hold commas.
const PAIR_SEPARATOR = new RegExp(`,(?=${REGION_NAME_PATTERN.source.slice(1, -1)}=)`);
const ROLE_OPTION = '--automation-assume-role';
const ROLE_FORMS =
  'an IAM role ARN (arn:aws:iam::123456789012:role/NAME), one with {region} in its role name, or region=ARN pairs separated by commas';
// An SSM document name or a document ARN.
const DOCUMENT_NAME = new RegExp(`${SSM_DOCUMENT_NAME_PATTERN.source}|${SSM_DOCUMENT_ARN_PATTERN.source}`);
// AWS CLI profile names: anything printable without brackets or spaces is accepted by the ini format.
const PROFILE_NAME = /^[^\s[\]]{1,128}$/;
/**
 * Checks the values commander read and builds the audit's options.
 *
 * @param values - the raw option values
 * @returns the checked options
 * @throws AuditOptionError naming the option whose value is bad, or the options that cannot go together
 */
export function auditOptionsFrom(values: AuditOptionValues): AuditOptions {
  const output = values.output ?? 'table';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(output)) {
    throw new AuditOptionError(
      '--output',
      `expected one of ${OUTPUT_FORMATS.join(', ')}, got ${JSON.stringify(output)}`,
    );
  }
  const warnings: string[] = [];
  const regions = parseRegionSelection(values, warnings);
  const excludeRegions =
    values.excludeRegions === undefined
      ? []
      : regionList('--exclude-regions', values.excludeRegions, warnings);
  const remediate = values.remediate === true;
  const automationAssumeRole = parseAutomationRoleOption(values.automationAssumeRole ?? []);
  const organization = parseOrganization(values);
  if (organization !== undefined && remediate) {
    throw new AuditOptionError(
      '--remediate',
      'cannot be combined with --organization: each account runs its own runbook as its own role; remediate one account at a time (--profile or credentials of that account)',
    );
  }
  // Refuse what the regions already tell, before any AWS call; --all-regions is checked again once listed.
  if (regions.kind === 'listed') {
    automationRolesByRegion(
      automationAssumeRole,
      regions.regions.filter((r) => !excludeRegions.includes(r)),
      remediate,
    );
  }
  if (regions.kind === 'all' && automationAssumeRole?.kind === 'one' && remediate) {
    throw oneRoleForManyRegionsError(automationAssumeRole.arn, 'every enabled region (--all-regions)');
  }
  if (values.profile !== undefined && !PROFILE_NAME.test(values.profile)) {
    throw new AuditOptionError('--profile', `expected a profile name, got ${JSON.stringify(values.profile)}`);
  }
  if (values.outputFile !== undefined && values.outputFile === '') {
    throw new AuditOptionError('--output-file', 'needs a file path');
  }
  const statuses = values.status === undefined ? undefined : parseStatuses(values.status);

  return {
    regions,
    excludeRegions,
    ...optional('profile', values.profile),
    ...optional('organization', organization),
    parameters: parseRuleOptions(values),
    output: output as OutputFormat,
    ...optional('outputFile', values.outputFile),
    ...optional('statuses', statuses),
    color: values.color !== false,
    ignoreFailedRegions: values.ignoreFailedRegions === true,
    remediate,
    yes: values.yes === true,
    documentName:
      parseMatching('--document-name', values.documentName, DOCUMENT_NAME, 'an SSM document name') ??
      DEFAULT_DOCUMENT_NAME,
    ...optional('automationAssumeRole', automationAssumeRole),
    concurrency: parseConcurrency(values.concurrency),
    timeoutSeconds: parseTimeout(values.timeout),
    warnings,
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Splits comma-separated values, possibly from a repeated option, into distinct trimmed items. */
function commaList(option: string, values: readonly string[], what: string): string[] {
  const items = values.flatMap((v) => v.split(',').map((item) => item.trim()));
  if (items.length === 0 || items.includes('')) {
    throw new AuditOptionError(
      option,
      `expected a comma-separated list of ${what}, got ${JSON.stringify(values.join(','))}`,
    );
  }
  return [...new Set(items)];
}

/**
 * The regions of a region option, each well formed and not a typo of a known region; a region newer
 * than the SDK's partition data is accepted, with a warning added to `warnings`.
 */
function regionList(option: string, values: readonly string[], warnings: string[]): string[] {
  const regions = commaList(option, values, 'regions');
  for (const region of regions) {
    if (!REGION_NAME_PATTERN.test(region))
      throw new AuditOptionError(option, `${JSON.stringify(region)} is not a region name such as us-east-1`);
    const verdict = checkRegionName(region);
    if (verdict.kind === 'typo')
      throw new AuditOptionError(
        option,
        `${JSON.stringify(region)} is not a known region (did you mean ${verdict.suggestion}?)`,
      );
    if (verdict.kind === 'unlisted')
      warnings.push(
        `audit: warning: ${option}: ${region} is not in the installed SDK's list of regions; scanning it as a region newer than that list.`,
      );
  }
  return regions;
}

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_TIMEOUT_SECONDS) {
    throw new AuditOptionError(
      '--timeout',
      `expected a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

function parseRegionSelection(values: AuditOptionValues, warnings: string[]): RegionSelection {
  const given = [
    values.regions !== undefined && '--regions',
    values.region !== undefined && '--region',
    values.allRegions === true && '--all-regions',
  ].filter((name): name is string => name !== false);
  if (given.length > 1) throw new AuditOptionError(given[1] as string, `cannot be combined with ${given[0]}`);
  if (values.allRegions === true) return { kind: 'all' };
  if (values.region !== undefined) {
    const [region, ...more] = regionList('--region', [values.region], warnings);
    if (more.length > 0)
      throw new AuditOptionError('--region', 'names one region; use --regions for several');
    return { kind: 'listed', regions: [region as string] };
  }
  if (values.regions === undefined) return { kind: 'configured' };
  return { kind: 'listed', regions: regionList('--regions', [values.regions], warnings) };
}

function parseOrganization(values: AuditOptionValues): OrganizationSelection | undefined {
  const organizationOnly = (
    [
      ['--role-name', values.roleName],
      ['--accounts', values.accounts],
      ['--exclude-accounts', values.excludeAccounts],
      ['--ou', values.ou],
    ] as const
  ).find(([, value]) => value !== undefined);
  if (values.organization !== true) {
    if (organizationOnly !== undefined)
      throw new AuditOptionError(organizationOnly[0], 'needs --organization');
    return undefined;
  }
  if (values.roleName === undefined) {
    throw new AuditOptionError(
      '--organization',
      'needs --role-name NAME, the role to assume in each account (for example the one a StackSet deploys)',
    );
  }
  if (!ROLE_NAME_PATTERN.test(values.roleName)) {
    throw new AuditOptionError(
      '--role-name',
      `expected an IAM role name (at most 64 of letters, digits and +=,.@_-), got ${JSON.stringify(values.roleName)}`,
    );
  }
  const accountList = (option: string, list: readonly string[] | undefined): string[] | undefined => {
    if (list === undefined) return undefined;
    const ids = commaList(option, list, 'account IDs');
    const bad = ids.find((id) => !ACCOUNT_ID_PATTERN.test(id));
    if (bad !== undefined)
      throw new AuditOptionError(option, `${JSON.stringify(bad)} is not a 12-digit account ID`);
    return ids;
  };
  const accounts = accountList('--accounts', values.accounts);
  const excludeAccounts = accountList('--exclude-accounts', values.excludeAccounts) ?? [];
  let organizationalUnits: string[] | undefined;
  if (values.ou !== undefined) {
    organizationalUnits = commaList('--ou', values.ou, 'OU or root IDs');
    const bad = organizationalUnits.find((id) => !ORGANIZATION_PARENT_ID_PATTERN.test(id));
    if (bad !== undefined) {
      throw new AuditOptionError('--ou', `${JSON.stringify(bad)} is not an OU ID (ou-…) or root ID (r-…)`);
    }
  }
  return {
    roleName: values.roleName,
    ...optional('accounts', accounts),
    excludeAccounts,
    ...optional('organizationalUnits', organizationalUnits),
  };
}

function parseStatuses(values: readonly string[]): ComplianceType[] {
  const statuses = commaList('--status', values, 'verdicts');
  const bad = statuses.find((s) => !(STATUS_VALUES as readonly string[]).includes(s));
  if (bad !== undefined) {
    throw new AuditOptionError(
      '--status',
      `expected one of ${STATUS_VALUES.join(', ')}, got ${JSON.stringify(bad)}`,
    );
  }
  return statuses as ComplianceType[];
}

// The rule parameters' flags, as their declarations give them; the rule's own parser checks the values.
function parseRuleOptions(values: AuditOptionValues): RuleParameters {
  // A grace period with no delivery check would be silently ignored.
  if (values.deliveryGraceMinutes !== undefined && values.verifyDelivery !== true)
    throw new AuditOptionError('--delivery-grace-minutes', 'needs --verify-delivery');
  try {
    return parseRuleParameters(ruleParameterValuesFromOptions(values, flaggedRuleParameterNames()));
  } catch (error) {
    if (error instanceof RuleParameterOptionError)
      throw new AuditOptionError(error.flag, 'needs a non-empty value');
    if (error instanceof InvalidRuleParameterError) {
      // The rule's message names its parameter; say which option set it.
      const problem = error.message.replace(/^Invalid rule parameter "[^"]+": /, '');
      throw new AuditOptionError(ruleParameterFlag(error.parameter), problem);
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
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_CONCURRENCY) {
    throw new AuditOptionError(
      '--concurrency',
      `expected a whole number from 1 to ${MAX_CONCURRENCY}, got ${JSON.stringify(value)}`,
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
    if (!REGION_NAME_PATTERN.test(region)) {
      throw new AuditOptionError(ROLE_OPTION, `expected ${ROLE_FORMS}, got ${JSON.stringify(pair)}`);
    }
    if (arns.has(region)) throw new AuditOptionError(ROLE_OPTION, `region ${region} is given more than once`);
    arns.set(region, checkedRoleArn(pair.slice(eq + 1), pair));
  }
  return { kind: 'by-region', arns };
}

function checkedRoleArn(arn: string, asTyped = arn): string {
  if (!ROLE_ARN_PATTERN.test(arn)) {
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
