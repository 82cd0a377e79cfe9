/**
 * The drift trigger's inline code, loaded as Lambda loads index.js with the SDK from node_modules: time
 * from a CloudTrail event to the evaluation's start, how many evaluations a burst starts, and the calls
 * an event makes when it touches a pipeline in use and when it does not.
 */
import { startLoopbackServer, type LoopbackServer } from '../../sandbox/aws-loopback-server';
import { keyArn, kmsEvent, logsEvent } from '../../sandbox/cloudtrail-events';
import { RULE_NAME } from '../../sandbox/config-rule-events';
import { loadInlineReEvaluationTrigger } from '../../sandbox/inline-re-evaluation-trigger';
import { loopbackEnvironment } from '../../sandbox/loopback-environment';
import { endpointIdOf, loopbackWorld, worldRegion } from '../../sandbox/loopback-world';
import { BENCH_REGION, type BenchContext } from '../bench-context';

// The pipeline the related events touch: the fixture event's group, encrypted with a key; and a key no group uses.
const TRIGGER_GROUP = '/aws/clientvpn/corp-remote-access';
const TRIGGER_KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KEY_ID = '0987dcba-09ba-87dc-65fe-0987654321ba';
// The burst: changes made before an evaluation's start, all covered by it.
const BURST = 50;

function triggerWorld() {
  return loopbackWorld({
    [BENCH_REGION]: worldRegion({
      configRuleName: RULE_NAME,
      endpoints: [
        { endpointId: endpointIdOf(1), status: 'available', enabled: true, logGroup: TRIGGER_GROUP },
      ],
      logGroups: [{ name: TRIGGER_GROUP, retentionInDays: 365, kmsKeyId: keyArn(TRIGGER_KEY_ID) }],
      keys: [{ keyId: TRIGGER_KEY_ID, keyState: 'Enabled' }],
    }),
  });
}

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

async function driveTrigger(server: LoopbackServer) {
  const handler = loadInlineReEvaluationTrigger();
  const started = () => server.world.startedEvaluations.length;
  // The calls one event makes, by operation, in order.
  const callsOf = async (event: unknown): Promise<string[]> => {
    const before = server.calls.length;
    await handler(event);
    return server.calls.slice(before).map((call) => call.operation);
  };
  const startedAfter = async (eventTime: string) => {
    const before = started();
    const t0 = Date.now();
    const calls = await callsOf(
      kmsEvent('ScheduleKeyDeletion', TRIGGER_KEY_ID, keyArn(TRIGGER_KEY_ID), eventTime),
    );
    const evaluation = server.world.startedEvaluations[before];
    if (evaluation === undefined) throw new Error('the trigger started no evaluation');
    return { ms: evaluation.at.getTime() - t0, calls };
  };
  const cold = await startedAfter(new Date(Date.now() - 120_000).toISOString());
  for (let i = 0; i < BURST; i++) {
    await handler(
      logsEvent('DeleteRetentionPolicy', TRIGGER_GROUP, new Date(Date.now() - 180_000).toISOString()),
    );
  }
  const burstEvaluations = started() - 1;
  // Changes made now to no pipeline in use: reads only, no evaluation.
  const evaluationsBefore = started();
  const now = () => new Date(Date.now() + 1_000).toISOString();
  const unrelatedGroupCalls = await callsOf(logsEvent('PutRetentionPolicy', '/aws/lambda/orders', now()));
  const unrelatedKeyCalls = await callsOf(kmsEvent('DisableKey', OTHER_KEY_ID, keyArn(OTHER_KEY_ID), now()));
  const unrelatedEvaluations = started() - evaluationsBefore;
  // A change made after the first start, to the pipeline: a new evaluation, with the clients warm.
  const warm = await startedAfter(now());
  return {
    coldMs: cold.ms,
    warmMs: warm.ms,
    burst: BURST,
    burstEvaluations,
    unrelatedEvaluations,
    unrelatedGroupCalls,
    unrelatedKeyCalls,
    relatedKeyCalls: warm.calls,
  };
}

/** Measures the drift trigger and prints it; returns the figures for results.json. */
export async function measureDriftTrigger(context: BenchContext) {
  const server = await startLoopbackServer({ world: triggerWorld(), latencyMs: context.options.latencyMs });
  try {
    const t = await withTriggerEnvironment(server.url, () => driveTrigger(server));
    context.log(
      `\nDrift trigger (inline code, ${context.options.latencyMs} ms/call): event to evaluation start ${t.coldMs} ms on a cold client, ${t.warmMs} ms warm; a burst of ${t.burst} earlier changes started ${t.burstEvaluations} more evaluation(s)`,
    );
    context.log(
      `  calls: unrelated group ${t.unrelatedGroupCalls.join(', ')}; unrelated key ${t.unrelatedKeyCalls.join(', ')}; related key ${t.relatedKeyCalls.join(', ')}`,
    );
    context.targets.push({
      name: 'drift trigger: a burst starts no evaluation beyond the one that covers it',
      measured: String(t.burstEvaluations),
      limit: '0',
      pass: t.burstEvaluations === 0,
      note: `event to StartConfigRulesEvaluation received: ${t.coldMs} ms cold, ${t.warmMs} ms warm`,
    });
    context.targets.push({
      name: 'drift trigger: a change to no pipeline in use starts no evaluation',
      measured: String(t.unrelatedEvaluations),
      limit: '0',
      pass: t.unrelatedEvaluations === 0,
      note: `calls for an unrelated group ${t.unrelatedGroupCalls.length}, an unrelated key ${t.unrelatedKeyCalls.length}, a related key ${t.relatedKeyCalls.length} (${t.relatedKeyCalls.join(', ')})`,
    });
    return t;
  } finally {
    await server.close();
  }
}
