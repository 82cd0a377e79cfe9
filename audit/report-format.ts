/**
 * Renders the audit's findings: an aligned table for people, or one JSON array for programs.
 */
import type { AuditFinding } from './scan-regions';

const HEADERS = ['ENDPOINT', 'REGION', 'VERDICT', 'REASON'] as const;

/**
 * Renders findings as a table: endpoint, region, verdict, reason.
 *
 * @param findings - the findings, in the order to show
 * @returns the table, one line per finding under a header, ending in a newline
 */
export function formatTable(findings: readonly AuditFinding[]): string {
  const rows = findings.map((f) => [f.endpointId, f.region, f.compliance, f.annotation ?? '-']);
  const widths = HEADERS.slice(0, 3).map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i < widths.length ? cell.padEnd(widths[i] as number) : cell))
      .join('  ')
      .trimEnd();
  return [line(HEADERS), ...rows.map(line)].join('\n') + '\n';
}

/**
 * Renders findings as one JSON array of `{ region, endpointId, compliance, annotation }`.
 *
 * @param findings - the findings
 * @returns the JSON text, ending in a newline
 */
export function formatJson(findings: readonly AuditFinding[]): string {
  return (
    JSON.stringify(
      findings.map(({ region, endpointId, compliance, annotation }) => ({
        region,
        endpointId,
        compliance,
        annotation,
      })),
      null,
      2,
    ) + '\n'
  );
}
