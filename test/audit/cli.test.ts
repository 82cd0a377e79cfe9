import { execFile } from 'node:child_process';
import { join } from 'node:path';

import { parse } from 'csv-parse/sync';

import { startLoopbackServer, type LoopbackServer } from '../../sandbox/aws-loopback-server';
import { loopbackEnvironment } from '../../sandbox/loopback-environment';
import { endpointIdOf, LOOPBACK_ACCOUNT_ID, loopbackWorld, worldRegion } from '../../sandbox/loopback-world';

const ROOT = join(__dirname, '..', '..');

interface ProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

// A real child process, as a user's shell starts it: only PATH and HOME (npm's cache) from this
// process, so nothing the test runner set (npm_config_*, the SDK warning switch) leaks in.
function run(file: string, args: string[], env: Record<string, string>): Promise<ProcessRun> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('the client-vpn-logging bin (the process edge)', () => {
  let server: LoopbackServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startLoopbackServer({
      world: loopbackWorld({
        'eu-west-1': worldRegion({
          endpoints: [{ endpointId: endpointIdOf(1), status: 'available', enabled: false }],
        }),
      }),
    });
    env = loopbackEnvironment(server.url, 'eu-west-1');
  });

  afterAll(() => server.close());

  it('runs as `npx client-vpn-logging audit` from the clone, with only the JSON findings on stdout', async () => {
    const result = await run('npx', ['client-vpn-logging', 'audit', '--output', 'json'], env);

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([
      expect.objectContaining({
        accountId: LOOPBACK_ACCOUNT_ID,
        region: 'eu-west-1',
        endpointId: endpointIdOf(1),
        compliance: 'NON_COMPLIANT',
      }),
    ]);
    // The SDK's Node-version warning is silenced by the bin, deliberately; the summary goes to stderr.
    expect(result.stderr).not.toMatch(/NodeVersionSupportWarning/);
    expect(result.stderr).toMatch(/^Summary: 1 endpoint\(s\): 0 COMPLIANT, 1 NON_COMPLIANT/m);
  });

  it('runs as `npm run -s audit --`, with only the CSV findings on stdout', async () => {
    const result = await run('npm', ['run', '-s', 'audit', '--', '--output', 'csv'], env);

    expect(result.code).toBe(1);
    const rows = parse(result.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      {
        accountId: LOOPBACK_ACCOUNT_ID,
        region: 'eu-west-1',
        endpointId: endpointIdOf(1),
        compliance: 'NON_COMPLIANT',
        logGroupName: '',
        logGroupLookup: 'not-checked',
        retentionInDays: '',
        kmsKeyId: '',
        annotation: expect.stringMatching(/connection logging/i),
      },
    ]);
  });

  it('exits 2 on an unknown option, suggesting the one meant, with nothing on stdout', async () => {
    const result = await run(
      'node',
      [join(ROOT, 'bin', 'client-vpn-logging.js'), 'audit', '--outptu', 'json'],
      env,
    );

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("error: unknown option '--outptu'\n(Did you mean --output?)");
  });

  it("prints the program's help, naming the audit command, and exits 0", async () => {
    const result = await run('node', [join(ROOT, 'bin', 'client-vpn-logging.js'), '--help'], env);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: client-vpn-logging \[options\] \[command\]/);
    expect(result.stdout).toMatch(/^\s+audit \[options\]/m);
  });
});
