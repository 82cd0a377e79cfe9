/**
 * The organization audit as users run it: the built package (`npm run build:lib` → `lib/`) in a fresh
 * process per size, its wall time against the critical path (calls × latency ÷ concurrency).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fmt, type BenchContext } from '../bench-context';
import { benchmarkOrganizationScan, type OrganizationScanResult } from '../organization-scan';

// Four regions an account, at the audit's concurrency for a large organization.
const ORGANIZATION_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1'];
const ORGANIZATION_CONCURRENCY = 20;
// The target: wall time within this many times the critical path.
const CRITICAL_PATH_FACTOR = 2;

function buildLibrary(context: BenchContext): void {
  context.log('\nBuilding the package as it ships (npm run build:lib) ...');
  const root = join(__dirname, '..', '..');
  execFileSync(
    process.execPath,
    [require.resolve('tsx/cli'), join(root, 'infra', 'bundling', 'build-library.ts')],
    {
      cwd: root,
      stdio: 'ignore',
    },
  );
}

function report(context: BenchContext, o: OrganizationScanResult): void {
  const ratio = o.wallMs / o.criticalPathMs;
  context.log(
    `\nOrganization audit (built package, fresh process): ${o.accounts} accounts x ${o.regions.length} regions, ${o.endpointsPerRegion} endpoints over ${o.logGroupsPerRegion} log groups each, --concurrency ${o.concurrency}: ${o.findings} findings`,
  );
  context.logCalls(o.calls, o.otherCalls);
  context.log(
    `  wall ${fmt(o.wallMs)} ms vs critical path ${o.criticalPathMs} ms (${fmt(ratio, 2)}x); peak ${o.peakInFlight} requests in flight; loopback server CPU ${fmt(o.serverCpuMs)} ms`,
  );
  context.callsTarget(
    `organization audit of ${o.accounts}x${o.regions.length}: calls equal the minimum`,
    o.calls,
    o.otherCalls === 0,
  );
  context.targets.push({
    name: `organization audit of ${o.accounts} accounts within ${CRITICAL_PATH_FACTOR}x the critical path`,
    measured: `${fmt(ratio, 2)}x (${fmt(o.wallMs)} ms vs ${o.criticalPathMs} ms)`,
    limit: `${CRITICAL_PATH_FACTOR}.00x`,
    pass: ratio <= CRITICAL_PATH_FACTOR && o.peakInFlight <= o.concurrency,
    note: `peak ${o.peakInFlight} requests in flight (at most --concurrency ${o.concurrency}); wall includes Node start-up and loading the package`,
  });
}

/** Measures the organization audit at each `--accounts` size and prints it; returns the figures. */
export async function measureOrganizationAudit(context: BenchContext): Promise<OrganizationScanResult[]> {
  buildLibrary(context);
  const results: OrganizationScanResult[] = [];
  for (const accounts of context.options.accounts) {
    const result = await benchmarkOrganizationScan(
      {
        accounts,
        regions: ORGANIZATION_REGIONS,
        endpointsPerRegion: 4,
        logGroupsPerRegion: 2,
        concurrency: ORGANIZATION_CONCURRENCY,
        latencyMs: context.options.latencyMs,
      },
      context.scratch,
    );
    report(context, result);
    results.push(result);
  }
  return results;
}
