/**
 * `client-vpn-logging check-template <file or cdk.out directory>...`: the Client VPN connection-logging
 * policy on CloudFormation templates, offline, with the real cfn-guard engine; Terraform plans go to
 * `check-terraform-plans.ts`. Exit status: 0 when every template passes (warnings allowed), 1 when any
 * fails, 2 on unreadable input or bad options, or a plan's endpoint that cannot be judged.
 */
import { Command, CommanderError, Option } from 'commander';
import { InvalidRuleParameterError } from '../rule/errors';
import { parseRuleParameters } from '../rule/parameters';
import type { RuleParameters } from '../rule/types';
import { CfnGuardBinaryNotFoundError } from '../policy/cfn-guard-binary';
import { CfnGuardError, evaluateTemplatesWithGuard, type PolicyFinding } from '../policy/guard-evaluation';
import { readTemplateFiles, UnreadableTemplateError } from '../policy/template-files';
import { MalformedTerraformPlanError } from '../policy/terraform-plan';
import { checkTerraformPlans, isTerraformPlanInput } from './check-terraform-plans';

/** The exit statuses of `check-template`. */
export const CHECK_TEMPLATE_EXIT = { pass: 0, fail: 1, unreadable: 2 } as const;

/** Where `check-template` writes and how it ends, so tests run it in-process. */
export interface CheckTemplateIo {
  /** Receives the findings, one line each. */
  readonly stdout: { write(text: string): unknown };
  /** Receives the summary and errors. */
  readonly stderr: { write(text: string): unknown };
  /** Records the exit status. */
  setExitCode(code: number): void;
  /**
   * Reads all of standard input, for a Terraform plan given as `-`.
   * @default the process's standard input
   */
  readonly readStdin?: () => string;
}

const PROCESS_IO: CheckTemplateIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

/** The options as commander parses them. */
interface CheckTemplateOptions {
  readonly ruleParameters?: string;
  readonly minRetentionDays?: string;
  readonly requireKmsEncryption?: boolean;
  readonly logGroupNamePrefix?: string;
  /**
   * `text` (one line a finding) or `json` (one document on standard output).
   * @default 'text'
   */
  readonly output?: 'text' | 'json';
}

// The same parser as the Config rule's ruleParameters, so both controls accept and refuse alike.
function parametersFrom(options: CheckTemplateOptions): RuleParameters {
  let base: Record<string, unknown> = {};
  if (options.ruleParameters !== undefined) {
    try {
      base = JSON.parse(options.ruleParameters) as Record<string, unknown>;
    } catch {
      throw new InvalidRuleParameterError('--rule-parameters', 'not valid JSON');
    }
  }
  const merged: Record<string, unknown> = { ...base };
  if (options.minRetentionDays !== undefined) merged.minRetentionDays = options.minRetentionDays;
  if (options.requireKmsEncryption) merged.requireKmsEncryption = 'true';
  if (options.logGroupNamePrefix !== undefined) merged.logGroupNamePrefix = options.logGroupNamePrefix;
  return parseRuleParameters(JSON.stringify(merged));
}

function formatFinding(finding: PolicyFinding): string {
  const level = finding.severity === 'failure' ? 'FAIL' : 'WARN';
  return `${level} ${finding.template} ${finding.logicalId ?? '-'} ${finding.rule}: ${finding.message}\n`;
}

/**
 * Runs `check-template` on inputs with parsed options.
 *
 * @param inputs - template files and cloud-assembly directories
 * @param options - the rule parameter options
 * @param io - where to write and how to end
 * @returns the exit status, also given to `io.setExitCode`
 */
export function runCheckTemplate(
  inputs: readonly string[],
  options: CheckTemplateOptions,
  io: CheckTemplateIo = PROCESS_IO,
): number {
  const end = (code: number): number => {
    io.setExitCode(code);
    return code;
  };
  let findings: PolicyFinding[];
  let count: number;
  try {
    const parameters = parametersFrom(options);
    // Terraform plans (`terraform show -json`, or `-`) are judged by their own module.
    if (inputs.some(isTerraformPlanInput)) {
      const verdict = checkTerraformPlans(inputs, parameters, options.output ?? 'text', io);
      return end(verdict === 'undetermined' ? CHECK_TEMPLATE_EXIT.unreadable : CHECK_TEMPLATE_EXIT[verdict]);
    }
    const templates = readTemplateFiles(inputs);
    count = templates.length;
    const byPath = new Map(templates.map((template) => [template.path, template.displayName]));
    findings = evaluateTemplatesWithGuard({
      templatePaths: templates.map((template) => template.path),
      parameters,
    }).map((finding) => ({ ...finding, template: byPath.get(finding.template) ?? finding.template }));
  } catch (error) {
    if (
      error instanceof UnreadableTemplateError ||
      error instanceof MalformedTerraformPlanError ||
      error instanceof InvalidRuleParameterError ||
      error instanceof CfnGuardError ||
      error instanceof CfnGuardBinaryNotFoundError
    ) {
      io.stderr.write(`check-template: ${error.message}\n`);
      return end(CHECK_TEMPLATE_EXIT.unreadable);
    }
    throw error;
  }
  const failures = findings.filter((finding) => finding.severity === 'failure').length;
  const warnings = findings.length - failures;
  if (options.output === 'json') {
    const summary = { templates: count, failures, warnings, verdict: failures > 0 ? 'FAIL' : 'PASS' };
    io.stdout.write(`${JSON.stringify({ findings, summary }, null, 2)}\n`);
  } else for (const finding of findings) io.stdout.write(formatFinding(finding));
  io.stderr.write(
    `check-template: ${count} template(s), ${failures} failure(s), ${warnings} warning(s): ${failures > 0 ? 'FAIL' : 'PASS'}\n`,
  );
  return end(failures > 0 ? CHECK_TEMPLATE_EXIT.fail : CHECK_TEMPLATE_EXIT.pass);
}

/**
 * The `check-template` subcommand, for the `client-vpn-logging` program to register.
 *
 * @param io - where to write and how to end; the process's streams and exit code unless given
 * @returns the commander command; a usage error throws a CommanderError whose exitCode is 2
 */
export function checkTemplateCommand(io: CheckTemplateIo = PROCESS_IO): Command {
  return new Command('check-template')
    .description(
      'Check CloudFormation templates (JSON or YAML files, or cdk.out directories) or Terraform plans (terraform show -json) against the Client VPN connection-logging policy, offline. Exit 0 all pass, 1 any fails, 2 unreadable input or cannot judge.',
    )
    .argument(
      '<templates...>',
      'template files, cloud-assembly (cdk.out) directories, or Terraform plan JSON files (- for standard input)',
    )
    .addOption(
      new Option(
        '--rule-parameters <json>',
        'the Config rule\'s parameters as its JSON, e.g. \'{"minRetentionDays":"365"}\'',
      ),
    )
    .addOption(new Option('--min-retention-days <days>', 'least RetentionInDays of a referenced log group'))
    .addOption(new Option('--require-kms-encryption', 'a referenced log group must have a KmsKeyId'))
    .addOption(new Option('--log-group-name-prefix <prefix>', 'the log group name must start with this'))
    .addOption(
      new Option('--output <format>', 'findings as text lines or one JSON document')
        .choices(['text', 'json'])
        .default('text'),
    )
    .exitOverride((error) => {
      // Help and version end well; any other usage error is bad input, which is exit status 2.
      throw new CommanderError(
        error.exitCode === 0 ? 0 : CHECK_TEMPLATE_EXIT.unreadable,
        error.code,
        error.message,
      );
    })
    .action((templates: string[], options: CheckTemplateOptions) => {
      runCheckTemplate(templates, options, io);
    });
}
