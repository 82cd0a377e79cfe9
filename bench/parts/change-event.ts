/** A change event at the loopback latency: calls per invocation, first and second invocation times. */
import { startLoopbackServer } from '../../sandbox/aws-loopback-server';
import { fmt, type BenchContext } from '../bench-context';
import { median, runProbe } from '../child-process-probe';
import { changeEventOf, changeEventWorld } from './cold-start';

// DescribeLogGroups + PutEvaluations: what a change event cannot do without.
const NECESSARY_CALLS = 2;

/** Measures change events in fresh processes and prints them; returns the figures for results.json. */
export async function measureChangeEvent(context: BenchContext) {
  const { options, log } = context;
  const bundle = await context.bundle();
  const world = changeEventWorld();
  const server = await startLoopbackServer({ world, latencyMs: options.latencyMs });
  try {
    const change = changeEventOf(world);
    const env = context.lambdaEnvironment(server.url);
    const cold: number[] = [];
    const warm: number[] = [];
    const coldCpu: number[] = [];
    let callsPerInvocation = 0;
    const runs = Math.max(3, Math.min(options.runs, 7));
    for (let run = 0; run < runs; run++) {
      server.resetCalls();
      const probed = await runProbe(context.probe(), bundle.file, [change, change], context.scratch, env);
      cold.push(probed.invocationsMs[0] as number);
      warm.push(probed.invocationsMs[1] as number);
      coldCpu.push(probed.invocationsCpuMs[0] as number);
      callsPerInvocation = server.calls.length / 2;
    }
    const idealMs = NECESSARY_CALLS * options.latencyMs;
    const figures = {
      runs,
      callsPerInvocation,
      necessaryCalls: NECESSARY_CALLS,
      idealMs,
      firstInvocationMs: median(cold),
      firstInvocationCpuMs: median(coldCpu),
      secondInvocationMs: median(warm),
    };
    log(
      `\nChange event (${runs} processes, median): ${fmt(callsPerInvocation, 0)} calls per invocation (necessary: ${NECESSARY_CALLS} = DescribeLogGroups + PutEvaluations)`,
    );
    log(
      `  first invocation in a process ${fmt(figures.firstInvocationMs)} ms (CPU ${fmt(figures.firstInvocationCpuMs)} ms), second ${fmt(figures.secondInvocationMs)} ms; ideal ${NECESSARY_CALLS} x ${options.latencyMs} ms = ${idealMs} ms`,
    );
    context.targets.push({
      name: 'change event: calls equal the minimum',
      measured: String(callsPerInvocation),
      limit: String(NECESSARY_CALLS),
      pass: callsPerInvocation === NECESSARY_CALLS,
    });
    return figures;
  } finally {
    await server.close();
  }
}
