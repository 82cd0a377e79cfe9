/**
 * The audit's third phase: scan every planned account×region pair with the rule's sweep, each account
 * reached through its role (an organization scan) or the caller's credentials, with a progress bar, a
 * deadline per account and per pair (`--timeout`), and connection and request timeouts on every call.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

import type { STSClient } from '@aws-sdk/client-sts';

import { createTimedRequestHandler } from '../rule/timed-request-handler';
import { assumeAuditRole, roleArn } from './account-access';
import { createAuditClients, type AccountAccess, type AuditClients } from './audit-clients';
import { errorText, type AuditRunContext } from './audit-run-context';
import { AccountStepError, type ScanScope } from './plan-scan';
import type { ResolvedCaller } from './resolve-caller';
import { scanAccounts, ScanDeadlineError, type AuditReport } from './scan-accounts';
import { startScanProgressBar } from './scan-progress-bar';

// STS answers AccessDenied both when the role does not exist and when it does not trust the caller.
const ROLE_NOT_ASSUMABLE = 'AccessDenied';

/** What the scan needs of the run, beyond the plan. */
export interface ScanResources {
  /** The STS client of the caller, to assume each account's role. */
  readonly sts: STSClient;
  /** One account's clients by region, kept for remediation; the caller destroys them. */
  readonly singleAccountClients: Map<string, AuditClients>;
}

function describeAccountFailure(_accountId: string, error: unknown): string {
  if (error instanceof ScanDeadlineError) return `could not reach the account: ${error.message}`;
  const step = error instanceof AccountStepError ? error.step : 'failed';
  const cause = error instanceof AccountStepError ? error.cause : error;
  const hint =
    cause instanceof Error && cause.name === ROLE_NOT_ASSUMABLE
      ? '; the role must exist in the account and trust the caller (sts:AssumeRole)'
      : '';
  return `${step}: ${errorText(cause)}${hint}`;
}

/** Reaches an organization account through its role; the caller's own account falls back to its credentials. */
function organizationAccess(
  run: AuditRunContext,
  caller: ResolvedCaller,
  sts: STSClient,
  shared: AccountAccess,
) {
  const roleName = run.options.organization?.roleName as string;
  return async (accountId: string, abortSignal: AbortSignal): Promise<AccountAccess> => {
    const arn = roleArn(caller.identity.partition, accountId, roleName);
    try {
      return { ...(await assumeAuditRole(sts, arn, abortSignal)), ...shared };
    } catch (error) {
      if (
        accountId === caller.identity.accountId &&
        error instanceof Error &&
        error.name === ROLE_NOT_ASSUMABLE
      ) {
        run.say(
          `audit: ${accountId} (the caller's account): ${arn} cannot be assumed; scanning with the caller's own credentials.`,
        );
        return { ...caller.access, ...shared };
      }
      throw new AccountStepError(`could not assume ${arn}`, error);
    }
  };
}

/**
 * Scans the planned accounts.
 *
 * @param run - the options and stderr
 * @param caller - the resolved caller
 * @param scope - the accounts and how to find their regions
 * @param resources - the caller's STS client, and where one account's clients are kept
 * @returns the findings and failures
 */
export async function runScan(
  run: AuditRunContext,
  caller: ResolvedCaller,
  scope: ScanScope,
  resources: ScanResources,
): Promise<AuditReport> {
  const { options } = run;
  const organization = options.organization !== undefined;
  // An organization scan builds clients for every account×region pair: they share one handler, so
  // sockets are reused across pairs, at most `concurrency` to a host, as many as the scan can use.
  const sharedHandler = organization
    ? createTimedRequestHandler({
        httpAgent: new HttpAgent({ keepAlive: true, maxSockets: options.concurrency }),
        httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: options.concurrency }),
      })
    : undefined;
  const clientsFor = (_accountId: string, region: string, access: AccountAccess): AuditClients => {
    if (organization) return createAuditClients(region, access);
    let clients = resources.singleAccountClients.get(region);
    if (clients === undefined)
      resources.singleAccountClients.set(region, (clients = createAuditClients(region, access)));
    return clients;
  };
  const bar = startScanProgressBar(run.streams.stderr);
  try {
    return await scanAccounts({
      accounts: scope.accounts,
      accessTo:
        sharedHandler === undefined
          ? () => Promise.resolve(caller.access)
          : organizationAccess(run, caller, resources.sts, { requestHandler: sharedHandler }),
      regionsOf: scope.regionsOf,
      clientsFor,
      releaseClients: organization,
      parameters: options.parameters,
      concurrency: options.concurrency,
      deadlineMs: options.timeoutSeconds * 1000,
      onProgress: (p) => bar.update(p),
      describeAccountFailure,
    });
  } finally {
    bar.stop();
    sharedHandler?.destroy();
  }
}
