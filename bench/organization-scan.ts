/**
 * The benchmark's organization scan: `client-vpn-logging audit --organization` over a loopback
 * organization of many accounts × regions at a fixed per-call latency, in this process, counting
 * the calls against the minimum and the wall time against the critical path the concurrency allows.
 */
import { Writable } from 'node:stream';
import { Readable } from 'node:stream';

import { runClientVpnLogging } from '../cli/client-vpn-logging';
import { startLoopbackServer } from '../sandbox/aws-loopback-server';
import { useLoopbackEnvironment } from '../sandbox/loopback-environment';
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
  /** The command's exit status. */
  readonly exitCode: number;
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
  /** CPU time of this process (command and loopback server together), ms. */
  readonly cpuMs: number;
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

/**
 * Runs the organization scan once.
 *
 * @param shape - the organization and the scan's settings
 * @returns the measured figures
 */
export async function benchmarkOrganizationScan(
  shape: OrganizationScanShape,
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
  const restore = useLoopbackEnvironment(server.url, shape.regions[0] as string);
  const chunks: string[] = [];
  try {
    const sink = (keep: boolean) =>
      new Writable({
        write(chunk: Buffer | string, _encoding, callback) {
          if (keep) chunks.push(String(chunk));
          callback();
        },
      });
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const exitCode = await runClientVpnLogging(
      [
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
      ],
      {
        stdout: sink(true),
        stderr: sink(false),
        stdin: Object.assign(Readable.from([]), { isTTY: false }),
        env: process.env,
        exit: () => undefined,
      },
    );
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
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
      findings: (JSON.parse(chunks.join('')) as unknown[]).length,
      exitCode,
      wallMs,
      criticalPathMs: (serialCalls + Math.ceil(spreadCalls / shape.concurrency)) * shape.latencyMs,
      peakInFlight: server.peakInFlight,
      cpuMs: (used.user + used.system) / 1000,
    };
  } finally {
    restore();
    await server.close();
  }
}
