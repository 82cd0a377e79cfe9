/**
 * `npm run audit -- [options]`: the process edge of the audit command. All behaviour is in
 * `runAudit`; this only wires the process's streams and exit status to it.
 */
import { runAudit } from './run-audit';

runAudit(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`audit: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
