/**
 * The demo's built-in sample organization: 3 accounts in 2 regions, with one Client VPN endpoint for
 * each verdict and cause the rule reports. Everything is made up (documentation-style IDs and fake
 * keys); times are relative to the moment the demo runs, so the delivery check has something to judge.
 */
import { DEFAULT_LOG_GROUP_NAME_PREFIX } from '../remediation/runbook';
import {
  accountIdOf,
  endpointIdOf,
  LOOPBACK_ACCOUNT_ID,
  loopbackWorld,
  withOrganization,
  worldRegion,
  type LoopbackWorld,
  type WorldEndpoint,
  type WorldRegion,
} from './loopback-world';

/** The regions of every demo account. */
export const DEMO_REGIONS = ['us-east-1', 'eu-west-1'] as const;

/** A demo region. */
export type DemoRegion = (typeof DEMO_REGIONS)[number];

/** The role the demo assumes in each member account, as the audit's `--role-name` would. */
export const DEMO_ROLE_NAME = 'ClientVpnLoggingDemo';

/**
 * The rule parameters the demo judges by, as the Config rule's `InputParameters` carry them: every
 * check on, so each cause can show.
 */
export const DEMO_RULE_PARAMETERS: Readonly<Record<string, string>> = {
  minRetentionDays: '365',
  requireKmsEncryption: 'true',
  logGroupNamePrefix: DEFAULT_LOG_GROUP_NAME_PREFIX,
  verifyDelivery: 'true',
  deliveryGraceMinutes: '60',
};

/** One account of the sample organization. */
export interface DemoAccount {
  /** The 12-digit account ID. */
  readonly id: string;
  /** What the account stands for. */
  readonly name: string;
}

/** One sample endpoint and the situation it was built to show. */
export interface DemoEndpoint {
  /** The endpoint's account. */
  readonly accountId: string;
  /** The endpoint's region. */
  readonly region: DemoRegion;
  /** The endpoint ID. */
  readonly endpointId: string;
  /** The situation, in a few words (a label for the reader; the verdict comes from the rule). */
  readonly situation: string;
}

/** The sample organization: the world the loopback AWS answers from, and what is in it. */
export interface DemoOrganization {
  /** The world, management account first. */
  readonly world: LoopbackWorld;
  /** The accounts, management account first. */
  readonly accounts: readonly DemoAccount[];
  /** The endpoints, in the order they are shown. */
  readonly endpoints: readonly DemoEndpoint[];
  /**
   * The KMS key the runbook may give a log group, per `account/region`, where the account has one of
   * its own (the runbook accepts only a key of the executing account).
   */
  readonly remediationKeys: ReadonlyMap<string, string>;
}

const MANAGEMENT = LOOPBACK_ACCOUNT_ID;
const SHARED_SERVICES = accountIdOf(111111111);
const WORKLOADS = accountIdOf(222222222);
const GROUP = `${DEFAULT_LOG_GROUP_NAME_PREFIX}/connections`;
const HOUR = 3_600_000;

// The loopback's KMS answers for key ARNs of the loopback account (sandbox/aws-loopback-server.ts).
function keyArn(region: string, keyId: string): string {
  return `arn:aws:kms:${region}:${LOOPBACK_ACCOUNT_ID}:key/${keyId}`;
}

const ENABLED_KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const DISABLED_KEY = '0987dcba-09fe-87dc-65ba-ab0987654321';

// EC2 writes `ConnectionEstablishedTime` as `2026-11-20 09:41:07`, in UTC.
function ec2Time(at: Date): string {
  return at.toISOString().slice(0, 19).replace('T', ' ');
}

function endpoint(n: number, settings: Omit<WorldEndpoint, 'endpointId' | 'status'>): WorldEndpoint {
  return { endpointId: endpointIdOf(n), status: 'available', ...settings };
}

function managementRegions(now: Date): Record<DemoRegion, WorldRegion> {
  const connectedAt = ec2Time(new Date(now.getTime() - 3 * HOUR));
  return {
    'us-east-1': worldRegion({
      endpoints: [
        endpoint(0x101, {
          enabled: true,
          logGroup: GROUP,
          connections: [{ connectionId: 'cvpn-connection-0a1b2c3d4e5f60101', establishedTime: connectedAt }],
        }),
        endpoint(0x102, { enabled: false }),
      ],
      logGroups: [
        {
          name: GROUP,
          retentionInDays: 365,
          kmsKeyId: keyArn('us-east-1', ENABLED_KEY),
          streams: [
            {
              name: 'cvpn-endpoint-00000000000000101-us-east-1',
              lastEventTimestamp: now.getTime() - 10 * 60_000,
              lastIngestionTime: now.getTime() - 9 * 60_000,
            },
          ],
        },
      ],
      keys: [{ keyId: ENABLED_KEY, keyState: 'Enabled' }],
    }),
    'eu-west-1': worldRegion({
      endpoints: [
        endpoint(0x103, { enabled: true, logGroup: `${DEFAULT_LOG_GROUP_NAME_PREFIX}/removed-by-cleanup` }),
        endpoint(0x104, { enabled: true, logGroup: GROUP }),
      ],
      logGroups: [{ name: GROUP, retentionInDays: 365 }],
      keys: [{ keyId: ENABLED_KEY, keyState: 'Enabled' }],
    }),
  };
}

function sharedServicesRegions(): Record<DemoRegion, WorldRegion> {
  return {
    'us-east-1': worldRegion({
      endpoints: [endpoint(0x201, { enabled: true, logGroup: GROUP })],
      logGroups: [{ name: GROUP, retentionInDays: 30, kmsKeyId: keyArn('us-east-1', ENABLED_KEY) }],
      keys: [{ keyId: ENABLED_KEY, keyState: 'Enabled' }],
    }),
    'eu-west-1': worldRegion({
      endpoints: [endpoint(0x202, { enabled: true, logGroup: GROUP })],
      logGroups: [{ name: GROUP, retentionInDays: 365, kmsKeyId: keyArn('eu-west-1', DISABLED_KEY) }],
      keys: [{ keyId: DISABLED_KEY, keyState: 'Disabled' }],
    }),
  };
}

function workloadsRegions(now: Date): Record<DemoRegion, WorldRegion> {
  return {
    'us-east-1': worldRegion({
      endpoints: [
        endpoint(0x301, {
          enabled: true,
          logGroup: GROUP,
          connections: [
            {
              connectionId: 'cvpn-connection-0a1b2c3d4e5f60301',
              establishedTime: ec2Time(new Date(now.getTime() - 3 * HOUR)),
            },
          ],
        }),
      ],
      logGroups: [
        {
          name: GROUP,
          retentionInDays: 365,
          kmsKeyId: keyArn('us-east-1', ENABLED_KEY),
          // The last event arrived a day ago: nothing since the connection three hours ago.
          streams: [
            {
              name: 'cvpn-endpoint-00000000000000301-us-east-1',
              lastEventTimestamp: now.getTime() - 24 * HOUR,
              lastIngestionTime: now.getTime() - 24 * HOUR,
            },
          ],
        },
      ],
      keys: [{ keyId: ENABLED_KEY, keyState: 'Enabled' }],
    }),
    'eu-west-1': worldRegion({
      endpoints: [{ endpointId: endpointIdOf(0x302), status: 'deleting', enabled: true, logGroup: GROUP }],
    }),
  };
}

/** The situations, by endpoint number, in the order shown. */
const SITUATIONS: readonly [number, string, DemoRegion, string][] = [
  [0x101, MANAGEMENT, 'us-east-1', 'healthy'],
  [0x102, MANAGEMENT, 'us-east-1', 'logging off'],
  [0x103, MANAGEMENT, 'eu-west-1', 'log group deleted'],
  [0x104, MANAGEMENT, 'eu-west-1', 'no KMS key'],
  [0x201, SHARED_SERVICES, 'us-east-1', 'retention too short'],
  [0x202, SHARED_SERVICES, 'eu-west-1', 'key disabled'],
  [0x301, WORKLOADS, 'us-east-1', 'no logs arriving'],
  [0x302, WORKLOADS, 'eu-west-1', 'being deleted'],
];

/**
 * Builds the sample organization afresh (the runbook changes it).
 *
 * @param now - the moment connections and log events are dated from
 * @returns the world and what it holds
 */
export function demoOrganization(now: Date = new Date()): DemoOrganization {
  const world = withOrganization(
    loopbackWorld(managementRegions(now)),
    [
      {
        id: SHARED_SERVICES,
        name: 'shared-services',
        roles: [DEMO_ROLE_NAME],
        regions: sharedServicesRegions(),
      },
      { id: WORKLOADS, name: 'workloads', roles: [DEMO_ROLE_NAME], regions: workloadsRegions(now) },
    ],
    [DEMO_ROLE_NAME],
  );
  return {
    world,
    accounts: [
      { id: MANAGEMENT, name: 'management' },
      { id: SHARED_SERVICES, name: 'shared-services' },
      { id: WORKLOADS, name: 'workloads' },
    ],
    endpoints: SITUATIONS.map(([n, accountId, region, situation]) => ({
      accountId,
      region,
      endpointId: endpointIdOf(n),
      situation,
    })),
    remediationKeys: new Map(
      DEMO_REGIONS.map((region) => [`${MANAGEMENT}/${region}`, keyArn(region, ENABLED_KEY)]),
    ),
  };
}
