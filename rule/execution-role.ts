import type { STSClient } from '@aws-sdk/client-sts';
import {
  ExecutionRoleAssumptionError,
  ExecutionRoleNameMismatchError,
  ForeignAccountEventError,
  FunctionConfigurationError,
} from './errors';
import { ACCOUNT_ID_PATTERN, ROLE_PATH_AND_NAME_PATTERN } from './aws-name-patterns';
import { createRuleClients, type RuleClients } from './rule-clients';
import { EXECUTION_ROLE_NAME_VARIABLE } from './types';
import { loadStsModule } from './lazy-sdk-modules';
import { createTimedRequestHandler } from './timed-request-handler';
import { parseArn } from './parse-arn';

/**
 * Where one invocation acts, as the function's own configuration decides: with the function's own
 * credentials in its own account, or through the configured role in the event's account.
 */
export type ExecutionTarget =
  | { readonly kind: 'own-account'; readonly accountId: string }
  | { readonly kind: 'execution-role'; readonly roleArn: string };

/** What {@link chooseExecutionTarget} weighs: the function's configuration and the checked event. */
export interface ExecutionTargetInputs {
  /** The function's `EXECUTION_ROLE_NAME`, as {@link configuredExecutionRoleName} read it. */
  readonly configuredRoleName: string | undefined;
  /** The Lambda context's `invokedFunctionArn`, whose account is the function's own. */
  readonly invokedFunctionArn: string | undefined;
  /** The event's account (already checked against its `configRuleArn`). */
  readonly eventAccountId: string;
  /** The event's rule ARN, whose partition the role shares. */
  readonly configRuleArn: string;
  /** The rule parameter `executionRoleName`, when the rule passes one. */
  readonly requestedRoleName: string | undefined;
}

/**
 * Reads the role the function is configured to assume. Unset or empty means the function acts only in
 * its own account. A leading `/` of a path is dropped, as in the rule parameter.
 *
 * @param environment - the function's environment
 * @returns the role name (with its path, if any), or undefined
 * @throws FunctionConfigurationError when the value is not an IAM role name
 */
export function configuredExecutionRoleName(
  environment: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const raw = environment[EXECUTION_ROLE_NAME_VARIABLE]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const name = raw.replace(/^\//, '');
  if (!ROLE_PATH_AND_NAME_PATTERN.test(name)) {
    throw new FunctionConfigurationError(
      `${EXECUTION_ROLE_NAME_VARIABLE} ${JSON.stringify(raw.slice(0, 128))} is not an IAM role name (1-64 of A-Z a-z 0-9 +=,.@_-, optionally after a path such as "config/")`,
    );
  }
  return name;
}

/**
 * Decides where an invocation acts from the function's own configuration; the event only says which
 * account it is about, and is refused when that does not fit. Pure: no AWS call is made, so a refused
 * event costs nothing and leaves nothing half-done.
 *
 * - `EXECUTION_ROLE_NAME` set (organization stack): exactly that role, in the event's account. A rule
 *   parameter `executionRoleName` naming another role is refused.
 * - Not set: the function's own credentials, and only for its own account (the account of the Lambda
 *   context's `invokedFunctionArn`). A rule parameter `executionRoleName` is refused.
 *
 * @returns the target to build clients for
 * @throws ExecutionRoleNameMismatchError when the rule parameter asks for another role, or for one at all
 * @throws ForeignAccountEventError when a function without a role gets an event for another account
 * @throws FunctionConfigurationError when the context carries no `invokedFunctionArn` to compare with
 */
export function chooseExecutionTarget(inputs: ExecutionTargetInputs): ExecutionTarget {
  const { configuredRoleName, requestedRoleName, eventAccountId } = inputs;
  if (requestedRoleName !== undefined && requestedRoleName !== configuredRoleName) {
    throw new ExecutionRoleNameMismatchError(requestedRoleName, configuredRoleName);
  }
  if (configuredRoleName !== undefined) {
    return {
      kind: 'execution-role',
      roleArn: executionRoleArn(inputs.configRuleArn, eventAccountId, configuredRoleName),
    };
  }
  // arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>] (Lambda Developer Guide,
  // "Accessing invoke context information": the context object's invokedFunctionArn).
  const functionAccountId = lambdaFunctionAccountId(inputs.invokedFunctionArn);
  if (functionAccountId === undefined) {
    throw new FunctionConfigurationError(
      `the Lambda context's invokedFunctionArn ${JSON.stringify(inputs.invokedFunctionArn ?? null)} names no account, so the function cannot tell its own account; nothing was evaluated`,
    );
  }
  if (functionAccountId !== eventAccountId) {
    throw new ForeignAccountEventError(eventAccountId, functionAccountId);
  }
  return { kind: 'own-account', accountId: functionAccountId };
}

// The account of a Lambda function ARN, or undefined when the text is not one.
function lambdaFunctionAccountId(functionArn: string | undefined): string | undefined {
  const parts = functionArn === undefined ? undefined : parseArn(functionArn);
  if (parts === undefined || parts.service !== 'lambda' || !/^[a-z-]+$/.test(parts.partition))
    return undefined;
  if (!/^[a-z0-9-]+$/.test(parts.region) || !parts.resource.startsWith('function:')) return undefined;
  return ACCOUNT_ID_PATTERN.test(parts.accountId) ? parts.accountId : undefined;
}

/** The session name the rule's assumed-role calls carry, so CloudTrail shows who made them. */
export const EXECUTION_ROLE_SESSION_NAME = 'client-vpn-connection-logging-rule';

// Credentials closer than this to expiry are renewed, so no call of an invocation outlives them.
const RENEW_BEFORE_EXPIRY_MS = 5 * 60 * 1000;

/**
 * The ARN of the organization-mode execution role in the account an event is about.
 *
 * @param configRuleArn - the event's rule ARN, whose partition the role shares
 * @param accountId - the event's account
 * @param roleName - the configured role name, optionally with a path (no leading `/`)
 * @returns `arn:<partition>:iam::<accountId>:role/<roleName>`
 */
export function executionRoleArn(configRuleArn: string, accountId: string, roleName: string): string {
  // The event's reader (rule/event.ts) refused any configRuleArn that does not parse.
  const partition = parseArn(configRuleArn)?.partition;
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

interface CachedRole {
  readonly clients: RuleClients;
  readonly expiresAt: number;
}

// Kept by hand rather than the SDK's `fromTemporaryCredentials` (issue 16 weighed both): that provider
// assumes the role lazily, on the first signed call, so a role that cannot be assumed would surface as a
// failed Config or EC2 call instead of the named ExecutionRoleAssumptionError before anything is judged;
// it would also bring @aws-sdk/credential-providers into the Lambda bundle; and caching the clients, not
// only the credentials, saves building them again on every invocation of a warm container.
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
  const { STSClient: Client, AssumeRoleCommand } = await loadStsModule();
  // Built once per container; the Lambda's own credentials, region and endpoint come from the standard chain.
  sts ??= new Client({ retryMode: 'adaptive', requestHandler: createTimedRequestHandler() });
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
