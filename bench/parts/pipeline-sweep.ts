/**
 * A sweep with the key and delivery checks on: every group encrypted, half the keys unusable, every
 * endpoint with a connection past its grace. The minimum calls come from the world, not from the code.
 */
import { startLoopbackServer } from '../../sandbox/aws-loopback-server';
import { RULE_NAME, scheduledEvent } from '../../sandbox/config-rule-events';
import { LOOPBACK_ACCOUNT_ID, sweepWorld, type LoopbackWorld } from '../../sandbox/loopback-world';
import {
  BENCH_REGION,
  fmt,
  lambdaHeapFlags,
  LAMBDA_MEMORY_MB,
  MB,
  type BenchContext,
} from '../bench-context';
import { runProbe } from '../child-process-probe';
import { SWEEP_LOG_GROUPS } from './sweeps';

/** Distinct KMS keys, one per group in turn, half of them unusable. */
const PIPELINE_KEYS = [
  { keyId: '1a1a1a1a-0000-4000-8000-000000000001', keyState: 'Enabled' },
  { keyId: '1a1a1a1a-0000-4000-8000-000000000002', keyState: 'Enabled' },
  { keyId: '1a1a1a1a-0000-4000-8000-000000000003', keyState: 'Disabled' },
  { keyId: '1a1a1a1a-0000-4000-8000-000000000004', keyState: 'PendingDeletion' },
];

/** `ConnectionEstablishedTime` as EC2 writes it, `minutes` before now. */
function establishedAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

function connectionsOf(i: number) {
  const connection = (n: number, minutes: number) => ({
    connectionId: `cvpn-connection-${n.toString(16).padStart(17, '0')}`,
    establishedTime: establishedAgo(minutes),
  });
  return [connection(2 * i, 120), ...(i % 2 === 0 ? [connection(2 * i + 1, 5)] : [])];
}

/**
 * Every group encrypted with one of {@link PIPELINE_KEYS}, every stream written an hour and a half ago;
 * every endpoint with logging on has one connection older than the grace (two hours), every other one
 * also a fresh one, and every third endpoint names no stream (so its group's streams are read).
 */
function pipelineWorld(size: number): LoopbackWorld {
  const world = sweepWorld(BENCH_REGION, size, SWEEP_LOG_GROUPS, RULE_NAME);
  const region = world.regions[BENCH_REGION]!;
  const written = Date.now() - 90 * 60_000;
  region.keys = PIPELINE_KEYS.map((k) => ({ ...k }));
  region.logGroups = region.logGroups.map((group, i) => ({
    ...group,
    kmsKeyId: `arn:aws:kms:${BENCH_REGION}:${LOOPBACK_ACCOUNT_ID}:key/${PIPELINE_KEYS[i % PIPELINE_KEYS.length]!.keyId}`,
    streams: region.endpoints
      .filter((e) => e.logGroup === group.name && e.logStream !== undefined)
      .map((e) => ({ name: e.logStream!, lastEventTimestamp: written, lastIngestionTime: written })),
  }));
  region.endpoints = region.endpoints.map((e, i) => {
    if (!e.enabled) return e;
    const { logStream, ...rest } = e;
    return { ...(i % 3 === 0 ? rest : { ...rest, logStream }), connections: connectionsOf(i) };
  });
  return world;
}

/**
 * The least calls, from the world: one DescribeKey per distinct key; connection listings only for
 * endpoints that pass everything else (logging on, group found, key Enabled); one stream look-up per
 * distinct group or named stream among those.
 */
function minimumCalls(world: LoopbackWorld, size: number): Record<string, number> {
  const region = world.regions[BENCH_REGION]!;
  const usableKey = new Set(PIPELINE_KEYS.filter((k) => k.keyState === 'Enabled').map((k) => k.keyId));
  const groups = new Map(region.logGroups.map((g) => [g.name, g]));
  const passing = region.endpoints.filter((e) => {
    const group = e.enabled && e.logGroup !== undefined ? groups.get(e.logGroup) : undefined;
    return group !== undefined && usableKey.has(String(group.kmsKeyId).replace(/^.*key\//, ''));
  });
  return {
    DescribeClientVpnEndpoints: Math.ceil(size / 1000),
    DescribeLogGroups: Math.ceil(SWEEP_LOG_GROUPS / 50),
    DescribeKey: new Set(region.logGroups.map((g) => g.kmsKeyId)).size,
    DescribeClientVpnConnections: passing.length,
    DescribeLogStreams: new Set(passing.map((e) => `${e.logGroup}\u0000${e.logStream ?? ''}`)).size,
    GetComplianceDetailsByConfigRule: 1,
    PutEvaluations: Math.ceil(size / 100),
  };
}

/** Measures the sweep with key and delivery checks and prints it; returns the figures for results.json. */
export async function measurePipelineSweep(context: BenchContext) {
  const size = context.options.sizes[0] ?? 1000;
  const world = pipelineWorld(size);
  const bundle = await context.bundle();
  const server = await startLoopbackServer({ world, latencyMs: context.options.latencyMs });
  try {
    const env = context.lambdaEnvironment(server.url, lambdaHeapFlags(LAMBDA_MEMORY_MB));
    const event = scheduledEvent(BENCH_REGION, { verifyDelivery: 'true' });
    const probed = await runProbe(context.probe(), bundle.file, [event], context.scratch, env);
    const minimum = minimumCalls(world, size);
    const calls = Object.fromEntries(
      Object.entries(minimum).map(([op, min]) => [
        op,
        { measured: server.callsOf(op, true).length, minimum: min },
      ]),
    );
    const verdicts: Record<string, number> = {};
    for (const e of world.receivedEvaluations)
      verdicts[e.complianceType] = (verdicts[e.complianceType] ?? 0) + 1;
    const figures = {
      endpoints: size,
      logGroups: SWEEP_LOG_GROUPS,
      keys: PIPELINE_KEYS.length,
      calls,
      otherCalls: server.calls.filter((c) => !(c.operation in minimum)).length,
      verdicts,
      wallMs: probed.invocationsMs[0] as number,
      maxRssMB: probed.maxRssBytes / MB,
    };
    context.log(
      `\nSweep of ${size} endpoints with verifyKmsKeyState and verifyDelivery on (${SWEEP_LOG_GROUPS} groups, ${PIPELINE_KEYS.length} keys): ${Object.entries(
        verdicts,
      )
        .map(([verdict, n]) => `${n} ${verdict}`)
        .join(', ')}`,
    );
    context.logCalls(calls, figures.otherCalls);
    context.log(`  wall ${fmt(figures.wallMs)} ms; peak RSS ${fmt(figures.maxRssMB)} MB`);
    context.callsTarget(
      `sweep of ${size} with key and delivery checks: calls equal the minimum`,
      calls,
      figures.otherCalls === 0,
      'minimum: one DescribeKey per distinct key; connection listings only for endpoints passing every other check (key Enabled); one DescribeLogStreams per distinct group or named stream among them',
    );
    return figures;
  } finally {
    await server.close();
  }
}
