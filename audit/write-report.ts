/**
 * The audit's fourth phase: write what the scan found in the chosen format (to stdout or
 * `--output-file`), then each failure and the summary line on stderr. A partial scan still writes the
 * findings of every account and region that answered; JSON then also carries the failures. A run that
 * stopped before scanning writes, in JSON, a document that says why, so the output is never empty. The
 * other formats cannot say a run stopped (an empty CSV, ASFF array or table reads as "no endpoints"), so
 * they write nothing, and an `--output-file` left by an earlier run is removed, and said so: a stale
 * report of COMPLIANT endpoints must never look like this run's.
 */
import { rm, writeFile } from 'node:fs/promises';

import type { AuditFinding } from './audit-finding';
import { errorText, type AuditRunContext } from './audit-run-context';
import type { RenderContext, ScanFailureEntry } from './findings-renderer';
import { OUTPUT_RENDERERS } from './output-renderers';
import { IGNORABLE_REGION_FAILURES } from './region-failure';
import { formatSummary } from './report-format';
import type { AuditReport } from './scan-accounts';

/**
 * The failures of a scan that make it partial (exit status 2), for the formats that carry them: every
 * account failure, and every region failure but those `--ignore-failed-regions` lets pass.
 *
 * @param report - what the scan found
 * @param ignoreFailedRegions - `--ignore-failed-regions`
 * @returns the failures, accounts first
 */
export function countedFailures(report: AuditReport, ignoreFailedRegions: boolean): ScanFailureEntry[] {
  return [
    ...report.accountFailures.map((f) => ({ accountId: f.accountId, kind: 'account', reason: f.message })),
    ...report.failures
      .filter((f) => !(ignoreFailedRegions && IGNORABLE_REGION_FAILURES.has(f.kind)))
      .map((f) => ({
        ...(f.accountId === undefined ? {} : { accountId: f.accountId }),
        region: f.region,
        kind: f.kind,
        reason: f.message,
      })),
  ];
}

/**
 * Writes rendered output to `--output-file` or stdout.
 *
 * @returns false when the file could not be written (said on stderr)
 */
async function writeOutput(run: AuditRunContext, text: string): Promise<boolean> {
  const file = run.options.outputFile;
  if (file === undefined) {
    run.streams.stdout.write(text);
    return true;
  }
  try {
    await writeFile(file, text);
    return true;
  } catch (error) {
    run.say(`audit: --output-file: could not write ${file}: ${errorText(error)}`);
    return false;
  }
}

function renderContext(
  run: AuditRunContext,
  partition: string,
  failures: readonly ScanFailureEntry[],
): RenderContext {
  const { options, streams, env } = run;
  const toTerminal = options.outputFile === undefined && streams.stdout.isTTY === true;
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return {
    partition,
    showAccount: options.organization !== undefined,
    ...(toTerminal && streams.stdout.columns !== undefined ? { width: streams.stdout.columns } : {}),
    color: toTerminal && options.color && !noColor,
    now: new Date(),
    failures,
  };
}

/**
 * Writes, for a run that stopped before scanning, the output formats that say so (JSON); for the
 * others, removes a stale `--output-file` and says it was not written.
 *
 * @param run - the options and streams
 * @param reason - why the run stopped
 */
export async function writeStoppedReport(run: AuditRunContext, reason: string): Promise<void> {
  const renderer = OUTPUT_RENDERERS[run.options.output];
  if (!renderer.writtenWhenStopped) {
    const file = run.options.outputFile;
    if (file === undefined) return;
    try {
      await rm(file, { force: true });
      run.say(
        `audit: --output-file: ${file} was not written (--output ${run.options.output} cannot say the run stopped); any earlier file of that name was removed.`,
      );
    } catch (error) {
      run.say(
        `audit: --output-file: ${file} was not written, and an earlier file of that name could not be removed (${errorText(error)}): it is NOT this run's report.`,
      );
    }
    return;
  }
  const failures = [{ kind: 'stopped', reason }];
  await writeOutput(run, renderer.render([], renderContext(run, 'aws', failures)));
}

/**
 * Writes the findings, the failures and the summary.
 *
 * @param run - the options and streams
 * @param partition - the caller's partition
 * @param report - what the scan found
 * @returns false when the output could not be written
 */
export async function writeReport(
  run: AuditRunContext,
  partition: string,
  report: AuditReport,
): Promise<boolean> {
  const { options } = run;
  const shown: readonly AuditFinding[] =
    options.statuses === undefined
      ? report.findings
      : report.findings.filter((f) => options.statuses?.includes(f.compliance));
  const rendered = OUTPUT_RENDERERS[options.output].render(
    shown,
    renderContext(run, partition, countedFailures(report, options.ignoreFailedRegions)),
  );
  const written = await writeOutput(run, rendered);
  if (!written) return false;

  const organization = options.organization !== undefined;
  const where = (accountId: string | undefined, region: string): string =>
    !organization || accountId === undefined ? region : `${accountId}/${region}`;
  for (const failure of report.failures)
    run.say(`audit: ${where(failure.accountId, failure.region)}: ${failure.message}`);
  for (const failure of report.accountFailures)
    run.say(`audit: account ${failure.accountId}: ${failure.message}`);
  run.say(
    formatSummary({
      findings: report.findings,
      regionsScanned: report.scanned.length,
      regionsWithoutEndpoints: report.scanned.filter((s) => s.endpoints === 0).length,
      accountsScanned: new Set(report.scanned.map((s) => s.accountId)).size,
      failedRegions: report.failures.map((f) => `${where(f.accountId, f.region)} (${f.kind})`),
      failedAccounts: report.accountFailures.map((f) => f.accountId),
    }),
  );
  return true;
}
