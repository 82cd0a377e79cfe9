import type { Evaluation } from '@aws-sdk/client-config-service';
import { fetchConfigurationItem } from './configuration-history';
import { readConnectionLogOptions } from './connection-log-options';
import { decideCompliance, limitAnnotation, logGroupToLookUp } from './decision';
import { MalformedEventError } from './errors';
import {
  type ConfigRuleEvent,
  type ConfigurationItem,
  type ConfigurationItemSummary,
  type InvokingEvent,
  type ParsedConfigRuleEvent,
  parseConfigRuleEvent,
} from './event';
import { listEvaluatedEndpointIds } from './evaluated-endpoints';
import { putEvaluations } from './evaluation-writer';
import {
  chooseExecutionTarget,
  clientsForExecutionRole,
  configuredExecutionRoleName,
} from './execution-role';
import { lookUpLogGroup } from './log-group-directory';
import { parseRuleParameters } from './parameters';
import { gatherPipelineFacts } from './pipeline-facts';
import { defaultRuleClients, type RuleClients } from './rule-clients';
import { evaluateEndpointsInRegion } from './sweep';
import { logger, publishFailure, publishVerdictCounts } from './telemetry';
import {
  CLIENT_VPN_ENDPOINT_RESOURCE_TYPE,
  type ComplianceType,
  type RuleParameters,
  type Verdict,
} from './types';

export type { ConfigRuleEvent } from './event';

/** What one invocation put, by verdict. */
export interface InvocationSummary {
  /** The invoking event's message type. */
  readonly messageType: string;
  /** How many evaluations of each verdict were put. */
  readonly counts: Readonly<Record<ComplianceType, number>>;
}

/** The part of the Lambda context the rule reads. */
export interface LambdaContextLike {
  /** The invocation's request ID, logged with every line so one invocation's lines can be found. */
  readonly awsRequestId?: string;
  /**
   * The function's ARN as invoked; its account is the one a function without `EXECUTION_ROLE_NAME`
   * may act in. Lambda always sets it.
   */
  readonly invokedFunctionArn?: string;
}

/** Config item statuses of resources that are gone or no longer recorded. */
const GONE_ITEM_STATUSES: ReadonlySet<string> = new Set([
  'ResourceDeleted',
  'ResourceDeletedNotRecorded',
  'ResourceNotRecorded',
]);

/**
 * Decides what a change notification's item needs without looking at its configuration: NOT_APPLICABLE
 * when the resource left the scope, is gone, or is not a Client VPN endpoint.
 */
function verdictWithoutConfiguration(
  item: ConfigurationItem | ConfigurationItemSummary,
  eventLeftScope: boolean,
): Verdict | undefined {
  if (eventLeftScope) {
    return { compliance: 'NOT_APPLICABLE', annotation: 'The resource left the rule\u2019s scope.' };
  }
  if (GONE_ITEM_STATUSES.has(item.configurationItemStatus)) {
    return {
      compliance: 'NOT_APPLICABLE',
      annotation: `AWS Config reports the resource as ${item.configurationItemStatus}; nothing to evaluate.`,
    };
  }
  if (item.resourceType !== CLIENT_VPN_ENDPOINT_RESOURCE_TYPE) {
    return {
      compliance: 'NOT_APPLICABLE',
      annotation: `This rule judges ${CLIENT_VPN_ENDPOINT_RESOURCE_TYPE} resources, not ${item.resourceType}.`,
    };
  }
  return undefined;
}

async function decideItem(item: ConfigurationItem, clients: RuleClients, parameters: RuleParameters) {
  if (typeof item.configuration !== 'object' || item.configuration === null) {
    throw new MalformedEventError(
      `the configuration item of ${item.resourceId} (status ${item.configurationItemStatus}) has no configuration object`,
    );
  }
  const endpoint = {
    endpointId: item.resourceId,
    connectionLog: readConnectionLogOptions(item.configuration),
  };
  const logGroupName = logGroupToLookUp(endpoint, parameters);
  const lookup =
    logGroupName === undefined
      ? ({ status: 'not-checked' } as const)
      : await lookUpLogGroup(clients.logs, logGroupName);
  const [pipeline] = await gatherPipelineFacts(clients, [{ endpoint, logGroup: lookup }], parameters);
  return decideCompliance(endpoint, lookup, parameters, pipeline);
}

/** The two invoking events that are about one configuration item. */
type ChangeNotification = Exclude<InvokingEvent, { readonly messageType: 'ScheduledNotification' }>;

async function evaluateChange(
  invokingEvent: ChangeNotification,
  event: ConfigRuleEvent,
  clients: RuleClients,
  parameters: RuleParameters,
): Promise<Evaluation[]> {
  const subject =
    invokingEvent.messageType === 'ConfigurationItemChangeNotification'
      ? invokingEvent.configurationItem
      : invokingEvent.configurationItemSummary;
  let verdict = verdictWithoutConfiguration(subject, event.eventLeftScope === true);
  if (verdict === undefined) {
    const item =
      invokingEvent.messageType === 'OversizedConfigurationItemChangeNotification'
        ? await fetchConfigurationItem(clients.config, subject)
        : (subject as ConfigurationItem);
    // The fetched item may say more than the summary did (deleted since, say).
    verdict = verdictWithoutConfiguration(item, false) ?? (await decideItem(item, clients, parameters));
  }
  return [
    toEvaluation(
      subject.resourceType,
      subject.resourceId,
      verdict,
      new Date(subject.configurationItemCaptureTime),
    ),
  ];
}

async function evaluateSweep(
  parsed: ParsedConfigRuleEvent,
  clients: RuleClients,
  parameters: RuleParameters,
  notificationCreationTime: string,
): Promise<Evaluation[]> {
  const [verdicts, evaluatedBefore] = await Promise.all([
    // Listing earlier evaluations need not wait for the EC2 client to load.
    clients
      .ec2()
      .then((ec2) => evaluateEndpointsInRegion({ ec2, logs: clients.logs, kms: clients.kms }, parameters)),
    listEvaluatedEndpointIds(clients.config, parsed.event.configRuleName),
  ]);
  const orderingTimestamp = new Date(notificationCreationTime);
  const listed = new Set(verdicts.map((verdict) => verdict.endpointId));
  const vanished = evaluatedBefore
    .filter((endpointId) => !listed.has(endpointId))
    .map((endpointId) => ({
      endpointId,
      compliance: 'NOT_APPLICABLE' as const,
      annotation: 'The endpoint no longer exists in this account and region.',
    }));
  return [...verdicts, ...vanished].map((verdict) =>
    toEvaluation(CLIENT_VPN_ENDPOINT_RESOURCE_TYPE, verdict.endpointId, verdict, orderingTimestamp),
  );
}

/** One evaluation as `PutEvaluations` takes it; the annotation is cut to what Config keeps. */
function toEvaluation(
  resourceType: string,
  resourceId: string,
  verdict: Verdict,
  orderingTimestamp: Date,
): Evaluation {
  return {
    ComplianceResourceType: resourceType,
    ComplianceResourceId: resourceId,
    ComplianceType: verdict.compliance,
    ...(verdict.annotation ? { Annotation: limitAnnotation(verdict.annotation) } : {}),
    OrderingTimestamp: orderingTimestamp,
  };
}

function countVerdicts(evaluations: readonly Evaluation[]): Record<ComplianceType, number> {
  const counts: Record<ComplianceType, number> = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 };
  for (const evaluation of evaluations) counts[evaluation.ComplianceType as ComplianceType] += 1;
  return counts;
}

/**
 * The Lambda entry point of the Config rule: reads the event, gathers the facts (from the item, or
 * by sweeping the account and region), decides each endpoint and puts the evaluations. An event or
 * rule parameter that cannot be read, or an event for an account this function may not act in (see
 * {@link chooseExecutionTarget}), fails the invocation before any AWS call.
 *
 * @param event - the event AWS Config sent
 * @param context - the Lambda context: its request ID goes into the logs, its invoked ARN names the
 *   function's own account
 * @returns what was put, by verdict
 */
export const handler = async (
  event: ConfigRuleEvent,
  context?: LambdaContextLike,
): Promise<InvocationSummary> => {
  const requestId = context?.awsRequestId;
  try {
    const parsed = parseConfigRuleEvent(event);
    const parameters = parseRuleParameters(parsed.event.ruleParameters ?? undefined);
    const { configRuleName, configRuleArn, accountId, resultToken } = parsed.event;
    const { messageType } = parsed.invokingEvent;
    // The function's own configuration decides where it acts; the event only names the account, and
    // is refused here, before any AWS call, when that does not fit.
    const target = chooseExecutionTarget({
      configuredRoleName: configuredExecutionRoleName(),
      invokedFunctionArn: context?.invokedFunctionArn,
      eventAccountId: accountId,
      configRuleArn,
      requestedRoleName: parameters.executionRoleName,
    });
    const clients =
      target.kind === 'execution-role' ? await clientsForExecutionRole(target.roleArn) : defaultRuleClients();
    const evaluations =
      parsed.invokingEvent.messageType === 'ScheduledNotification'
        ? await evaluateSweep(parsed, clients, parameters, parsed.invokingEvent.notificationCreationTime)
        : await evaluateChange(parsed.invokingEvent, parsed.event, clients, parameters);
    await putEvaluations(clients.config, evaluations, resultToken);
    for (const evaluation of evaluations) {
      logger.info('Evaluation put', {
        requestId,
        configRuleName,
        accountId,
        resourceId: evaluation.ComplianceResourceId,
        compliance: evaluation.ComplianceType,
        annotation: evaluation.Annotation,
      });
    }
    const counts = countVerdicts(evaluations);
    logger.info('Invocation done', { requestId, configRuleName, accountId, messageType, counts });
    publishVerdictCounts(counts, configRuleName);
    return { messageType, counts };
  } catch (error) {
    logger.error('Invocation failed', { requestId, error: error as Error });
    publishFailure(error);
    throw error;
  }
};
