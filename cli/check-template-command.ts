/**
 * `client-vpn-logging check-template <file, cdk.out or folder>...`: the Client VPN connection-logging
 * policy on CloudFormation templates, offline, with the real cfn-guard engine. Exit status: 0 when
 * every template passes (warnings allowed), 1 when any fails, 2 on unreadable input, bad options, or
 * content the policy cannot see (a transform, a macro, a remote nested stack): never a pass unseen.
 */
import { Command, CommanderError, Option } from 'commander';
import { InvalidRuleParameterError } from '../rule/errors';
import { parseRuleParameters } from '../rule/parameters';
import type { RuleParameters } from '../rule/types';
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

function report(outcome: TemplateCheckOutcome, io: CheckTemplateIo): number {
  for (const finding of outcome.findings) io.stdout.write(formatFinding(finding));
  for (const content of outcome.unseen) io.stdout.write(formatUnseen(content));
  const failures = outcome.findings.filter((finding) => finding.severity === 'failure').length;
  const warnings = outcome.findings.length - failures;
  const { code, word } = verdict(outcome, failures);
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
    outcome = judge(inputs, parametersFrom(options));
  } catch (error) {
    if (
      error instanceof UnreadableTemplateError ||
      error instanceof InvalidRuleParameterError ||
      error instanceof CfnGuardError ||
      error instanceof CfnGuardBinaryNotFoundError
    ) {
      io.stderr.write(`check-template: ${error.message}\n`);
      return end(CHECK_TEMPLATE_EXIT.unreadable);
    }
    throw error;
  }
  return end(report(outcome, io));
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
      'Check CloudFormation templates (JSON or YAML files, cdk.out directories or folders of templates) against the Client VPN connection-logging policy, offline. Exit 0 all pass, 1 any fails, 2 unreadable input or content the policy cannot see.',
    )
    .argument(
      '<templates...>',
      'template files, cloud-assembly (cdk.out) directories or folders of templates',
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
