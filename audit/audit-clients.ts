/**
 * The SDK clients the audit command uses in one region, built from the standard configuration
 * chain (credentials, `AWS_ENDPOINT_URL` and its per-service variants) with the region set.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { KMSClient } from '@aws-sdk/client-kms';
import { SSMClient } from '@aws-sdk/client-ssm';

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
}

/** Builds the audit's clients for one region; a factory so tests can count or replace them. */
export type AuditClientsFactory = (region: string) => AuditClients;

/**
 * Builds the clients of one region, with the same adaptive retries as the rule so throttling is ridden out.
 *
 * @param region - the region to call
 * @returns clients for that region
 */
export function createAuditClients(region: string): AuditClients {
  const config = { region, retryMode: 'adaptive' as const };
  return {
    ec2: new EC2Client(config),
    logs: new CloudWatchLogsClient(config),
    kms: new KMSClient(config),
    ssm: new SSMClient(config),
  };
}

/**
 * The region the standard configuration chain gives (`AWS_REGION`, the profile's `region`), if any.
 *
 * @returns the configured region, or undefined when none is configured
 */
export async function configuredRegion(): Promise<string | undefined> {
  const client = new EC2Client({});
  try {
    return await client.config.region();
  } catch {
    // The SDK throws "Region is missing" when neither the environment nor the profile names one.
    return undefined;
  } finally {
    client.destroy();
  }
}
