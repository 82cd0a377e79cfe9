/**
 * The drift trigger: EventBridge invokes it (asynchronously) with the CloudTrail management events that
 * can break a connection log pipeline, and it starts an evaluation of the Config rule, whose sweep then
 * judges every endpoint of the account and region within minutes instead of at the next scheduled run.
 *
 * It starts one only when the change touches a pipeline in use: an endpoint of the account and region,
 * the log group one logs to, or that group's key (`pipeline-use.ts`). An unrelated change costs one
 * small invocation and a few reads, and no Config evaluation; when the reads fail, it evaluates anyway.
 *
 * Small on purpose, with no dependency beyond the SDK clients the Lambda runtime provides, so that it
 * can be deployed as inline code in member accounts that hold no assets.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  ConfigServiceClient,
  paginateDescribeConfigRules,
  StartConfigRulesEvaluationCommand,
} from '@aws-sdk/client-config-service';
import { EC2Client } from '@aws-sdk/client-ec2';
import { KMSClient } from '@aws-sdk/client-kms';
import { changedResource, type ChangedResource } from './changed-resource';
import { ReEvaluationPendingError, TriggerConfigurationError } from './errors';
import { boundedPages } from './bounded-pages';
import { pipelineUse, type PipelineLookupClients } from './pipeline-use';

/**
 * The management events that break a log pipeline without changing the endpoint (so Config sends no
 * change notification), by CloudTrail `eventSource`. The EventBridge rule matches exactly these.
 */
export const WATCHED_API_CALLS: Readonly<Record<string, readonly string[]>> = {
  'logs.amazonaws.com': [
    'DeleteLogGroup',
    'PutRetentionPolicy',
    'DeleteRetentionPolicy',
    'DisassociateKmsKey',
    'AssociateKmsKey',
  ],
  // DeleteImportedKeyMaterial leaves the key PendingImport, unusable (KMS Developer Guide).
  'kms.amazonaws.com': ['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy', 'DeleteImportedKeyMaterial'],
  'ec2.amazonaws.com': ['ModifyClientVpnEndpoint', 'DeleteClientVpnEndpoint'],
};

/** The `detail-type` EventBridge gives CloudTrail API call events. */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/**
 * How long before an evaluation's start a change must have happened for that evaluation to be trusted
 * to see it: the reads the sweep makes are eventually consistent.
 */
export const COVERED_MARGIN_MS = 60_000;

/**
 * How long the invocation waits between attempts while an evaluation is running, before it hands the
 * event back to Lambda's asynchronous retries. Config allows one start a minute.
 */
export const BUSY_WAITS_MS: readonly number[] = [20_000, 40_000, 60_000];

/** Environment variable: the Config rule to evaluate (the organization rule's name in member accounts). */
export const CONFIG_RULE_NAME_VARIABLE = 'CONFIG_RULE_NAME';

/**
 * Environment variable: `true` when `CONFIG_RULE_NAME` names an organization rule, whose copy in this
 * account is named `OrgConfigRule-<name>-<suffix>` and must be looked up.
 */
export const ORGANIZATION_RULE_VARIABLE = 'ORGANIZATION_RULE';

/**
 * Timeouts of every call the trigger makes, in milliseconds: a connection that does not open, or an
 * answer that does not come, fails the attempt instead of holding the invocation until Lambda kills it.
 * With the SDK's 3 attempts a call gives up within about 20 s, well inside the function's 3 minutes.
 */
export const TRIGGER_HTTP_TIMEOUTS: HttpTimeouts = { connectionTimeout: 3_000, requestTimeout: 5_000 };

/** The connection and request timeouts of an SDK client, in milliseconds. */
export interface HttpTimeouts {
  /** How long opening the connection may take. */
  readonly connectionTimeout: number;
  /** How long waiting for the answer may take. */
  readonly requestTimeout: number;
}

/**
 * The configuration of every SDK client the trigger creates: adaptive retries (client-side rate
 * limiting on top of backoff) and the timeouts. `requestHandler` given as options makes the client
 * build its NodeHttpHandler with them (SDK v3.521.0 and later); `throwOnRequestTimeout` turns an
 * exceeded request timeout into an error, not only a warning (@smithy/node-http-handler 4.4.0 and later).
 * https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-smithy-node-http-handler
 *
 * @param timeouts - the timeouts
 * @default TRIGGER_HTTP_TIMEOUTS
 * @returns the client configuration
 */
export function triggerClientConfig(timeouts: HttpTimeouts = TRIGGER_HTTP_TIMEOUTS) {
  return {
    retryMode: 'adaptive' as const,
    requestHandler: { ...timeouts, throwOnRequestTimeout: true },
  };
}

/** What one invocation did. */
export interface TriggerOutcome {
  /**
   * `started`: an evaluation was started; `covered`: one this container started after the change is
   * enough; `ignored`: the event is not one that can break a pipeline, it touches no pipeline in use,
   * or the rule has no copy here.
   */
  readonly action: 'started' | 'covered' | 'ignored';
  /** The rule evaluated, when one was. */
  readonly configRuleName?: string;
  /** Why nothing was started, when nothing was. */
  readonly reason?: string;
}

/** What the trigger is built from; tests replace these. */
export interface TriggerDependencies extends PipelineLookupClients {
  /** The Config client of the account and region. */
  readonly config: ConfigServiceClient;
  /**
   * The environment holding `CONFIG_RULE_NAME`, `ORGANIZATION_RULE` and the function's own `AWS_REGION`.
   */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /**
   * The clock.
   * @default () => new Date()
   */
  readonly now?: () => Date;
  /**
   * Waits the given milliseconds.
   * @default setTimeout
   */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Writes one structured log line.
   * @default console.info of the JSON
   */
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;
}

interface WatchedCall {
  readonly eventSource: string;
  readonly eventName: string;
  readonly changed: ChangedResource;
  readonly changedAt?: Date;
}

/**
 * Reads the watched API call out of an EventBridge event, or why the event is ignored. The rule's
 * pattern guarantees the account; the region is the function's own unless the event was forwarded
 * from another region's bus, which is checked here.
 */
function watchedCall(
  event: unknown,
  ownRegion: string | undefined,
): WatchedCall | { readonly ignored: string } {
  const record = event as Record<string, unknown> | null;
  if (typeof record !== 'object' || record === null) return { ignored: 'not an EventBridge event' };
  if (record['detail-type'] !== CLOUDTRAIL_DETAIL_TYPE) {
    return { ignored: `detail-type ${JSON.stringify(record['detail-type'])} is not a CloudTrail API call` };
  }
  const detail = record.detail as Record<string, unknown> | undefined;
  const eventSource = typeof detail?.eventSource === 'string' ? detail.eventSource : '';
  const eventName = typeof detail?.eventName === 'string' ? detail.eventName : '';
  // Own properties only: an eventSource of __proto__ or constructor names nothing watched.
  const names = Object.hasOwn(WATCHED_API_CALLS, eventSource) ? WATCHED_API_CALLS[eventSource] : undefined;
  if (!names?.includes(eventName)) {
    return { ignored: `${eventSource || 'unknown'}:${eventName || 'unknown'} cannot break a log pipeline` };
  }
  // A refused call changed nothing.
  if (detail?.errorCode !== undefined)
    return { ignored: `${eventName} failed (${String(detail.errorCode)})` };
  const regions = [record.region, detail?.awsRegion].filter((region) => typeof region === 'string');
  if (ownRegion && regions.some((region) => region !== ownRegion)) {
    return {
      ignored: `${eventName} in ${regions.map(String).join('/')}, not this function's region ${ownRegion}`,
    };
  }
  const time = typeof detail?.eventTime === 'string' ? new Date(detail.eventTime) : undefined;
  return {
    eventSource,
    eventName,
    changed: changedResource(eventSource, detail),
    ...(time !== undefined && !Number.isNaN(time.getTime()) ? { changedAt: time } : {}),
  };
}

function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type TriggerLog = NonNullable<TriggerDependencies['log']>;

/**
 * The name of this account's copy of an organization rule, `undefined` when it has none. Member accounts
 * hold the organization rule as a service-linked rule named
 * OrgConfigRule-<organization rule name>-<random suffix> (AWS Audit Manager API Reference, SourceKeyword,
 * gives OrgConfigRule-s3-bucket-versioning-enabled-dbgzf8ba as its example); StartConfigRulesEvaluation
 * needs that exact name.
 */
async function organizationRuleCopy(config: ConfigServiceClient, name: string): Promise<string | undefined> {
  const pattern = new RegExp(`^OrgConfigRule-${escapeRegExp(name)}-[a-z0-9]+$`);
  const matches: string[] = [];
  const pages = paginateDescribeConfigRules({ client: config }, {});
  for await (const page of boundedPages(pages, {
    operation: 'DescribeConfigRules',
    nextTokenOf: (p) => p.NextToken,
  })) {
    for (const rule of page.ConfigRules ?? []) {
      if (rule.ConfigRuleName !== undefined && pattern.test(rule.ConfigRuleName))
        matches.push(rule.ConfigRuleName);
    }
  }
  if (matches.length > 1) {
    throw new TriggerConfigurationError(
      `More than one copy of the organization rule ${name} in this account and region: ${matches.join(', ')}.`,
    );
  }
  return matches[0];
}

/**
 * Why the change touches no pipeline in use, or `undefined` when it does, or when that cannot be found
 * out (the event does not say what changed, or a look-up failed): then the trigger evaluates, logging why.
 */
async function notInUseReason(
  call: WatchedCall,
  clients: PipelineLookupClients,
  log: TriggerLog,
  fields: Record<string, unknown>,
): Promise<string | undefined> {
  if (call.changed.kind === 'unknown') {
    log('warn', 'Changed resource unknown; evaluating anyway', { ...fields, reason: call.changed.reason });
    return undefined;
  }
  try {
    const use = await pipelineUse(call.changed, clients);
    return use.inUse ? undefined : use.reason;
  } catch (error) {
    log('warn', 'Pipeline look-up failed; evaluating anyway', { ...fields, error: String(error) });
    return undefined;
  }
}

/**
 * Builds the trigger's handler. It remembers, per container, when it last started an evaluation: with
 * reserved concurrency 1 a burst of events runs through one container one at a time, and every event of
 * the burst that happened before that start is covered by it, so a burst starts one evaluation. A
 * container that forgot (a cold start) starts one more, which is safe.
 *
 * @param dependencies - the Config client, environment, clock, sleep and log
 * @returns the handler
 */
export function createReEvaluationTrigger(
  dependencies: TriggerDependencies,
): (event: unknown) => Promise<TriggerOutcome> {
  const { config, environment } = dependencies;
  const now = dependencies.now ?? (() => new Date());
  const sleep =
    dependencies.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const log =
    dependencies.log ??
    ((level, message, fields) => {
      const line = JSON.stringify({ level: level.toUpperCase(), message, ...fields });
      if (level === 'error') console.error(line);
      else if (level === 'warn') console.warn(line);
      else console.info(line);
    });
  let lastStartedAt: Date | undefined;
  let resolvedName: string | undefined;

  async function ruleName(): Promise<string | undefined> {
    const name = environment[CONFIG_RULE_NAME_VARIABLE]?.trim();
    if (!name) {
      throw new TriggerConfigurationError(
        `${CONFIG_RULE_NAME_VARIABLE} is not set: name the Config rule to evaluate.`,
      );
    }
    if (environment[ORGANIZATION_RULE_VARIABLE] !== 'true') return name;
    if (resolvedName !== undefined) return resolvedName;
    // Looked up once per container.
    resolvedName = await organizationRuleCopy(config, name);
    return resolvedName;
  }

  return async (event: unknown): Promise<TriggerOutcome> => {
    const call = watchedCall(event, environment.AWS_REGION);
    if ('ignored' in call) {
      log('info', 'Event ignored', { reason: call.ignored });
      return { action: 'ignored', reason: call.ignored };
    }
    const configRuleName = await ruleName();
    if (configRuleName === undefined) {
      // An account the organization rule excludes, or one it has not reached yet: nothing to evaluate.
      const reason = `the organization rule ${environment[CONFIG_RULE_NAME_VARIABLE]} has no copy in this account and region`;
      log('warn', 'Event ignored', { reason, eventName: call.eventName });
      return { action: 'ignored', reason };
    }
    const fields = { configRuleName, eventSource: call.eventSource, eventName: call.eventName };
    if (
      lastStartedAt !== undefined &&
      call.changedAt !== undefined &&
      call.changedAt.getTime() + COVERED_MARGIN_MS <= lastStartedAt.getTime()
    ) {
      log('info', 'Change covered by an evaluation already started', {
        ...fields,
        changedAt: call.changedAt.toISOString(),
        evaluationStartedAt: lastStartedAt.toISOString(),
      });
      return { action: 'covered', configRuleName };
    }
    const unused = await notInUseReason(call, dependencies, log, fields);
    if (unused !== undefined) {
      log('info', 'Event ignored', { ...fields, reason: unused });
      return { action: 'ignored', configRuleName, reason: unused };
    }
    for (let attempt = 0; ; attempt++) {
      const startingAt = now();
      try {
        await config.send(new StartConfigRulesEvaluationCommand({ ConfigRuleNames: [configRuleName] }));
        lastStartedAt = startingAt;
        log('info', 'Evaluation started', { ...fields, attempts: attempt + 1 });
        return { action: 'started', configRuleName };
      } catch (error) {
        // LimitExceededException: an evaluation is in progress, or one was started less than a minute
        // ago (AWS Config API Reference, StartConfigRulesEvaluation). Either may predate the change.
        if (errorName(error) !== 'LimitExceededException') {
          log('error', 'Evaluation could not be started', { ...fields, error: String(error) });
          throw error;
        }
        const wait = BUSY_WAITS_MS[attempt];
        if (wait === undefined) {
          const pending = new ReEvaluationPendingError(configRuleName, attempt + 1);
          // Expected under bursts and long sweeps: info, so it never reads as a product failure.
          log('info', 'Evaluation still running; Lambda retries this event', {
            ...fields,
            error: pending.message,
          });
          throw pending;
        }
        await sleep(wait);
      }
    }
  };
}

/**
 * The trigger's clients and environment as the Lambda runs it: every client with the timeouts, the
 * region, endpoint and credentials from the standard configuration chain.
 *
 * @param environment - the environment
 * @param timeouts - the clients' timeouts
 * @default TRIGGER_HTTP_TIMEOUTS
 * @returns the dependencies
 */
export function createTriggerDependencies(
  environment: Readonly<Record<string, string | undefined>>,
  timeouts: HttpTimeouts = TRIGGER_HTTP_TIMEOUTS,
): TriggerDependencies {
  return {
    config: new ConfigServiceClient(triggerClientConfig(timeouts)),
    ec2: new EC2Client(triggerClientConfig(timeouts)),
    logs: new CloudWatchLogsClient(triggerClientConfig(timeouts)),
    kms: new KMSClient(triggerClientConfig(timeouts)),
    environment,
  };
}

let defaultHandler: ((event: unknown) => Promise<TriggerOutcome>) | undefined;

/**
 * The Lambda entry point: EventBridge invokes it asynchronously with one CloudTrail event.
 *
 * @param event - the EventBridge event
 * @returns what it did
 * @throws ReEvaluationPendingError when an evaluation stays busy, so Lambda retries the event
 */
export const handler = (event: unknown): Promise<TriggerOutcome> => {
  defaultHandler ??= createReEvaluationTrigger(createTriggerDependencies(process.env));
  return defaultHandler(event);
};
