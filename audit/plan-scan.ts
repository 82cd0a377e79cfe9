/**
 * The audit's second phase: which accounts to scan (the caller's, or the organization's selection),
 * how to find each account's regions, and for one account, its regions and each region's automation
 * role, checked before any scan. Any failure stops the run with a message that says what to do.
 */
import { OrganizationsClient } from '@aws-sdk/client-organizations';

import { clientConfig, createAuditClients, type AccountAccess } from './audit-clients';
import { AuditStopError, errorText, type AuditRunContext } from './audit-run-context';
import { AuditOptionError, automationRolesByRegion } from './options';
import { AccountNotInOrganizationError, listOrganizationAccounts } from './organization-accounts';
import { classifyRegionFailure } from './region-failure';
import type { ResolvedCaller } from './resolve-caller';
import { enabledRegions, withinDeadline } from './scan-accounts';
import { AuditError } from './audit-error';

// Errors that say the caller may not list the organization, or there is none.
const NOT_AN_ORGANIZATION_ADMINISTRATOR = new Set([
  'AccessDeniedException',
  'AWSOrganizationsNotInUseException',
]);

/** A step of reaching an account failed: what the audit was doing, and the error. */
export class AccountStepError extends AuditError {
  public override readonly name = 'AccountStepError';

  /**
   * @param step - what the audit was doing, e.g. `could not assume arn:…`
   * @param cause - the error
   */
  public constructor(
    public readonly step: string,
    public override readonly cause: unknown,
  ) {
    super(step);
  }
}

/** What the scan covers. */
export interface ScanScope {
  /** The accounts, in the order to report them. */
  readonly accounts: readonly string[];
  /** The regions to scan in an account once reached. */
  readonly regionsOf: (accountId: string, access: AccountAccess) => Promise<readonly string[]>;
  /** One account's scan: the runbook's role in each region (empty for an organization scan). */
  readonly automationAssumeRoles: ReadonlyMap<string, string>;
}

async function organizationAccounts(run: AuditRunContext, caller: ResolvedCaller): Promise<string[]> {
  const organization = run.options.organization;
  if (organization === undefined) return [caller.identity.accountId];
  let organizations: OrganizationsClient | undefined;
  let accounts: string[];
  try {
    // --timeout bounds the listing too: past it every call of the client is aborted.
    accounts = await withinDeadline(run.options.timeoutSeconds * 1000, async (abortSignal) => {
      organizations = new OrganizationsClient(clientConfig(caller.home, { ...caller.access, abortSignal }));
      return (await listOrganizationAccounts(organizations, organization)).map((a) => a.id);
    });
  } catch (error) {
    if (error instanceof AccountNotInOrganizationError) throw new AuditStopError(error.message);
    const name = error instanceof Error ? error.name : '';
    throw new AuditStopError(
      NOT_AN_ORGANIZATION_ADMINISTRATOR.has(name)
        ? `could not list the organization's accounts (${errorText(error)}). --organization runs from the management account or a delegated administrator account.`
        : `could not list the organization's accounts: ${errorText(error)}`,
    );
  } finally {
    organizations?.destroy();
  }
  if (accounts.length === 0) throw new AuditStopError('the selection leaves no ACTIVE account to scan.');
  return accounts;
}

/** The regions of one account: the options' list or the home region, or those enabled (`--all-regions`). */
function regionsIn(run: AuditRunContext, home: string) {
  const { regions, excludeRegions } = run.options;
  const kept = (names: readonly string[]): string[] => names.filter((r) => !excludeRegions.includes(r));
  return async (access: AccountAccess): Promise<readonly string[]> => {
    if (regions.kind !== 'all') return kept(regions.kind === 'listed' ? regions.regions : [home]);
    const clients = createAuditClients(home, access);
    try {
      return kept(await enabledRegions(clients));
    } catch (error) {
      throw new AccountStepError(`could not list the account's regions from ${home}`, error);
    } finally {
      clients.destroy();
    }
  };
}

/** One account: its regions are known before scanning, so a role for a region not scanned is refused first. */
async function singleAccountScope(
  run: AuditRunContext,
  caller: ResolvedCaller,
  regionsOf: (access: AccountAccess) => Promise<readonly string[]>,
): Promise<ScanScope> {
  let regions: readonly string[];
  try {
    regions = await withinDeadline(run.options.timeoutSeconds * 1000, (abortSignal) =>
      regionsOf({ ...caller.access, abortSignal }),
    );
  } catch (error) {
    const failure = classifyRegionFailure(
      caller.home,
      error instanceof AccountStepError ? error.cause : error,
    );
    throw new AuditStopError(
      failure.kind === 'no-credentials'
        ? failure.message
        : `could not list the account's regions from ${caller.home}: ${failure.message}`,
    );
  }
  let automationAssumeRoles: ReadonlyMap<string, string>;
  try {
    const { automationAssumeRole, remediate } = run.options;
    automationAssumeRoles = automationRolesByRegion(automationAssumeRole, regions, remediate);
  } catch (error) {
    if (!(error instanceof AuditOptionError)) throw error;
    throw new AuditStopError(`${error.message}\nRun "client-vpn-logging audit --help" for the options.`);
  }
  return {
    accounts: [caller.identity.accountId],
    regionsOf: () => Promise.resolve(regions),
    automationAssumeRoles,
  };
}

/**
 * Plans the scan.
 *
 * @param run - the options and stderr
 * @param caller - the resolved caller
 * @returns the accounts, how to find their regions, and the automation roles
 * @throws AuditStopError when the accounts or the one account's regions cannot be listed
 */
export async function planScan(run: AuditRunContext, caller: ResolvedCaller): Promise<ScanScope> {
  const regionsOf = regionsIn(run, caller.home);
  if (run.options.organization === undefined) return singleAccountScope(run, caller, regionsOf);
  return {
    accounts: await organizationAccounts(run, caller),
    regionsOf: (_accountId, access) => regionsOf(access),
    automationAssumeRoles: new Map(),
  };
}
