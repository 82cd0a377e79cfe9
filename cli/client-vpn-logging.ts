#!/usr/bin/env node
/**
 * `client-vpn-logging`: the project's command-line entry point. Each subcommand lives in its own
 * module; this only registers them and turns a usage error into its exit status.
 */
import { Command, CommanderError } from 'commander';
import { checkTemplateCommand } from './check-template-command';

const program = new Command('client-vpn-logging')
  .description('Keep AWS Client VPN connection logging on: check templates before they are deployed.')
  .exitOverride()
  .addCommand(checkTemplateCommand());

try {
  program.parse(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // Commander has printed the message; 2 marks bad input, as check-template's own errors do.
  process.exitCode = error.exitCode === 0 ? 0 : 2;
}
