/**
 * Cold start: what a change event imports, timed in fresh processes against bare `node -e 0`, A/B
 * interleaved pair by pair; the figure is the median of the pairs' ratios.
 */
import { startLoopbackServer } from '../../sandbox/aws-loopback-server';
import { changeEvent, RULE_NAME } from '../../sandbox/config-rule-events';
import { endpointIdOf, loopbackWorld, worldRegion, type WorldEndpoint } from '../../sandbox/loopback-world';
import { BENCH_REGION, fmt, MB, type BenchContext } from '../bench-context';
import { median, runProbe, timeNode } from '../child-process-probe';

/** A one-endpoint world whose change event makes the minimum calls. */
export function changeEventWorld() {
  return loopbackWorld({
    [BENCH_REGION]: worldRegion({
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
}

/** The change event of {@link changeEventWorld}'s endpoint. */
export function changeEventOf(world: ReturnType<typeof changeEventWorld>) {
  return changeEvent(BENCH_REGION, world.regions[BENCH_REGION]?.endpoints[0] as WorldEndpoint);
}

/** Measures the cold start and prints it; returns the figures for results.json. */
export async function measureColdStart(context: BenchContext) {
  const bundle = await context.bundle();
  const world = changeEventWorld();
  const server = await startLoopbackServer({ world, latencyMs: 0 });
  try {
    const env = context.lambdaEnvironment(server.url);
    const withSourceMaps = context.lambdaEnvironment(server.url, '--enable-source-maps');
    const requireBundle = ['-e', `require(${JSON.stringify(bundle.file)})`];
    const samples = { bare: [] as number[], imported: [] as number[], sourceMaps: [] as number[] };
    const withChange: number[] = [];
    const inProcess: number[] = [];
    const pairRatios: number[] = [];
    for (let run = 0; run < context.options.runs; run++) {
      // The order alternates, so drift in machine load touches both halves of a pair alike.
      const [first, second] = run % 2 === 0 ? [['-e', '0'], requireBundle] : [requireBundle, ['-e', '0']];
      const a = await timeNode(first as string[], env);
      const b = await timeNode(second as string[], env);
      const [bareMs, importMs] = run % 2 === 0 ? [a, b] : [b, a];
      samples.bare.push(bareMs);
      samples.imported.push(importMs);
      pairRatios.push(importMs / bareMs);
      samples.sourceMaps.push(await timeNode(requireBundle, withSourceMaps));
      const probed = await runProbe(
        context.probe(),
        bundle.file,
        [changeEventOf(world)],
        context.scratch,
        env,
      );
      withChange.push(probed.wallMs);
      inProcess.push(probed.importMs);
    }
    const afterImport = await runProbe(context.probe(), bundle.file, [], context.scratch, env);
    const bareRss = await runProbe(context.probe(), context.emptyHandler(), [], context.scratch, env);
    const figures = {
      runs: context.options.runs,
      medianPairRatio: median(pairRatios),
      pairRatios,
      bareNodeMs: median(samples.bare),
      importMs: median(samples.imported),
      importInProcessMs: median(inProcess),
      importAndChangeEventMs: median(withChange),
      importWithSourceMapsMs: median(samples.sourceMaps),
      bareNodeMaxRssMB: bareRss.maxRssBytes / MB,
      afterImportMaxRssMB: afterImport.maxRssBytes / MB,
    };
    report(context, figures);
    return figures;
  } finally {
    await server.close();
  }
}

function report(
  context: BenchContext,
  f: {
    medianPairRatio: number;
    pairRatios: number[];
    bareNodeMs: number;
    importMs: number;
    importInProcessMs: number;
    importAndChangeEventMs: number;
    importWithSourceMapsMs: number;
    bareNodeMaxRssMB: number;
    afterImportMaxRssMB: number;
  },
): void {
  const { log } = context;
  log('\nCold start (median wall time of a fresh process, spawn to exit):');
  log(`  node -e 0                                   ${fmt(f.bareNodeMs)} ms`);
  log(
    `  require(bundle)                             ${fmt(f.importMs)} ms  (median pair ratio ${fmt(f.medianPairRatio, 2)}x bare over ${f.pairRatios.length} A/B pairs; require alone ${fmt(f.importInProcessMs)} ms in-process)`,
  );
  log(
    `  require(bundle) + one change event, 0 ms    ${fmt(f.importAndChangeEventMs)} ms  (${fmt(f.importAndChangeEventMs / f.bareNodeMs, 2)}x bare)`,
  );
  log(
    `  require(bundle) with --enable-source-maps   ${fmt(f.importWithSourceMapsMs)} ms  (${fmt(f.importWithSourceMapsMs / f.bareNodeMs, 2)}x bare)  [why the stack leaves them off]`,
  );
  log(
    `  peak RSS: bare node ${fmt(f.bareNodeMaxRssMB)} MB, after require(bundle) ${fmt(f.afterImportMaxRssMB)} MB`,
  );
  context.targets.push({
    name: 'change-event import within 2x bare node (median A/B pair ratio)',
    measured: `${fmt(f.medianPairRatio, 2)}x (medians ${fmt(f.importMs)} ms vs ${fmt(f.bareNodeMs)} ms)`,
    limit: '2.00x',
    pass: f.medianPairRatio <= 2,
    note: `import + a whole change event at 0 ms latency: ${fmt(f.importAndChangeEventMs / f.bareNodeMs, 2)}x; with --enable-source-maps: ${fmt(f.importWithSourceMapsMs / f.bareNodeMs, 2)}x`,
  });
}
