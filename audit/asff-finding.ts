/**
 * Findings in the AWS Security Finding Format (ASFF) that Security Hub's `BatchImportFindings`
 * accepts, one per endpoint, titled as Security Hub's control EC2.51 so they sit beside it.
 *
 * ASFF: docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format-syntax.html;
 * the default product ARN for findings an account imports itself:
 * docs.aws.amazon.com/securityhub/latest/userguide/securityhub-custom-providers.html;
 * EC2.51: docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-51.
 */
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';

import type { ComplianceType } from '../rule/types';
import type { AuditFinding } from './audit-finding';

/** Security Hub's control this rule checks, and its title. */
export const EC2_51 = {
  id: 'EC2.51',
  title: 'EC2 Client VPN endpoints should have client connection logging enabled',
  url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-51',
} as const;

/** The ASFF version Security Hub accepts. */
export const ASFF_SCHEMA_VERSION = '2018-10-08';

/** `GeneratorId`: the rule that produced the finding. */
export const ASFF_GENERATOR_ID = 'client-vpn-connection-logging/EC2.51';

// The partitions ASFF's Resource.Partition names (botocore securityhub model, Partition enum).
const ASFF_PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov']);

const STATUS: Readonly<Record<ComplianceType, 'PASSED' | 'FAILED' | 'NOT_AVAILABLE'>> = {
  COMPLIANT: 'PASSED',
  NON_COMPLIANT: 'FAILED',
  NOT_APPLICABLE: 'NOT_AVAILABLE',
};

// EC2.51 is a Low-severity control in Security Hub; a passed check is informational.
const SEVERITY: Readonly<Record<ComplianceType, 'LOW' | 'INFORMATIONAL'>> = {
  COMPLIANT: 'INFORMATIONAL',
  NON_COMPLIANT: 'LOW',
  NOT_APPLICABLE: 'INFORMATIONAL',
};

/**
 * The finding ID: stable per endpoint, so importing again updates the finding instead of adding one.
 *
 * @param finding - the audit finding
 * @returns `client-vpn-connection-logging/<account>/<region>/<endpoint>/EC2.51`
 */
export function asffFindingId(finding: AuditFinding): string {
  return `client-vpn-connection-logging/${finding.accountId}/${finding.region}/${finding.endpointId}/${EC2_51.id}`;
}

/**
 * Turns audit findings into ASFF findings. Each is imported into its own account: `ProductArn` is that
 * account's default product, which only that account may import to.
 *
 * @param findings - the audit findings
 * @param partition - the caller's partition
 * @param now - the time of the scan, for CreatedAt, UpdatedAt and the observation times
 * @returns one ASFF finding per audit finding
 */
export function asffFindings(
  findings: readonly AuditFinding[],
  partition: string,
  now: Date,
): AwsSecurityFinding[] {
  const at = now.toISOString();
  return findings.map((f) => {
    const productFields: Record<string, string> = {
      ControlId: EC2_51.id,
      Verdict: f.compliance,
      LogGroupLookup: f.logGroupLookup,
    };
    if (f.logGroupName !== null) productFields.LogGroupName = f.logGroupName;
    if (f.retentionInDays !== null) productFields.RetentionInDays = String(f.retentionInDays);
    if (f.kmsKeyId !== null) productFields.KmsKeyId = f.kmsKeyId;
    return {
      SchemaVersion: ASFF_SCHEMA_VERSION,
      Id: asffFindingId(f),
      ProductArn: `arn:${partition}:securityhub:${f.region}:${f.accountId}:product/${f.accountId}/default`,
      GeneratorId: ASFF_GENERATOR_ID,
      AwsAccountId: f.accountId,
      Region: f.region,
      Types: ['Software and Configuration Checks/AWS Security Best Practices'],
      FirstObservedAt: at,
      LastObservedAt: at,
      CreatedAt: at,
      UpdatedAt: at,
      Severity: { Label: SEVERITY[f.compliance], Original: f.compliance },
      Title: EC2_51.title,
      Description:
        f.annotation ??
        `Client VPN endpoint ${f.endpointId} logs client connections to CloudWatch Logs group ${f.logGroupName ?? '(unnamed)'}, as the rule requires.`,
      Remediation: {
        Recommendation: {
          Text: 'Turn on client connection logging to a CloudWatch Logs group that meets the rule parameters; the EnableClientVpnConnectionLogging runbook does it.',
          Url: EC2_51.url,
        },
      },
      ProductFields: productFields,
      Resources: [
        {
          Type: 'AwsEc2ClientVpnEndpoint',
          Id: `arn:${partition}:ec2:${f.region}:${f.accountId}:client-vpn-endpoint/${f.endpointId}`,
          ...(ASFF_PARTITIONS.has(partition) ? { Partition: partition as 'aws' } : {}),
          Region: f.region,
          Details: {
            AwsEc2ClientVpnEndpoint: {
              ClientVpnEndpointId: f.endpointId,
              ...(f.logGroupName === null
                ? {}
                : { ConnectionLogOptions: { CloudwatchLogGroup: f.logGroupName } }),
            },
          },
        },
      ],
      Compliance: { Status: STATUS[f.compliance] },
      RecordState: f.compliance === 'NOT_APPLICABLE' ? 'ARCHIVED' : 'ACTIVE',
    };
  });
}
