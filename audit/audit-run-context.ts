/**
 * What every phase of the audit command shares: the checked options, the streams it talks through,
 * the environment, and one way to say a line on stderr. Built once by `runAudit`.
 */
import type { AuditOptions } from './options';
import { AuditError } from './audit-error';

/** A stream that may be a terminal. */
export type TerminalStream = NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };

/** The streams and environment the command talks through. */
export interface AuditStreams {
  /** Findings go here, and nothing else. */
  readonly stdout: TerminalStream;
  /** Warnings, progress, failures, the summary, prompts and remediation outcomes go here. */
  readonly stderr: TerminalStream;
  /** Confirmation answers are read from here; must be a terminal unless `--yes`. */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /**
   * The environment (`AWS_PROFILE`, `AWS_REGION`, `NO_COLOR`, `AWS_ENDPOINT_URL*`).
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
}

/** One run of the audit command, as its phases see it. */
export interface AuditRunContext {
  /** The checked options. */
  readonly options: AuditOptions;
  /** The streams. */
  readonly streams: AuditStreams;
  /** The environment: `streams.env` or the process's. */
  readonly env: NodeJS.ProcessEnv;
  /** Writes a line on stderr, stripped of control characters but newlines. */
  readonly say: (text: string) => void;
}

/**
 * The audit cannot go on: a bad profile, no region, no credentials, the organization not listable. Its
 * message says why and what to do; the run ends with exit status 2 and, for `--output json`, a document
 * that says so.
 */
export class AuditStopError extends AuditError {
  public override readonly name = 'AuditStopError';
}

/**
 * The text of an error, `Name: message`.
 *
 * @param error - anything thrown
 * @returns the text
 */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
