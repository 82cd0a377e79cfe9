/**
 * The drift trigger: EventBridge invokes it (asynchronously) with the CloudTrail management events that
 * can break a connection log pipeline, and it starts an evaluation of the Config rule, whose sweep then
 * judges every endpoint of the account and region within minutes instead of at the next scheduled run.
 *
 * Small on purpose, with no dependency beyond the Config client the Lambda runtime provides, so that it
 * can be deployed as inline code in member accounts that hold no assets.
 */
import {
  ConfigServiceClient,
  DescribeConfigRulesCommand,
  StartConfigRulesEvaluationCommand,
} from '@aws-sdk/client-config-service';
import { ReEvaluationPendingError, TriggerConfigurationError } from './errors';

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
  'kms.amazonaws.com': ['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy'],
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

/** What one invocation did. */
export interface TriggerOutcome {
  /**
   * `started`: an evaluation was started; `covered`: one this container started after the change is
   * enough; `ignored`: the event is not one that can break a pipeline (or the rule has no copy here).
   */
  readonly action: 'started' | 'covered' | 'ignored';
  /** The rule evaluated, when one was. */
  readonly configRuleName?: string;
  /** Why nothing was started, when nothing was. */
  readonly reason?: string;
}

/** What the trigger is built from; tests replace these. */
export interface TriggerDependencies {
  /** The Config client of the account and region. */
  readonly config: ConfigServiceClient;
  /** The environment holding `CONFIG_RULE_NAME` and `ORGANIZATION_RULE`. */
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
  readonly changedAt?: Date;
}

/** Reads the watched API call out of an EventBridge event, or why the event is ignored. */
function watchedCall(event: unknown): WatchedCall | { readonly ignored: string } {
  const record = event as Record<string, unknown> | null;
  if (typeof record !== 'object' || record === null) return { ignored: 'not an EventBridge event' };
  if (record['detail-type'] !== CLOUDTRAIL_DETAIL_TYPE) {
    return { ignored: `detail-type ${JSON.stringify(record['detail-type'])} is not a CloudTrail API call` };
  }
  const detail = record.detail as Record<string, unknown> | undefined;
  const eventSource = typeof detail?.eventSource === 'string' ? detail.eventSource : '';
  const eventName = typeof detail?.eventName === 'string' ? detail.eventName : '';
  if (!(WATCHED_API_CALLS[eventSource] ?? []).includes(eventName)) {
    return { ignored: `${eventSource || 'unknown'}:${eventName || 'unknown'} cannot break a log pipeline` };
  }
  // A refused call changed nothing.
  if (detail?.errorCode !== undefined)
    return { ignored: `${eventName} failed (${String(detail.errorCode)})` };
  const time = typeof detail?.eventTime === 'string' ? new Date(detail.eventTime) : undefined;
  return {
    eventSource,
    eventName,
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
    // Member accounts hold the organization rule as a service-linked rule named
    // OrgConfigRule-<organization rule name>-<random suffix> (AWS Audit Manager API Reference,
    // SourceKeyword, gives OrgConfigRule-s3-bucket-versioning-enabled-dbgzf8ba as its example);
    // StartConfigRulesEvaluation needs that exact name, so it is looked up once per container.
    const pattern = new RegExp(`^OrgConfigRule-${escapeRegExp(name)}-[a-z0-9]+$`);
    const matches: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await config.send(
        new DescribeConfigRulesCommand(nextToken ? { NextToken: nextToken } : {}),
      );
      for (const rule of page.ConfigRules ?? []) {
        if (rule.ConfigRuleName !== undefined && pattern.test(rule.ConfigRuleName))
          matches.push(rule.ConfigRuleName);
      }
      nextToken = page.NextToken;
    } while (nextToken);
    if (matches.length > 1) {
      throw new TriggerConfigurationError(
        `More than one copy of the organization rule ${name} in this account and region: ${matches.join(', ')}.`,
      );
    }
    resolvedName = matches[0];
    return resolvedName;
  }

  return async (event: unknown): Promise<TriggerOutcome> => {
    const call = watchedCall(event);
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

let defaultHandler: ((event: unknown) => Promise<TriggerOutcome>) | undefined;

/**
 * The Lambda entry point: EventBridge invokes it asynchronously with one CloudTrail event.
 *
 * @param event - the EventBridge event
 * @returns what it did
 * @throws ReEvaluationPendingError when an evaluation stays busy, so Lambda retries the event
 */
export const handler = (event: unknown): Promise<TriggerOutcome> => {
  defaultHandler ??= createReEvaluationTrigger({
    config: new ConfigServiceClient({ retryMode: 'adaptive' }),
    environment: process.env,
  });
  return defaultHandler(event);
};
