/**
 * The one-line summary the audit prints on stderr after the findings: counts per verdict, regions and
 * accounts scanned, and what failed. The findings themselves are rendered by the formats of
 * audit/output-renderers.ts.
 */
import type { ComplianceType } from '../rule/types';
import type { AuditFinding } from './audit-finding';
import { withoutControlCharacters } from './terminal-text';

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
