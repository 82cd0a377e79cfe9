import { execFile } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function bench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '-s', 'bench', '--', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

// The benchmark's figures are never test results: these check that it refuses, before measuring anything,
// what would put partial figures in the committed file, and that one part prints only itself.
describe('npm run bench (its options)', () => {
  it('refuses --update with --only, so the committed figures always come from a whole run', async () => {
    const run = await bench(['--update', '--only', 'organization']);

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(
      '--update writes the committed figures, which come from a whole run: drop --only',
    );
    expect(run.stdout).toBe('');
  });

  it('names an unknown part of --only', async () => {
    const run = await bench(['--only', 'organisation']);

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(
      '--only: expected some of cold-start,change-event,sweeps,drift-trigger,organization, got "organisation"',
    );
  });

  it('prints only the part --only names, with no NaN where a figure of another part would be', async () => {
    // Act
    const run = await bench(['--only', 'change-event', '--latency-ms', '0', '--runs', '1']);

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Change event (3 processes, median): 2 calls per invocation');
    expect(run.stdout).not.toMatch(/NaN|Cold start|Sweep of|Organization audit|Drift trigger/);
    expect(run.stdout).toContain('PASS  change event: calls equal the minimum');
  });
});
