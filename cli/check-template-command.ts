/**
 * `client-vpn-logging check-template <file, cdk.out or folder>...`: the Client VPN connection-logging
 * policy on CloudFormation templates, offline, with the real cfn-guard engine; Terraform plans go to
 * `check-terraform-plans.ts`. Exit status: 0 when every template passes (warnings allowed), 1 when any
 * fails, 2 on unreadable input, bad options, content the policy cannot see (a transform, a macro, a
 * remote nested stack) or a plan's endpoint that cannot be judged: never a pass unseen.
 */
import { Command, CommanderError, Option } from 'commander';
import { InvalidRuleParameterError } from '../rule/errors';
import { parseRuleParameters } from '../rule/parameters';
import type { RuleParameters } from '../rule/types';
import { MalformedTerraformPlanError } from '../policy/terraform-plan';
import { checkTerraformPlans, isTerraformPlanInput } from './check-terraform-plans';
import {
  flaggedRuleParameterNames,
  RuleParameterOptionError,
  ruleParameterOptions,
  ruleParameterValuesFromOptions,
  type RuleParameterOptionValues,
} from '../audit/rule-parameter-options';
import { CfnGuardBinaryNotFoundError } from '../policy/cfn-guard-binary';
import {
  checkCloudFormationTemplates,
  type TemplateCheckOutcome,
  UNSEEN_CONTENT_RULE,
} from '../policy/cloudformation-check';
import { CfnGuardError, type PolicyFinding } from '../policy/guard-evaluation';
import { UnreadableTemplateError } from '../policy/template-files';
import type { UnseenContent } from '../policy/template-visibility';

/** The exit statuses of `check-template`; `unreadable` also covers content the policy cannot see. */
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

/** The parameters a template or plan check can judge, whose flags `check-template` offers. */
const TEMPLATE_PARAMETERS = flaggedRuleParameterNames(true);

/** The options as commander parses them: `--rule-parameters`, `--output`, and one per judged parameter. */
interface CheckTemplateOptions extends RuleParameterOptionValues {
  readonly ruleParameters?: string;
  /**
   * `text` (one line a finding) or `json` (one document on standard output).
   * @default 'text'
   */
  readonly output?: 'text' | 'json';
}

// The same parser as the Config rule's ruleParameters, so both controls accept and refuse alike: the
// JSON exactly as Config would take it, then the flags over it.
function parametersFrom(options: CheckTemplateOptions): RuleParameters {
  const base = options.ruleParameters === undefined ? {} : parsedJsonObject(options.ruleParameters);
  return parseRuleParameters({ ...base, ...ruleParameterValuesFromOptions(options, TEMPLATE_PARAMETERS) });
}

function parsedJsonObject(json: string): Record<string, string> {
  try {
    parseRuleParameters(json);
  } catch (error) {
    if (error instanceof InvalidRuleParameterError && error.parameter === 'ruleParameters') {
      throw new InvalidRuleParameterError('--rule-parameters', error.message.replace(/^[^:]*: /, ''));
    }
    throw error;
  }
  return JSON.parse(json) as Record<string, string>;
}

function formatFinding(finding: PolicyFinding): string {
  const level = finding.severity === 'failure' ? 'FAIL' : 'WARN';
  return `${level} ${finding.template} ${finding.logicalId ?? '-'} ${finding.rule}: ${finding.message}\n`;
}

function formatUnseen(content: UnseenContent): string {
  return `UNSEEN ${content.template} ${content.location} ${UNSEEN_CONTENT_RULE}: ${content.reason}: the policy cannot judge what it makes. Check: ${content.check}.\n`;
}

// Every input kind answers with a TemplateCheckOutcome; a second kind (e.g. a Terraform plan) is one
// more entry here and in `judge`.
function judge(inputs: readonly string[], parameters: RuleParameters): TemplateCheckOutcome {
  return checkCloudFormationTemplates(inputs, parameters);
}

function verdict(outcome: TemplateCheckOutcome, failures: number): { code: number; word: string } {
  if (outcome.unseen.length > 0) return { code: CHECK_TEMPLATE_EXIT.unreadable, word: 'INCOMPLETE' };
  if (failures > 0) return { code: CHECK_TEMPLATE_EXIT.fail, word: 'FAIL' };
  return {
    code: CHECK_TEMPLATE_EXIT.pass,
    word: outcome.endpointCount === 0 ? 'PASS (no Client VPN endpoint to judge)' : 'PASS',
  };
}

function report(outcome: TemplateCheckOutcome, output: 'text' | 'json', io: CheckTemplateIo): number {
  const failures = outcome.findings.filter((finding) => finding.severity === 'failure').length;
  const warnings = outcome.findings.length - failures;
  const { code, word } = verdict(outcome, failures);
  if (output === 'json') {
    const summary = {
      templates: outcome.templateCount,
      endpoints: outcome.endpointCount,
      failures,
      warnings,
      unseen: outcome.unseen.length,
      verdict: word,
    };
    io.stdout.write(
      `${JSON.stringify({ findings: outcome.findings, unseen: outcome.unseen, summary }, null, 2)}\n`,
    );
  } else {
    for (const finding of outcome.findings) io.stdout.write(formatFinding(finding));
    for (const content of outcome.unseen) io.stdout.write(formatUnseen(content));
  }
  const unseen = outcome.unseen.length > 0 ? `, ${outcome.unseen.length} construct(s) not seen` : '';
  io.stderr.write(
    `check-template: ${outcome.templateCount} template(s), ${outcome.endpointCount} endpoint(s) judged, ${failures} failure(s), ${warnings} warning(s)${unseen}: ${word}\n`,
  );
  return code;
}

/**
 * Runs `check-template` on inputs with parsed options.
 *
 * @param inputs - template files, cloud-assembly directories and folders of templates
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
  let outcome: TemplateCheckOutcome;
  try {
    const parameters = parametersFrom(options);
    // Terraform plans (`terraform show -json`, or `-`) are judged by their own module.
    if (inputs.some(isTerraformPlanInput)) {
      const verdict = checkTerraformPlans(inputs, parameters, options.output ?? 'text', io);
      return end(verdict === 'undetermined' ? CHECK_TEMPLATE_EXIT.unreadable : CHECK_TEMPLATE_EXIT[verdict]);
    }
    outcome = judge(inputs, parameters);
  } catch (error) {
    if (
      error instanceof UnreadableTemplateError ||
      error instanceof MalformedTerraformPlanError ||
      error instanceof RuleParameterOptionError ||
      error instanceof InvalidRuleParameterError ||
      error instanceof CfnGuardError ||
      error instanceof CfnGuardBinaryNotFoundError
    ) {
      io.stderr.write(`check-template: ${error.message}\n`);
      return end(CHECK_TEMPLATE_EXIT.unreadable);
    }
    throw error;
  }
  return end(report(outcome, options.output ?? 'text', io));
}

/**
 * The `check-template` subcommand, for the `client-vpn-logging` program to register.
 *
 * @param io - where to write and how to end; the process's streams and exit code unless given
 * @returns the commander command; a usage error throws a CommanderError whose exitCode is 2
 */
export function checkTemplateCommand(io: CheckTemplateIo = PROCESS_IO): Command {
  const command = new Command('check-template')
    .description(
      'Check CloudFormation templates (JSON or YAML files, cdk.out directories or folders of templates) or Terraform plans (terraform show -json) against the Client VPN connection-logging policy, offline. Exit 0 all pass, 1 any fails, 2 unreadable input, content the policy cannot see, or an endpoint that cannot be judged.',
    )
    .argument(
      '<templates...>',
      'template files, cloud-assembly (cdk.out) directories, folders of templates, or Terraform plan JSON files (- for standard input)',
    )
    .addOption(
      new Option(
        '--rule-parameters <json>',
        'the Config rule\'s parameters as its JSON, e.g. \'{"minRetentionDays":"365"}\'',
      ),
    )
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
  // The parameters a template can show, with the rule's own flags and descriptions.
  for (const option of ruleParameterOptions(TEMPLATE_PARAMETERS)) command.addOption(option);
  return command;
}
