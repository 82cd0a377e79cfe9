/**
 * `client-vpn-logging`: the package's command, one subcommand a file. bin/client-vpn-logging.js
 * loads this and calls {@link runClientVpnLogging} with the process's arguments.
 */
import { Command, CommanderError } from 'commander';

import { auditCommand } from './audit-command';
import { checkTemplateCommand } from './check-template-command';
import { connectionsCommand } from './connections-command';
import { processStreams, type CommandStreams } from './command-streams';
import { demoCommand } from './demo-command';

/**
 * The program and its subcommands.
 *
 * @param streams - where the commands write and what they read
 * @returns the program
 */
export function clientVpnLoggingProgram(streams: CommandStreams = processStreams()): Command {
  return new Command('client-vpn-logging')
    .description('Keep AWS Client VPN connection logging on, provably.')
    .configureOutput({
      writeOut: (text) => void streams.stdout.write(text),
      writeErr: (text) => void streams.stderr.write(text),
    })
    .exitOverride()
    .showSuggestionAfterError()
    .addCommand(auditCommand(streams))
    .addCommand(checkTemplateCommand())
    .addCommand(demoCommand(streams))
    .addCommand(connectionsCommand(streams));
}

/**
 * Runs the command line.
 *
 * @param argv - the arguments after the program name
 * @param streams - the process's streams by default
 * @returns the exit status: the command's own, 0 after `--help`, 2 for a usage error; a command that
 *   reports none through `streams` leaves `process.exitCode` as it set it
 */
export async function runClientVpnLogging(
  argv: readonly string[],
  streams: CommandStreams = processStreams(),
): Promise<number> {
  let code: number | undefined;
  const recording: CommandStreams = { ...streams, exit: (c) => void (code = c) };
  try {
    await clientVpnLoggingProgram(recording).parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Help and version exit 0; an unknown command or option, or a missing value, is a usage error.
    code = error.exitCode === 0 ? 0 : 2;
  }
  // A command that sets process.exitCode itself, not through `streams`, keeps it.
  if (code === undefined) return Number(process.exitCode ?? 0);
  streams.exit(code);
  return code;
}
