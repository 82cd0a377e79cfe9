/**
 * What a `client-vpn-logging` command talks through: the process's streams and environment, and
 * how it reports its exit status. Tests pass their own to run a command in-process.
 */

/** Streams, environment and exit status of one command run. */
export interface CommandStreams {
  /** Results only. */
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  /** Everything else. */
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  /** Answers to prompts. */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** The environment. */
  readonly env: NodeJS.ProcessEnv;
  /** Records the exit status (the process's `exitCode`, so pending output is flushed first). */
  exit(code: number): void;
}

/**
 * The process's own streams and environment.
 *
 * @returns streams that set `process.exitCode`
 */
export function processStreams(): CommandStreams {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    exit: (code) => {
      process.exitCode = code;
    },
  };
}
