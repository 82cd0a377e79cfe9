/**
 * The shape of one output format of the audit: a renderer turns the findings (and, for the formats
 * that carry them, the scan's failures) into the text written to stdout or `--output-file`. The formats
 * are the entries of `OUTPUT_RENDERERS` (audit/output-renderers.ts), one file each.
 */
import type { AuditFinding } from './audit-finding';

/** An account or account×region pair the scan could not judge, or why the run stopped. */
export interface ScanFailureEntry {
  /** The account, when the failure is an account's or a pair's. */
  readonly accountId?: string;
  /** The region, when the failure is a pair's. */
  readonly region?: string;
  /** The kind of failure (`access-denied`, `timed-out`, `account`, `stopped`, ...). */
  readonly kind: string;
  /** A sentence naming the problem and what to do. */
  readonly reason: string;
}

/** What a renderer may need beyond the findings. */
export interface RenderContext {
  /** The caller's partition (`aws`, `aws-cn`, ...), for ARNs. */
  readonly partition: string;
  /** Whether findings come from several accounts (an organization scan). */
  readonly showAccount: boolean;
  /** The terminal's width in columns, when writing to a terminal. */
  readonly width?: number;
  /** Colour the verdicts. */
  readonly color: boolean;
  /** The time of the scan. */
  readonly now: Date;
  /** What could not be judged; empty when the scan was complete. */
  readonly failures: readonly ScanFailureEntry[];
}

/** One output format. */
export interface FindingsRenderer {
  /** Renders the findings, ending in a newline. */
  readonly render: (findings: readonly AuditFinding[], context: RenderContext) => string;
  /**
   * Whether the format is written even when the run stops before scanning, to say why (a JSON
   * document); the others write nothing then, and the reason goes to stderr only.
   */
  readonly writtenWhenStopped: boolean;
}

/**
 * Escapes, inside JSON text, the characters JSON.stringify leaves as they are but a terminal acts on:
 * C1 controls, DEL and Unicode format characters (category Cf, e.g. U+202E RIGHT-TO-LEFT OVERRIDE).
 * They occur only inside strings, so the text stays the same JSON value.
 *
 * @param json - text from JSON.stringify
 * @returns the same JSON with those characters as `\uXXXX`
 */
export function withEscapedFormatCharacters(json: string): string {
  return json.replace(
    /[\u007f-\u009f\p{Cf}]/gu,
    (c) => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, '0')}`,
  );
}
