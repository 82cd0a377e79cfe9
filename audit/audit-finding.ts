/**
 * One endpoint's finding as the audit reports it in every output format: the verdict with the account,
 * region, log group, retention and key it was reached from, so it can be handed on as it is.
 */
import type { SweptEndpointVerdict } from '../rule/sweep';
import type { ComplianceType } from '../rule/types';

/** Whether and how the endpoint's log group was looked up. */
export type LogGroupLookupStatus = 'found' | 'missing' | 'not-checked';

/** One endpoint's verdict and the facts behind it. */
export interface AuditFinding {
  /** The endpoint's account. */
  readonly accountId: string;
  /** The endpoint's region. */
  readonly region: string;
  /** The endpoint ID. */
  readonly endpointId: string;
  /** The rule's verdict. */
  readonly compliance: ComplianceType;
  /** The log group the endpoint names; null when it names none. */
  readonly logGroupName: string | null;
  /** `found`, `missing` or `not-checked` (logging off, or `--no-verify-log-group`). */
  readonly logGroupLookup: LogGroupLookupStatus;
  /** The group's retention in days; null when it never expires or was not found or looked up. */
  readonly retentionInDays: number | null;
  /** The KMS key ARN encrypting the group; null when none, or not found or looked up. */
  readonly kmsKeyId: string | null;
  /** Why, as the rule would annotate it; null when the rule gives no annotation (COMPLIANT). */
  readonly annotation: string | null;
}

/**
 * Turns a verdict of the rule's sweep into a finding.
 *
 * @param accountId - the account swept
 * @param region - the region swept
 * @param verdict - the sweep's verdict for one endpoint
 * @returns the finding
 */
export function auditFindingOf(
  accountId: string,
  region: string,
  verdict: SweptEndpointVerdict,
): AuditFinding {
  const group = verdict.logGroupLookup.status === 'found' ? verdict.logGroupLookup.logGroup : undefined;
  return {
    accountId,
    region,
    endpointId: verdict.endpointId,
    compliance: verdict.compliance,
    logGroupName: verdict.logGroupName ?? null,
    logGroupLookup: verdict.logGroupLookup.status,
    retentionInDays: group?.retentionInDays ?? null,
    kmsKeyId: group?.kmsKeyId ?? null,
    annotation: verdict.annotation ?? null,
  };
}

/** The fields of a finding in output order, for CSV's header and any tabular form. */
export const AUDIT_FINDING_FIELDS = [
  'accountId',
  'region',
  'endpointId',
  'compliance',
  'logGroupName',
  'logGroupLookup',
  'retentionInDays',
  'kmsKeyId',
  'annotation',
] as const satisfies readonly (keyof AuditFinding)[];
