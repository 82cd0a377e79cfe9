/**
 * The drift trigger's inline code, loaded as Lambda loads index.js with the SDK from node_modules: time
 * from a CloudTrail event to the evaluation's start, and how many evaluations a burst starts.
 */
import { startLoopbackServer } from '../../sandbox/aws-loopback-server';
import { cloudTrailEvent } from '../../sandbox/cloudtrail-events';
import { RULE_NAME } from '../../sandbox/config-rule-events';
import { loadInlineReEvaluationTrigger } from '../../sandbox/inline-re-evaluation-trigger';
import { loopbackEnvironment } from '../../sandbox/loopback-environment';
import { loopbackWorld, worldRegion } from '../../sandbox/loopback-world';
import { BENCH_REGION, type BenchContext } from '../bench-context';

// The burst: changes made before an evaluation's start, all covered by it.
const BURST = 50;

/** Runs `body` with the loopback environment in `process.env` and the trigger's log lines silenced. */
async function withTriggerEnvironment<T>(url: string, body: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  const { info, warn } = console;
  console.info = () => undefined;
  console.warn = () => undefined;
  Object.assign(process.env, loopbackEnvironment(url, BENCH_REGION), { CONFIG_RULE_NAME: RULE_NAME });
  try {
    return await body();
  } finally {
    Object.assign(console, { info, warn });
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

/** Measures the drift trigger and prints it; returns the figures for results.json. */
export async function measureDriftTrigger(context: BenchContext) {
  const server = await startLoopbackServer({
    world: loopbackWorld({ [BENCH_REGION]: worldRegion({ configRuleName: RULE_NAME }) }),
    latencyMs: context.options.latencyMs,
  });
  try {
    const figures = await withTriggerEnvironment(server.url, async () => {
      const handler = loadInlineReEvaluationTrigger();
      const startedAfter = async (eventTime: string): Promise<number> => {
        const before = server.world.startedEvaluations.length;
        const t0 = Date.now();
        await handler(cloudTrailEvent('kms.amazonaws.com', 'ScheduleKeyDeletion', eventTime));
        const started = server.world.startedEvaluations[before];
        if (started === undefined) throw new Error('the trigger started no evaluation');
        return started.at.getTime() - t0;
      };
      const coldMs = await startedAfter(new Date(Date.now() - 120_000).toISOString());
      for (let i = 0; i < BURST; i++) {
        const earlier = new Date(Date.now() - 180_000).toISOString();
        await handler(cloudTrailEvent('logs.amazonaws.com', 'DeleteRetentionPolicy', earlier));
      }
      const burstEvaluations = server.world.startedEvaluations.length - 1;
      // A change made after it: a new evaluation, with the client warm.
      const warmMs = await startedAfter(new Date(Date.now() + 1_000).toISOString());
      return { coldMs, warmMs, burst: BURST, burstEvaluations };
    });
    context.log(
      `\nDrift trigger (inline code, ${context.options.latencyMs} ms/call): event to evaluation start ${figures.coldMs} ms on a cold client, ${figures.warmMs} ms warm; a burst of ${figures.burst} earlier changes started ${figures.burstEvaluations} more evaluation(s)`,
    );
    context.targets.push({
      name: 'drift trigger: a burst starts no evaluation beyond the one that covers it',
      measured: String(figures.burstEvaluations),
      limit: '0',
      pass: figures.burstEvaluations === 0,
      note: `event to StartConfigRulesEvaluation received: ${figures.coldMs} ms cold, ${figures.warmMs} ms warm`,
    });
    return figures;
  } finally {
    await server.close();
  }
}
