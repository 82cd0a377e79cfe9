/**
 * `npm run bench`: measures the deployed bundle of the rule, the drift trigger and the organization
 * audit (through the built package) against the loopback AWS, prints the figures with PASS/FAIL per
 * target, and writes them to bench/results.local.json (ignored by git); `--update` writes the committed
 * bench/results.json instead. One function per figure, in bench/parts/. Never a timed test.
 *
 * Options (or environment variables):
 *   --latency-ms N   (BENCH_LATENCY_MS)  per-call latency of the loopback AWS, default 20
 *   --runs N         (BENCH_RUNS)        process pairs per cold-start figure (median), default 15
 *   --sizes a,b      (BENCH_SIZES)       sweep sizes in endpoints, default 1000,10000
 *   --accounts a,b   (BENCH_ACCOUNTS)    organization sizes in accounts, default 50,200,800
 *   --only parts     (BENCH_ONLY)        run only these of cold-start,change-event,sweeps,drift-trigger,
 *                                        organization (sweeps includes the sweep with key and delivery checks)
 *   --update                             write bench/results.json (refused with --only)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAMBDA_NODE_TARGET } from '../infra/bundling/handler-bundling';
import { BENCH_PARTS, BenchContext, fmt, type BenchOptions, type BenchPart } from './bench-context';
import { measureChangeEvent } from './parts/change-event';
import { measureColdStart } from './parts/cold-start';
import { measureDriftTrigger } from './parts/drift-trigger';
import { measureOrganizationAudit } from './parts/organization';
import { measurePipelineSweep } from './parts/pipeline-sweep';
import { measureSweeps } from './parts/sweeps';

/** Each part: what it measures, keyed as results.json names it. */
const MEASUREMENTS: Readonly<Record<BenchPart, (context: BenchContext) => Promise<Record<string, unknown>>>> =
  {
    'cold-start': async (context) => ({ coldStart: await measureColdStart(context) }),
    'change-event': async (context) => ({ changeEvent: await measureChangeEvent(context) }),
    sweeps: async (context) => ({
      sweeps: await measureSweeps(context),
      pipelineSweep: await measurePipelineSweep(context),
    }),
    'drift-trigger': async (context) => ({ driftTrigger: await measureDriftTrigger(context) }),
    organization: async (context) => ({ organizationAudit: await measureOrganizationAudit(context) }),
  };

function wholeNumbers(
  name: string,
  text: string | undefined,
  fallback: readonly number[],
  min: number,
): number[] {
  if (text === undefined) return [...fallback];
  return text.split(',').map((item) => {
    const n = Number(item);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`${name}: expected whole numbers >= ${min}, got ${JSON.stringify(item)}`);
    return n;
  });
}

function readOptions(argv: readonly string[]): BenchOptions {
  const value = (flag: string, env: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : process.env[env];
  };
  const onlyText = value('--only', 'BENCH_ONLY');
  const only = onlyText === undefined ? [...BENCH_PARTS] : onlyText.split(',');
  const unknown = only.find((part) => !(BENCH_PARTS as readonly string[]).includes(part));
  if (unknown !== undefined)
    throw new Error(`--only: expected some of ${BENCH_PARTS.join(',')}, got ${JSON.stringify(unknown)}`);
  const update = argv.includes('--update');
  if (update && onlyText !== undefined)
    throw new Error('--update writes the committed figures, which come from a whole run: drop --only');
  const one = (name: string, env: string, fallback: number, min: number) =>
    wholeNumbers(name, value(name, env), [fallback], min)[0] as number;
  return {
    latencyMs: one('--latency-ms', 'BENCH_LATENCY_MS', 20, 0),
    runs: one('--runs', 'BENCH_RUNS', 15, 1),
    sizes: wholeNumbers('--sizes', value('--sizes', 'BENCH_SIZES'), [1000, 10000], 1),
    accounts: wholeNumbers('--accounts', value('--accounts', 'BENCH_ACCOUNTS'), [50, 200, 800], 1),
    only: BENCH_PARTS.filter((part) => only.includes(part)),
    update,
  };
}

function machine() {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model,
    cpus: cpus().length,
  };
}

async function bundleFigures(context: BenchContext) {
  const bundle = await context.bundle();
  const largestParts = bundle.bytesByPackage.slice(0, 8);
  const lazy = Object.entries(bundle.lazyModuleBytes).map(
    ([client, bytes]) => `${client} ${fmt(bytes / 1024)} KiB`,
  );
  context.log(
    `Bundle: index.js ${fmt(bundle.bytes / 1024)} KiB (+ ${fmt(bundle.sourceMapBytes / 1024)} KiB source map); loaded only when needed: ${lazy.join(', ')}`,
  );
  context.log(
    `  largest parts: ${largestParts.map(([name, bytes]) => `${name} ${fmt(bytes / 1024, 0)} KiB`).join(', ')}`,
  );
  return {
    target: LAMBDA_NODE_TARGET,
    bytes: bundle.bytes,
    sourceMapBytes: bundle.sourceMapBytes,
    lazyModuleBytes: bundle.lazyModuleBytes,
    largestParts: Object.fromEntries(largestParts),
  };
}

function printTargets(context: BenchContext): void {
  context.log('\nTargets:');
  for (const t of context.targets) {
    const note = t.note ? `\n        ${t.note}` : '';
    context.log(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.measured} (target ${t.limit})${note}`);
  }
}

async function main(): Promise<void> {
  // As the bin does (bin/client-vpn-logging.js): the SDK's Node-version warning is silenced deliberately.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const options = readOptions(process.argv.slice(2));
  const scratch = mkdtempSync(join(tmpdir(), 'cvpn-bench-'));
  const context = new BenchContext(options, scratch, (text = '') => void process.stdout.write(`${text}\n`));
  try {
    context.log(`Benchmark: ${options.only.join(', ')}`);
    context.log(
      `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}; loopback latency ${options.latencyMs} ms/call\n`,
    );
    const needsBundle = options.only.some((part) => part !== 'organization' && part !== 'drift-trigger');
    const results: Record<string, unknown> = {
      generatedAt: new Date().toISOString(),
      machine: machine(),
      options,
      ...(needsBundle ? { bundle: await bundleFigures(context) } : {}),
    };
    for (const part of options.only) Object.assign(results, await MEASUREMENTS[part](context));
    printTargets(context);
    const file = options.update ? 'results.json' : 'results.local.json';
    writeFileSync(
      join(__dirname, file),
      `${JSON.stringify({ ...results, targets: context.targets }, null, 2)}\n`,
    );
    context.log(
      `\nWrote bench/${file}${options.update ? '' : ' (pass --update to write the committed bench/results.json)'}`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
});
