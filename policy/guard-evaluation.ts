import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEFAULT_RULE_PARAMETERS } from '../rule/parameters';
import { cfnGuardBinaryPath } from './cfn-guard-binary';
import {
  ADVISORIES_FILE_NAME,
  POLICY_FILE_NAME,
  type FindingSeverity,
  type PolicyParameters,
  policyRules,
  renderConnectionLoggingAdvisories,
  renderConnectionLoggingPolicy,
} from './connection-logging-policy';
import { PolicyError } from './policy-error';

/** cfn-guard could not evaluate (a rule file or data error, a crash); its own message is kept. */
export class CfnGuardError extends PolicyError {
  public override readonly name = 'CfnGuardError';
}

/** One rule the policy found broken for one endpoint of one template. */
export interface PolicyFinding {
  /** The template file, as given to the evaluation. */
  readonly template: string;
  /** The endpoint's logical ID, when Guard's report names a resource. */
  readonly logicalId?: string;
  /** The Guard rule name. */
  readonly rule: string;
  /** `failure` refuses the template; `warning` is reported only. */
  readonly severity: FindingSeverity;
  /** One line naming the endpoint, what is wrong and the fix. */
  readonly message: string;
}

/** One parsed template to evaluate, under the name its findings carry. */
export interface GuardTemplate {
  /** The template as reported in findings. */
  readonly name: string;
  /** The parsed template: Guard judges exactly this object, the one the caller counted endpoints in. */
  readonly body: Readonly<Record<string, unknown>>;
}

/** What to evaluate, and with which parameters. */
export interface GuardEvaluationInput {
  /** The parsed templates. */
  readonly templates: readonly GuardTemplate[];
  /**
   * The rule parameters the policy is rendered for.
   * @default the Config rule's defaults
   */
  readonly parameters?: PolicyParameters;
  /**
   * The cfn-guard binary.
   * @default the one inside @cdklabs/cdk-validator-cfnguard
   */
  readonly guardBinary?: string;
}

// cfn-guard exit codes: 0 all pass, 19 some rule failed; anything else is an error.
// https://docs.aws.amazon.com/cfn-guard/latest/ug/cfn-guard-validate.html
const GUARD_PASS = 0;
const GUARD_FAIL = 19;

// cfn-guard reads a data file only if its name ends in .json, .yaml, .yml, .jsn or .template and
// silently reports nothing for any other (a template named bad.txt passed unseen). So each template is
// staged as <index>.json, normalized JSON of what we parsed, and the findings map back by index.
const STAGED_FILE = /^(\d+)\.json$/;

interface GuardFileResult {
  readonly name: string;
  readonly not_compliant?: readonly { readonly Rule?: { readonly name: string; readonly checks: unknown } }[];
}

// Guard's structured output nests checks differently per clause kind; the resource is the second
// segment of the path of whatever value a check compared or failed to reach.
function resourcePaths(node: unknown, found: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) resourcePaths(item, found);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  // A binary check names its subject `from`; a unary one (is_string, exists) `value`.
  for (const key of ['from', 'traversed_to', 'value']) {
    const value = record[key] as { path?: unknown } | undefined;
    if (value && typeof value.path === 'string') {
      const match = /^\/Resources\/([^/]+)/.exec(value.path);
      if (match) found.add(match[1]);
    }
  }
  for (const [key, value] of Object.entries(record))
    if (key !== 'from' && key !== 'to') resourcePaths(value, found);
}

/**
 * Guard's results, each with the index of the staged template it judged: exactly one result for every
 * template handed to it, or an error, since a template Guard did not report on was not judged.
 */
function reportedResults(stdout: string, count: number): [number, GuardFileResult][] {
  let results: unknown;
  try {
    results = JSON.parse(stdout);
  } catch {
    throw new CfnGuardError(`cfn-guard printed no JSON: ${stdout.slice(0, 500)}`);
  }
  if (!Array.isArray(results))
    throw new CfnGuardError('cfn-guard printed JSON that is not a list of results');
  const indexed = new Map<number, GuardFileResult>();
  for (const result of results as GuardFileResult[]) {
    const match = STAGED_FILE.exec(path.basename(String(result?.name)));
    const index = match ? Number(match[1]) : -1;
    if (index < 0 || index >= count || indexed.has(index)) {
      throw new CfnGuardError(
        `cfn-guard reported on ${String(result?.name)}, not one of the templates handed to it`,
      );
    }
    indexed.set(index, result);
  }
  if (indexed.size !== count) {
    throw new CfnGuardError(
      `cfn-guard reported on ${indexed.size} of the ${count} template(s) handed to it; the others were not judged`,
    );
  }
  return [...indexed.entries()].sort(([a], [b]) => a - b);
}

/**
 * Runs the Client VPN connection-logging policy (blocking rules and advisories) on templates with the
 * real cfn-guard engine, one finding per broken rule and endpoint. Each template is handed to Guard
 * as a staged JSON copy of its parsed body, so Guard judges exactly what the caller counted.
 *
 * @param input - the templates, parameters and binary
 * @returns the findings, failures and warnings, in Guard's order
 * @throws CfnGuardError when cfn-guard cannot evaluate, or does not report on every template once
 */
export function evaluateTemplatesWithGuard(input: GuardEvaluationInput): PolicyFinding[] {
  const parameters = input.parameters ?? DEFAULT_RULE_PARAMETERS;
  if (input.templates.length === 0) return [];
  const rules = policyRules(parameters);
  const directory = mkdtempSync(path.join(tmpdir(), 'client-vpn-guard-'));
  try {
    const policyFile = path.join(directory, POLICY_FILE_NAME);
    const advisoriesFile = path.join(directory, ADVISORIES_FILE_NAME);
    writeFileSync(policyFile, renderConnectionLoggingPolicy(parameters));
    writeFileSync(advisoriesFile, renderConnectionLoggingAdvisories(parameters));
    const stagedPaths = input.templates.map((template, index) => {
      const staged = path.join(directory, `${index}.json`);
      writeFileSync(staged, JSON.stringify(template.body));
      return staged;
    });
    const guard = spawnSync(
      input.guardBinary ?? cfnGuardBinaryPath(),
      [
        'validate',
        '--rules',
        policyFile,
        '--rules',
        advisoriesFile,
        ...stagedPaths.flatMap((staged) => ['--data', staged]),
        '--output-format',
        'json',
        '--show-summary',
        'none',
        '--structured',
      ],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    if (guard.error) throw new CfnGuardError(`cfn-guard could not run: ${guard.error.message}`);
    if (guard.status !== GUARD_PASS && guard.status !== GUARD_FAIL) {
      throw new CfnGuardError(
        `cfn-guard exited with ${guard.status ?? guard.signal}: ${(guard.stderr || guard.stdout).trim().slice(0, 2000)}`,
      );
    }
    const findings: PolicyFinding[] = [];
    for (const [index, result] of reportedResults(guard.stdout, input.templates.length)) {
      const template = input.templates[index].name;
      for (const failed of result.not_compliant ?? []) {
        if (!failed.Rule) continue;
        const rule = rules[failed.Rule.name];
        const severity: FindingSeverity = rule?.severity ?? 'failure';
        const describe = (subject: string): string =>
          rule
            ? `${subject}: ${rule.violation}. Fix: ${rule.fix}.`
            : `${subject}: Guard rule ${failed.Rule?.name} failed.`;
        const logicalIds = new Set<string>();
        resourcePaths(failed.Rule.checks, logicalIds);
        if (logicalIds.size === 0) {
          findings.push({ template, rule: failed.Rule.name, severity, message: describe('the template') });
        }
        for (const logicalId of logicalIds) {
          findings.push({
            template,
            logicalId,
            rule: failed.Rule.name,
            severity,
            message: describe(`Client VPN endpoint ${logicalId}`),
          });
        }
      }
    }
    return findings;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
