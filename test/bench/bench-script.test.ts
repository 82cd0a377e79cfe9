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

// The benchmark itself is never run by a test (its figures are not test results); these check only
// that it refuses, before measuring anything, what would put partial figures in the committed file.
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
      '--only: expected some of cold-start,change-event,sweeps,organization,drift-trigger, got "organisation"',
    );
  });
});
