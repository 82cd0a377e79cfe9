/**
 * `--output json`: one JSON array of findings with every field when the scan was complete. When
 * anything could not be judged (a failed account or region, or a run that stopped), one JSON object
 * instead, `{ "complete": false, "findings": [...], "failures": [...] }`, so a partial result is still
 * a valid document and can never be read as a complete list.
 */
import type { AuditFinding } from './audit-finding';
import {
  withEscapedFormatCharacters,
  type FindingsRenderer,
  type ScanFailureEntry,
} from './findings-renderer';

/**
 * Renders findings, and failures when there are any.
 *
 * @param findings - the findings
 * @param failures - what could not be judged
 * @returns the JSON text, ending in a newline
 */
export function formatJson(
  findings: readonly AuditFinding[],
  failures: readonly ScanFailureEntry[] = [],
): string {
  const document = failures.length === 0 ? findings : { complete: false, findings, failures };
  return `${withEscapedFormatCharacters(JSON.stringify(document, null, 2))}\n`;
}

/** The JSON format. */
export const jsonRenderer: FindingsRenderer = {
  render: (findings, context) => formatJson(findings, context.failures),
  writtenWhenStopped: true,
};
