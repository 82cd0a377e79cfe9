/**
 * `--output table`, for people: an aligned table fitted to the terminal, verdicts coloured when asked.
 */
import { styleText } from 'node:util';

import type { ComplianceType } from '../rule/types';
import type { AuditFinding } from './audit-finding';
import type { FindingsRenderer } from './findings-renderer';
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

/** The table format. */
export const tableRenderer: FindingsRenderer = {
  render: (findings, context) =>
    formatTable(findings, {
      ...(context.width === undefined ? {} : { width: context.width }),
      color: context.color,
      showAccount: context.showAccount,
    }),
  writtenWhenStopped: false,
};
