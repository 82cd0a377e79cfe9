/**
 * The Terraform half of `check-template`: reads plans written by `terraform show -json` (files, or `-`
 * for standard input), judges them with the Config rule's decision and reports as the CloudFormation
 * half does, one line per finding (or one JSON document) and a summary on standard error.
 */
import { readFileSync } from 'node:fs';
import type { RuleParameters } from '../rule/types';
import { isTerraformJson, MalformedTerraformPlanError, parseTerraformPlan } from '../policy/terraform-plan';
import { judgeTerraformPlan, type PlanFinding, type PlanJudgement } from '../policy/terraform-plan-judgement';

/** The argument that stands for standard input. */
export const STANDARD_INPUT = '-';

const TERRAFORM_JSON_START = /^\s*\{\s*"format_version"\s*:/;

/** How the plans came out: all pass, any fails, or some endpoint could not be judged (and none fails). */
export type PlanCheckVerdict = 'pass' | 'fail' | 'undetermined';

/** Where the plan check writes and what it reads for `-`. */
export interface PlanCheckIo {
  /** Receives the findings. */
  readonly stdout: { write(text: string): unknown };
  /** Receives the summary. */
  readonly stderr: { write(text: string): unknown };
  /**
   * Reads all of standard input.
   * @default the process's standard input
   */
  readonly readStdin?: () => string;
}

const LEVELS: Readonly<Record<PlanFinding['severity'], string>> = {
  failure: 'FAIL',
  warning: 'WARN',
  undetermined: 'UNJUDGED',
};

function readInput(input: string, io: PlanCheckIo): string {
  try {
    return input === STANDARD_INPUT
      ? (io.readStdin ?? (() => readFileSync(0, 'utf8')))()
      : readFileSync(input, 'utf8');
  } catch (error) {
    throw new MalformedTerraformPlanError(input, (error as Error).message);
  }
}

/**
 * Whether an input of `check-template` is a Terraform plan rather than a CloudFormation template: `-`, or
 * a JSON file with Terraform's `format_version`. Anything unreadable is left to the template reader,
 * which names the problem.
 *
 * @param input - a file, directory or `-`
 * @returns true for a plan
 */
export function isTerraformPlanInput(input: string): boolean {
  if (input === STANDARD_INPUT) return true;
  let text: string;
  try {
    text = readFileSync(input, 'utf8');
  } catch {
    return false;
  }
  try {
    return isTerraformJson(JSON.parse(text));
  } catch {
    // Terraform writes format_version first: a cut-off plan is still refused as a plan, by name.
    return TERRAFORM_JSON_START.test(text);
  }
}

/** The verdict of judged plans: a known failure outranks an endpoint that could not be judged. */
export function planCheckVerdict(judgements: readonly PlanJudgement[]): PlanCheckVerdict {
  const findings = judgements.flatMap((judgement) => judgement.findings);
  if (findings.some((finding) => finding.severity === 'failure')) return 'fail';
  return findings.some((finding) => finding.severity === 'undetermined') ? 'undetermined' : 'pass';
}

function count(findings: readonly PlanFinding[], severity: PlanFinding['severity']): number {
  return findings.filter((finding) => finding.severity === severity).length;
}

/**
 * Reads, parses and judges every plan before reporting anything, so a malformed plan stops the run with
 * nothing half-reported.
 *
 * @param inputs - plan files, or `-`
 * @param parameters - the rule's parsed parameters
 * @param output - `text` (one line a finding) or `json` (one document)
 * @param io - where to write
 * @returns the verdict
 * @throws MalformedTerraformPlanError when an input is not a readable plan
 */
export function checkTerraformPlans(
  inputs: readonly string[],
  parameters: RuleParameters,
  output: 'text' | 'json',
  io: PlanCheckIo,
): PlanCheckVerdict {
  const judgements = inputs.map((input) => {
    if (!isTerraformPlanInput(input)) {
      throw new MalformedTerraformPlanError(
        input,
        'not a Terraform plan, given with plans: check templates and plans in separate runs',
      );
    }
    const text = readInput(input, io);
    return judgeTerraformPlan(parseTerraformPlan(input, text), parameters);
  });
  const verdict = planCheckVerdict(judgements);
  const findings = judgements.flatMap((judgement) => judgement.findings);
  const summary = {
    plans: judgements.length,
    endpoints: judgements.reduce((sum, judgement) => sum + judgement.endpoints.length, 0),
    deletedEndpoints: judgements.reduce((sum, judgement) => sum + judgement.deletedEndpoints.length, 0),
    failures: count(findings, 'failure'),
    warnings: count(findings, 'warning'),
    undetermined: count(findings, 'undetermined'),
    verdict: { pass: 'PASS', fail: 'FAIL', undetermined: 'CANNOT JUDGE' }[verdict],
  };
  if (output === 'json') {
    io.stdout.write(`${JSON.stringify({ plans: judgements, findings, summary }, null, 2)}\n`);
  } else {
    for (const finding of findings) {
      io.stdout.write(
        `${LEVELS[finding.severity]} ${finding.plan} ${finding.address} ${finding.rule}: ${finding.message}\n`,
      );
    }
  }
  io.stderr.write(
    `check-template: ${summary.plans} Terraform plan(s), ${summary.endpoints} endpoint(s) judged, ${summary.deletedEndpoints} deleted (not judged), ${summary.failures} failure(s), ${summary.warnings} warning(s), ${summary.undetermined} not judged: ${summary.verdict}\n`,
  );
  return verdict;
}
