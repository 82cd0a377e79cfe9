/**
 * Who the caller is, and how the audit reaches another account: `sts:GetCallerIdentity` for the
 * caller's account and partition, `sts:AssumeRole` for a role in each organization account.
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

import { clientConfig, type AccountAccess } from './audit-clients';
import { parseArn } from '../rule/parse-arn';
import { ACCOUNT_ID_PATTERN } from '../rule/aws-name-patterns';

/** The caller's account and the partition its credentials belong to. */
export interface CallerIdentity {
  /** The 12-digit account ID. */
  readonly accountId: string;
  /** `aws`, `aws-cn`, `aws-us-gov`, …: the second field of the caller's ARN. */
  readonly partition: string;
}

/** The session name every assumed role shows in CloudTrail, so the audit's calls are recognisable. */
export const AUDIT_ROLE_SESSION_NAME = 'client-vpn-logging-audit';

/**
 * Asks STS who the caller is.
 *
 * @param region - the region whose STS endpoint to call
 * @param access - the caller's profile, if named
 * @returns the caller's account and partition
 */
export async function callerIdentity(region: string, access: AccountAccess): Promise<CallerIdentity> {
  const sts = new STSClient(clientConfig(region, access));
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    // The account ID goes into role ARNs and every output: anything but 12 digits is refused here.
    if (identity.Account === undefined || !ACCOUNT_ID_PATTERN.test(identity.Account)) {
      throw new Error('sts:GetCallerIdentity answered with an Account that is not a 12-digit account ID');
    }
    // arn:PARTITION:sts::ACCOUNT:… (IAM identifiers, docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html)
    // The partition goes into every role ARN the audit assumes: an Arn that does not parse is refused.
    const partition = identity.Arn === undefined ? 'aws' : parseArn(identity.Arn)?.partition;
    if (partition === undefined || !/^aws[a-z-]*$/.test(partition)) {
      throw new Error('sts:GetCallerIdentity answered with an Arn that is not an ARN of an AWS partition');
    }
    return { accountId: identity.Account, partition };
  } finally {
    sts.destroy();
  }
}

/**
 * The ARN of role `roleName` in `accountId`, in the caller's partition.
 *
 * @param partition - the partition
 * @param accountId - the account
 * @param roleName - the role's name (no path)
 * @returns `arn:<partition>:iam::<account>:role/<name>`
 */
export function roleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/**
 * Assumes a role and returns credentials that reach its account.
 *
 * @param sts - an STS client with the caller's credentials
 * @param arn - the role's ARN
 * @param abortSignal - aborts the call (the account's deadline), so an abandoned call holds no socket
 * @returns access with the session's credentials
 */
export async function assumeAuditRole(
  sts: STSClient,
  arn: string,
  abortSignal?: AbortSignal,
): Promise<AccountAccess> {
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: AUDIT_ROLE_SESSION_NAME }),
    abortSignal === undefined ? {} : { abortSignal },
  );
  if (Credentials?.AccessKeyId === undefined || Credentials.SecretAccessKey === undefined) {
    throw new Error(`AssumeRole of ${arn} returned no credentials`);
  }
  return {
    credentials: {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      ...(Credentials.SessionToken === undefined ? {} : { sessionToken: Credentials.SessionToken }),
      ...(Credentials.Expiration === undefined ? {} : { expiration: Credentials.Expiration }),
    },
  };
}
