import { execFile } from 'node:child_process';
import { join } from 'node:path';

import { startLoopbackServer, type LoopbackServer } from '../wire/aws-loopback-server';
import { loopbackEnvironment } from '../wire/loopback-environment';
import { endpointIdOf, loopbackWorld, worldRegion } from '../wire/loopback-world';

const ROOT = join(__dirname, '..', '..');

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      join(ROOT, 'node_modules', '.bin', 'tsx'),
      [join(ROOT, 'audit', 'cli.ts'), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('npm run audit (the process edge)', () => {
  let server: LoopbackServer;

  beforeAll(async () => {
    server = await startLoopbackServer({
      world: loopbackWorld({
        'eu-west-1': worldRegion({
          endpoints: [{ endpointId: endpointIdOf(1), status: 'available', enabled: false }],
        }),
      }),
    });
  });

  afterAll(() => server.close());

  it('exits 1 with the JSON findings on stdout when an endpoint is NON_COMPLIANT', async () => {
    const run = await runCli(['--output', 'json'], loopbackEnvironment(server.url, 'eu-west-1'));

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual([
      expect.objectContaining({ endpointId: endpointIdOf(1), compliance: 'NON_COMPLIANT' }),
    ]);
  });

  it('exits 2 with a message naming the bad option', async () => {
    const run = await runCli(['--outptu', 'json'], loopbackEnvironment(server.url, 'eu-west-1'));

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--outptu: unknown option');
  });
});
