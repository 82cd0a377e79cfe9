import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { KMSClient } from '@aws-sdk/client-kms';
import { loadEc2Module, loadKmsModule } from './lazy-sdk-modules';
import { createTimedRequestHandler } from './timed-request-handler';

/** Credentials to sign with, as STS AssumeRole returns them. */
export interface SigningCredentials {
  /** The access key ID. */
  readonly accessKeyId: string;
  /** The secret access key. */
  readonly secretAccessKey: string;
  /** The session token of temporary credentials. */
  readonly sessionToken?: string;
  /** When temporary credentials expire. */
  readonly expiration?: Date;
}

/** The SDK clients one invocation makes all its calls with, all for the same account and region. */
export interface RuleClients {
  /** Puts evaluations, fetches oversized items and lists earlier evaluations. */
  readonly config: ConfigServiceClient;
  /** Looks log groups up. */
  readonly logs: CloudWatchLogsClient;
  /** Lists endpoints and connections; created on first use, since only the sweep and delivery need it. */
  readonly ec2: () => Promise<EC2Client>;
  /** Reads KMS keys; created on first use, since only encrypted groups need it. */
  readonly kms: () => Promise<KMSClient>;
}

// Adaptive retries add client-side rate limiting to the standard backoff, riding out throttling.
// Region, endpoint (AWS_ENDPOINT_URL and per-service variants) and credentials come from the
// standard configuration chain unless credentials are given. Every call has a connection and a request
// timeout, so an endpoint that never answers cannot hold the invocation until the Lambda's own timeout.
function clientConfig(credentials?: SigningCredentials) {
  return {
    retryMode: 'adaptive' as const,
    requestHandler: createTimedRequestHandler(),
    ...(credentials ? { credentials } : {}),
  };
}

/**
 * Builds the clients of one invocation.
 *
 * @param credentials - the credentials to sign with; omitted, the standard chain's (the Lambda's role)
 * @returns clients that share the credentials, the EC2 one built on first use
 */
export function createRuleClients(credentials?: SigningCredentials): RuleClients {
  let ec2: Promise<EC2Client> | undefined;
  let kms: Promise<KMSClient> | undefined;
  return {
    config: new ConfigServiceClient(clientConfig(credentials)),
    logs: new CloudWatchLogsClient(clientConfig(credentials)),
    ec2: () => {
      // Loaded on first use so change notifications never load the EC2 client.
      ec2 ??= loadEc2Module().then(({ EC2Client }) => new EC2Client(clientConfig(credentials)));
      return ec2;
    },
    kms: () => {
      kms ??= loadKmsModule().then(({ KMSClient }) => new KMSClient(clientConfig(credentials)));
      return kms;
    },
  };
}

let defaultClients: RuleClients | undefined;

/**
 * The clients signed with the Lambda's own role, built once per container and reused.
 *
 * @returns the container's default clients
 */
export function defaultRuleClients(): RuleClients {
  defaultClients ??= createRuleClients();
  return defaultClients;
}
