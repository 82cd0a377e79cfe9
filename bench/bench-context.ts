/**
 * What every part of the benchmark shares: the options, a scratch folder, the deployed bundle (built
 * once, only for the parts that need it), the probe, the report's targets, and the output.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loopbackEnvironment } from '../sandbox/loopback-environment';
import { bundleHandler, type HandlerBundle } from './bundle-handler';
import { writeProbe } from './child-process-probe';

/** The parts `--only` can select, in the order a whole run measures them. */
export const BENCH_PARTS = ['cold-start', 'change-event', 'sweeps', 'drift-trigger', 'organization'] as const;

/** One part of the benchmark. */
export type BenchPart = (typeof BENCH_PARTS)[number];

/** The benchmark's options (see bench/run.ts). */
export interface BenchOptions {
  /** Per-call latency of the loopback AWS, ms. */
  readonly latencyMs: number;
  /** Process pairs per cold-start figure. */
  readonly runs: number;
  /** Sweep sizes, in endpoints. */
  readonly sizes: readonly number[];
  /** Organization sizes, in accounts. */
  readonly accounts: readonly number[];
  /** The parts to run. */
  readonly only: readonly BenchPart[];
  /** Write the committed bench/results.json. */
  readonly update: boolean;
}

/** A figure with its target, PASS or FAIL. */
export interface Target {
  /** What is measured. */
  readonly name: string;
  /** The measured value, as printed. */
  readonly measured: string;
  /** The target, as printed. */
  readonly limit: string;
  /** Whether the measured value meets the target. */
  readonly pass: boolean;
  /** What else the reader should know. */
  readonly note?: string;
}

/** The region the single-account parts run in. */
export const BENCH_REGION = 'us-east-1';

/** The memory of the deployed rule Lambda, MB. */
export const LAMBDA_MEMORY_MB = 128;

/** Bytes in a MiB. */
export const MB = 1024 * 1024;

/** A number with `digits` decimals; an absent figure prints as `-`, never `NaN`. */
export function fmt(n: number | undefined, digits = 1): string {
  return n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits);
}

/**
 * The Lambda Node.js runtime's bootstrap sizes V8's heap from the function's memory: a tenth for the
 * young generation (half of it per semi-space), the rest for the old generation. Sweeps run under the
 * same flags, so a sweep that would not fit a 128 MB function fails or swells here as it would there.
 */
export function lambdaHeapFlags(memoryMb: number): string {
  const newSpace = Math.floor(memoryMb / 10);
  return `--max-semi-space-size=${Math.floor(newSpace / 2)} --max-old-space-size=${memoryMb - newSpace}`;
}

/** What the parts share during one run. */
export class BenchContext {
  /** The figures with targets, in the order measured. */
  public readonly targets: Target[] = [];
  private bundled: Promise<HandlerBundle> | undefined;
  private probeFile: string | undefined;

  /**
   * @param options - the benchmark's options
   * @param scratch - a folder the run may write to and that is removed after it
   * @param log - writes one line of the report
   */
  public constructor(
    public readonly options: BenchOptions,
    public readonly scratch: string,
    public readonly log: (text?: string) => void,
  ) {}

  /** The rule Lambda bundled as deployed, built on first use. */
  public bundle(): Promise<HandlerBundle> {
    this.bundled ??= bundleHandler(join(this.scratch, 'task'));
    return this.bundled;
  }

  /** The probe script that loads and invokes a bundle in a fresh process, written on first use. */
  public probe(): string {
    if (this.probeFile === undefined) {
      this.probeFile = writeProbe(this.scratch);
      writeFileSync(join(this.scratch, 'empty.js'), 'exports.handler = async () => undefined;\n');
    }
    return this.probeFile;
  }

  /** An empty handler module, the baseline for the bundle's memory. */
  public emptyHandler(): string {
    this.probe();
    return join(this.scratch, 'empty.js');
  }

  /**
   * The environment of a probe process: the loopback AWS, and the settings the stack gives the function.
   *
   * @param url - the loopback server's URL
   * @param nodeOptions - `NODE_OPTIONS`, empty as the stack sets it
   */
  public lambdaEnvironment(url: string, nodeOptions = ''): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH ?? '',
      ...loopbackEnvironment(url, BENCH_REGION),
      POWERTOOLS_SERVICE_NAME: 'client-vpn-connection-logging',
      POWERTOOLS_METRICS_NAMESPACE: 'ClientVpnConnectionLogging',
      AWS_LAMBDA_FUNCTION_NAME: 'client-vpn-connection-logging',
      // As the stack configures the function (infra/constructs/rule-evaluation-function.ts): source maps ship, but are not enabled.
      NODE_OPTIONS: nodeOptions,
    };
  }

  /** Prints the calls of each operation against its minimum. */
  public logCalls(
    calls: Readonly<Record<string, { measured: number; minimum: number }>>,
    other: number,
  ): void {
    for (const [operation, c] of Object.entries(calls)) {
      this.log(`  ${operation.padEnd(34)} ${String(c.measured).padStart(5)} calls  (minimum ${c.minimum})`);
    }
    if (other > 0) this.log(`  other calls                        ${String(other).padStart(5)}`);
  }

  /** A target that every operation's calls equal their minimum. */
  public callsTarget(
    name: string,
    calls: Readonly<Record<string, { measured: number; minimum: number }>>,
    extraPass = true,
    note?: string,
  ): void {
    const over = Object.entries(calls).filter(([, c]) => c.measured !== c.minimum);
    this.targets.push({
      name,
      measured:
        over.length === 0
          ? 'all equal'
          : over.map(([op, c]) => `${op} ${c.measured}/${c.minimum}`).join(', '),
      limit: 'equal',
      pass: over.length === 0 && extraPass,
      ...(note === undefined ? {} : { note }),
    });
  }
}
