/**
 * The small AWS world the loopback server answers from: per region, the Client VPN endpoints,
 * the CloudWatch Logs groups, the Config rule's recorded results, the configuration history and
 * the SSM documents, plus any failure the region should answer every call with.
 */

/** The account every loopback region belongs to. */
export const LOOPBACK_ACCOUNT_ID = '123456789012';

/** A Client VPN endpoint as `DescribeClientVpnEndpoints` reports it. */
export interface WorldEndpoint {
  /** `cvpn-endpoint-` followed by 17 hex digits. */
  readonly endpointId: string;
  /** The status code: `pending-associate`, `available`, `deleting` or `deleted`. */
  readonly status: string;
  /** `ConnectionLogOptions.Enabled`. */
  readonly enabled: boolean;
  /** `ConnectionLogOptions.CloudwatchLogGroup`, when named. */
  readonly logGroup?: string;
  /** `ConnectionLogOptions.CloudwatchLogStream`, when named. */
  readonly logStream?: string;
  /** The connections `DescribeClientVpnConnections` lists (active and ended within the last hour). */
  readonly connections?: readonly WorldConnection[];
}

/** A Client VPN connection as `DescribeClientVpnConnections` reports it. */
export interface WorldConnection {
  /** `cvpn-connection-` and 17 hex digits. */
  readonly connectionId: string;
  /** `ConnectionEstablishedTime`, in EC2's format: `2026-11-20 09:41:07`. */
  readonly establishedTime: string;
  /**
   * The connection's status code.
   * @default 'active'
   */
  readonly status?: 'active' | 'failed-to-terminate' | 'terminating' | 'terminated';
}

/** A log stream as `DescribeLogStreams` reports it. */
export interface WorldLogStream {
  /** The stream's name. */
  readonly name: string;
  /** Epoch milliseconds of the newest event; absent when the stream holds none. */
  readonly lastEventTimestamp?: number;
  /** Epoch milliseconds of the newest ingestion; absent when the stream holds none. */
  readonly lastIngestionTime?: number;
}

/** A KMS key as `DescribeKey` reports it. */
export interface WorldKey {
  /** The key ID (a UUID); the ARN is built from the region and the loopback account. */
  readonly keyId: string;
  /** `KeyState`. */
  readonly keyState: string;
  /** `DeletionDate`, for a key pending deletion. */
  readonly deletionDate?: Date;
  /** The key policy denies the caller `kms:DescribeKey`: answered with `AccessDeniedException`. */
  readonly denied?: boolean;
}

/** An evaluation started through `StartConfigRulesEvaluation`. */
export interface StartedEvaluation {
  /** The region the call was signed for. */
  readonly region: string;
  /** The rule started. */
  readonly configRuleName: string;
  /** When the server received the call. */
  readonly at: Date;
}

/** A CloudWatch Logs group as `DescribeLogGroups` reports it. */
export interface WorldLogGroup {
  /** The log group's name. */
  readonly name: string;
  /** Days before events expire; absent when they never expire. */
  readonly retentionInDays?: number;
  /** The KMS key ARN, when the group is encrypted with one. */
  readonly kmsKeyId?: string;
  /** The group's log streams. */
  readonly streams?: readonly WorldLogStream[];
  /** The group's events, for Logs Insights queries (`StartQuery`), in any order. */
  readonly events?: readonly WorldLogEvent[];
}

/** A log event of a group, as Logs Insights reads it. */
export interface WorldLogEvent {
  /** Epoch milliseconds. */
  readonly timestamp: number;
  /** The message: for Client VPN, a connection log entry's JSON. */
  readonly message: string;
}

/** A result AWS Config holds for the rule, as `GetComplianceDetailsByConfigRule` reports it. */
export interface WorldConfigResult {
  /** The evaluated resource's ID. */
  readonly resourceId: string;
  /** The resource type, `AWS::EC2::ClientVpnEndpoint` for this rule. */
  readonly resourceType: string;
  /** The recorded verdict. */
  readonly complianceType: string;
  /** The recorded annotation. */
  readonly annotation?: string;
  /** The evaluation's ordering timestamp. */
  readonly orderingTimestamp: Date;
}

/** An evaluation the server received through `PutEvaluations`. */
export interface ReceivedEvaluation {
  /** The region the call was signed for. */
  readonly region: string;
  /** `ComplianceResourceType`. */
  readonly resourceType: string;
  /** `ComplianceResourceId`. */
  readonly resourceId: string;
  /** `ComplianceType`. */
  readonly complianceType: string;
  /** `Annotation`, when sent. */
  readonly annotation?: string;
  /** `OrderingTimestamp`, as sent (epoch seconds on the wire). */
  readonly orderingTimestamp: Date;
  /** The call's `ResultToken`. */
  readonly resultToken: string;
  /** Whether the call set `TestMode`. */
  readonly testMode: boolean;
}

/** An SSM Automation document deployed in a region. */
export interface WorldDocument {
  /** The document name. */
  readonly name: string;
  /** The parameters `StartAutomationExecution` must pass. */
  readonly requiredParameters: readonly string[];
}

/** An automation the server started through `StartAutomationExecution`. */
export interface StartedAutomation {
  /** The region the call was signed for. */
  readonly region: string;
  /** `DocumentName`. */
  readonly documentName: string;
  /** `Parameters`, a map of name to list of values. */
  readonly parameters: Readonly<Record<string, readonly string[]>>;
  /** The execution ID the server returned. */
  readonly automationExecutionId: string;
}

/** An error every call of a service in a region is answered with. */
export interface WorldFailure {
  /** The error code, e.g. `UnauthorizedOperation` or `AccessDeniedException`. */
  readonly code: string;
  /** The error message. */
  readonly message: string;
  /**
   * The HTTP status.
   * @default 400
   */
  readonly status?: number;
}

/** The services the loopback server speaks for, by their SigV4 signing name. */
export type LoopbackService = 'ec2' | 'logs' | 'config' | 'ssm' | 'sts' | 'organizations' | 'kms';

/** One region of the world. */
export interface WorldRegion {
  /**
   * `opt-in-not-required`, `opted-in` or `not-opted-in`; a `not-opted-in` region answers every call as
   * a disabled region does (`AuthFailure` from EC2, `UnrecognizedClientException` from JSON services).
   * @default 'opt-in-not-required'
   */
  optInStatus?: 'opt-in-not-required' | 'opted-in' | 'not-opted-in';
  /** The region's Client VPN endpoints, in the order EC2 lists them. */
  endpoints: WorldEndpoint[];
  /** The region's log groups. */
  logGroups: WorldLogGroup[];
  /** The name of the deployed Config rule whose results `GetComplianceDetailsByConfigRule` returns. */
  configRuleName?: string;
  /** Other Config rules of the region (e.g. an organization rule's copy), by name, for `DescribeConfigRules`. */
  otherConfigRules?: string[];
  /**
   * How many more `StartConfigRulesEvaluation` calls are answered `LimitExceededException`, as while an
   * evaluation runs.
   * @default 0
   */
  evaluationBusyFor?: number;
  /** The region's KMS keys. */
  keys?: WorldKey[];
  /** The rule's recorded results, by resource ID; `PutEvaluations` outside test mode updates them. */
  configResults: Map<string, WorldConfigResult>;
  /** `GetResourceConfigHistory` items by resource ID, newest first, shaped as the JSON API returns them. */
  configHistory: Map<string, Record<string, unknown>[]>;
  /** The SSM documents deployed in the region. */
  documents: WorldDocument[];
  /** Per service, an error every call is answered with (e.g. an SCP's denial). */
  failures: Partial<Record<LoopbackService, WorldFailure>>;
  /** Per resource ID, how many more times `PutEvaluations` reports it in `FailedEvaluations`. */
  failEvaluations: Map<string, number>;
  /**
   * How many automations may be started in the region before `StartAutomationExecution` answers
   * `AutomationExecutionLimitExceededException` (the account's concurrent-execution quota).
   * @default unlimited
   */
  automationLimit?: number;
}

/** An account of the loopback organization, as `ListAccounts` reports it, with its own regions. */
export interface WorldAccount {
  /** The 12-digit account ID. */
  readonly id: string;
  /** The account's name. */
  readonly name: string;
  /** `State` in `ListAccounts` (`Status` was retired on 9 September 2026). */
  state: 'PENDING_ACTIVATION' | 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED';
  /** The root (`r-…`) or OU (`ou-…`) the account sits in. */
  readonly parentId: string;
  /** The names of the roles in the account that `AssumeRole` may assume; any other is denied. */
  readonly roles: string[];
  /** The account's regions; the management account's are the world's own `regions`. */
  readonly regions: Record<string, WorldRegion>;
}

/** An organizational unit. */
export interface WorldOrganizationalUnit {
  /** `ou-` ID. */
  readonly id: string;
  /** The OU's name. */
  readonly name: string;
  /** The root or OU it sits in. */
  readonly parentId: string;
}

/**
 * The organization the loopback answers Organizations calls from. With one, `AssumeRole` grants only
 * the roles each account lists, and the session credentials it issues reach that account's regions.
 */
export interface WorldOrganization {
  /** The root's ID, `r-` and 4 to 32 characters. */
  readonly rootId: string;
  /** The accounts that may call `ListAccounts` (the management account and delegated administrators). */
  readonly administratorAccountIds: readonly string[];
  /** The OUs, any depth. */
  readonly organizationalUnits: WorldOrganizationalUnit[];
  /** Every account, the management account ({@link LOOPBACK_ACCOUNT_ID}) included, in the order listed. */
  readonly accounts: WorldAccount[];
}

/** The whole world, by region name. */
export interface LoopbackWorld {
  /** The regions of {@link LOOPBACK_ACCOUNT_ID}, the caller's own account; a region not listed answers as a disabled region. */
  readonly regions: Record<string, WorldRegion>;
  /** The organization, when the world has one; without it any role may be assumed, into the caller's account. */
  organization?: WorldOrganization;
  /** Every evaluation received, in arrival order. */
  readonly receivedEvaluations: ReceivedEvaluation[];
  /** Every automation started, in arrival order. */
  readonly startedAutomations: StartedAutomation[];
  /** Every evaluation started, in arrival order. */
  readonly startedEvaluations: StartedEvaluation[];
}

/** Creates an empty region, with `overrides` applied. */
export function worldRegion(overrides: Partial<WorldRegion> = {}): WorldRegion {
  return {
    endpoints: [],
    logGroups: [],
    configResults: new Map(),
    configHistory: new Map(),
    documents: [],
    failures: {},
    failEvaluations: new Map(),
    ...overrides,
  };
}

/** Creates a world of the given regions. */
export function loopbackWorld(regions: Record<string, WorldRegion>): LoopbackWorld {
  return { regions, receivedEvaluations: [], startedAutomations: [], startedEvaluations: [] };
}

/** A 12-digit account ID made from a number: 100000000000 + n. */
export function accountIdOf(n: number): string {
  return String(100000000000 + n);
}

/**
 * Gives `world` an organization whose management account is {@link LOOPBACK_ACCOUNT_ID} (its regions the
 * world's own), plus the member accounts given, all ACTIVE and under the root unless they say otherwise.
 *
 * @param world - the world to extend; returned for chaining
 * @param members - the member accounts
 * @param managementRoles - the roles that exist in the management account
 * @param organizationalUnits - the OUs, any depth, that members' `parentId` may name
 */
export function withOrganization(
  world: LoopbackWorld,
  members: readonly (Pick<WorldAccount, 'id' | 'roles' | 'regions'> & Partial<WorldAccount>)[],
  managementRoles: string[] = [],
  organizationalUnits: WorldOrganizationalUnit[] = [],
): LoopbackWorld {
  const rootId = 'r-a1b2';
  world.organization = {
    rootId,
    administratorAccountIds: [LOOPBACK_ACCOUNT_ID],
    organizationalUnits,
    accounts: [
      {
        id: LOOPBACK_ACCOUNT_ID,
        name: 'management',
        state: 'ACTIVE',
        parentId: rootId,
        roles: managementRoles,
        regions: world.regions,
      },
      ...members.map((m) => ({ name: `member-${m.id}`, state: 'ACTIVE' as const, parentId: rootId, ...m })),
    ],
  };
  return world;
}

/** An endpoint ID, `cvpn-endpoint-` and 17 hex digits, made from a number. */
export function endpointIdOf(n: number): string {
  return `cvpn-endpoint-${n.toString(16).padStart(17, '0')}`;
}

/**
 * A world of one region holding `endpoints` endpoints spread over `logGroups` log groups: every
 * tenth endpoint has logging off, every other group keeps events 365 days (the rest 7), so a sweep
 * yields a mix of verdicts. Used by the benchmark and the pagination tests.
 */
export function sweepWorld(
  region: string,
  endpoints: number,
  logGroups: number,
  configRuleName = 'client-vpn-connection-logging',
): LoopbackWorld {
  const groups: WorldLogGroup[] = Array.from({ length: logGroups }, (_, i) => ({
    name: `/aws/clientvpn/team-${String(i).padStart(2, '0')}`,
    retentionInDays: i % 2 === 0 ? 365 : 7,
  }));
  const list: WorldEndpoint[] = Array.from({ length: endpoints }, (_, i) => {
    const group = groups[i % Math.max(groups.length, 1)];
    return i % 10 === 9 || group === undefined
      ? { endpointId: endpointIdOf(i + 1), status: 'available', enabled: false }
      : {
          endpointId: endpointIdOf(i + 1),
          status: 'available',
          enabled: true,
          logGroup: group.name,
          logStream: `connections-${i + 1}`,
        };
  });
  return loopbackWorld({ [region]: worldRegion({ endpoints: list, logGroups: groups, configRuleName }) });
}
