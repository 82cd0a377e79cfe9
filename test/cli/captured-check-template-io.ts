import type { CheckTemplateIo } from '../../cli/check-template-command';

/** What one in-process `check-template` run wrote and the exit statuses it set. */
export interface CapturedCheckTemplateIo {
  /** The streams and exit-code recorder to hand to `runCheckTemplate`. */
  readonly io: CheckTemplateIo;
  /** What it wrote to stdout, a chunk per write. */
  readonly out: string[];
  /** What it wrote to stderr, a chunk per write. */
  readonly err: string[];
  /** The exit statuses it set, in order. */
  readonly exit: number[];
}

/**
 * Streams for an in-process `check-template` run that keep what it writes: the one capture of the
 * template and the Terraform-plan tests.
 *
 * @param stdin - what standard input holds, for a plan given as `-`; none when omitted
 */
export function captureCheckTemplateIo(stdin?: string): CapturedCheckTemplateIo {
  const out: string[] = [];
  const err: string[] = [];
  const exit: number[] = [];
  return {
    out,
    err,
    exit,
    io: {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
      setExitCode: (code: number) => exit.push(code),
      ...(stdin === undefined ? {} : { readStdin: () => stdin }),
    },
  };
}
