/**
 * The benchmark's organization scan: `client-vpn-logging audit --organization`, built as the package
 * ships it (`lib/`), in a fresh process, over a loopback organization of many accounts × regions at a
 * fixed per-call latency, counting
 * the calls against the minimum and the wall time against the critical path the concurrency allows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startLoopbackServer } from '../sandbox/aws-loopback-server';
import { loopbackEnvironment } from '../sandbox/loopback-environment';
import { timeNode } from './child-process-probe';
import {
  accountIdOf,
  endpointIdOf,
  loopbackWorld,
  withOrganization,
  worldRegion,
  type WorldRegion,
} from '../sandbox/loopback-world';

/** The organization scanned. */
export interface OrganizationScanShape {
  /** Accounts, the management account included. */
  readonly accounts: number;
  /** Regions scanned in each account. */
  readonly regions: readonly string[];
  /** Client VPN endpoints in each account×region. */
  readonly endpointsPerRegion: number;
  /** Distinct log groups they log to, in each account×region. */
  readonly logGroupsPerRegion: number;
  /** `--concurrency`. */
  readonly concurrency: number;
  /** Milliseconds per call. */
  readonly latencyMs: number;
}

/** What the scan measured. */
export interface OrganizationScanResult extends OrganizationScanShape {
  /** Per operation, the calls made and the minimum. */
  readonly calls: Record<string, { measured: number; minimum: number }>;
  /** Calls of any other operation. */
  readonly otherCalls: number;
  /** Findings printed. */
  readonly findings: number;
  /** Wall time of the whole command, ms. */
  readonly wallMs: number;
  /**
   * The least wall time the concurrency allows: the calls that must run one after another before
   * any account can be scanned (GetCallerIdentity, every ListAccounts page), then the account×region
   * calls spread over `concurrency` slots, each call one latency.
   */
  readonly criticalPathMs: number;
  /** The most requests the server held at once. */
  readonly peakInFlight: number;
  /** CPU time of the loopback server (this process), ms. */
  readonly serverCpuMs: number;
}

const ROLE = 'ClientVpnAudit';
// ListAccounts answers at most 20 a page (botocore organizations model).
const LIST_ACCOUNTS_PAGE = 20;
// DescribeLogGroups takes at most 50 names a call.
const LOG_GROUPS_PER_CALL = 50;

function regionWorld(account: number, shape: OrganizationScanShape): WorldRegion {
  const groups = Array.from({ length: shape.logGroupsPerRegion }, (_, i) => ({
    name: `/aws/clientvpn/team-${i}`,
    retentionInDays: 365,
  }));
  return worldRegion({
    endpoints: Array.from({ length: shape.endpointsPerRegion }, (_, i) => ({
      endpointId: endpointIdOf(account * 1000 + i),
      status: 'available',
      enabled: i % 4 !== 3,
      logGroup: groups[i % Math.max(1, groups.length)]?.name ?? '/aws/clientvpn/none',
    })),
    logGroups: groups,
  });
}

/** The built CLI, as an installed package runs it (`bin/client-vpn-logging.js` → `lib/`). */
export const BUILT_CLI = join(__dirname, '..', 'lib', 'cli', 'client-vpn-logging.js');

/** Node arguments that run the built CLI with `args`, as the installed bin does. */
function builtCliArguments(args: readonly string[]): string[] {
  // Exit 1 means NON_COMPLIANT findings, which the organization has by design; only 2 (could not judge) fails.
  const program = `require(${JSON.stringify(BUILT_CLI)}).runClientVpnLogging(${JSON.stringify(args)}).then((code) => { const c = code ?? process.exitCode ?? 0; process.exitCode = c === 1 ? 0 : c; })`;
  return ['-e', program];
}

/**
 * Runs the organization scan once, through the built package in a fresh process (what users run),
 * against a loopback organization served from this process.
 *
 * @param shape - the organization and the scan's settings
 * @param scratch - a folder for the findings file
 * @returns the measured figures
 */
export async function benchmarkOrganizationScan(
  shape: OrganizationScanShape,
  scratch: string,
): Promise<OrganizationScanResult> {
  const regionsOf = (account: number) =>
    Object.fromEntries(shape.regions.map((r) => [r, regionWorld(account, shape)]));
  const world = withOrganization(
    loopbackWorld(regionsOf(0)),
    Array.from({ length: shape.accounts - 1 }, (_, i) => ({
      id: accountIdOf(i + 1),
      roles: [ROLE],
      regions: regionsOf(i + 1),
    })),
    [ROLE],
  );
  const server = await startLoopbackServer({ world, latencyMs: shape.latencyMs });
  const findingsFile = join(scratch, `findings-${shape.accounts}.json`);
  try {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: scratch,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...loopbackEnvironment(server.url, shape.regions[0] as string),
    };
    const cpu = process.cpuUsage();
    const args = [
      'audit',
      '--organization',
      '--role-name',
      ROLE,
      '--regions',
      shape.regions.join(','),
      '--concurrency',
      String(shape.concurrency),
      '--output',
      'json',
      '--output-file',
      findingsFile,
    ];
    const wallMs = await timeNode(builtCliArguments(args), env);
    const used = process.cpuUsage(cpu);

    const pairs = shape.accounts * shape.regions.length;
    const lookUpsPerRegion = Math.ceil(shape.logGroupsPerRegion / LOG_GROUPS_PER_CALL);
    const minimum: Record<string, number> = {
      GetCallerIdentity: 1,
      ListAccounts: Math.ceil(shape.accounts / LIST_ACCOUNTS_PAGE),
      AssumeRole: shape.accounts,
      DescribeClientVpnEndpoints: pairs,
      DescribeLogGroups: pairs * lookUpsPerRegion,
    };
    const calls = Object.fromEntries(
      Object.entries(minimum).map(([operation, min]) => [
        operation,
        { measured: server.callsOf(operation, true).length, minimum: min },
      ]),
    );
    const serialCalls = (minimum.GetCallerIdentity as number) + (minimum.ListAccounts as number);
    const spreadCalls = shape.accounts + pairs * (1 + lookUpsPerRegion);
    return {
      ...shape,
      calls,
      otherCalls: server.calls.filter((c) => !(c.operation in minimum)).length,
      findings: (JSON.parse(readFileSync(findingsFile, 'utf8')) as unknown[]).length,
      wallMs,
      criticalPathMs: (serialCalls + Math.ceil(spreadCalls / shape.concurrency)) * shape.latencyMs,
      peakInFlight: server.peakInFlight,
      serverCpuMs: (used.user + used.system) / 1000,
    };
  } finally {
    await server.close();
  }
}
