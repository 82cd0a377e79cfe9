/**
 * Scheduled sweeps of many endpoints, in a fresh process under a 128 MB Lambda's heap flags: calls
 * against the minimum, wall and CPU time, peak memory.
 */
import { startLoopbackServer } from '../../sandbox/aws-loopback-server';
import { RULE_NAME, scheduledEvent } from '../../sandbox/config-rule-events';
import { endpointIdOf, sweepWorld } from '../../sandbox/loopback-world';
import {
  BENCH_REGION,
  fmt,
  lambdaHeapFlags,
  LAMBDA_MEMORY_MB,
  MB,
  type BenchContext,
} from '../bench-context';
import { runProbe } from '../child-process-probe';

/** The distinct log groups the swept endpoints log to. */
export const SWEEP_LOG_GROUPS = 20;

/** A sweep world in which every endpoint was judged by the last sweep, and 1% more have been deleted since. */
function judgedSweepWorld(size: number) {
  const world = sweepWorld(BENCH_REGION, size, SWEEP_LOG_GROUPS, RULE_NAME);
  const region = world.regions[BENCH_REGION];
  const vanished = Math.ceil(size / 100);
  const judgedAt = new Date('2026-11-25T12:00:00Z');
  const judged = (resourceId: string, complianceType: 'COMPLIANT' | 'NON_COMPLIANT') =>
    region?.configResults.set(resourceId, {
      resourceId,
      resourceType: 'AWS::EC2::ClientVpnEndpoint',
      complianceType,
      orderingTimestamp: judgedAt,
    });
  for (const e of region?.endpoints ?? []) judged(e.endpointId, e.enabled ? 'COMPLIANT' : 'NON_COMPLIANT');
  for (let i = 0; i < vanished; i++) judged(endpointIdOf(0xf000000 + i), 'COMPLIANT');
  return { world, vanished };
}

async function runSweep(context: BenchContext, size: number) {
  const { world, vanished } = judgedSweepWorld(size);
  const bundle = await context.bundle();
  const server = await startLoopbackServer({ world, latencyMs: context.options.latencyMs });
  try {
    const env = context.lambdaEnvironment(server.url, lambdaHeapFlags(LAMBDA_MEMORY_MB));
    // The bench process does nothing but serve meanwhile, so its CPU time is the loopback server's.
    const serverCpuStart = process.cpuUsage();
    const probed = await runProbe(
      context.probe(),
      bundle.file,
      [scheduledEvent(BENCH_REGION)],
      context.scratch,
      env,
    );
    const serverCpu = process.cpuUsage(serverCpuStart);
    const minimum: Record<string, number> = {
      DescribeClientVpnEndpoints: Math.ceil(size / 1000),
      DescribeLogGroups: Math.ceil(SWEEP_LOG_GROUPS / 50),
      GetComplianceDetailsByConfigRule: Math.ceil((size + vanished) / 100),
      PutEvaluations: Math.ceil((size + vanished) / 100),
    };
    return {
      endpoints: size,
      logGroups: SWEEP_LOG_GROUPS,
      vanishedEndpoints: vanished,
      evaluationsPut: world.receivedEvaluations.length,
      calls: Object.fromEntries(
        Object.entries(minimum).map(([op, min]) => [
          op,
          { measured: server.callsOf(op, true).length, minimum: min },
        ]),
      ),
      otherCalls: server.calls.filter((c) => !(c.operation in minimum)).length,
      wallMs: probed.invocationsMs[0] as number,
      cpuMs: probed.invocationsCpuMs[0] as number,
      loopbackServerCpuMs: (serverCpu.user + serverCpu.system) / 1000,
      serialIdealMs: Object.values(minimum).reduce((a, b) => a + b, 0) * context.options.latencyMs,
      maxRssMB: probed.maxRssBytes / MB,
      peakHeapMB: probed.peakHeapBytes / MB,
    };
  } finally {
    await server.close();
  }
}

/** Measures a sweep of each `--sizes` and prints them; returns the figures for results.json. */
export async function measureSweeps(context: BenchContext) {
  const sweeps = [];
  for (const size of context.options.sizes) {
    const sweep = await runSweep(context, size);
    sweeps.push(sweep);
    context.log(
      `\nSweep of ${size} endpoints over ${SWEEP_LOG_GROUPS} log groups (+${sweep.vanishedEndpoints} vanished): ${sweep.evaluationsPut} evaluations put`,
    );
    context.logCalls(sweep.calls, sweep.otherCalls);
    context.log(
      `  wall ${fmt(sweep.wallMs)} ms (the minimum calls one after another: ${sweep.serialIdealMs} ms); CPU ${fmt(sweep.cpuMs)} ms (loopback server ${fmt(sweep.loopbackServerCpuMs)} ms); peak RSS ${fmt(sweep.maxRssMB)} MB, peak heap ${fmt(sweep.peakHeapMB)} MB`,
    );
    context.callsTarget(
      `sweep of ${size}: calls equal the minimum`,
      sweep.calls,
      sweep.otherCalls === 0 && sweep.evaluationsPut === size + sweep.vanishedEndpoints,
    );
    if (size >= 10000) {
      context.targets.push({
        name: `sweep of ${size} within a ${LAMBDA_MEMORY_MB} MB Lambda`,
        measured: `${fmt(sweep.maxRssMB)} MB peak RSS under ${lambdaHeapFlags(LAMBDA_MEMORY_MB)}`,
        limit: `${LAMBDA_MEMORY_MB} MB`,
        pass: sweep.maxRssMB <= LAMBDA_MEMORY_MB,
      });
    }
  }
  return sweeps;
}
