/**
 * `--output csv`: RFC 4180 CSV (csv-stringify) with a header row of the field names; empty cells for
 * nulls. Every cell is sanitised first (control and format characters removed, tabs made spaces), and
 * only then escaped against formulas: a cell whose first non-blank character is `=`, `+`, `-` or `@`
 * gets a leading `'`, so a spreadsheet never runs it, and nothing removed or blank can hide the `=`.
 */
import { stringify } from 'csv-stringify/sync';

import { AUDIT_FINDING_FIELDS, type AuditFinding } from './audit-finding';
import type { FindingsRenderer } from './findings-renderer';
import { withoutControlCharacters } from './terminal-text';

// What a spreadsheet may take for the start of a formula, once leading blanks are skipped (OWASP, CSV injection).
const FORMULA_START = /^\s*[=+\-@]/u;

/**
 * Sanitises a cell, then escapes it against formulas.
 *
 * @param value - the cell's text, as AWS gave it
 * @returns the text to write
 */
export function csvCell(value: string): string {
  const cleaned = withoutControlCharacters(value);
  return FORMULA_START.test(cleaned) ? `'${cleaned}` : cleaned;
}

/**
 * Renders findings as CSV.
 *
 * @param findings - the findings
 * @returns the CSV text
 */
export function formatCsv(findings: readonly AuditFinding[]): string {
  return stringify(
    findings.map((f) =>
      AUDIT_FINDING_FIELDS.map((field) => {
        const value = f[field];
        return value === null ? '' : csvCell(String(value));
      }),
    ),
    { header: true, columns: [...AUDIT_FINDING_FIELDS] },
  );
}

/** The CSV format. */
export const csvRenderer: FindingsRenderer = {
  render: (findings) => formatCsv(findings),
  writtenWhenStopped: false,
};
