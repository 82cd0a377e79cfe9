/**
 * Runs a `client-vpn-logging` command in this process, as the bin would, with its output collected:
 * the one runner of the audit, organization-audit and demo tests.
 */
import { Readable, Writable } from 'node:stream';

import { runClientVpnLogging } from '../../cli/client-vpn-logging';

/** What one run printed and returned. */
export interface CommandRun {
  /** The exit status. */
  readonly code: number;
  /** Everything written to stdout. */
  readonly stdout: string;
  /** Everything written to stderr. */
  readonly stderr: string;
}

/** How the streams look to the command: terminals of a width, or pipes (the default, as in CI). */
export interface Terminals {
  /** stdout is a terminal this many columns wide. */
  readonly stdoutColumns?: number;
  /** stderr is a terminal (so progress may be drawn on it). */
  readonly stderrIsTerminal?: boolean;
}

/** Options of {@link runCommand}. */
export interface RunOptions {
  /**
   * A line typed at the prompt; stdin is then a terminal.
   * @default stdin is a closed pipe
   */
  readonly answer?: string;
  /**
   * How the output streams look to the command.
   * @default pipes
   */
  readonly terminals?: Terminals;
  /**
   * The environment the command sees.
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
}

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/**
 * Runs `client-vpn-logging <argv>` in-process.
 *
 * @param argv - the arguments after the program name, the subcommand first
 * @param options - the prompt's answer, the terminals and the environment
 * @returns the exit status and what was printed
 */
export async function runCommand(argv: readonly string[], options: RunOptions = {}): Promise<CommandRun> {
  const { answer, terminals = {} } = options;
  const stdout = collector();
  const stderr = collector();
  if (terminals.stdoutColumns !== undefined)
    Object.assign(stdout.stream, { isTTY: true, columns: terminals.stdoutColumns });
  if (terminals.stderrIsTerminal === true)
    Object.assign(stderr.stream, {
      isTTY: true,
      columns: 100,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    });
  const stdin = Object.assign(Readable.from(answer === undefined ? [] : [`${answer}\n`]), {
    isTTY: answer !== undefined,
  });
  const code = await runClientVpnLogging(argv, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin,
    env: options.env ?? process.env,
    exit: () => undefined,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
