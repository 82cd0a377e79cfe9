/**
 * Turns an error a region's calls failed with into a short statement of what went wrong there,
 * so one region's denial or opt-in status is reported for that region while the others go on.
 */

/** What kind of failure a region met. */
export type RegionFailureKind =
  'no-credentials' | 'access-denied' | 'region-disabled' | 'timed-out' | 'other';

/** Why a region could not be audited. */
export interface RegionFailure {
  /** The region. */
  readonly region: string;
  /** The account, once known. */
  readonly accountId?: string;
  /** The kind of failure, so the command can say one thing once for `no-credentials`. */
  readonly kind: RegionFailureKind;
  /** A sentence naming the problem and what to do. */
  readonly message: string;
}

// EC2 says UnauthorizedOperation, the JSON services AccessDeniedException, STS and IAM AccessDenied.
const ACCESS_DENIED = new Set(['UnauthorizedOperation', 'AccessDeniedException', 'AccessDenied']);
// A region the account has not opted into rejects the credentials themselves.
const REGION_DISABLED = new Set([
  'AuthFailure',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'OptInRequired',
]);

// The scan's deadline per pair (ScanDeadlineError), or the HTTP handler's request timeout after every retry.
const TIMED_OUT = new Set(['ScanDeadlineError', 'TimeoutError']);

/** The failures `--ignore-failed-regions` keeps from making the exit status 2: an SCP's denial, a region not enabled. */
export const IGNORABLE_REGION_FAILURES: ReadonlySet<RegionFailureKind> = new Set([
  'access-denied',
  'region-disabled',
]);

/**
 * Classifies the error a region's audit failed with.
 *
 * @param region - the region
 * @param error - what the SDK threw
 * @returns the failure, with a message that says what to do
 */
export function classifyRegionFailure(region: string, error: unknown): RegionFailure {
  const name = error instanceof Error ? error.name : 'Error';
  const detail = error instanceof Error ? error.message : String(error);
  if (name === 'CredentialsProviderError') {
    return {
      region,
      kind: 'no-credentials',
      message:
        'No AWS credentials found. Configure them as for the AWS CLI (aws configure, aws sso login, AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) and run again.',
    };
  }
  if (ACCESS_DENIED.has(name)) {
    return {
      region,
      kind: 'access-denied',
      message: `access denied (${name}): ${detail} The audit needs ec2:DescribeClientVpnEndpoints and logs:DescribeLogGroups here, kms:DescribeKey for groups encrypted with a key (unless --no-verify-kms-key-state), and with --verify-delivery ec2:DescribeClientVpnConnections and logs:DescribeLogStreams.`,
    };
  }
  if (TIMED_OUT.has(name)) {
    return { region, kind: 'timed-out', message: `timed out (${name}): ${detail}` };
  }
  if (REGION_DISABLED.has(name)) {
    return {
      region,
      kind: 'region-disabled',
      message: `the region is not enabled for this account, or the credentials are not valid there (${name}).`,
    };
  }
  return { region, kind: 'other', message: `${name}: ${detail}` };
}
