/**
 * The demo's report as terminal text: the verdicts before, what the runbook did step by step, the
 * verdicts after and what was left alone. Colour is a choice of the caller (see `demo-command.ts`).
 */
import type { ComplianceType } from '../rule/types';
import type { DemoEndpoint } from '../sandbox/demo-organization';
import type { DemoReport, DemoRemediation, DemoVerdict } from '../sandbox/demo-scenario';

/** SGR styles the text uses; identity functions when colour is off. */
export interface TextStyle {
  /** Headings. */
  readonly bold: (text: string) => string;
  /** Secondary text: annotations, step lists. */
  readonly dim: (text: string) => string;
  /** A verdict, in its colour. */
  readonly verdict: (compliance: ComplianceType) => string;
}

const SGR: Readonly<Record<string, [number, number]>> = {
  bold: [1, 22],
  dim: [2, 22],
  green: [32, 39],
  red: [31, 39],
  yellow: [33, 39],
};

// A failed execution that changed nothing is the runbook refusing a fix that could not succeed.
function outcomeOf(run: DemoRemediation): string {
  if (run.status === 'Failed' && run.changes.length === 0) return 'Refused before any change';
  return run.status;
}

function sgr(name: keyof typeof SGR, text: string): string {
  const [on, off] = SGR[name] as [number, number];
  return `\u001b[${on}m${text}\u001b[${off}m`;
}

const VERDICT_COLOUR: Readonly<Record<ComplianceType, keyof typeof SGR>> = {
  COMPLIANT: 'green',
  NON_COMPLIANT: 'red',
  NOT_APPLICABLE: 'yellow',
};

/**
 * The style of the text: ANSI colours, or none.
 *
 * @param colour - whether to colour
 * @returns the style functions
 */
export function textStyle(colour: boolean): TextStyle {
  const plain = (text: string) => text;
  return {
    bold: colour ? (text) => sgr('bold', text) : plain,
    dim: colour ? (text) => sgr('dim', text) : plain,
    verdict: (compliance) =>
      colour ? sgr(VERDICT_COLOUR[compliance], compliance.padEnd(14)) : compliance.padEnd(14),
  };
}

function accountName(report: DemoReport, accountId: string): string {
  return report.accounts.find((a) => a.id === accountId)?.name ?? accountId;
}

function where(report: DemoReport, endpoint: DemoEndpoint): string {
  return `${endpoint.accountId} (${accountName(report, endpoint.accountId)}) ${endpoint.region}`;
}

function verdictLines(report: DemoReport, verdicts: readonly DemoVerdict[], style: TextStyle): string[] {
  return verdicts.flatMap((v) => [
    `  ${style.verdict(v.compliance)} ${v.endpointId}  ${where(report, v).padEnd(40)} ${v.situation}`,
    ...(v.annotation === undefined ? [] : [style.dim(`      ${v.annotation}`)]),
  ]);
}

function remediationLines(report: DemoReport, run: DemoRemediation, style: TextStyle): string[] {
  const steps = run.steps.map((s) => (s.status === 'Success' ? s.name : `${s.name} (FAILED)`)).join(' > ');
  const changes =
    run.changes.length === 0
      ? [`      changed nothing`]
      : run.changes.map((c) => `      changed: ${c.service}:${c.api}  ${c.summary}`);
  return [
    `  ${run.endpointId}  ${where(report, run)}  ${run.situation}: ${outcomeOf(run)}`,
    style.dim(`      steps: ${steps}`),
    ...(run.failureMessage === undefined ? [] : [`      failure: ${run.failureMessage}`]),
    ...changes,
  ];
}

function count(verdicts: readonly DemoVerdict[], compliance: ComplianceType): number {
  return verdicts.filter((v) => v.compliance === compliance).length;
}

/**
 * Renders the demo's report for a terminal.
 *
 * @param report - what the demo found and did
 * @param style - colours, or none
 * @returns the text, ending in a newline
 */
export function demoReportText(report: DemoReport, style: TextStyle): string {
  const parameters = Object.entries(report.ruleParameters)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  const fixed = report.remediations.filter((r) =>
    report.after.some((a) => a.endpointId === r.endpointId && a.compliance === 'COMPLIANT'),
  ).length;
  return [
    style.bold(
      `A sample organization (${report.accounts.length} accounts x ${report.regions.length} regions) on a loopback AWS at 127.0.0.1: no AWS account, credentials or network used.`,
    ),
    `Rule parameters: ${parameters}`,
    '',
    style.bold(
      '1. The rule judges every endpoint (rule/sweep.ts, the code the Lambda runs, through the AWS SDK)',
    ),
    ...verdictLines(report, report.before, style),
    '',
    style.bold(
      '2. The remediation runbook runs for each NON_COMPLIANT endpoint, step by step (its Python step in Python)',
    ),
    ...report.remediations.flatMap((run) => remediationLines(report, run, style)),
    '',
    style.bold('3. The rule judges again'),
    ...verdictLines(report, report.after, style),
    '',
    style.bold('Left alone, and why'),
    ...report.leftAlone.map((l) => `  ${l.endpointId}  ${l.situation}: ${l.reason}`),
    '',
    `${fixed} of ${report.remediations.length} NON_COMPLIANT endpoints fixed by the runbook; ` +
      `after: ${count(report.after, 'COMPLIANT')} COMPLIANT, ${count(report.after, 'NON_COMPLIANT')} NON_COMPLIANT (need a person), ` +
      `${count(report.after, 'NOT_APPLICABLE')} NOT_APPLICABLE.`,
    '',
  ].join('\n');
}
