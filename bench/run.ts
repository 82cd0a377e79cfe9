/**
 * `npm run bench`: measures the deployed bundle of the rule and the organization audit against the
 * loopback AWS, prints the figures with PASS/FAIL per target, and writes them to
 * bench/results.local.json (ignored by git); `--update` writes the committed bench/results.json
 * instead. Never a timed test.
 *
 * Options (or environment variables):
 *   --latency-ms N   (BENCH_LATENCY_MS)  per-call latency of the loopback AWS, default 20
 *   --runs N         (BENCH_RUNS)        process pairs per cold-start figure (median), default 15
 *   --sizes a,b      (BENCH_SIZES)       sweep sizes in endpoints, default 1000,10000
 *   --accounts N     (BENCH_ACCOUNTS)    accounts of the organization scan, default 200
 *   --only parts     (BENCH_ONLY)        run only these of cold-start,change-event,sweeps,organization,
 *                                        drift-trigger (sweeps includes the sweep with key and delivery checks)
 *   --update                             write bench/results.json (refused with --only)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

import { startLoopbackServer, type LoopbackServer } from '../test/wire/aws-loopback-server';
import { changeEvent, RULE_NAME, scheduledEvent } from '../test/wire/config-rule-events';
import { loopbackEnvironment } from '../test/wire/loopback-environment';
import {
  endpointIdOf,
  loopbackWorld,
  sweepWorld,
  worldRegion,
  LOOPBACK_ACCOUNT_ID,
  type LoopbackWorld,
  type WorldEndpoint,
} from '../test/wire/loopback-world';
import { LAMBDA_NODE_TARGET } from '../infra/bundling/handler-bundling';
import { keyArn, kmsEvent, logsEvent } from '../test/rule/cloudtrail-events';
import { loadInlineReEvaluationTrigger } from '../test/infra/inline-re-evaluation-trigger';
import { bundleHandler } from './bundle-handler';
import { benchmarkOrganizationScan, type OrganizationScanResult } from './organization-scan';
import { median, runProbe, timeNode, writeProbe } from './child-process-probe';

const REGION = 'us-east-1';
// The drift trigger's pipeline: the group of the fixture event, encrypted with a key; and a key no group uses.
const TRIGGER_GROUP = '/aws/clientvpn/corp-remote-access';
const TRIGGER_KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KEY_ID = '0987dcba-09ba-87dc-65fe-0987654321ba';
const LOG_GROUPS = 20;
const MB = 1024 * 1024;

const PARTS = ['cold-start', 'change-event', 'sweeps', 'organization', 'drift-trigger'] as const;
type Part = (typeof PARTS)[number];

interface BenchOptions {
  readonly latencyMs: number;
  readonly runs: number;
  readonly sizes: readonly number[];
  readonly accounts: number;
  readonly only: readonly Part[];
  readonly update: boolean;
}

// The organization scan: four regions an account, at the audit's concurrency for a large organization.
const ORGANIZATION_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1'];
const ORGANIZATION_CONCURRENCY = 20;

function readOptions(argv: readonly string[]): BenchOptions {
  const value = (flag: string, env: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : process.env[env];
  };
  const whole = (name: string, text: string | undefined, fallback: number, min: number): number => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`${name}: expected a whole number >= ${min}, got ${JSON.stringify(text)}`);
    return n;
  };
  const sizesText = value('--sizes', 'BENCH_SIZES');
  const onlyText = value('--only', 'BENCH_ONLY');
  const only = onlyText === undefined ? [...PARTS] : onlyText.split(',');
  const unknown = only.find((part) => !(PARTS as readonly string[]).includes(part));
  if (unknown !== undefined)
    throw new Error(`--only: expected some of ${PARTS.join(',')}, got ${JSON.stringify(unknown)}`);
  const update = argv.includes('--update');
  if (update && onlyText !== undefined) {
    throw new Error('--update writes the committed figures, which come from a whole run: drop --only');
  }
  return {
    accounts: whole('--accounts', value('--accounts', 'BENCH_ACCOUNTS'), 200, 1),
    only: only as Part[],
    update,
    latencyMs: whole('--latency-ms', value('--latency-ms', 'BENCH_LATENCY_MS'), 20, 0),
    runs: whole('--runs', value('--runs', 'BENCH_RUNS'), 15, 1),
    sizes:
      sizesText === undefined ? [1000, 10000] : sizesText.split(',').map((s) => whole('--sizes', s, 0, 1)),
  };
}

interface Target {
  readonly name: string;
  readonly measured: string;
  readonly limit: string;
  readonly pass: boolean;
  readonly note?: string;
}

const fmt = (n: number, digits = 1): string => n.toFixed(digits);

/** Distinct KMS keys in the pipeline sweep, one per group in turn, in every state but one enabled. */
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

/**
 * The sweep world with the key and delivery checks in play: every group encrypted with one of
 * {@link PIPELINE_KEYS}, every stream written an hour and a half ago; every endpoint with logging on has
 * one connection older than the grace (two hours), every other one also a fresh one, and every third
 * endpoint names no stream (so its group's streams are read, once per group).
 */
function pipelineWorld(size: number): LoopbackWorld {
  const world = sweepWorld(REGION, size, LOG_GROUPS, RULE_NAME);
  const region = world.regions[REGION]!;
  const written = Date.now() - 90 * 60_000;
  region.keys = PIPELINE_KEYS.map((k) => ({ ...k }));
  region.logGroups = region.logGroups.map((group, i) => ({
    ...group,
    kmsKeyId: `arn:aws:kms:${REGION}:${LOOPBACK_ACCOUNT_ID}:key/${PIPELINE_KEYS[i % PIPELINE_KEYS.length]!.keyId}`,
    streams: region.endpoints
      .filter((e) => e.logGroup === group.name && e.logStream !== undefined)
      .map((e) => ({ name: e.logStream!, lastEventTimestamp: written, lastIngestionTime: written })),
  }));
  region.endpoints = region.endpoints.map((e, i) => {
    if (!e.enabled) return e;
    const { logStream, ...rest } = e;
    return {
      ...(i % 3 === 0 ? rest : { ...rest, logStream }),
      connections: [
        {
          connectionId: `cvpn-connection-${(2 * i).toString(16).padStart(17, '0')}`,
          establishedTime: establishedAgo(120),
        },
        ...(i % 2 === 0
          ? [
              {
                connectionId: `cvpn-connection-${(2 * i + 1).toString(16).padStart(17, '0')}`,
                establishedTime: establishedAgo(5),
              },
            ]
          : []),
      ],
    };
  });
  return world;
}

/** The memory of the smallest function the sweep target is set for. */
const LAMBDA_MEMORY_MB = 128;

// The Lambda Node.js runtime's bootstrap sizes V8's heap from the function's memory: a tenth for the
// young generation (half of it per semi-space), the rest for the old generation. Sweeps run under the
// same flags, so a sweep that would not fit a 128 MB function fails or swells here as it would there.
function lambdaHeapFlags(memoryMb: number): string {
  const newSpace = Math.floor(memoryMb / 10);
  return `--max-semi-space-size=${Math.floor(newSpace / 2)} --max-old-space-size=${memoryMb - newSpace}`;
}

async function main(): Promise<void> {
  // As the bin does (bin/client-vpn-logging.js): the SDK's Node-version warning is silenced deliberately.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const options = readOptions(process.argv.slice(2));
  const scratch = mkdtempSync(join(tmpdir(), 'cvpn-bench-'));
  const targets: Target[] = [];
  const log = (text = ''): void => void process.stdout.write(`${text}\n`);
  let server: LoopbackServer | undefined;
  try {
    log(
      `Benchmark: rule/handler.ts bundled as deployed (esbuild, minified, source map, ${LAMBDA_NODE_TARGET}, CJS, AWS SDK bundled, lazily loaded SDK modules apart)`,
    );
    log(
      `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}; loopback latency ${options.latencyMs} ms/call; ${options.runs} runs per cold-start figure\n`,
    );

    // ---------------------------------------------------------------- bundle
    const bundle = await bundleHandler(join(scratch, 'task'));
    const composition = bundle.bytesByPackage.slice(0, 8);
    const probe = writeProbe(scratch);
    writeFileSync(join(scratch, 'empty.js'), 'exports.handler = async () => undefined;\n');
    log(
      `Bundle: index.js ${fmt(bundle.bytes / 1024)} KiB (+ ${fmt(bundle.sourceMapBytes / 1024)} KiB source map); loaded only when needed: ${Object.entries(
        bundle.lazyModuleBytes,
      )
        .map(([client, bytes]) => `${client} ${fmt(bytes / 1024)} KiB`)
        .join(', ')}`,
    );

    log(
      `  largest parts: ${composition.map(([name, bytes]) => `${name} ${fmt(bytes / 1024, 0)} KiB`).join(', ')}`,
    );

    // ---------------------------------------------------------------- cold start
    const changeWorld = loopbackWorld({
      [REGION]: worldRegion({
        endpoints: [
          {
            endpointId: endpointIdOf(1),
            status: 'available',
            enabled: true,
            logGroup: '/aws/clientvpn/team-00',
          },
        ],
        logGroups: [{ name: '/aws/clientvpn/team-00', retentionInDays: 365 }],
        configRuleName: RULE_NAME,
      }),
    });
    server = await startLoopbackServer({ world: changeWorld, latencyMs: 0 });
    const env = {
      PATH: process.env.PATH ?? '',
      ...loopbackEnvironment(server.url, REGION),
      POWERTOOLS_SERVICE_NAME: 'client-vpn-connection-logging',
      POWERTOOLS_METRICS_NAMESPACE: 'ClientVpnConnectionLogging',
      AWS_LAMBDA_FUNCTION_NAME: 'client-vpn-connection-logging',
      // As the stack configures the function (infra/constructs/rule-function.ts): source maps ship, but are not enabled.
      NODE_OPTIONS: '',
    };
    const envWithSourceMaps = { ...env, NODE_OPTIONS: '--enable-source-maps' };
    const endpoint = changeWorld.regions[REGION]?.endpoints[0] as WorldEndpoint;
    const change = changeEvent(REGION, endpoint);
    const samples = {
      bare: [] as number[],
      importOnly: [] as number[],
      importWithSourceMaps: [] as number[],
      importAndChange: [] as number[],
      importInProcess: [] as number[],
    };
    const runs = options.only.includes('cold-start') ? options.runs : 1;
    const pairRatios: number[] = [];
    for (let run = 0; run < runs; run++) {
      // A/B interleaved pair by pair, the order alternating, so drift in machine load touches both
      // halves of a pair alike; the figure is the median of the pairs' ratios.
      const requireBundle = ['-e', `require(${JSON.stringify(bundle.file)})`];
      let bareMs: number;
      let importMs: number;
      if (run % 2 === 0) {
        bareMs = await timeNode(['-e', '0'], env);
        importMs = await timeNode(requireBundle, env);
      } else {
        importMs = await timeNode(requireBundle, env);
        bareMs = await timeNode(['-e', '0'], env);
      }
      samples.bare.push(bareMs);
      samples.importOnly.push(importMs);
      pairRatios.push(importMs / bareMs);
      samples.importWithSourceMaps.push(
        await timeNode(['-e', `require(${JSON.stringify(bundle.file)})`], envWithSourceMaps),
      );
      const probed = await runProbe(probe, bundle.file, [change], scratch, env);
      samples.importAndChange.push(probed.wallMs);
      samples.importInProcess.push(probed.importMs);
    }
    const bare = median(samples.bare);
    const importOnly = median(samples.importOnly);
    const importWithSourceMaps = median(samples.importWithSourceMaps);
    const afterImport = await runProbe(probe, bundle.file, [], scratch, env);
    const bareRss = await runProbe(probe, join(scratch, 'empty.js'), [], scratch, env);
    const importAndChange = median(samples.importAndChange);
    log('\nCold start (median wall time of a fresh process, spawn to exit):');
    log(`  node -e 0                                   ${fmt(bare)} ms`);
    const pairRatio = median(pairRatios);
    log(
      `  require(bundle)                             ${fmt(importOnly)} ms  (median pair ratio ${fmt(pairRatio, 2)}x bare over ${pairRatios.length} A/B pairs; ratio of medians ${fmt(importOnly / bare, 2)}x; require alone ${fmt(median(samples.importInProcess))} ms in-process)`,
    );
    log(
      `  require(bundle) + one change event, 0 ms    ${fmt(importAndChange)} ms  (${fmt(importAndChange / bare, 2)}x bare)`,
    );
    log(
      `  require(bundle) with --enable-source-maps   ${fmt(importWithSourceMaps)} ms  (${fmt(importWithSourceMaps / bare, 2)}x bare)  [why the stack leaves them off]`,
    );
    log(
      `  peak RSS: bare node ${fmt(bareRss.maxRssBytes / MB)} MB, after require(bundle) ${fmt(afterImport.maxRssBytes / MB)} MB`,
    );
    if (options.only.includes('cold-start'))
      targets.push({
        name: 'change-event import within 2x bare node (median A/B pair ratio)',
        measured: `${fmt(pairRatio, 2)}x (medians ${fmt(importOnly)} ms vs ${fmt(bare)} ms)`,
        limit: '2.00x',
        pass: pairRatio <= 2,
        note: `import + a whole change event at 0 ms latency: ${fmt(importAndChange / bare, 2)}x; with --enable-source-maps: ${fmt(importWithSourceMaps / bare, 2)}x`,
      });

    // ---------------------------------------------------------------- change event at latency
    server.latencyMs = options.latencyMs;
    const coldMs: number[] = [];
    const warmMs: number[] = [];
    const coldCpuMs: number[] = [];
    let callsPerInvocation = 0;
    const changeRuns = options.only.includes('change-event') ? Math.max(3, Math.min(options.runs, 7)) : 0;
    for (let run = 0; run < changeRuns; run++) {
      server.resetCalls();
      const probed = await runProbe(probe, bundle.file, [change, change], scratch, env);
      coldMs.push(probed.invocationsMs[0] as number);
      warmMs.push(probed.invocationsMs[1] as number);
      coldCpuMs.push(probed.invocationsCpuMs[0] as number);
      callsPerInvocation = server.calls.length / 2;
    }
    const necessaryCalls = 2; // DescribeLogGroups + PutEvaluations
    const ideal = necessaryCalls * options.latencyMs;
    log(
      `\nChange event (${changeRuns} processes, median): ${fmt(callsPerInvocation, 0)} calls per invocation (necessary: ${necessaryCalls} = DescribeLogGroups + PutEvaluations)`,
    );
    log(
      `  first invocation in a process ${fmt(median(coldMs))} ms (CPU ${fmt(median(coldCpuMs))} ms), second ${fmt(median(warmMs))} ms; ideal ${necessaryCalls} x ${options.latencyMs} ms = ${ideal} ms`,
    );
    if (changeRuns > 0)
      targets.push({
        name: 'change event: calls equal the minimum',
        measured: String(callsPerInvocation),
        limit: String(necessaryCalls),
        pass: callsPerInvocation === necessaryCalls,
      });
    await server.close();
    server = undefined;

    // ---------------------------------------------------------------- sweeps
    const runSweep = async (size: number) => {
      const world = sweepWorld(REGION, size, LOG_GROUPS, RULE_NAME);
      const region = world.regions[REGION];
      // Every endpoint was judged by the last sweep, and 1% more have been deleted since.
      const vanished = Math.ceil(size / 100);
      const judgedAt = new Date('2026-11-25T12:00:00Z');
      for (const e of region?.endpoints ?? []) {
        region?.configResults.set(e.endpointId, {
          resourceId: e.endpointId,
          resourceType: 'AWS::EC2::ClientVpnEndpoint',
          complianceType: e.enabled ? 'COMPLIANT' : 'NON_COMPLIANT',
          orderingTimestamp: judgedAt,
        });
      }
      for (let i = 0; i < vanished; i++) {
        const id = endpointIdOf(0xf000000 + i);
        region?.configResults.set(id, {
          resourceId: id,
          resourceType: 'AWS::EC2::ClientVpnEndpoint',
          complianceType: 'COMPLIANT',
          orderingTimestamp: judgedAt,
        });
      }
      const sweepServer = await startLoopbackServer({ world, latencyMs: options.latencyMs });
      try {
        const sweepEnv = {
          ...env,
          ...loopbackEnvironment(sweepServer.url, REGION),
          NODE_OPTIONS: lambdaHeapFlags(LAMBDA_MEMORY_MB),
        };
        // The bench process does nothing but serve meanwhile, so its CPU time is the loopback server's.
        const serverCpuStart = process.cpuUsage();
        const probed = await runProbe(probe, bundle.file, [scheduledEvent(REGION)], scratch, sweepEnv);
        const serverCpu = process.cpuUsage(serverCpuStart);
        const minimum: Record<string, number> = {
          DescribeClientVpnEndpoints: Math.ceil(size / 1000),
          DescribeLogGroups: Math.ceil(LOG_GROUPS / 50),
          GetComplianceDetailsByConfigRule: Math.ceil((size + vanished) / 100),
          PutEvaluations: Math.ceil((size + vanished) / 100),
        };
        const calls = Object.fromEntries(
          Object.entries(minimum).map(([operation, min]) => [
            operation,
            { measured: sweepServer.callsOf(operation, true).length, minimum: min },
          ]),
        );
        return {
          endpoints: size,
          logGroups: LOG_GROUPS,
          vanishedEndpoints: vanished,
          evaluationsPut: world.receivedEvaluations.length,
          calls,
          otherCalls: sweepServer.calls.filter((c) => !(c.operation in minimum)).length,
          wallMs: probed.invocationsMs[0] as number,
          cpuMs: probed.invocationsCpuMs[0] as number,
          loopbackServerCpuMs: (serverCpu.user + serverCpu.system) / 1000,
          serialIdealMs: Object.values(minimum).reduce((a, b) => a + b, 0) * options.latencyMs,
          maxRssMB: probed.maxRssBytes / MB,
          peakHeapMB: probed.peakHeapBytes / MB,
        };
      } finally {
        await sweepServer.close();
      }
    };

    const sweeps = [];
    for (const size of options.only.includes('sweeps') ? options.sizes : []) {
      const sweep = await runSweep(size);
      const { vanishedEndpoints: vanished, evaluationsPut: evaluations, calls, otherCalls: other } = sweep;
      sweeps.push(sweep);

      log(
        `\nSweep of ${size} endpoints over ${LOG_GROUPS} log groups (+${vanished} vanished): ${evaluations} evaluations put`,
      );
      for (const [operation, c] of Object.entries(calls)) {
        log(`  ${operation.padEnd(34)} ${String(c.measured).padStart(5)} calls  (minimum ${c.minimum})`);
      }
      if (other > 0) log(`  other calls                        ${String(other).padStart(5)}`);
      log(
        `  wall ${fmt(sweep.wallMs)} ms (the minimum calls one after another: ${sweep.serialIdealMs} ms); CPU ${fmt(sweep.cpuMs)} ms (loopback server ${fmt(sweep.loopbackServerCpuMs)} ms); peak RSS ${fmt(sweep.maxRssMB)} MB, peak heap ${fmt(sweep.peakHeapMB)} MB`,
      );
      const over = Object.entries(calls).filter(([, c]) => c.measured !== c.minimum);
      targets.push({
        name: `sweep of ${size}: calls equal the minimum`,
        measured:
          over.length === 0
            ? 'all equal'
            : over.map(([op, c]) => `${op} ${c.measured}/${c.minimum}`).join(', '),
        limit: 'equal',
        pass: over.length === 0 && other === 0 && evaluations === size + vanished,
      });
      if (size >= 10000) {
        targets.push({
          name: `sweep of ${size} within a ${LAMBDA_MEMORY_MB} MB Lambda`,
          measured: `${fmt(sweep.maxRssMB)} MB peak RSS under ${lambdaHeapFlags(LAMBDA_MEMORY_MB)}`,
          limit: `${LAMBDA_MEMORY_MB} MB`,
          pass: sweep.maxRssMB <= LAMBDA_MEMORY_MB,
        });
      }
    }

    // ---------------------------------------------------------------- sweep with key and delivery checks
    const pipelineSize = options.sizes[0] ?? 1000;
    const pipeline = !options.only.includes('sweeps')
      ? undefined
      : await (async () => {
          const world = pipelineWorld(pipelineSize);
          const region = world.regions[REGION]!;
          const pipelineServer = await startLoopbackServer({ world, latencyMs: options.latencyMs });
          try {
            const sweepEnv = {
              ...env,
              ...loopbackEnvironment(pipelineServer.url, REGION),
              NODE_OPTIONS: lambdaHeapFlags(LAMBDA_MEMORY_MB),
            };
            const probed = await runProbe(
              probe,
              bundle.file,
              [scheduledEvent(REGION, { verifyDelivery: 'true' })],
              scratch,
              sweepEnv,
            );
            // The minimum, from the world: what a sweep cannot do without.
            const logging = region.endpoints.filter((e) => e.enabled && e.logGroup !== undefined);
            const streamSources = new Set(logging.map((e) => `${e.logGroup}\u0000${e.logStream ?? ''}`));
            const minimum: Record<string, number> = {
              DescribeClientVpnEndpoints: Math.ceil(pipelineSize / 1000),
              DescribeLogGroups: Math.ceil(LOG_GROUPS / 50),
              DescribeKey: new Set(region.logGroups.map((g) => g.kmsKeyId)).size,
              DescribeClientVpnConnections: logging.length,
              DescribeLogStreams: streamSources.size,
              GetComplianceDetailsByConfigRule: 1,
              PutEvaluations: Math.ceil(pipelineSize / 100),
            };
            const calls = Object.fromEntries(
              Object.entries(minimum).map(([operation, min]) => [
                operation,
                { measured: pipelineServer.callsOf(operation, true).length, minimum: min },
              ]),
            );
            const verdicts: Record<string, number> = {};
            for (const e of world.receivedEvaluations)
              verdicts[e.complianceType] = (verdicts[e.complianceType] ?? 0) + 1;
            return {
              endpoints: pipelineSize,
              logGroups: LOG_GROUPS,
              keys: PIPELINE_KEYS.length,
              calls,
              otherCalls: pipelineServer.calls.filter((c) => !(c.operation in minimum)).length,
              verdicts,
              wallMs: probed.invocationsMs[0] as number,
              maxRssMB: probed.maxRssBytes / MB,
            };
          } finally {
            await pipelineServer.close();
          }
        })();
    if (pipeline !== undefined) {
      log(
        `\nSweep of ${pipelineSize} endpoints with verifyKmsKeyState and verifyDelivery on (${LOG_GROUPS} groups, ${PIPELINE_KEYS.length} keys): ${Object.entries(
          pipeline.verdicts,
        )
          .map(([verdict, n]) => `${n} ${verdict}`)
          .join(', ')}`,
      );
      for (const [operation, c] of Object.entries(pipeline.calls)) {
        log(`  ${operation.padEnd(34)} ${String(c.measured).padStart(5)} calls  (minimum ${c.minimum})`);
      }
      if (pipeline.otherCalls > 0)
        log(`  other calls                        ${String(pipeline.otherCalls).padStart(5)}`);
      log(`  wall ${fmt(pipeline.wallMs)} ms; peak RSS ${fmt(pipeline.maxRssMB)} MB`);
      const pipelineOver = Object.entries(pipeline.calls).filter(([, c]) => c.measured !== c.minimum);
      targets.push({
        name: `sweep of ${pipelineSize} with key and delivery checks: calls equal the minimum`,
        measured:
          pipelineOver.length === 0
            ? 'all equal'
            : pipelineOver.map(([op, c]) => `${op} ${c.measured}/${c.minimum}`).join(', '),
        limit: 'equal',
        pass: pipelineOver.length === 0 && pipeline.otherCalls === 0,
        note: 'minimum: one DescribeKey per distinct key, one connection listing page per endpoint, one DescribeLogStreams per distinct group or named stream',
      });
    }

    // ---------------------------------------------------------------- drift trigger
    // The inline code the stacks deploy, loaded as Lambda loads index.js, the SDK from node_modules.
    const trigger = !options.only.includes('drift-trigger')
      ? undefined
      : await (async () => {
          // One endpoint, its group encrypted with a key: the pipeline the related events touch.
          const triggerServer = await startLoopbackServer({
            world: loopbackWorld({
              [REGION]: worldRegion({
                configRuleName: RULE_NAME,
                endpoints: [
                  {
                    endpointId: endpointIdOf(1),
                    status: 'available',
                    enabled: true,
                    logGroup: TRIGGER_GROUP,
                  },
                ],
                logGroups: [{ name: TRIGGER_GROUP, retentionInDays: 365, kmsKeyId: keyArn(TRIGGER_KEY_ID) }],
                keys: [{ keyId: TRIGGER_KEY_ID, keyState: 'Enabled' }],
              }),
            }),
            latencyMs: options.latencyMs,
          });
          const saved = { ...process.env };
          // The trigger logs a line per event to the function's log; not to the benchmark's output.
          const { info, warn } = console;
          console.info = () => undefined;
          console.warn = () => undefined;
          Object.assign(process.env, loopbackEnvironment(triggerServer.url, REGION), {
            CONFIG_RULE_NAME: RULE_NAME,
          });
          try {
            const handler = loadInlineReEvaluationTrigger();
            // The calls one event makes, by operation, in order.
            const callsOf = async (event: unknown): Promise<string[]> => {
              const before = triggerServer.calls.length;
              await handler(event);
              return triggerServer.calls.slice(before).map((call) => call.operation);
            };
            const startedAfter = async (eventTime: string): Promise<{ ms: number; calls: string[] }> => {
              const before = triggerServer.world.startedEvaluations.length;
              const t0 = Date.now();
              const calls = await callsOf(
                kmsEvent('ScheduleKeyDeletion', TRIGGER_KEY_ID, keyArn(TRIGGER_KEY_ID), eventTime),
              );
              const started = triggerServer.world.startedEvaluations[before];
              if (started === undefined) throw new Error('the trigger started no evaluation');
              return { ms: started.at.getTime() - t0, calls };
            };
            const cold = await startedAfter(new Date(Date.now() - 120_000).toISOString());
            // A burst of changes made before that start: all covered by it.
            const burst = 50;
            for (let i = 0; i < burst; i++) {
              await handler(
                logsEvent(
                  'DeleteRetentionPolicy',
                  TRIGGER_GROUP,
                  new Date(Date.now() - 180_000).toISOString(),
                ),
              );
            }
            const burstEvaluations = triggerServer.world.startedEvaluations.length - 1;
            // Changes made now to no pipeline in use: reads only, no evaluation.
            const evaluationsBefore = triggerServer.world.startedEvaluations.length;
            const now = () => new Date(Date.now() + 1_000).toISOString();
            const unrelatedGroupCalls = await callsOf(
              logsEvent('PutRetentionPolicy', '/aws/lambda/orders', now()),
            );
            const unrelatedKeyCalls = await callsOf(
              kmsEvent('DisableKey', OTHER_KEY_ID, keyArn(OTHER_KEY_ID), now()),
            );
            const unrelatedEvaluations = triggerServer.world.startedEvaluations.length - evaluationsBefore;
            // A change made after the first start, to the pipeline: a new evaluation, with the clients warm.
            const warm = await startedAfter(now());
            return {
              coldMs: cold.ms,
              warmMs: warm.ms,
              burst,
              burstEvaluations,
              unrelatedEvaluations,
              unrelatedGroupCalls,
              unrelatedKeyCalls,
              relatedKeyCalls: warm.calls,
            };
          } finally {
            Object.assign(console, { info, warn });
            for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
            Object.assign(process.env, saved);
            await triggerServer.close();
          }
        })();
    if (trigger !== undefined) {
      log(
        `\nDrift trigger (inline code, ${options.latencyMs} ms/call): event to evaluation start ${trigger.coldMs} ms on a cold client, ${trigger.warmMs} ms warm; a burst of ${trigger.burst} earlier changes started ${trigger.burstEvaluations} more evaluation(s)`,
      );
      targets.push({
        name: 'drift trigger: a burst starts no evaluation beyond the one that covers it',
        measured: String(trigger.burstEvaluations),
        limit: '0',
        pass: trigger.burstEvaluations === 0,
        note: `event to StartConfigRulesEvaluation received: ${trigger.coldMs} ms cold, ${trigger.warmMs} ms warm`,
      });
      log(
        `  calls: unrelated group ${trigger.unrelatedGroupCalls.join(', ')}; unrelated key ${trigger.unrelatedKeyCalls.join(', ')}; related key ${trigger.relatedKeyCalls.join(', ')}`,
      );
      targets.push({
        name: 'drift trigger: a change to no pipeline in use starts no evaluation',
        measured: String(trigger.unrelatedEvaluations),
        limit: '0',
        pass: trigger.unrelatedEvaluations === 0,
        note: `calls for an unrelated group ${trigger.unrelatedGroupCalls.length}, an unrelated key ${trigger.unrelatedKeyCalls.length}, a related key ${trigger.relatedKeyCalls.length} (${trigger.relatedKeyCalls.join(', ')})`,
      });
    }

    // ---------------------------------------------------------------- organization audit
    let organization: OrganizationScanResult | undefined;
    if (options.only.includes('organization')) {
      organization = await benchmarkOrganizationScan({
        accounts: options.accounts,
        regions: ORGANIZATION_REGIONS,
        endpointsPerRegion: 4,
        logGroupsPerRegion: 2,
        concurrency: ORGANIZATION_CONCURRENCY,
        latencyMs: options.latencyMs,
      });
      const o = organization;
      log(
        `\nOrganization audit (client-vpn-logging audit --organization, in-process): ${o.accounts} accounts x ${o.regions.length} regions, ${o.endpointsPerRegion} endpoints over ${o.logGroupsPerRegion} log groups each, --concurrency ${o.concurrency}: ${o.findings} findings`,
      );
      for (const [operation, c] of Object.entries(o.calls)) {
        log(`  ${operation.padEnd(34)} ${String(c.measured).padStart(5)} calls  (minimum ${c.minimum})`);
      }
      if (o.otherCalls > 0) log(`  other calls                        ${String(o.otherCalls).padStart(5)}`);
      const perAccount = (o.calls.AssumeRole?.measured ?? 0) / o.accounts;
      const pairs = o.accounts * o.regions.length;
      const perRegion =
        ((o.calls.DescribeClientVpnEndpoints?.measured ?? 0) + (o.calls.DescribeLogGroups?.measured ?? 0)) /
        pairs;
      log(
        `  per account ${fmt(perAccount, 2)} AssumeRole (minimum 1); per account and region ${fmt(perRegion, 2)} calls (minimum 1 listing page + ceil(${o.logGroupsPerRegion}/50) look-ups = ${1 + Math.ceil(o.logGroupsPerRegion / 50)})`,
      );
      log(
        `  wall ${fmt(o.wallMs)} ms vs critical path ${o.criticalPathMs} ms at --concurrency ${o.concurrency} (${fmt(o.wallMs / o.criticalPathMs, 2)}x); peak ${o.peakInFlight} requests in flight; CPU ${fmt(o.cpuMs)} ms (command and loopback server)`,
      );
      const over = Object.entries(o.calls).filter(([, c]) => c.measured !== c.minimum);
      targets.push({
        name: `organization audit of ${o.accounts}x${o.regions.length}: calls equal the minimum`,
        measured:
          over.length === 0
            ? 'all equal'
            : over.map(([op, c]) => `${op} ${c.measured}/${c.minimum}`).join(', '),
        limit: 'equal',
        pass: over.length === 0 && o.otherCalls === 0,
      });
      targets.push({
        name: `organization audit: at most --concurrency requests in flight`,
        measured: String(o.peakInFlight),
        limit: String(o.concurrency),
        pass: o.peakInFlight <= o.concurrency,
        note: `wall ${fmt(o.wallMs)} ms is ${fmt(o.wallMs / o.criticalPathMs, 2)}x the ${o.criticalPathMs} ms critical path; the rest is CPU (${fmt(o.cpuMs)} ms in this process, SDK client set-up and signing, loopback server included)`,
      });
    }

    // ---------------------------------------------------------------- verdict
    log('\nTargets:');
    for (const t of targets) {
      log(
        `  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.measured} (target ${t.limit})${t.note ? `\n        ${t.note}` : ''}`,
      );
    }
    const results = {
      generatedAt: new Date().toISOString(),
      machine: {
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        cpu: cpus()[0]?.model,
        cpus: cpus().length,
      },
      options,
      bundle: {
        target: LAMBDA_NODE_TARGET,
        bytes: bundle.bytes,
        sourceMapBytes: bundle.sourceMapBytes,
        lazyModuleBytes: bundle.lazyModuleBytes,
        largestParts: Object.fromEntries(composition),
      },
      coldStart: {
        runs,
        medianPairRatio: pairRatio,
        pairRatios,
        bareNodeMs: bare,
        importMs: importOnly,
        importRatio: importOnly / bare,
        importInProcessMs: median(samples.importInProcess),
        importAndChangeEventMs: importAndChange,
        importAndChangeEventRatio: importAndChange / bare,
        bareNodeMaxRssMB: bareRss.maxRssBytes / MB,
        afterImportMaxRssMB: afterImport.maxRssBytes / MB,
        importWithSourceMapsMs: importWithSourceMaps,
        importWithSourceMapsRatio: importWithSourceMaps / bare,
      },
      changeEvent: {
        runs: changeRuns,
        callsPerInvocation,
        necessaryCalls,
        idealMs: ideal,
        firstInvocationMs: median(coldMs),
        firstInvocationCpuMs: median(coldCpuMs),
        secondInvocationMs: median(warmMs),
      },
      sweeps,
      pipelineSweep: pipeline,
      driftTrigger: trigger,
      organizationAudit: organization,
      targets,
    };
    const file = options.update ? 'results.json' : 'results.local.json';
    writeFileSync(join(__dirname, file), `${JSON.stringify(results, null, 2)}\n`);
    log(
      `\nWrote bench/${file}${options.update ? '' : ' (pass --update to write the committed bench/results.json)'}`,
    );
  } finally {
    await server?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
});
