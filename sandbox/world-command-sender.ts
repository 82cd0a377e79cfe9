/**
 * The runbook's AWS, in-process: answers the SDK v3 commands the remediation runbook sends (its
 * `aws:executeAwsApi` steps and its Python script's boto3 calls, through the runbook executor) from
 * one account and region of a loopback world, and changes that world as EC2 and CloudWatch Logs
 * would. The loopback HTTP server answers the rule's reads; this answers the runbook's writes, on the
 * same world object, so the rule's next sweep sees what the runbook did.
 *
 * Only the calls the runbook makes are modelled; any other is refused by name, never ignored.
 */
import { CloudWatchLogsServiceException } from '@aws-sdk/client-cloudwatch-logs';
import { EC2ServiceException } from '@aws-sdk/client-ec2';
import { KMSServiceException } from '@aws-sdk/client-kms';

import type { CommandSender } from './runbook-executor';
import type { WorldEndpoint, WorldLogGroup, WorldRegion } from './loopback-world';

/** One change the runbook made to the world. */
export interface WorldChange {
  /** The service namespace, `ec2` or `logs`. */
  readonly service: 'ec2' | 'logs' | 'kms';
  /** The API called, e.g. `PutRetentionPolicy`. */
  readonly api: string;
  /** What changed, in a few words. */
  readonly summary: string;
}

/** A call the in-process world does not model. */
export class UnmodelledWorldCallError extends Error {
  constructor(service: string, api: string) {
    super(`the sandbox does not model ${service}.${api}`);
    this.name = 'UnmodelledWorldCallError';
  }
}

type Input = Readonly<Record<string, unknown>>;
type Handler = (input: Input) => unknown;

function ec2Error(code: string, message: string): EC2ServiceException {
  return new EC2ServiceException({
    name: code,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message,
  });
}

function logsError(code: string, message: string): CloudWatchLogsServiceException {
  return new CloudWatchLogsServiceException({
    name: code,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message,
  });
}

function commandName(command: unknown): string {
  return (command as { constructor: { name: string } }).constructor.name.replace(/Command$/, '');
}

/**
 * One account and region of a loopback world, as the runbook's EC2 and CloudWatch Logs clients.
 */
export class WorldCommandSender {
  /** Every change made, in order. */
  readonly changes: WorldChange[] = [];
  /** The EC2 client the runbook executor calls. */
  readonly ec2: CommandSender;
  /** The CloudWatch Logs client the runbook executor calls. */
  readonly logs: CommandSender;
  /** The KMS client the runbook's script reads key states with. */
  readonly kms: CommandSender;

  /**
   * @param region - the account's region of the world, changed in place
   * @param regionName - its name, for ARNs
   * @param accountId - its account, for ARNs
   */
  constructor(
    private readonly region: WorldRegion,
    private readonly regionName: string,
    private readonly accountId: string,
  ) {
    this.ec2 = this.sender('ec2', {
      DescribeClientVpnEndpoints: (input) => this.describeEndpoints(input),
      ModifyClientVpnEndpoint: (input) => this.modifyEndpoint(input),
    });
    this.logs = this.sender('logs', {
      DescribeLogGroups: (input) => this.describeLogGroups(input),
      CreateLogGroup: (input) => this.createLogGroup(input),
      PutRetentionPolicy: (input) => this.putRetentionPolicy(input),
      AssociateKmsKey: (input) => this.associateKmsKey(input),
    });
    this.kms = this.sender('kms', { DescribeKey: (input) => this.describeKey(input) });
  }

  private sender(
    service: 'ec2' | 'logs' | 'kms',
    handlers: Readonly<Record<string, Handler>>,
  ): CommandSender {
    return {
      send: (command: never) => {
        const api = commandName(command);
        const handler = handlers[api];
        if (handler === undefined) return Promise.reject(new UnmodelledWorldCallError(service, api));
        try {
          return Promise.resolve({
            $metadata: { httpStatusCode: 200 },
            ...(handler((command as { input: Input }).input) as object),
          });
        } catch (error) {
          return Promise.reject(error);
        }
      },
    };
  }

  private endpoint(endpointId: unknown): WorldEndpoint {
    const found = this.region.endpoints.find((e) => e.endpointId === endpointId);
    if (found === undefined)
      throw ec2Error('InvalidClientVpnEndpointId.NotFound', `Endpoint ${String(endpointId)} does not exist`);
    return found;
  }

  private group(name: unknown): WorldLogGroup {
    const found = this.region.logGroups.find((g) => g.name === name);
    if (found === undefined)
      throw logsError('ResourceNotFoundException', 'The specified log group does not exist.');
    return found;
  }

  // What DescribeKey answers of the region's keys (KMS API Reference, KeyMetadata): the fields the
  // runbook's script reads. The key is named by ARN or ID, as the log group holds it.
  private describeKey(input: Input): unknown {
    const keyId = String(input.KeyId ?? '');
    const key = (this.region.keys ?? []).find((k) => keyId === k.keyId || keyId.endsWith(`:key/${k.keyId}`));
    if (key === undefined || key.denied === true) {
      throw new KMSServiceException({
        name: key === undefined ? 'NotFoundException' : 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: key === undefined ? `Key '${keyId}' does not exist` : 'Access denied',
      });
    }
    const arn = `arn:aws:kms:${this.regionName}:${this.accountId}:key/${key.keyId}`;
    return {
      KeyMetadata: {
        AWSAccountId: this.accountId,
        KeyId: key.keyId,
        Arn: arn,
        Enabled: key.keyState === 'Enabled',
        KeyState: key.keyState,
        ...(key.deletionDate === undefined ? {} : { DeletionDate: key.deletionDate }),
      },
    };
  }

  private describeEndpoints(input: Input): unknown {
    const ids =
      (input.ClientVpnEndpointIds as string[] | undefined) ?? this.region.endpoints.map((e) => e.endpointId);
    return {
      ClientVpnEndpoints: ids.map((id) => {
        const e = this.endpoint(id);
        return {
          ClientVpnEndpointId: e.endpointId,
          Status: { Code: e.status },
          ConnectionLogOptions: {
            Enabled: e.enabled,
            ...(e.logGroup === undefined ? {} : { CloudwatchLogGroup: e.logGroup }),
            ...(e.logStream === undefined ? {} : { CloudwatchLogStream: e.logStream }),
          },
        };
      }),
    };
  }

  private modifyEndpoint(input: Input): unknown {
    const before = this.endpoint(input.ClientVpnEndpointId);
    const options = (input.ConnectionLogOptions ?? {}) as Input;
    const enabled = options.Enabled === true;
    const logGroup = options.CloudwatchLogGroup as string | undefined;
    // EC2 refuses logging to a group that does not exist.
    if (enabled) this.group(logGroup);
    const after: WorldEndpoint = {
      ...before,
      enabled,
      logGroup,
      logStream: options.CloudwatchLogStream as string | undefined,
    };
    this.region.endpoints.splice(this.region.endpoints.indexOf(before), 1, after);
    this.record(
      'ec2',
      'ModifyClientVpnEndpoint',
      `${before.endpointId}: connection logging ${enabled ? `on, to ${logGroup}` : 'off'}`,
    );
    return { Return: true };
  }

  private logGroupJson(g: WorldLogGroup): Record<string, unknown> {
    const arn = `arn:aws:logs:${this.regionName}:${this.accountId}:log-group:${g.name}`;
    return {
      logGroupName: g.name,
      arn: `${arn}:*`,
      logGroupArn: arn,
      ...(g.retentionInDays === undefined ? {} : { retentionInDays: g.retentionInDays }),
      ...(g.kmsKeyId === undefined ? {} : { kmsKeyId: g.kmsKeyId }),
    };
  }

  private describeLogGroups(input: Input): unknown {
    const identifiers = input.logGroupIdentifiers as string[] | undefined;
    const prefix = input.logGroupNamePrefix as string | undefined;
    const groups = this.region.logGroups.filter((g) =>
      identifiers !== undefined ? identifiers.includes(g.name) : g.name.startsWith(prefix ?? ''),
    );
    return { logGroups: groups.map((g) => this.logGroupJson(g)) };
  }

  private createLogGroup(input: Input): unknown {
    const name = String(input.logGroupName);
    if (this.region.logGroups.some((g) => g.name === name))
      throw logsError('ResourceAlreadyExistsException', 'The specified log group already exists');
    const kmsKeyId = input.kmsKeyId as string | undefined;
    this.region.logGroups.push({ name, ...(kmsKeyId ? { kmsKeyId } : {}) });
    this.record('logs', 'CreateLogGroup', `created ${name}${kmsKeyId ? ` encrypted with ${kmsKeyId}` : ''}`);
    return {};
  }

  private replaceGroup(before: WorldLogGroup, after: WorldLogGroup): void {
    this.region.logGroups.splice(this.region.logGroups.indexOf(before), 1, after);
  }

  private putRetentionPolicy(input: Input): unknown {
    const before = this.group(input.logGroupName);
    const days = Number(input.retentionInDays);
    this.replaceGroup(before, { ...before, retentionInDays: days });
    const was =
      before.retentionInDays === undefined ? 'none (never expires)' : `${before.retentionInDays} days`;
    this.record('logs', 'PutRetentionPolicy', `${before.name}: retention ${was} -> ${days} days`);
    return {};
  }

  private associateKmsKey(input: Input): unknown {
    const before = this.group(input.logGroupName);
    const kmsKeyId = String(input.kmsKeyId);
    this.replaceGroup(before, { ...before, kmsKeyId });
    this.record('logs', 'AssociateKmsKey', `${before.name}: encrypted with ${kmsKeyId}`);
    return {};
  }

  private record(service: 'ec2' | 'logs', api: string, summary: string): void {
    this.changes.push({ service, api, summary });
  }
}
