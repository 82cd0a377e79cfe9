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

/** What to evaluate, and with which parameters. */
export interface GuardEvaluationInput {
  /** Absolute paths of the templates (JSON or YAML). */
  readonly templatePaths: readonly string[];
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
 * Runs the Client VPN connection-logging policy (blocking rules and advisories) on templates with the
 * real cfn-guard engine, one finding per broken rule and endpoint.
 *
 * @param input - the templates, parameters and binary
 * @returns the findings, failures and warnings, in Guard's order
 * @throws CfnGuardError when cfn-guard cannot evaluate
 */
export function evaluateTemplatesWithGuard(input: GuardEvaluationInput): PolicyFinding[] {
  const parameters = input.parameters ?? DEFAULT_RULE_PARAMETERS;
  if (input.templatePaths.length === 0) return [];
  const rules = policyRules(parameters);
  const directory = mkdtempSync(path.join(tmpdir(), 'client-vpn-guard-'));
  try {
    const policyFile = path.join(directory, POLICY_FILE_NAME);
    const advisoriesFile = path.join(directory, ADVISORIES_FILE_NAME);
    writeFileSync(policyFile, renderConnectionLoggingPolicy(parameters));
    writeFileSync(advisoriesFile, renderConnectionLoggingAdvisories(parameters));
    const guard = spawnSync(
      input.guardBinary ?? cfnGuardBinaryPath(),
      [
        'validate',
        '--rules',
        policyFile,
        '--rules',
        advisoriesFile,
        ...input.templatePaths.flatMap((template) => ['--data', template]),
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
    let results: GuardFileResult[];
    try {
      results = JSON.parse(guard.stdout) as GuardFileResult[];
    } catch {
      throw new CfnGuardError(`cfn-guard printed no JSON: ${guard.stdout.slice(0, 500)}`);
    }
    const findings: PolicyFinding[] = [];
    results.forEach((result, index) => {
      // Guard names each result after its data file; the order given is the fallback.
      const template =
        input.templatePaths.find((candidate) => path.resolve(candidate) === path.resolve(result.name)) ??
        input.templatePaths[index] ??
        result.name;
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
    });
    return findings;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
