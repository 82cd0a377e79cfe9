/**
 * The demo's run, with no AWS account: starts the loopback AWS on 127.0.0.1, judges every endpoint of
 * the sample organization with the rule's own sweep (`rule/sweep.ts`, what the Lambda runs on a
 * scheduled notification) through the real SDK clients, runs the remediation runbook for each
 * NON_COMPLIANT endpoint with the offline runbook executor (its Python step really runs in Python),
 * and judges again.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { KMSClient } from '@aws-sdk/client-kms';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

import { runbookParametersFor } from '../audit/runbook-parameters';
import { loadRunbook } from '../remediation/runbook';
import { parseRuleParameters } from '../rule/parameters';
import { evaluateEndpointsInRegion } from '../rule/sweep';
import type { ComplianceType, RuleParameters } from '../rule/types';
import { startLoopbackServer, type LoopbackServer } from './aws-loopback-server';
import {
  DEMO_REGIONS,
  DEMO_ROLE_NAME,
  DEMO_RULE_PARAMETERS,
  demoOrganization,
  type DemoEndpoint,
  type DemoOrganization,
} from './demo-organization';
import { LOOPBACK_ACCOUNT_ID, type WorldRegion } from './loopback-world';
import { RunbookExecutor, type StepRecord } from './runbook-executor';
import { WorldCommandSender, type WorldChange } from './world-command-sender';

/** One endpoint's verdict, as the rule reached it. */
export interface DemoVerdict extends DemoEndpoint {
  /** The verdict. */
  readonly compliance: ComplianceType;
  /** The annotation the rule puts with it (every NON_COMPLIANT and NOT_APPLICABLE verdict has one). */
  readonly annotation?: string;
}

/** What the runbook did for one endpoint. */
export interface DemoRemediation extends DemoEndpoint {
  /** The execution's status: `Failed` when a step failed. */
  readonly status: 'Success' | 'Failed';
  /** The failed step's message. */
  readonly failureMessage?: string;
  /** The steps run, in order. */
  readonly steps: readonly StepRecord[];
  /** What it changed, in order; empty when it changed nothing. */
  readonly changes: readonly WorldChange[];
  /** The runbook's declared outputs (`ReadLoggingState.RetentionOutcome`, ...). */
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** An endpoint the demo left as it was after the runbook, and why. */
export interface DemoLeftAlone extends DemoEndpoint {
  /** Why: the verdict that kept the runbook away, or what still fails after it ran. */
  readonly reason: string;
}

/** Everything the demo found and did. */
export interface DemoReport {
  /** The rule parameters judged by, as the rule's `InputParameters` carry them. */
  readonly ruleParameters: Readonly<Record<string, string>>;
  /** The accounts of the sample organization. */
  readonly accounts: DemoOrganization['accounts'];
  /** The regions of every account. */
  readonly regions: readonly string[];
  /** The verdicts before remediation. */
  readonly before: readonly DemoVerdict[];
  /** One runbook execution per NON_COMPLIANT endpoint. */
  readonly remediations: readonly DemoRemediation[];
  /** The verdicts after remediation. */
  readonly after: readonly DemoVerdict[];
  /** Endpoints not fixed, and why: never sent to the runbook, or still NON_COMPLIANT after it. */
  readonly leftAlone: readonly DemoLeftAlone[];
}

/** Options of {@link runDemoScenario}. */
export interface DemoScenarioOptions {
  /**
   * The Python interpreter the runbook's `aws:executeScript` step runs with (it needs boto3).
   * @default 'python3'
   */
  readonly python?: string;
  /**
   * The moment the sample organization's connections and log events are dated from.
   * @default now
   */
  readonly now?: Date;
}

// The documented example key pair: fake, and recognisably so. The loopback reads the account from it.
const SANDBOX_CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

type Credentials = typeof SANDBOX_CREDENTIALS & { readonly sessionToken?: string };

// Every client is told its endpoint, region and credentials, so nothing of the user's own AWS set-up
// (profile, environment, config files) can send a demo call anywhere but the loopback. Every other setting
// the SDK's chain would read from AWS_* variables or ~/.aws/config is pinned too: AWS_USE_FIPS_ENDPOINT or
// AWS_USE_DUALSTACK_ENDPOINT alongside a custom endpoint makes every client throw, and a retry mode,
// defaults mode or app id of the user's would change how the demo's calls are sent.
// https://docs.aws.amazon.com/sdkref/latest/guide/settings-reference.html
function sdkConfig(server: LoopbackServer, region: string, credentials: Credentials) {
  return {
    region,
    endpoint: server.url,
    credentials,
    maxAttempts: 1,
    retryMode: 'standard',
    defaultsMode: 'legacy' as const,
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    userAgentAppId: 'client-vpn-logging-demo',
  };
}

async function credentialsFor(server: LoopbackServer, accountId: string): Promise<Credentials> {
  if (accountId === LOOPBACK_ACCOUNT_ID) return SANDBOX_CREDENTIALS;
  const sts = new STSClient(sdkConfig(server, 'us-east-1', SANDBOX_CREDENTIALS));
  try {
    const { Credentials: session } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/${DEMO_ROLE_NAME}`,
        RoleSessionName: 'client-vpn-logging-demo',
      }),
    );
    return {
      accessKeyId: session?.AccessKeyId ?? '',
      secretAccessKey: session?.SecretAccessKey ?? '',
      sessionToken: session?.SessionToken ?? '',
    };
  } finally {
    sts.destroy();
  }
}

async function judgeRegion(
  server: LoopbackServer,
  region: string,
  credentials: Credentials,
  parameters: RuleParameters,
) {
  const config = sdkConfig(server, region, credentials);
  const ec2 = new EC2Client(config);
  const logs = new CloudWatchLogsClient(config);
  const kms = new KMSClient(config);
  try {
    return await evaluateEndpointsInRegion({ ec2, logs, kms: () => Promise.resolve(kms) }, parameters);
  } finally {
    for (const client of [ec2, logs, kms]) client.destroy();
  }
}

/**
 * Judges every endpoint of the organization with the rule's sweep, account by account, region by region.
 *
 * @returns one verdict per sample endpoint, in the sample's order
 */
async function judgeOrganization(
  server: LoopbackServer,
  organization: DemoOrganization,
  parameters: RuleParameters,
): Promise<DemoVerdict[]> {
  const verdicts = new Map<string, { compliance: ComplianceType; annotation?: string }>();
  for (const account of organization.accounts) {
    const credentials = await credentialsFor(server, account.id);
    for (const region of DEMO_REGIONS) {
      for (const verdict of await judgeRegion(server, region, credentials, parameters)) {
        verdicts.set(`${account.id}/${region}/${verdict.endpointId}`, verdict);
      }
    }
  }
  return organization.endpoints.map((endpoint) => {
    const verdict = verdicts.get(`${endpoint.accountId}/${endpoint.region}/${endpoint.endpointId}`);
    if (verdict === undefined) throw new Error(`the sweep did not report ${endpoint.endpointId}`);
    return {
      ...endpoint,
      compliance: verdict.compliance,
      ...(verdict.annotation === undefined ? {} : { annotation: verdict.annotation }),
    };
  });
}

function regionOf(organization: DemoOrganization, endpoint: DemoEndpoint): WorldRegion {
  const account = organization.world.organization?.accounts.find((a) => a.id === endpoint.accountId);
  const region = account?.regions[endpoint.region];
  if (region === undefined) throw new Error(`no ${endpoint.region} in account ${endpoint.accountId}`);
  return region;
}

/** Runs the runbook for one endpoint, as Automation would start it for `audit --remediate`. */
async function remediate(
  organization: DemoOrganization,
  endpoint: DemoEndpoint,
  parameters: RuleParameters,
  python: string | undefined,
): Promise<DemoRemediation> {
  const { accountId, region, endpointId } = endpoint;
  const world = new WorldCommandSender(regionOf(organization, endpoint), region, accountId);
  const executor = new RunbookExecutor({
    clients: { ec2: world.ec2, logs: world.logs, kms: world.kms },
    globals: { 'global:ACCOUNT_ID': accountId, 'global:REGION': region, 'global:AWS_PARTITION': 'aws' },
    waitPollIntervalMs: 0,
    ...(python === undefined ? {} : { python }),
  });
  const key = organization.remediationKeys.get(`${accountId}/${region}`);
  // StartAutomationExecution takes each value as a list; the executor takes the value itself.
  const extra = Object.fromEntries(
    Object.entries(runbookParametersFor(parameters)).map(([name, [value]]) => [name, value]),
  );
  const result = await executor.run(loadRunbook(), {
    ClientVpnEndpointId: endpointId,
    AutomationAssumeRole: `arn:aws:iam::${accountId}:role/ClientVpnLogging-AutomationRole-${region}`,
    ...extra,
    ...(key === undefined ? {} : { KmsKeyArn: key }),
  });
  return {
    ...endpoint,
    status: result.status,
    ...(result.failureMessage === undefined ? {} : { failureMessage: result.failureMessage }),
    steps: result.steps,
    changes: world.changes,
    outputs: result.outputs,
  };
}

function leftAlone(
  before: readonly DemoVerdict[],
  after: readonly DemoVerdict[],
  remediations: readonly DemoRemediation[],
): DemoLeftAlone[] {
  return after.flatMap((verdict, index): DemoLeftAlone[] => {
    const earlier = before[index];
    if (earlier !== undefined && earlier.compliance !== 'NON_COMPLIANT') {
      const reason =
        earlier.compliance === 'COMPLIANT'
          ? 'COMPLIANT: nothing to fix'
          : `NOT_APPLICABLE: ${earlier.annotation ?? 'the rule does not apply'}`;
      return [{ ...endpointOf(verdict), reason }];
    }
    if (verdict.compliance !== 'NON_COMPLIANT') return [];
    const run = remediations.find((r) => r.endpointId === verdict.endpointId);
    const ran =
      run === undefined
        ? 'not remediated'
        : run.status === 'Failed' && run.changes.length === 0
          ? `the runbook refused before any change (${run.failureMessage ?? 'it failed'})`
          : run.changes.length === 0
            ? 'the runbook changed nothing (it never enables or replaces a KMS key, and cannot make logs arrive)'
            : 'the runbook changed it';
    return [{ ...endpointOf(verdict), reason: `${ran}; still NON_COMPLIANT: ${verdict.annotation ?? ''}` }];
  });
}

function endpointOf({ accountId, region, endpointId, situation }: DemoEndpoint): DemoEndpoint {
  return { accountId, region, endpointId, situation };
}

/**
 * Runs the whole demo against a fresh sample organization.
 *
 * @param options - the Python interpreter and the moment to date the sample from
 * @returns the verdicts before and after, what the runbook did and what was left alone
 */
export async function runDemoScenario(options: DemoScenarioOptions = {}): Promise<DemoReport> {
  const organization = demoOrganization(options.now);
  const parameters = parseRuleParameters(JSON.stringify(DEMO_RULE_PARAMETERS));
  const server = await startLoopbackServer({ world: organization.world });
  try {
    const before = await judgeOrganization(server, organization, parameters);
    const remediations: DemoRemediation[] = [];
    for (const verdict of before.filter((v) => v.compliance === 'NON_COMPLIANT')) {
      remediations.push(await remediate(organization, endpointOf(verdict), parameters, options.python));
    }
    const after = await judgeOrganization(server, organization, parameters);
    return {
      ruleParameters: DEMO_RULE_PARAMETERS,
      accounts: organization.accounts,
      regions: [...DEMO_REGIONS],
      before,
      remediations,
      after,
      leftAlone: leftAlone(before, after, remediations),
    };
  } finally {
    await server.close();
  }
}
