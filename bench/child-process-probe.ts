/**
 * Runs code in fresh Node processes and measures them: wall time from spawn to exit, and for
 * handler invocations the time to import the bundle, each invocation's time and peak memory.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a probe process reports of one run of the handler. */
export interface InvocationProbe {
  /** Milliseconds from process start to the end of `require(bundle)`. */
  readonly loadedAtMs: number;
  /** Milliseconds `require(bundle)` took. */
  readonly importMs: number;
  /** Milliseconds each invocation took, in order. */
  readonly invocationsMs: readonly number[];
  /** CPU milliseconds (user + system) each invocation used, in order. */
  readonly invocationsCpuMs: readonly number[];
  /** The process's peak resident set size, in bytes. */
  readonly maxRssBytes: number;
  /** The highest V8 heap use sampled (every 2 ms), in bytes. */
  readonly peakHeapBytes: number;
  /** Wall time of the whole process, measured by the parent. */
  readonly wallMs: number;
}

// Plain JavaScript so the probe runs on bare node, as Lambda runs the bundle.
const PROBE_SOURCE = `'use strict';
const { performance } = require('node:perf_hooks');
const fs = require('node:fs');
const before = performance.now();
const bundle = require(process.env.BENCH_BUNDLE);
const loaded = performance.now();
const events = JSON.parse(fs.readFileSync(process.env.BENCH_EVENTS, 'utf8'));
let peakHeap = process.memoryUsage().heapUsed;
const sampler = setInterval(() => { peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed); }, 2);
const context = { functionName: 'client-vpn-connection-logging', functionVersion: '$LATEST', memoryLimitInMB: '128',
  awsRequestId: '00000000-0000-4000-8000-000000000000', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:client-vpn-connection-logging',
  logGroupName: '/aws/lambda/client-vpn-connection-logging', logStreamName: 'bench', callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 300000 };
(async () => {
  const invocations = [];
  const cpu = [];
  for (const event of events) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await bundle.handler(event, context);
    invocations.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  fs.writeFileSync(process.env.BENCH_RESULT, JSON.stringify({ loadedAtMs: loaded, importMs: loaded - before,
    invocationsMs: invocations, invocationsCpuMs: cpu, maxRssBytes: process.resourceUsage().maxRSS * 1024, peakHeapBytes: peakHeap }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

/**
 * Writes the probe script into `dir`.
 *
 * @param dir - a scratch directory
 * @returns the script's path
 */
export function writeProbe(dir: string): string {
  const file = join(dir, 'probe.js');
  writeFileSync(file, PROBE_SOURCE);
  return file;
}

/**
 * Spawns `node args`, waits for it to exit and measures its wall time.
 *
 * @param args - arguments to node
 * @param env - the child's environment
 * @returns the wall time in milliseconds
 * @throws Error with the child's stderr when it exits non-zero
 */
export function timeNode(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`node ${args.join(' ').slice(0, 80)} exited ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

/**
 * Runs the probe: imports the bundle in a fresh process and invokes its handler with each event in turn.
 *
 * @param probe - the probe script's path
 * @param bundle - the bundle's path
 * @param events - the events to invoke the handler with, in order
 * @param dir - a scratch directory for the event and result files
 * @param env - the child's environment (the loopback endpoint and fake credentials)
 * @returns what the probe measured
 */
export async function runProbe(
  probe: string,
  bundle: string,
  events: readonly object[],
  dir: string,
  env: NodeJS.ProcessEnv,
): Promise<InvocationProbe> {
  const eventsFile = join(dir, 'events.json');
  const resultFile = join(dir, 'result.json');
  writeFileSync(eventsFile, JSON.stringify(events));
  writeFileSync(resultFile, '');
  const wallMs = await timeNode([probe], {
    ...env,
    BENCH_BUNDLE: bundle,
    BENCH_EVENTS: eventsFile,
    BENCH_RESULT: resultFile,
  });
  return { ...(JSON.parse(readFileSync(resultFile, 'utf8')) as Omit<InvocationProbe, 'wallMs'>), wallMs };
}

/**
 * The median of some numbers.
 *
 * @param values - at least one number
 * @returns the middle value (the mean of the middle two for an even count)
 */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
