/**
 * The audit's last phase, with `--remediate`: list the NON_COMPLIANT endpoints, ask for confirmation
 * (unless `--yes`), start the runbook for each, and say what was started and what could not be.
 */
import { askConfirmation } from './ask-confirmation';
import type { AuditClientsFactory } from './audit-clients';
import type { AuditFinding } from './audit-finding';
import type { AuditRunContext } from './audit-run-context';
import { remediateEndpoints, type RemediationOutcome } from './remediate-endpoints';
import { runbookParametersFor } from './runbook-parameters';

/** Says each outcome; a region-wide problem once. Returns whether any start failed. */
function sayOutcomes(run: AuditRunContext, outcomes: readonly RemediationOutcome[]): boolean {
  let failed = false;
  const saidForRegion = new Set<string>();
  for (const o of outcomes) {
    if (o.automationExecutionId !== undefined) {
      run.say(`  started ${o.automationExecutionId} for ${o.endpointId} (${o.region})`);
      continue;
    }
    failed = true;
    if (!o.regionWide) {
      run.say(`  could not start for ${o.endpointId} (${o.region}): ${o.problem}`);
    } else if (!saidForRegion.has(o.region)) {
      saidForRegion.add(o.region);
      run.say(`  ${o.problem}`);
    }
  }
  return failed;
}

/**
 * Remediates the NON_COMPLIANT endpoints after confirmation.
 *
 * @param run - the options, streams and stderr
 * @param nonCompliant - the NON_COMPLIANT findings
 * @param automationAssumeRoles - each region's automation role
 * @param clientsFor - a region's clients
 * @returns true when any runbook start failed
 */
export async function confirmAndRemediate(
  run: AuditRunContext,
  nonCompliant: readonly AuditFinding[],
  automationAssumeRoles: ReadonlyMap<string, string>,
  clientsFor: AuditClientsFactory,
): Promise<boolean> {
  const { options, streams } = run;
  run.say(
    `\n${nonCompliant.length} NON_COMPLIANT endpoint(s) to remediate with the runbook ${options.documentName}:`,
  );
  for (const f of nonCompliant) run.say(`  ${f.region}  ${f.endpointId}`);
  const go =
    options.yes ||
    (await askConfirmation(
      `Start ${options.documentName} for these ${nonCompliant.length} endpoint(s)?`,
      streams.stdin,
      streams.stderr,
    ));
  if (!go) {
    run.say('Remediation cancelled; nothing was started.');
    return false;
  }
  const outcomes = await remediateEndpoints(nonCompliant, {
    documentName: options.documentName,
    automationAssumeRoles,
    runbookParameters: runbookParametersFor(options.parameters),
    clientsFor,
  });
  return sayOutcomes(run, outcomes);
}
