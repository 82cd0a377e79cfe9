/**
 * `client-vpn-logging audit`: the audit command's options, declared with commander (per-command
 * `--help`, "did you mean" suggestions), checked by `auditOptionsFrom` and run by `runAudit`.
 */
import { flaggedRuleParameterNames, ruleParameterOptions } from '../audit/rule-parameter-options';
import { Command, Option } from 'commander';

import {
  AuditOptionError,
  auditOptionsFrom,
  DEFAULT_CONCURRENCY,
  DEFAULT_DOCUMENT_NAME,
  DEFAULT_TIMEOUT_SECONDS,
  MAX_CONCURRENCY,
  MAX_TIMEOUT_SECONDS,
  OUTPUT_FORMATS,
  STATUS_VALUES,
  type AuditOptions,
  type AuditOptionValues,
} from '../audit/options';
import type { AuditStreams } from '../audit/run-audit';
import { processStreams, type CommandStreams } from './command-streams';

// Repeatable options collect every value given; each may itself be comma-separated.
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

const ROLE_HELP = `the role passed to the runbook as AutomationAssumeRole; the role is regional, so give one of:
  ARN                 when exactly one region is scanned
  ARN with {region}   e.g. arn:aws:iam::123456789012:role/ClientVpnConnectionLoggingRemediation-{region},
                      {region} replaced by each scanned region
  r1=ARN1,r2=ARN2     one ARN per region (the option may repeat)`;

/**
 * Declares the audit command's options; no action.
 *
 * @returns the command, without an action
 */
function declareAuditCommand(): Command {
  return (
    new Command('audit')
      .description(
        'Evaluate Client VPN endpoints with the same decision and look-ups as the deployed Config rule, without deploying anything: the caller\u2019s account, or every account of the organization.',
      )
      .helpOption('-h, --help', 'show the audit command\u2019s options')
      // Credentials and regions, as the AWS CLI reads them.
      .option(
        '--profile <name>',
        'the named profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE)',
      )
      .option(
        '--region <region>',
        'scan this one region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile\u2019s region)',
      )
      .option('--regions <list>', 'scan these regions, comma-separated')
      .option('--all-regions', 'scan every region enabled in each account')
      .option('--exclude-regions <list>', 'never scan these regions (comma-separated, repeatable)', collect)
      .option(
        '--ignore-failed-regions',
        'regions that deny access (an SCP) or are not enabled do not make the exit status 2; still reported on stderr',
      )
      .option(
        '--concurrency <n>',
        `account\u00d7region pairs scanned at once, 1-${MAX_CONCURRENCY}`,
        String(DEFAULT_CONCURRENCY),
      )
      .option(
        '--timeout <seconds>',
        `seconds reaching one account, and again scanning one of its regions, may take before it is reported as failed, 1-${MAX_TIMEOUT_SECONDS}`,
        String(DEFAULT_TIMEOUT_SECONDS),
      )
      // The organization.
      .option(
        '--organization',
        'scan every ACTIVE account of the organization (from the management or a delegated administrator account)',
      )
      .option('--role-name <name>', 'with --organization: the role assumed in each account')
      .option(
        '--accounts <ids>',
        'with --organization: only these accounts (comma-separated, repeatable)',
        collect,
      )
      .option(
        '--exclude-accounts <ids>',
        'with --organization: never these accounts (comma-separated, repeatable)',
        collect,
      )
      .option(
        '--ou <ids>',
        'with --organization: only accounts under these OUs or roots, at any depth (comma-separated, repeatable)',
        collect,
      )
      // Output.
      .addOption(new Option('--output <format>', 'findings format').choices(OUTPUT_FORMATS).default('table'))
      .option('--output-file <path>', 'write the findings to PATH instead of stdout')
      .addOption(
        new Option(
          '--status <verdict>',
          `print only findings with this verdict (${STATUS_VALUES.join(', ')}; repeatable)`,
        ).argParser(collect),
      )
      .option(
        '--no-color',
        'never colour the table (also off when NO_COLOR is set or stdout is not a terminal)',
      )
      // Remediation.
      .option('--remediate', 'start the runbook for each NON_COMPLIANT endpoint, after confirming')
      .option('-y, --yes', 'do not ask for confirmation (needed when stdin is not a terminal)')
      .option('--document-name <name>', 'the runbook\u2019s SSM document name', DEFAULT_DOCUMENT_NAME)
      .option('--automation-assume-role <role>', ROLE_HELP, collect)
      .addHelpText(
        'after',
        '\nStandard output carries only the findings; everything else goes to stderr.\nExit status: 0 all compliant, 1 any NON_COMPLIANT, 2 on error (an error wins over 1).',
      )
      .showSuggestionAfterError()
  );
}

/** The audit command with every rule parameter's flag, as the parameters' declarations give them. */
function declareAuditCommandWithRuleParameters(): Command {
  const command = declareAuditCommand();
  for (const option of ruleParameterOptions(flaggedRuleParameterNames())) command.addOption(option);
  return command;
}

/** Reads commander's parsed values into the checked options. */
function optionsOf(command: Command): AuditOptions {
  return auditOptionsFrom(command.opts<AuditOptionValues>());
}

/**
 * The `audit` subcommand of `client-vpn-logging`.
 *
 * @param streams - where it writes and what it reads; the process's own by default
 * @returns the command, its action running the audit and reporting the exit status through `streams`
 */
export function auditCommand(streams: CommandStreams = processStreams()): Command {
  return declareAuditCommandWithRuleParameters()
    .configureOutput({
      writeOut: (text) => void streams.stdout.write(text),
      writeErr: (text) => void streams.stderr.write(text),
    })
    .exitOverride()
    .action(async (_values: unknown, command: Command) => {
      let options: AuditOptions;
      try {
        options = optionsOf(command);
      } catch (error) {
        if (!(error instanceof AuditOptionError)) throw error;
        streams.stderr.write(
          `audit: ${error.message}\nRun "client-vpn-logging audit --help" for the options.\n`,
        );
        streams.exit(2);
        return;
      }
      // Loaded when the audit runs, so `--help` and the other commands never load the AWS SDK clients.
      const { runAudit } = await import('../audit/run-audit');
      streams.exit(await runAudit(options, streams as AuditStreams));
    });
}

/**
 * Reads the audit command's arguments into checked options without running anything.
 *
 * @param argv - the arguments after `audit`
 * @returns the checked options
 * @throws AuditOptionError for a bad value; CommanderError for an unknown option or a missing value
 */
export function parseAuditArguments(argv: readonly string[]): AuditOptions {
  const command = declareAuditCommandWithRuleParameters()
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  command.parse([...argv], { from: 'user' });
  return optionsOf(command);
}
