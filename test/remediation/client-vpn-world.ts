/**
 * A small in-memory AWS account (Client VPN endpoints and CloudWatch Logs groups) behind SDK v3 clients
 * mocked with aws-sdk-client-mock, so the runbook's calls change state and runs can be compared.
 */
import {
  CloudWatchLogsClient,
  CloudWatchLogsServiceException,
  AssociateKmsKeyCommand,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  InvalidParameterException,
  PutRetentionPolicyCommand,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  type AssociateKmsKeyCommandInput,
  type CreateLogGroupCommandInput,
  type DescribeLogGroupsCommandInput,
  type LogGroup,
  type PutRetentionPolicyCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeClientVpnEndpointsCommand,
  EC2Client,
  EC2ServiceException,
  ModifyClientVpnEndpointCommand,
  type ClientVpnEndpoint,
  type DescribeClientVpnEndpointsCommandInput,
  type ModifyClientVpnEndpointCommandInput,
} from '@aws-sdk/client-ec2';
import {
  DescribeKeyCommand,
  KMSClient,
  KMSServiceException,
  NotFoundException,
  type DescribeKeyCommandInput,
  type KeyState,
} from '@aws-sdk/client-kms';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';

/** The retention values CloudWatch Logs accepts (PutRetentionPolicy). */
export const ACCEPTED_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** A log group as the world keeps it. */
export interface WorldLogGroup {
  /** The group's name. */
  readonly logGroupName: string;
  /** Days before events expire; absent when they never expire. */
  readonly retentionInDays?: number;
  /** The ARN of the group's KMS key, when it has one. */
  readonly kmsKeyId?: string;
  /** The group's log streams. */
  readonly logStreams: readonly string[];
}

/** The connection-log settings an endpoint starts with. */
export interface EndpointSeed {
  /** Whether connection logging is on. */
  readonly enabled: boolean;
  /** The log group, when logging is on. */
  readonly logGroup?: string;
  /** The log stream, when logging is on. */
  readonly logStream?: string;
}

/** A KMS key as the world keeps it. */
export interface WorldKey {
  /** The key's state, as DescribeKey reports it. */
  readonly keyState: KeyState;
  /** When a key pending deletion will be deleted. */
  readonly deletionDate?: Date;
}

/** The whole state of the world, for comparing two moments. */
export interface WorldSnapshot {
  /** Endpoints by ID. */
  readonly endpoints: Readonly<Record<string, ClientVpnEndpoint>>;
  /** Log groups by name. */
  readonly logGroups: Readonly<Record<string, WorldLogGroup>>;
}

/** One call the runbook made, in order. */
export interface RecordedCall {
  /** The SSM service namespace (`ec2`, `logs`, `kms`). */
  readonly service: string;
  /** The API name. */
  readonly api: string;
  /** The request, as sent. */
  readonly input: unknown;
}

const ACCOUNT_ID = '123456789012';
const REGION = 'us-east-1';
const CREATED = '2026-11-02T09:15:27';
// Obviously fake credentials: the mocked clients never sign or send a request.
const FAKE_CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

function clone<T>(value: T): T {
  return structuredClone(value);
}

function ec2Error(code: string, message: string): EC2ServiceException {
  return new EC2ServiceException({
    name: code,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message,
  });
}

/**
 * An account holding Client VPN endpoints and log groups, with EC2 and CloudWatch Logs clients whose
 * calls read and change it. Calls the runbook should never make are rejected loudly.
 */
export class ClientVpnWorld {
  /** The mocked EC2 client. */
  readonly ec2 = new EC2Client({ region: REGION, credentials: FAKE_CREDENTIALS });
  /** The mocked CloudWatch Logs client. */
  readonly logs = new CloudWatchLogsClient({ region: REGION, credentials: FAKE_CREDENTIALS });
  /** The mocked KMS client. */
  readonly kms = new KMSClient({ region: REGION, credentials: FAKE_CREDENTIALS });
  /** Every call made, in order. */
  readonly calls: RecordedCall[] = [];
  /** The EC2 stub, for aws-sdk-client-mock-jest matchers. */
  readonly ec2Mock: AwsClientStub<EC2Client>;
  /** The CloudWatch Logs stub, for aws-sdk-client-mock-jest matchers. */
  readonly logsMock: AwsClientStub<CloudWatchLogsClient>;
  /** The KMS stub. */
  readonly kmsMock: AwsClientStub<KMSClient>;
  /**
   * How many DescribeClientVpnEndpoints calls after a modify still report the old settings, as the
   * endpoint applies the change.
   */
  modifyPropagationDescribes = 0;

  private readonly denied = new Set<string>();
  private readonly endpoints = new Map<string, ClientVpnEndpoint>();
  private readonly logGroups = new Map<string, WorldLogGroup>();
  private readonly keys = new Map<string, WorldKey>();
  private readonly pendingReads = new Map<string, { remaining: number; before: ClientVpnEndpoint }>();

  constructor() {
    this.ec2Mock = mockClient(this.ec2);
    this.logsMock = mockClient(this.logs);
    this.kmsMock = mockClient(this.kms);
    this.kmsMock.onAnyCommand().callsFake((input) => {
      throw new Error(`ClientVpnWorld does not model this KMS command (input ${JSON.stringify(input)})`);
    });
    this.kmsMock
      .on(DescribeKeyCommand)
      .callsFake((input: DescribeKeyCommandInput) => this.describeKey(input));
    this.ec2Mock.onAnyCommand().callsFake((input) => {
      throw new Error(`ClientVpnWorld does not model this EC2 command (input ${JSON.stringify(input)})`);
    });
    this.logsMock.onAnyCommand().callsFake((input) => {
      throw new Error(
        `ClientVpnWorld does not model this CloudWatch Logs command (input ${JSON.stringify(input)})`,
      );
    });
    this.ec2Mock
      .on(DescribeClientVpnEndpointsCommand)
      .callsFake((input: DescribeClientVpnEndpointsCommandInput) => this.describeEndpoints(input));
    this.ec2Mock
      .on(ModifyClientVpnEndpointCommand)
      .callsFake((input: ModifyClientVpnEndpointCommandInput) => this.modifyEndpoint(input));
    this.logsMock
      .on(DescribeLogGroupsCommand)
      .callsFake((input: DescribeLogGroupsCommandInput) => this.describeLogGroups(input));
    this.logsMock
      .on(CreateLogGroupCommand)
      .callsFake((input: CreateLogGroupCommandInput) => this.createLogGroup(input));
    this.logsMock
      .on(PutRetentionPolicyCommand)
      .callsFake((input: PutRetentionPolicyCommandInput) => this.putRetentionPolicy(input));
    this.logsMock
      .on(AssociateKmsKeyCommand)
      .callsFake((input: AssociateKmsKeyCommandInput) => this.associateKmsKey(input));
  }

  /**
   * Adds an available endpoint shaped like DescribeClientVpnEndpoints returns it.
   *
   * @param endpointId - the endpoint's ID
   * @param connectionLog - its connection-log settings
   * @returns the world, for chaining
   */
  withEndpoint(endpointId: string, connectionLog: EndpointSeed): this {
    this.endpoints.set(endpointId, {
      ClientVpnEndpointId: endpointId,
      Description: 'Engineering remote access',
      Status: { Code: 'available' },
      CreationTime: CREATED,
      DnsName: `*.${endpointId}.prod.clientvpn.${REGION}.amazonaws.com`,
      ClientCidrBlock: '10.100.0.0/22',
      DnsServers: ['10.0.0.2'],
      SplitTunnel: true,
      VpnProtocol: 'openvpn',
      TransportProtocol: 'udp',
      VpnPort: 443,
      ServerCertificateArn: `arn:aws:acm:${REGION}:${ACCOUNT_ID}:certificate/0b6d2f6e-7c3a-4e2b-9a51-3c1f2e4d5a6b`,
      AuthenticationOptions: [
        {
          Type: 'certificate-authentication',
          MutualAuthentication: {
            ClientRootCertificateChain: `arn:aws:acm:${REGION}:${ACCOUNT_ID}:certificate/5e0c9a1b-2d3f-4a5b-8c7d-9e0f1a2b3c4d`,
          },
        },
      ],
      ConnectionLogOptions: connectionLog.enabled
        ? {
            Enabled: true,
            CloudwatchLogGroup: connectionLog.logGroup,
            ...(connectionLog.logStream === undefined
              ? {}
              : { CloudwatchLogStream: connectionLog.logStream }),
          }
        : { Enabled: false },
      Tags: [{ Key: 'team', Value: 'platform' }],
      SecurityGroupIds: ['sg-0a1b2c3d4e5f67890'],
      VpcId: 'vpc-0f1e2d3c4b5a69788',
      SelfServicePortalUrl: '',
      ClientConnectOptions: { Enabled: false, Status: { Code: 'applied' } },
      SessionTimeoutHours: 24,
      ClientLoginBannerOptions: { Enabled: false },
      DisconnectOnSessionTimeout: true,
    });
    return this;
  }

  /**
   * Adds a log group.
   *
   * @param logGroupName - the group's name
   * @param settings - its retention and KMS key; omitted retention means it never expires
   * @returns the world, for chaining
   */
  withLogGroup(logGroupName: string, settings: { retentionInDays?: number; kmsKeyId?: string } = {}): this {
    this.logGroups.set(logGroupName, { logGroupName, ...settings, logStreams: [] });
    return this;
  }

  /**
   * Adds a KMS key of the world's account and region.
   *
   * @param keyArn - the key's ARN
   * @param keyState - its state
   * @param deletionDate - when a key pending deletion will be deleted
   * @returns the world, for chaining
   */
  withKey(keyArn: string, keyState: KeyState = 'Enabled', deletionDate?: Date): this {
    this.keys.set(keyArn, { keyState, ...(deletionDate === undefined ? {} : { deletionDate }) });
    return this;
  }

  /** The clients a runbook executor needs, by SSM service namespace. */
  clients(): { ec2: EC2Client; logs: CloudWatchLogsClient; kms: KMSClient } {
    return { ec2: this.ec2, logs: this.logs, kms: this.kms };
  }

  /**
   * Makes every later call of an API fail as IAM refuses it (EC2 answers `UnauthorizedOperation`,
   * CloudWatch Logs `AccessDeniedException`), as when the role lacks the permission.
   *
   * @param api - `service:Api`, such as `logs:DescribeLogGroups`
   * @returns the world, for chaining
   */
  denyAccess(api: string): this {
    this.denied.add(api);
    return this;
  }

  /**
   * Deletes a log group, as someone might out of band.
   *
   * @param logGroupName - the group's name
   */
  deleteLogGroup(logGroupName: string): void {
    this.logGroups.delete(logGroupName);
  }

  /**
   * Reads an endpoint as it is now.
   *
   * @param endpointId - the endpoint's ID
   * @returns a copy of the endpoint
   */
  endpoint(endpointId: string): ClientVpnEndpoint {
    const endpoint = this.endpoints.get(endpointId);
    if (endpoint === undefined) throw new Error(`ClientVpnWorld has no endpoint ${endpointId}`);
    return clone(endpoint);
  }

  /**
   * Reads a log group as it is now.
   *
   * @param logGroupName - the group's name
   * @returns a copy of the group, or undefined when it does not exist
   */
  logGroup(logGroupName: string): WorldLogGroup | undefined {
    const group = this.logGroups.get(logGroupName);
    return group === undefined ? undefined : clone(group);
  }

  /** @returns a deep copy of every endpoint and log group */
  snapshot(): WorldSnapshot {
    return {
      endpoints: Object.fromEntries([...this.endpoints].map(([id, endpoint]) => [id, clone(endpoint)])),
      logGroups: Object.fromEntries([...this.logGroups].map(([name, group]) => [name, clone(group)])),
    };
  }

  /** @returns the names of the APIs called, in order, as `service:Api` */
  calledApis(): string[] {
    return this.calls.map((call) => `${call.service}:${call.api}`);
  }

  /** Forgets the recorded calls, so a second run can be examined on its own. */
  clearCalls(): void {
    this.calls.length = 0;
    this.ec2Mock.resetHistory();
    this.logsMock.resetHistory();
    this.kmsMock.resetHistory();
  }

  /** Restores the real client behaviour. */
  restore(): void {
    this.ec2Mock.restore();
    this.logsMock.restore();
    this.kmsMock.restore();
  }

  private record(service: 'ec2' | 'logs' | 'kms', api: string, input: unknown): void {
    this.calls.push({ service, api, input: clone(input) });
    if (!this.denied.has(`${service}:${api}`)) return;
    const message = `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/ClientVpnConnectionLoggingRemediation/automation is not authorized to perform: ${service}:${api}`;
    if (service === 'ec2') throw ec2Error('UnauthorizedOperation', message);
    if (service === 'kms') {
      throw new KMSServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message,
      });
    }
    throw new CloudWatchLogsServiceException({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message,
    });
  }

  private describeEndpoints(input: DescribeClientVpnEndpointsCommandInput) {
    this.record('ec2', 'DescribeClientVpnEndpoints', input);
    const ids = input.ClientVpnEndpointIds ?? [...this.endpoints.keys()];
    const found: ClientVpnEndpoint[] = [];
    for (const id of ids) {
      const endpoint = this.endpoints.get(id);
      if (endpoint === undefined) {
        throw ec2Error(
          'InvalidClientVpnEndpointId.NotFound',
          `The Client VPN endpoint ID '${id}' does not exist`,
        );
      }
      const pending = this.pendingReads.get(id);
      if (pending !== undefined && pending.remaining > 0) {
        pending.remaining -= 1;
        found.push(clone(pending.before));
      } else {
        found.push(clone(endpoint));
      }
    }
    return { ClientVpnEndpoints: found };
  }

  private modifyEndpoint(input: ModifyClientVpnEndpointCommandInput) {
    this.record('ec2', 'ModifyClientVpnEndpoint', input);
    const id = input.ClientVpnEndpointId ?? '';
    const endpoint = this.endpoints.get(id);
    if (endpoint === undefined) {
      throw ec2Error(
        'InvalidClientVpnEndpointId.NotFound',
        `The Client VPN endpoint ID '${id}' does not exist`,
      );
    }
    const before = clone(endpoint);
    const options = input.ConnectionLogOptions;
    if (options !== undefined) {
      if (options.Enabled === true) {
        const groupName = options.CloudwatchLogGroup;
        if (groupName === undefined || groupName === '') {
          throw ec2Error(
            'InvalidParameterValue',
            'CloudwatchLogGroup is required when connection logging is enabled',
          );
        }
        const group = this.logGroups.get(groupName);
        if (group === undefined) {
          throw ec2Error('InvalidParameterValue', `The specified log group '${groupName}' does not exist`);
        }
        // With no stream named, Client VPN creates one named after the endpoint.
        const stream = options.CloudwatchLogStream ?? `${id}-${REGION}-2026/11/26-Xq3vRb8TnP2w`;
        if (!group.logStreams.includes(stream)) {
          this.logGroups.set(groupName, { ...group, logStreams: [...group.logStreams, stream] });
        }
        endpoint.ConnectionLogOptions = {
          Enabled: true,
          CloudwatchLogGroup: groupName,
          CloudwatchLogStream: stream,
        };
      } else {
        endpoint.ConnectionLogOptions = { Enabled: false };
      }
    }
    if (input.DnsServers !== undefined) endpoint.DnsServers = input.DnsServers.CustomDnsServers ?? [];
    if (input.Description !== undefined) endpoint.Description = input.Description;
    if (input.SplitTunnel !== undefined) endpoint.SplitTunnel = input.SplitTunnel;
    if (input.VpnPort !== undefined) endpoint.VpnPort = input.VpnPort;
    if (this.modifyPropagationDescribes > 0) {
      this.pendingReads.set(id, { remaining: this.modifyPropagationDescribes, before });
    }
    return { Return: true };
  }

  private describeLogGroups(input: DescribeLogGroupsCommandInput) {
    this.record('logs', 'DescribeLogGroups', input);
    if (input.logGroupIdentifiers !== undefined && input.logGroupNamePrefix !== undefined) {
      throw new InvalidParameterException({
        message: 'logGroupIdentifiers and logGroupNamePrefix are mutually exclusive',
        $metadata: { httpStatusCode: 400 },
      });
    }
    const identifiers = input.logGroupIdentifiers;
    const prefix = input.logGroupNamePrefix ?? '';
    const names = [...this.logGroups.keys()]
      .filter((name) => (identifiers === undefined ? name.startsWith(prefix) : identifiers.includes(name)))
      .sort();
    return {
      logGroups: names.map((name) => this.describeLogGroup(this.logGroups.get(name) as WorldLogGroup)),
    };
  }

  private describeLogGroup(group: WorldLogGroup): LogGroup {
    const arn = `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${group.logGroupName}`;
    return {
      logGroupName: group.logGroupName,
      creationTime: 1793956527000,
      ...(group.retentionInDays === undefined ? {} : { retentionInDays: group.retentionInDays }),
      metricFilterCount: 0,
      arn: `${arn}:*`,
      storedBytes: 0,
      ...(group.kmsKeyId === undefined ? {} : { kmsKeyId: group.kmsKeyId }),
      logGroupClass: 'STANDARD',
      logGroupArn: arn,
    };
  }

  private createLogGroup(input: CreateLogGroupCommandInput) {
    this.record('logs', 'CreateLogGroup', input);
    const name = input.logGroupName ?? '';
    if (this.logGroups.has(name)) {
      throw new ResourceAlreadyExistsException({
        message: 'The specified log group already exists',
        $metadata: { httpStatusCode: 400 },
      });
    }
    this.logGroups.set(name, {
      logGroupName: name,
      ...(input.kmsKeyId === undefined ? {} : { kmsKeyId: input.kmsKeyId }),
      logStreams: [],
    });
    return {};
  }

  private putRetentionPolicy(input: PutRetentionPolicyCommandInput) {
    this.record('logs', 'PutRetentionPolicy', input);
    const group = this.requireLogGroup(input.logGroupName);
    const days = input.retentionInDays;
    if (typeof days !== 'number' || !ACCEPTED_RETENTION_DAYS.includes(days)) {
      throw new InvalidParameterException({
        message: `1 validation error detected: Value '${String(days)}' at 'retentionInDays' failed to satisfy constraint`,
        $metadata: { httpStatusCode: 400 },
      });
    }
    this.logGroups.set(group.logGroupName, { ...group, retentionInDays: days });
    return {};
  }

  private associateKmsKey(input: AssociateKmsKeyCommandInput) {
    this.record('logs', 'AssociateKmsKey', input);
    const group = this.requireLogGroup(input.logGroupName);
    this.logGroups.set(group.logGroupName, { ...group, kmsKeyId: input.kmsKeyId });
    return {};
  }

  // The KeyMetadata DescribeKey returns for a symmetric encryption key made by KMS (KMS API Reference).
  private describeKey(input: DescribeKeyCommandInput) {
    this.record('kms', 'DescribeKey', input);
    const arn = input.KeyId ?? '';
    const key = this.keys.get(arn);
    if (key === undefined) {
      throw new NotFoundException({
        message: `Key '${arn}' does not exist`,
        $metadata: { httpStatusCode: 400 },
      });
    }
    return {
      KeyMetadata: {
        AWSAccountId: ACCOUNT_ID,
        KeyId: arn.slice(arn.indexOf('key/') + 4),
        Arn: arn,
        CreationDate: new Date('2026-01-12T10:00:00Z'),
        Enabled: key.keyState === 'Enabled',
        Description: 'Client VPN connection logs',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeyState: key.keyState,
        ...(key.deletionDate === undefined ? {} : { DeletionDate: key.deletionDate }),
        Origin: key.keyState === 'PendingImport' ? 'EXTERNAL' : 'AWS_KMS',
        KeyManager: 'CUSTOMER',
        KeySpec: 'SYMMETRIC_DEFAULT',
        EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
        MultiRegion: false,
      },
    };
  }

  private requireLogGroup(name: string | undefined): WorldLogGroup {
    const group = this.logGroups.get(name ?? '');
    if (group === undefined) {
      throw new ResourceNotFoundException({
        message: 'The specified log group does not exist.',
        $metadata: { httpStatusCode: 400 },
      });
    }
    return group;
  }
}
