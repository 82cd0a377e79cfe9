/**
 * `client-vpn-logging connections`: who used the VPN, when and from where, read from the connection
 * logs with Logs Insights; options declared with commander, checked by `connectionsOptionsFrom` and
 * run by `runConnections`.
 */
import { Command, Option } from 'commander';

import { AuditOptionError } from '../audit/options';
import { MUTUAL_AUTHENTICATION_CAVEAT } from '../insights/connection-log-entry';
import {
  CONNECTIONS_OUTPUT_FORMATS,
  connectionsOptionsFrom,
  DEFAULT_DEVICE_IP_THRESHOLD,
  DEFAULT_SINCE,
  type ConnectionsOptions,
  type ConnectionsOptionValues,
} from '../insights/connections-options';
import { runConnections, type ConnectionsDependencies } from '../insights/run-connections';
import { processStreams, type CommandStreams } from './command-streams';

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function declareConnectionsCommand(): Command {
  return new Command('connections')
    .description(
      'Report who connected to Client VPN, when and from where, and who failed, from the connection logs (CloudWatch Logs Insights).',
    )
    .helpOption('-h, --help', 'show the connections command\u2019s options')
    .option('--since <duration>', 'how far back to read: 30m, 12h, 90d', DEFAULT_SINCE)
    .option(
      '--profile <name>',
      'the named profile of ~/.aws/config and ~/.aws/credentials (default: AWS_PROFILE)',
    )
    .option(
      '--region <region>',
      'read this one region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile\u2019s region)',
    )
    .option('--regions <list>', 'read these regions, comma-separated')
    .option(
      '--log-group <name>',
      'query this log group instead of the endpoints\u2019 (repeatable, comma-separated)',
      collect,
    )
    .option('--endpoint <id>', 'only this endpoint\u2019s log group (repeatable, comma-separated)', collect)
    .option('--user <name>', 'only this user (username, or certificate common name)')
    .option('--failed', 'only failed connection attempts')
    .option(
      '--device-ip-threshold <n>',
      'name users seen from more than N device IPs',
      String(DEFAULT_DEVICE_IP_THRESHOLD),
    )
    .addOption(
      new Option('--output <format>', 'report format').choices(CONNECTIONS_OUTPUT_FORMATS).default('table'),
    )
    .option('--output-file <path>', 'write the report to PATH instead of stdout')
    .addHelpText(
      'after',
      `\n${MUTUAL_AUTHENTICATION_CAVEAT}\nStandard output carries only the report; notes and the summary go to stderr.\nExit status: 0 when every region was read, 2 on error (what was found is still printed).`,
    )
    .showSuggestionAfterError();
}

/**
 * The `connections` subcommand of `client-vpn-logging`.
 *
 * @param streams - where it writes; the process's own by default
 * @param dependencies - clock and query pacing, for tests
 * @returns the command, its action running the report and reporting the exit status through `streams`
 */
export function connectionsCommand(
  streams: CommandStreams = processStreams(),
  dependencies: ConnectionsDependencies = {},
): Command {
  return declareConnectionsCommand()
    .configureOutput({
      writeOut: (text) => void streams.stdout.write(text),
      writeErr: (text) => void streams.stderr.write(text),
    })
    .exitOverride()
    .action(async (_values: unknown, command: Command) => {
      let options: ConnectionsOptions;
      try {
        options = connectionsOptionsFrom(command.opts<ConnectionsOptionValues>());
      } catch (error) {
        if (!(error instanceof AuditOptionError)) throw error;
        streams.stderr.write(
          `connections: ${error.message}\nRun "client-vpn-logging connections --help" for the options.\n`,
        );
        streams.exit(2);
        return;
      }
      streams.exit(await runConnections(options, streams, dependencies));
    });
}
