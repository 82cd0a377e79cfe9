import type { STSClient } from '@aws-sdk/client-sts';
import { ExecutionRoleAssumptionError } from './errors';
import { createRuleClients, type RuleClients } from './rule-clients';

/** The session name the rule's assumed-role calls carry, so CloudTrail shows who made them. */
export const EXECUTION_ROLE_SESSION_NAME = 'client-vpn-connection-logging-rule';

// Credentials closer than this to expiry are renewed, so no call of an invocation outlives them.
const RENEW_BEFORE_EXPIRY_MS = 5 * 60 * 1000;

/**
 * The ARN of the organization-mode execution role in the account an event is about.
 *
 * @param configRuleArn - the event's rule ARN, whose partition the role shares
 * @param accountId - the event's account
 * @param roleName - the `executionRoleName` rule parameter, optionally with a path
 * @returns `arn:<partition>:iam::<accountId>:role/<roleName>`
 */
export function executionRoleArn(configRuleArn: string, accountId: string, roleName: string): string {
  const partition = configRuleArn.split(':')[1];
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

interface CachedRole {
  readonly clients: RuleClients;
  readonly expiresAt: number;
}

const cache = new Map<string, CachedRole>();
let sts: STSClient | undefined;

/**
 * Clients signed with the execution role of another account, so the central Lambda of an
 * organization deployment evaluates, and puts evaluations, where the resource lives. Credentials are
 * cached per role within the container until five minutes before they expire.
 *
 * @param roleArn - the role to assume
 * @param now - the current time, in milliseconds
 * @returns clients signed with the role's temporary credentials
 * @throws ExecutionRoleAssumptionError naming the role when STS refuses or returns no credentials
 */
export async function clientsForExecutionRole(
  roleArn: string,
  now: number = Date.now(),
): Promise<RuleClients> {
  const cached = cache.get(roleArn);
  if (cached && cached.expiresAt - RENEW_BEFORE_EXPIRY_MS > now) return cached.clients;
  // Loaded here so only organization mode pays for the STS client's cold start.
  const { STSClient: Client, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  // Built once per container; the Lambda's own credentials, region and endpoint come from the standard chain.
  sts ??= new Client({ retryMode: 'adaptive' });
  let response;
  try {
    response = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: EXECUTION_ROLE_SESSION_NAME }),
    );
  } catch (error) {
    cache.delete(roleArn);
    throw new ExecutionRoleAssumptionError(roleArn, error);
  }
  const credentials = response.Credentials;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.Expiration) {
    throw new ExecutionRoleAssumptionError(roleArn);
  }
  const clients = createRuleClients({
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
    expiration: credentials.Expiration,
  });
  cache.set(roleArn, { clients, expiresAt: credentials.Expiration.getTime() });
  return clients;
}

/** Forgets every cached role, as a new container would. For tests. */
export function clearExecutionRoleCache(): void {
  cache.clear();
}
