import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { App, Stack } from 'aws-cdk-lib';

import { RuleEvaluationFunction } from '../../infra/constructs/rule-evaluation-function';
import { startLoopbackServer, type LoopbackServer } from '../../sandbox/aws-loopback-server';
import { changeEvent, RULE_NAME, scheduledEvent } from '../../sandbox/config-rule-events';
import { loopbackEnvironment, loopbackFunctionContext } from '../../sandbox/loopback-environment';
import {
  endpointIdOf,
  LOOPBACK_ACCOUNT_ID,
  loopbackWorld,
  sweepWorld,
  worldRegion,
  type WorldEndpoint,
} from '../../sandbox/loopback-world';

const run = promisify(execFile);
const REGION = 'eu-west-1';

// The bundle the stack deploys (index.js plus the SDK modules bundled apart into its node_modules/),
// run the way Lambda runs it: plain Node, a fresh process, no TypeScript, no jest module registry.
describe('the deployed Lambda bundle on the wire', () => {
  let assetDir: string;
  let server: LoopbackServer | undefined;

  beforeAll(() => {
    // Prepare: synthesise only the function; bundling is the slow part.
    const outdir = mkdtempSync(join(tmpdir(), 'cdk-bundle-'));
    const app = new App({ outdir });
    new RuleEvaluationFunction(new Stack(app, 'BundleUnderTest'), 'RuleFunction');
    app.synth();
    const [asset] = readdirSync(outdir).filter((name) => existsSync(join(outdir, name, 'index.js')));
    assetDir = join(outdir, asset as string);
  }, 180_000);

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Runs the bundle's handler as Lambda would, with a function context in the loopback world's account. */
  async function invoke(event: object, environment: Record<string, string> = {}): Promise<void> {
    const context = loopbackFunctionContext(REGION);
    const script = `require(${JSON.stringify(join(assetDir, 'index.js'))}).handler(JSON.parse(process.argv[1]), JSON.parse(process.argv[2]))
      .catch((error) => { console.error(error); process.exitCode = 1; });`;
    await run(process.execPath, ['-e', script, JSON.stringify(event), JSON.stringify(context)], {
      cwd: assetDir,
      env: {
        PATH: process.env.PATH ?? '',
        ...loopbackEnvironment((server as LoopbackServer).url, REGION),
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        POWERTOOLS_METRICS_DISABLED: 'true',
        ...environment,
      },
    });
  }

  it('judges a change event with the main file alone: one look-up, one put, no EC2 call', async () => {
    // Prepare
    const endpoint: WorldEndpoint = {
      endpointId: endpointIdOf(0xa1),
      status: 'available',
      enabled: true,
      logGroup: '/aws/clientvpn/prod',
    };
    server = await startLoopbackServer({
      world: loopbackWorld({
        [REGION]: worldRegion({
          endpoints: [endpoint],
          logGroups: [{ name: '/aws/clientvpn/prod', retentionInDays: 7 }],
          configRuleName: RULE_NAME,
        }),
      }),
    });

    // Act
    await invoke(changeEvent(REGION, endpoint, { minRetentionDays: '365' }));

    // Assess
    expect(server.calls.map((call) => call.operation)).toEqual(['DescribeLogGroups', 'PutEvaluations']);
    expect(server.world.receivedEvaluations).toMatchObject([
      { resourceId: endpoint.endpointId, complianceType: 'NON_COMPLIANT' },
    ]);
  });

  it('sweeps through the separately bundled EC2 client, across pages', async () => {
    // Prepare
    server = await startLoopbackServer({ world: sweepWorld(REGION, 1500, 20, RULE_NAME) });

    // Act
    await invoke(scheduledEvent(REGION));

    // Assess
    expect(server.callsOf('DescribeClientVpnEndpoints')).toHaveLength(2);
    expect(server.world.receivedEvaluations).toHaveLength(1500);
    expect(new Set(server.world.receivedEvaluations.map((e) => e.complianceType))).toEqual(
      new Set(['COMPLIANT', 'NON_COMPLIANT']),
    );
  });

  it('reads keys, connections and streams through the separately bundled KMS and EC2 clients', async () => {
    // Prepare
    const keyId = '1a1a1a1a-0000-4000-8000-00000000000d';
    const endpoint: WorldEndpoint = {
      endpointId: endpointIdOf(0xa2),
      status: 'available',
      enabled: true,
      logGroup: '/aws/clientvpn/prod',
      connections: [
        { connectionId: 'cvpn-connection-0000000000000000a', establishedTime: '2026-11-20 09:41:07' },
      ],
    };
    server = await startLoopbackServer({
      world: loopbackWorld({
        [REGION]: worldRegion({
          endpoints: [endpoint],
          logGroups: [
            {
              name: '/aws/clientvpn/prod',
              kmsKeyId: `arn:aws:kms:${REGION}:123456789012:key/${keyId}`,
              streams: [{ name: 's', lastEventTimestamp: 1763631000000, lastIngestionTime: 1763631000000 }],
            },
          ],
          // Enabled: a key that already failed the endpoint would spare it the delivery look-ups.
          keys: [{ keyId, keyState: 'Enabled' }],
          configRuleName: RULE_NAME,
        }),
      }),
    });

    // Act
    await invoke(changeEvent(REGION, endpoint, { verifyDelivery: 'true' }));

    // Assess
    expect(server.calls.map((call) => call.operation).sort()).toEqual([
      'DescribeClientVpnConnections',
      'DescribeKey',
      'DescribeLogGroups',
      'DescribeLogStreams',
      'PutEvaluations',
    ]);
    expect(server.world.receivedEvaluations[0]?.annotation).toMatch(
      /has ingested nothing since a connection/,
    );
  });

  it('assumes the execution role through the separately bundled STS client in organization mode', async () => {
    // Prepare
    server = await startLoopbackServer({ world: sweepWorld(REGION, 3, 1, RULE_NAME) });

    // Act
    await invoke(scheduledEvent(REGION), { EXECUTION_ROLE_NAME: 'ClientVpnRuleEvaluation' });

    // Assess
    expect(server.calls[0]?.operation).toBe('AssumeRole');
    expect(server.calls[0]?.params.RoleArn).toBe(
      `arn:aws:iam::${LOOPBACK_ACCOUNT_ID}:role/ClientVpnRuleEvaluation`,
    );
    expect(server.world.receivedEvaluations).toHaveLength(3);
  });
});
