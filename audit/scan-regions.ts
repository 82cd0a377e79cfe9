/**
 * Scans regions for Client VPN endpoints and judges each with the rule's own sweep
 * (`evaluateEndpointsInRegion`), a bounded number of regions at once, each region's failure kept
 * to that region.
 */
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';

import { evaluateEndpointsInRegion } from '../rule/sweep';
import type { ComplianceType, RuleParameters } from '../rule/types';
import type { AuditClientsFactory } from './audit-clients';
import type { RegionSelection } from './options';
import { classifyRegionFailure, type RegionFailure } from './region-failure';

/** One endpoint's verdict, as the audit reports it. */
export interface AuditFinding {
  /** The endpoint's region. */
  readonly region: string;
  /** The endpoint ID. */
  readonly endpointId: string;
  /** The rule's verdict. */
  readonly compliance: ComplianceType;
  /** Why, as the rule would annotate it; null when the rule gives no annotation (COMPLIANT). */
  readonly annotation: string | null;
}

/** What a scan found. */
export interface AuditReport {
  /** The regions scanned, in the order asked. */
  readonly regions: readonly string[];
  /** Every endpoint's verdict, by region in the order asked, then in the order EC2 listed them. */
  readonly findings: readonly AuditFinding[];
  /** The regions that could not be audited, and why. */
  readonly failures: readonly RegionFailure[];
}

/** Neither `--regions` nor the configuration chain names a region. */
export class NoRegionConfiguredError extends Error {
  public override readonly name = 'NoRegionConfiguredError';

  public constructor() {
    super(
      'No region configured: pass --regions us-east-1,... or --all-regions, or set AWS_REGION or a profile region.',
    );
  }
}

/**
 * Turns the region selection into region names; `all` asks EC2 for the account's enabled regions.
 *
 * @param selection - what the options asked for
 * @param clientsFor - builds a region's clients
 * @param configured - the configured region, if any
 * @returns the region names to scan
 * @throws NoRegionConfiguredError when a region is needed and none is configured; the SDK's error
 *   when DescribeRegions fails
 */
export async function resolveRegions(
  selection: RegionSelection,
  clientsFor: AuditClientsFactory,
  configured: string | undefined,
): Promise<string[]> {
  if (selection.kind === 'listed') return [...selection.regions];
  if (configured === undefined) throw new NoRegionConfiguredError();
  if (selection.kind === 'configured') return [configured];
  // Without AllRegions, DescribeRegions lists only the regions enabled for the account.
  const { ec2 } = clientsFor(configured);
  const answer = await ec2.send(new DescribeRegionsCommand({}));
  return (answer.Regions ?? [])
    .map((r) => r.RegionName)
    .filter((name): name is string => name !== undefined)
    .sort();
}

/** Options of {@link scanRegions}. */
export interface ScanOptions {
  /** How many regions are scanned at once. */
  readonly concurrency: number;
  /** Builds a region's clients. */
  readonly clientsFor: AuditClientsFactory;
  /** Called as each region finishes, for progress reporting. */
  readonly onRegionDone?: (region: string, outcome: readonly AuditFinding[] | RegionFailure) => void;
}

/**
 * Audits each region with the rule's sweep, at most `concurrency` at once; a region that fails is
 * recorded as a failure and the others go on.
 *
 * @param regions - the regions to scan
 * @param parameters - the rule parameters to judge by
 * @param options - concurrency, clients and progress
 * @returns the findings and failures, in the order of `regions`
 */
export async function scanRegions(
  regions: readonly string[],
  parameters: RuleParameters,
  options: ScanOptions,
): Promise<AuditReport> {
  const outcomes: (readonly AuditFinding[] | RegionFailure)[] = new Array(regions.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < regions.length) {
      const index = next++;
      const region = regions[index] as string;
      let outcome: readonly AuditFinding[] | RegionFailure;
      try {
        const { ec2, logs, kms } = options.clientsFor(region);
        const verdicts = await evaluateEndpointsInRegion(
          { ec2, logs, kms: () => Promise.resolve(kms) },
          parameters,
        );
        outcome = verdicts.map((v) => ({
          region,
          endpointId: v.endpointId,
          compliance: v.compliance,
          annotation: v.annotation ?? null,
        }));
      } catch (error) {
        outcome = classifyRegionFailure(region, error);
      }
      outcomes[index] = outcome;
      options.onRegionDone?.(region, outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, regions.length) }, worker));
  return {
    regions,
    findings: outcomes.flatMap((o) => ('kind' in o ? [] : o)),
    failures: outcomes.filter((o): o is RegionFailure => 'kind' in o),
  };
}
