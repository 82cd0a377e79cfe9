/**
 * Scans account×region pairs for Client VPN endpoints and judges each with the rule's own sweep
 * (`evaluateEndpointsInRegion`), at most `concurrency` pairs at once across all accounts. Each
 * account is reached once (its role assumed once), then each of its regions is scanned with those
 * credentials; a failure is kept to its account or its region while the others go on. Reaching an
 * account, and each of its regions, has a deadline: past it, that step's calls are aborted and it is
 * reported as failed, so one account that never answers cannot hold the scan.
 */
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';

import { evaluateEndpointsInRegion } from '../rule/sweep';
import { runTaskQueue, type QueuedTask } from '../rule/bounded-concurrency';
import type { RuleParameters } from '../rule/types';
import { auditFindingOf, type AuditFinding } from './audit-finding';
import type { AccountAccess, AuditClients } from './audit-clients';
import { classifyRegionFailure, type RegionFailure } from './region-failure';
import { AuditError } from './audit-error';

/** An account that could not be reached, or whose regions could not be listed. */
export interface AccountFailure {
  /** The account. */
  readonly accountId: string;
  /** A sentence naming the problem and what to do. */
  readonly message: string;
}

/** A region scanned without failure. */
export interface ScannedRegion {
  /** The account. */
  readonly accountId: string;
  /** The region. */
  readonly region: string;
  /** How many Client VPN endpoints it holds. */
  readonly endpoints: number;
}

/** What a scan found. */
export interface AuditReport {
  /** Every endpoint's finding: by account and region in the order planned, then in the order EC2 listed them. */
  readonly findings: readonly AuditFinding[];
  /** The account×region pairs scanned without failure. */
  readonly scanned: readonly ScannedRegion[];
  /** The pairs that failed, and why. */
  readonly failures: readonly RegionFailure[];
  /** The accounts that could not be reached, and why. */
  readonly accountFailures: readonly AccountFailure[];
}

/** Where a scan stands, for a progress bar. */
export interface ScanProgress {
  /** Accounts planned. */
  readonly accounts: number;
  /** Accounts whose every region is done, or that failed. */
  readonly accountsDone: number;
  /** Accounts that could not be reached. */
  readonly accountsFailed: number;
  /** Account×region pairs known so far (grows as accounts are reached). */
  readonly pairs: number;
  /** Pairs done, failed or not. */
  readonly pairsDone: number;
  /** Pairs that failed. */
  readonly pairsFailed: number;
}

/** What to scan, and how. */
export interface ScanPlan {
  /** The accounts, in the order to report them. */
  readonly accounts: readonly string[];
  /** Reaches an account (e.g. assumes its role); called once per account; rejects when it cannot. */
  readonly accessTo: (accountId: string, abortSignal: AbortSignal) => Promise<AccountAccess>;
  /** The regions to scan in an account once reached; rejects when they cannot be listed. */
  readonly regionsOf: (accountId: string, access: AccountAccess) => Promise<readonly string[]>;
  /** Builds the clients of an account and region. */
  readonly clientsFor: (accountId: string, region: string, access: AccountAccess) => AuditClients;
  /** Destroy each pair's clients when it is done (they are not needed for remediation afterwards). */
  readonly releaseClients: boolean;
  /** The rule parameters to judge by. */
  readonly parameters: RuleParameters;
  /** How many account×region pairs are scanned at once; reaching an account takes a slot too. */
  readonly concurrency: number;
  /** Called whenever a pair or account finishes. */
  readonly onProgress?: (progress: ScanProgress) => void;
  /** Turns the error reaching an account failed with into a message. */
  readonly describeAccountFailure: (accountId: string, error: unknown) => string;
  /**
   * Milliseconds reaching one account (its role and regions) may take, and again scanning one of its
   * regions; past it the step fails with {@link ScanDeadlineError} and its calls are aborted.
   */
  readonly deadlineMs: number;
}

/** An account or an account×region pair did not finish within the scan's deadline (`--timeout`). */
export class ScanDeadlineError extends AuditError {
  public override readonly name = 'ScanDeadlineError';

  /** @param deadlineMs - the deadline that passed */
  public constructor(public readonly deadlineMs: number) {
    super(
      `no complete answer within the deadline of ${deadlineMs / 1000} s (--timeout); its calls were abandoned and nothing there was judged`,
    );
  }
}

/**
 * Runs `work` with an abort signal that fires after `deadlineMs`, and settles when the deadline passes
 * even if `work` ignores the signal: one stuck account or region can never hold the scan, nor a stuck
 * caller look-up or organization listing hold the run (`--timeout` bounds every phase that calls AWS).
 *
 * @param deadlineMs - milliseconds `work` may take
 * @param work - the calls, given the signal to abort them with
 * @returns what `work` returns
 * @throws ScanDeadlineError when the deadline passes first
 */
export async function withinDeadline<T>(
  deadlineMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new ScanDeadlineError(deadlineMs);
      controller.abort(error);
      reject(error);
    }, deadlineMs);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Scans every planned account×region pair.
 *
 * @param plan - accounts, access, regions, clients and concurrency
 * @returns the findings and failures
 */
export async function scanAccounts(plan: ScanPlan): Promise<AuditReport> {
  const results = new Map<
    string,
    { regions: readonly string[]; outcomes: (AuditFinding[] | RegionFailure)[] }
  >();
  const accountFailures = new Map<string, AccountFailure>();
  const counts = { accountsDone: 0, accountsFailed: 0, pairs: 0, pairsDone: 0, pairsFailed: 0 };
  const progress = (): void => plan.onProgress?.({ accounts: plan.accounts.length, ...counts });

  const scanPair = async (
    accountId: string,
    region: string,
    access: AccountAccess,
  ): Promise<AuditFinding[] | RegionFailure> => {
    let clients: AuditClients | undefined;
    try {
      return await withinDeadline(plan.deadlineMs, async (abortSignal) => {
        clients = plan.clientsFor(accountId, region, { ...access, abortSignal });
        const verdicts = await evaluateEndpointsInRegion(
          { ec2: clients.ec2, logs: clients.logs, kms: () => Promise.resolve((clients as AuditClients).kms) },
          plan.parameters,
        );
        return verdicts.map((v) => auditFindingOf(accountId, region, v));
      });
    } catch (error) {
      return { ...classifyRegionFailure(region, error), accountId };
    } finally {
      if (plan.releaseClients) clients?.destroy();
    }
  };

  const queue: QueuedTask[] = plan.accounts.map((accountId) => async () => {
    let access: AccountAccess;
    let regions: readonly string[];
    try {
      [access, regions] = await withinDeadline(plan.deadlineMs, async (abortSignal) => {
        const reached = await plan.accessTo(accountId, abortSignal);
        return [reached, await plan.regionsOf(accountId, { ...reached, abortSignal })] as const;
      });
    } catch (error) {
      accountFailures.set(accountId, { accountId, message: plan.describeAccountFailure(accountId, error) });
      counts.accountsDone++;
      counts.accountsFailed++;
      progress();
      return;
    }
    const outcomes: (AuditFinding[] | RegionFailure)[] = new Array(regions.length);
    results.set(accountId, { regions, outcomes });
    counts.pairs += regions.length;
    let left = regions.length;
    if (left === 0) counts.accountsDone++;
    progress();
    queue.unshift(
      ...regions.map((region, index) => async () => {
        const outcome = await scanPair(accountId, region, access);
        outcomes[index] = outcome;
        counts.pairsDone++;
        if ('kind' in outcome) counts.pairsFailed++;
        if (--left === 0) counts.accountsDone++;
        progress();
      }),
    );
  });
  progress();
  await runTaskQueue(plan.concurrency, queue);

  const findings: AuditFinding[] = [];
  const scanned: ScannedRegion[] = [];
  const failures: RegionFailure[] = [];
  for (const accountId of plan.accounts) {
    const result = results.get(accountId);
    if (result === undefined) continue;
    result.outcomes.forEach((outcome, index) => {
      if ('kind' in outcome) {
        failures.push(outcome);
        return;
      }
      findings.push(...outcome);
      scanned.push({ accountId, region: result.regions[index] as string, endpoints: outcome.length });
    });
  }
  return {
    findings,
    scanned,
    failures,
    accountFailures: plan.accounts.flatMap((id) => accountFailures.get(id) ?? []),
  };
}

/**
 * The regions enabled for an account: without `AllRegions`, DescribeRegions lists only those.
 *
 * @param clients - the account's clients in its home region
 * @returns the region names, sorted
 */
export async function enabledRegions(clients: Pick<AuditClients, 'ec2'>): Promise<string[]> {
  const answer = await clients.ec2.send(new DescribeRegionsCommand({}));
  return (answer.Regions ?? [])
    .map((r) => r.RegionName)
    .filter((name): name is string => name !== undefined)
    .sort();
}
