/**
 * The audit command, as a function of its checked options and streams that returns the exit status.
 * It runs five named phases: resolve the caller (profile, region, identity), plan the scan (accounts,
 * regions, automation roles), scan every account×region pair with the rule's sweep, report the
 * findings, and remediate when asked. cli/audit-command.ts reads the options; bin/ is the process edge.
 */
import { STSClient } from '@aws-sdk/client-sts';

import { clientConfig, createAuditClients, type AuditClients } from './audit-clients';
import { AuditStopError, type AuditRunContext, type AuditStreams } from './audit-run-context';
import { confirmAndRemediate } from './confirm-and-remediate';
import type { AuditOptions } from './options';
import { planScan } from './plan-scan';
import { IGNORABLE_REGION_FAILURES } from './region-failure';
import { resolveCaller, type ResolvedCaller } from './resolve-caller';
import { runScan } from './run-scan';
import type { AuditReport } from './scan-accounts';
import { withoutControlCharacters } from './terminal-text';
import { writeReport, writeStoppedReport } from './write-report';

export type { AuditStreams, TerminalStream } from './audit-run-context';

/** Exit status: 0 all compliant, 1 any NON_COMPLIANT, 2 on error or a partial scan. */
export type AuditExitCode = 0 | 1 | 2;

/** Warnings said before anything is called: endpoints redirected, regions newer than the SDK's list. */
function sayWarnings(run: AuditRunContext): void {
  for (const name of Object.keys(run.env)
    .filter((n) => /^AWS_ENDPOINT_URL(_|$)/.test(n))
    .sort()) {
    run.say(`audit: warning: ${name} is set (${run.env[name]}): calls go there, not to the AWS endpoints.`);
  }
  for (const warning of run.options.warnings) run.say(warning);
}

/** Whether the scan left anything unjudged that the options do not let pass. */
function scanFailed(options: AuditOptions, report: AuditReport): boolean {
  return (
    report.accountFailures.length > 0 ||
    report.failures.some((f) => !(options.ignoreFailedRegions && IGNORABLE_REGION_FAILURES.has(f.kind)))
  );
}

/** Scan, report and remediate, once the caller is known; the clients are the caller's to destroy. */
async function scanAndReport(
  run: AuditRunContext,
  caller: ResolvedCaller,
  sts: STSClient,
  singleAccountClients: Map<string, AuditClients>,
): Promise<AuditExitCode> {
  const scope = await planScan(run, caller);
  const report = await runScan(run, caller, scope, { sts, singleAccountClients });
  const noCredentials = report.failures.find((f) => f.kind === 'no-credentials');
  if (noCredentials !== undefined) throw new AuditStopError(noCredentials.message);
  if (!(await writeReport(run, caller.identity.partition, report))) return 2;

  const nonCompliant = report.findings.filter((f) => f.compliance === 'NON_COMPLIANT');
  let remediationFailed = false;
  if (run.options.remediate && nonCompliant.length > 0) {
    remediationFailed = await confirmAndRemediate(
      run,
      nonCompliant,
      scope.automationAssumeRoles,
      (region) => {
        let clients = singleAccountClients.get(region);
        if (clients === undefined)
          singleAccountClients.set(region, (clients = createAuditClients(region, caller.access)));
        return clients;
      },
    );
  }
  if (scanFailed(run.options, report) || remediationFailed) return 2;
  return nonCompliant.length > 0 ? 1 : 0;
}

async function audit(run: AuditRunContext): Promise<AuditExitCode> {
  if (run.options.remediate && !run.options.yes && run.streams.stdin.isTTY !== true) {
    throw new AuditStopError(
      '--remediate asks for confirmation, but stdin is not a terminal. Run it in a terminal, or add --yes to remediate without asking.',
    );
  }
  const caller = await resolveCaller(run);
  const sts = new STSClient(clientConfig(caller.home, caller.access));
  const singleAccountClients = new Map<string, AuditClients>();
  try {
    return await scanAndReport(run, caller, sts, singleAccountClients);
  } finally {
    sts.destroy();
    for (const c of singleAccountClients.values()) c.destroy();
  }
}

/**
 * Runs the audit command.
 *
 * @param options - the checked options
 * @param streams - stdout, stderr, stdin and the environment
 * @returns the exit status
 */
export async function runAudit(options: AuditOptions, streams: AuditStreams): Promise<AuditExitCode> {
  const run: AuditRunContext = {
    options,
    streams,
    env: streams.env ?? process.env,
    say: (text) => void streams.stderr.write(`${withoutControlCharacters(text, true)}\n`),
  };
  sayWarnings(run);
  try {
    return await audit(run);
  } catch (error) {
    if (!(error instanceof AuditStopError)) throw error;
    run.say(`audit: ${error.message}`);
    await writeStoppedReport(run, error.message);
    return 2;
  }
}
