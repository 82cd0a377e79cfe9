/**
 * The SDK clients the audit command uses in one account and region, built from the standard
 * configuration chain (credentials, `AWS_ENDPOINT_URL` and its per-service variants) with the region
 * set, and with either a named profile or the session credentials of a role assumed in the account.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { KMSClient } from '@aws-sdk/client-kms';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions } from '@smithy/types';

import { createTimedRequestHandler } from '../rule/timed-request-handler';

/** Static credentials, as every SDK v3 client's `credentials` takes them. */
export interface AwsCredentialIdentity {
  /** The access key ID. */
  readonly accessKeyId: string;
  /** The secret access key. */
  readonly secretAccessKey: string;
  /** The session token of temporary credentials. */
  readonly sessionToken?: string;
  /** When temporary credentials expire. */
  readonly expiration?: Date;
}

/** How an account is reached: the caller's profile (or default chain), or assumed-role credentials. */
export interface AccountAccess {
  /** The named profile of the shared config files; undefined means the default chain. */
  readonly profile?: string;
  /** Session credentials of a role assumed in the account; when set, they are used instead of the chain. */
  readonly credentials?: AwsCredentialIdentity;
  /**
   * One HTTP handler shared by many clients, so an organization scan reuses its sockets instead of
   * opening new ones for every account×region pair. Its owner destroys it; the clients must not.
   * @default each client its own
   */
  readonly requestHandler?: NodeHttpHandler;
  /**
   * Aborts every request of the clients built with this access: the deadline of one account×region pair.
   * @default none
   */
  readonly abortSignal?: AbortSignal;
}

/** The clients of one region. */
export interface AuditClients {
  /** Lists endpoints (and regions). */
  readonly ec2: EC2Client;
  /** Looks log groups and log streams up. */
  readonly logs: CloudWatchLogsClient;
  /** Reads the state of the groups' KMS keys. */
  readonly kms: KMSClient;
  /** Checks the runbook is deployed and starts it. */
  readonly ssm: SSMClient;
  /** Closes the clients' sockets. */
  destroy(): void;
}

/** Builds the audit's clients for one region; a factory so tests can count or replace them. */
export type AuditClientsFactory = (region: string) => AuditClients;

/**
 * A handler that sends through `handler` with `signal` as every request's abort signal. It destroys
 * `handler` only when `owned`: a shared handler is its owner's to destroy.
 */
function abortingWith(handler: NodeHttpHandler, signal: AbortSignal, owned: boolean): NodeHttpHandler {
  const aborting = Object.create(handler) as NodeHttpHandler;
  aborting.handle = (request, options: HttpHandlerOptions = {}) =>
    handler.handle(request, { ...options, abortSignal: options.abortSignal ?? signal });
  aborting.destroy = () => (owned ? handler.destroy() : undefined);
  return aborting;
}

/**
 * The client configuration of one account and region, with the same adaptive retries as the rule so
 * throttling is ridden out, and connection and request timeouts on every call.
 *
 * @param region - the region to call
 * @param access - how the account is reached
 * @returns configuration for any SDK v3 client
 */
export function clientConfig(
  region: string,
  access: AccountAccess = {},
): {
  region: string;
  retryMode: 'adaptive';
  profile?: string;
  credentials?: AwsCredentialIdentity;
  requestHandler: NodeHttpHandler;
} {
  const handler = access.requestHandler ?? createTimedRequestHandler();
  return {
    region,
    retryMode: 'adaptive',
    requestHandler:
      access.abortSignal === undefined
        ? handler
        : abortingWith(handler, access.abortSignal, access.requestHandler === undefined),
    ...(access.credentials !== undefined
      ? { credentials: access.credentials }
      : access.profile !== undefined
        ? { profile: access.profile }
        : {}),
  };
}

/**
 * Builds the clients of one account and region. The SSM client is built only when first used (a scan
 * never needs it), and so is the KMS client (only a group encrypted with a key needs it).
 *
 * @param region - the region to call
 * @param access - how the account is reached
 * @returns clients for that account and region
 */
export function createAuditClients(region: string, access: AccountAccess = {}): AuditClients {
  const config = clientConfig(region, access);
  let ssm: SSMClient | undefined;
  let kms: KMSClient | undefined;
  return {
    ec2: new EC2Client(config),
    logs: new CloudWatchLogsClient(config),
    get kms() {
      return (kms ??= new KMSClient(config));
    },
    get ssm() {
      return (ssm ??= new SSMClient(config));
    },
    destroy() {
      // A shared handler is its owner's to destroy: destroying it here would cut other clients' requests.
      if (access.requestHandler !== undefined) return;
      this.ec2.destroy();
      this.logs.destroy();
      kms?.destroy();
      ssm?.destroy();
    },
  };
}
