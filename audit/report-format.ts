/**
 * Renders the audit's findings: an aligned table for people (fitted to the terminal, verdicts
 * coloured when asked), one JSON array or a CSV file for programs, or AWS Security Finding Format
 * findings that Security Hub's `BatchImportFindings` accepts.
 */
import { styleText } from 'node:util';

import { stringify } from 'csv-stringify/sync';

import type { ComplianceType } from '../rule/types';
import { AUDIT_FINDING_FIELDS, type AuditFinding } from './audit-finding';
import { ellipsize, withoutControlCharacters } from './terminal-text';

/** How the table is laid out. */
export interface TableLayout {
  /** The terminal's width in columns; the reason is cut to fit. Unlimited when undefined. */
  readonly width?: number;
  /** Colour the verdicts. */
  readonly color: boolean;
  /** Show the ACCOUNT column (an organization scan). */
  readonly showAccount: boolean;
}

const VERDICT_COLOURS: Readonly<Record<ComplianceType, 'green' | 'red' | 'gray'>> = {
  COMPLIANT: 'green',
  NON_COMPLIANT: 'red',
  NOT_APPLICABLE: 'gray',
};

// The reason column keeps at least this many characters, even on a terminal too narrow for the rest.
const MIN_REASON_WIDTH = 12;

/**
 * Renders findings as a table: (account,) region, endpoint, verdict, reason. Every cell is stripped of
 * control characters; the reason is cut with an ellipsis to fit the width (full text in json and csv).
 *
 * @param findings - the findings, in the order to show
 * @param layout - width, colour and columns
 * @returns the table, one line per finding under a header, ending in a newline
 */
export function formatTable(findings: readonly AuditFinding[], layout: TableLayout): string {
  const headers = [...(layout.showAccount ? ['ACCOUNT'] : []), 'REGION', 'ENDPOINT', 'VERDICT', 'REASON'];
  const rows = findings.map((f) =>
    [
      ...(layout.showAccount ? [f.accountId] : []),
      f.region,
      f.endpointId,
      f.compliance,
      f.annotation ?? '-',
    ].map((cell) => withoutControlCharacters(cell)),
  );
  const fixed = headers.length - 1;
  const widths = headers
    .slice(0, fixed)
    .map((h, i) => Math.max(h.length, ...rows.map((r) => [...(r[i] as string)].length)));
  const used = widths.reduce((a, b) => a + b + 2, 0);
  const reasonWidth = layout.width === undefined ? Infinity : Math.max(MIN_REASON_WIDTH, layout.width - used);
  const line = (cells: readonly string[], verdict?: ComplianceType): string =>
    cells
      .map((cell, i) => {
        if (i === fixed) return ellipsize(cell, reasonWidth);
        const padded = cell.padEnd(widths[i] as number);
        // The verdict column is the last fixed one; colour only its text, after padding is measured.
        return verdict !== undefined && layout.color && i === fixed - 1
          ? // The caller decided colour (terminal, NO_COLOR, --no-color); styleText is not to second-guess it.
            styleText(VERDICT_COLOURS[verdict], padded, { validateStream: false })
          : padded;
      })
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map((r, i) => line(r, findings[i]?.compliance))].join('\n') + '\n';
}

/**
 * Renders findings as one JSON array of findings with every field.
 *
 * @param findings - the findings
 * @returns the JSON text, ending in a newline
 */
export function formatJson(findings: readonly AuditFinding[]): string {
  return `${JSON.stringify(findings, null, 2)}\n`;
}

/**
 * Renders findings as CSV (RFC 4180, with a header row of the field names): empty cells for nulls.
 * Control characters are removed; a leading `=`, `+`, `-` or `@` is escaped so a spreadsheet never
 * runs a cell as a formula.
 *
 * @param findings - the findings
 * @returns the CSV text
 */
export function formatCsv(findings: readonly AuditFinding[]): string {
  return stringify(
    findings.map((f) =>
      AUDIT_FINDING_FIELDS.map((field) => {
        const value = f[field];
        return value === null ? '' : withoutControlCharacters(String(value));
      }),
    ),
    { header: true, columns: [...AUDIT_FINDING_FIELDS], escape_formulas: true },
  );
}

/** Counts per verdict, and what could not be scanned, for the summary line. */
export interface ScanSummary {
  /** The findings, all of them (before `--status`). */
  readonly findings: readonly AuditFinding[];
  /** Account×region pairs scanned without failure. */
  readonly regionsScanned: number;
  /** Of those, how many have no Client VPN endpoint. */
  readonly regionsWithoutEndpoints: number;
  /** Accounts scanned (reached). */
  readonly accountsScanned: number;
  /** The regions that failed, as `account/region (kind)` or `region (kind)`. */
  readonly failedRegions: readonly string[];
  /** The accounts that could not be reached, as `account (why)`. */
  readonly failedAccounts: readonly string[];
}

/**
 * The one-line summary printed on stderr after the findings.
 *
 * @param summary - counts and failures
 * @returns the line, without a newline
 */
export function formatSummary(summary: ScanSummary): string {
  const count = (verdict: ComplianceType): number =>
    summary.findings.filter((f) => f.compliance === verdict).length;
  const parts = [
    `${summary.findings.length} endpoint(s): ${count('COMPLIANT')} COMPLIANT, ${count('NON_COMPLIANT')} NON_COMPLIANT, ${count('NOT_APPLICABLE')} NOT_APPLICABLE`,
    `${summary.regionsScanned} region(s) scanned in ${summary.accountsScanned} account(s), ${summary.regionsWithoutEndpoints} without endpoints`,
  ];
  if (summary.failedRegions.length > 0)
    parts.push(`${summary.failedRegions.length} region(s) failed: ${summary.failedRegions.join(', ')}`);
  if (summary.failedAccounts.length > 0)
    parts.push(`${summary.failedAccounts.length} account(s) failed: ${summary.failedAccounts.join(', ')}`);
  return withoutControlCharacters(`Summary: ${parts.join('; ')}.`);
}
