/**
 * Judges the Client VPN endpoints of a Terraform plan with the Config rule's own decision
 * (`rule/decision.ts`): the facts come from the plan instead of AWS. What the plan leaves unknown until
 * apply is named in a warning, or, where the verdict hangs on it (`enabled`), makes the endpoint one that
 * cannot be judged, which is never a pass.
 */
import { decideCompliance, logGroupToLookUp } from '../rule/decision';
import type { EndpointFacts, LogGroupLookup, RuleParameters } from '../rule/types';
import { referencedLogGroup, type ReferencedLogGroup } from './terraform-plan-references';
import {
  ENDPOINT_RESOURCE_TYPE,
  type PlannedEndpoint,
  type PlannedLogGroup,
  type PlanValue,
  type TerraformPlan,
} from './terraform-plan';

/**
 * How a plan finding counts: a `failure` refuses the plan, a `warning` names what could not be checked
 * before apply, and `undetermined` means the endpoint cannot be judged at all (exit 2 unless a failure).
 */
export type PlanFindingSeverity = 'failure' | 'warning' | 'undetermined';

/** The kinds of plan finding, so reports and tests refer to them by meaning. */
export const PLAN_FINDING_RULES = {
  /** The decision's verdict is NON_COMPLIANT; the message is its annotation. */
  connectionLogging: 'CLIENT_VPN_CONNECTION_LOGGING',
  /** The endpoint names a log group by its ARN, but the argument takes the name. */
  logGroupArn: 'CLIENT_VPN_CONNECTION_LOG_GROUP_NOT_ARN',
  /** The plan deletes the log group an endpoint logs to. */
  logGroupDeleted: 'CLIENT_VPN_CONNECTION_LOG_GROUP_DELETED',
  /** The log group is not in the plan, so its retention and key are judged after deployment. */
  logGroupNotInPlan: 'CLIENT_VPN_CONNECTION_LOG_GROUP_IN_PLAN',
  /** More than one log group in the plan has the endpoint's group name, and they are judged differently. */
  logGroupAmbiguous: 'CLIENT_VPN_CONNECTION_LOG_GROUP_UNAMBIGUOUS',
  /** A value is unknown until apply. */
  unknownUntilApply: 'CLIENT_VPN_CONNECTION_LOG_KNOWN_BEFORE_APPLY',
} as const;

/** One finding about one endpoint of one plan. */
export interface PlanFinding {
  /** The plan as given: a file path, or `-`. */
  readonly plan: string;
  /** The endpoint's full resource address. */
  readonly address: string;
  /** One of {@link PLAN_FINDING_RULES}. */
  readonly rule: string;
  /** How it counts. */
  readonly severity: PlanFindingSeverity;
  /** One line naming what is wrong or unknown, and the fix. */
  readonly message: string;
}

/** The judgement of one plan. */
export interface PlanJudgement {
  /** The plan as given. */
  readonly plan: string;
  /** The endpoints judged (every one the plan leaves in place). */
  readonly endpoints: readonly string[];
  /** The endpoints the plan deletes, which are not judged. */
  readonly deletedEndpoints: readonly string[];
  /** The findings, endpoint by endpoint. */
  readonly findings: readonly PlanFinding[];
}

const OPTIONS = 'connection_log_options[0]';

// Placeholders the decision reads as "present" while the warning says the real value is not known yet.
const KEY_KNOWN_AFTER_APPLY = '(known after apply)';

function known<T>(value: PlanValue<T>): T | undefined {
  return value.state === 'known' ? value.value : undefined;
}

// Whether the endpoint and the group are knowably in one region. Provider 6.x's `region` sets a resource's
// region; without it the resource takes its provider's region, which the plan does not state. So only two
// known, equal regions, or none on either (the same provider configuration, as far as the plan says), are
// the same region: an endpoint in us-east-1 and a group without `region` may be in different regions.
function sameRegion(endpoint: PlannedEndpoint, group: PlannedLogGroup): boolean {
  if (endpoint.region.state === 'absent' && group.region.state === 'absent') return true;
  const a = known(endpoint.region);
  return a !== undefined && a === known(group.region);
}

/** What the endpoint's log group is in the plan: found, one of several, deleted, or not in the plan. */
type GroupInPlan =
  | { readonly status: 'found'; readonly group: PlannedLogGroup }
  | { readonly status: 'ambiguous'; readonly groups: readonly PlannedLogGroup[] }
  | { readonly status: 'deleted' }
  | { readonly status: 'outside' };

function groupInPlan(
  plan: TerraformPlan,
  endpoint: PlannedEndpoint,
  name: string | undefined,
  reference: ReferencedLogGroup | undefined,
): GroupInPlan {
  // A group not knowably in the endpoint's region is not taken for the one it logs to.
  if (reference && sameRegion(endpoint, reference.group)) return { status: 'found', group: reference.group };
  if (name === undefined) return { status: 'outside' };
  // Two groups of one name (provider aliases, which the plan's values do not tell apart) are both
  // candidates: taking the first listed would make the verdict depend on plan order.
  const byName = plan.logGroups.filter(
    (group) => known(group.groupName) === name && sameRegion(endpoint, group),
  );
  if (byName.length === 1) return { status: 'found', group: byName[0] };
  if (byName.length > 1) return { status: 'ambiguous', groups: byName };
  if (plan.deleted.some((resource) => resource.logGroupName === name)) return { status: 'deleted' };
  return { status: 'outside' };
}

/** Collects an endpoint's findings with its plan and address filled in. */
class EndpointFindings {
  public readonly findings: PlanFinding[] = [];

  public constructor(
    private readonly plan: string,
    private readonly address: string,
  ) {}

  public add(rule: string, severity: PlanFindingSeverity, message: string): void {
    this.findings.push({ plan: this.plan, address: this.address, rule, severity, message });
  }

  public unknown(attribute: string, consequence: string): void {
    this.add(
      PLAN_FINDING_RULES.unknownUntilApply,
      'warning',
      `${attribute} is unknown until apply, so ${consequence}. Fix: make it known at plan time (a literal, or a value Terraform knows before apply), or rely on the Config rule after apply.`,
    );
  }
}

function groupLookup(
  group: PlannedLogGroup,
  label: string,
  parameters: RuleParameters,
  report: EndpointFindings,
): LogGroupLookup {
  const retention = group.retentionInDays;
  if (retention.state === 'unknown' && parameters.minRetentionDays !== undefined) {
    report.unknown(`${group.address}.retention_in_days`, 'minRetentionDays is not judged');
  }
  if (group.kmsKeyId.state === 'unknown' && parameters.requireKmsEncryption) {
    report.unknown(`${group.address}.kms_key_id`, 'requireKmsEncryption is not judged');
  }
  const days = known(retention);
  const key = group.kmsKeyId.state === 'unknown' ? KEY_KNOWN_AFTER_APPLY : known(group.kmsKeyId);
  return {
    status: 'found',
    logGroup: {
      name: label,
      // retention_in_days 0, or unset, keeps events forever: the rule reads that as no retention policy.
      ...(days !== undefined && days > 0 ? { retentionInDays: days } : {}),
      // A blank key (" ") names no key: it must not count as encryption.
      ...(key !== undefined && key.trim() !== '' ? { kmsKeyId: key } : {}),
    },
  };
}

// With the name unknown until apply, the prefix can still be judged from the group's name_prefix.
function judgeUnknownName(
  endpoint: PlannedEndpoint,
  found: PlannedLogGroup | undefined,
  parameters: RuleParameters,
  report: EndpointFindings,
): void {
  const required = parameters.logGroupNamePrefix;
  const attribute = `${OPTIONS}.cloudwatch_log_group`;
  if (found === undefined) {
    report.unknown(attribute, 'the log group cannot be found in the plan and is judged only after apply');
    return;
  }
  if (required === undefined) return;
  const namePrefix = known(found.namePrefix);
  if (namePrefix !== undefined && namePrefix.startsWith(required)) return;
  if (namePrefix !== undefined && !required.startsWith(namePrefix)) {
    report.add(
      PLAN_FINDING_RULES.connectionLogging,
      'failure',
      `Log group ${found.address} gets a name starting "${namePrefix}" (name_prefix), not the required prefix "${required}" (logGroupNamePrefix). Fix: log to a group whose name starts with it.`,
    );
    return;
  }
  report.unknown(`${endpoint.address}.${attribute}`, 'logGroupNamePrefix is not judged');
}

/** What the decision is given for one endpoint, whichever candidate group it is judged against. */
interface DecisionContext {
  readonly facts: EndpointFacts;
  readonly decisionParameters: RuleParameters;
  readonly parameters: RuleParameters;
  readonly label: string;
  readonly nameUnknown: boolean;
}

function judgeWithGroup(
  context: DecisionContext,
  found: PlannedLogGroup | undefined,
  deleted: boolean,
  report: EndpointFindings,
): void {
  const { facts, decisionParameters, parameters, label, nameUnknown } = context;
  let lookup: LogGroupLookup = { status: 'not-checked' };
  if (logGroupToLookUp(facts, decisionParameters) !== undefined) {
    if (found) lookup = groupLookup(found, label, parameters, report);
    else if (deleted) {
      report.add(
        PLAN_FINDING_RULES.logGroupDeleted,
        'failure',
        `The plan deletes log group "${label}", which the endpoint logs to, so connections would not be recorded. Fix: keep the log group, or point the endpoint at one that stays.`,
      );
    } else if (
      !nameUnknown &&
      (parameters.minRetentionDays !== undefined || parameters.requireKmsEncryption)
    ) {
      report.add(
        PLAN_FINDING_RULES.logGroupNotInPlan,
        'warning',
        `Log group "${label}" is not in this plan, so its retention and KMS key are judged only by the Config rule after apply. Fix: manage the aws_cloudwatch_log_group in the same configuration.`,
      );
    }
  }
  // Key state and delivery are facts of a running account: no pipeline facts, so they are not judged.
  const verdict = decideCompliance(facts, lookup, decisionParameters);
  if (verdict.compliance === 'NON_COMPLIANT') {
    report.add(PLAN_FINDING_RULES.connectionLogging, 'failure', verdict.annotation ?? 'Not compliant.');
  }
}

// Several groups of the endpoint's group name: judged against each. All pass, or all fail, is a verdict
// that does not depend on which group it is; otherwise the endpoint cannot be judged.
function judgeAmbiguous(
  plan: TerraformPlan,
  endpoint: PlannedEndpoint,
  context: DecisionContext,
  groups: readonly PlannedLogGroup[],
  report: EndpointFindings,
): void {
  const outcomes = groups.map((group) => {
    const candidate = new EndpointFindings(plan.input, endpoint.address);
    judgeWithGroup(context, group, false, candidate);
    return candidate.findings;
  });
  const fails = outcomes.map((findings) => findings.some((finding) => finding.severity === 'failure'));
  if (fails.every((fail) => fail === fails[0])) {
    const messages = new Set<string>();
    for (const finding of outcomes.flat()) {
      if (!messages.has(finding.message)) report.add(finding.rule, finding.severity, finding.message);
      messages.add(finding.message);
    }
    return;
  }
  report.add(
    PLAN_FINDING_RULES.logGroupAmbiguous,
    'undetermined',
    `${groups.length} log groups in the plan are named "${context.label}" (${groups
      .map((group) => group.address)
      .sort()
      .join(
        ', ',
      )}), and the verdict differs between them, so which one the endpoint logs to cannot be told from the plan. Fix: give each group its own name, or set provider 6.x region on the endpoint and its group.`,
  );
}

function judgeEndpoint(
  plan: TerraformPlan,
  endpoint: PlannedEndpoint,
  parameters: RuleParameters,
): PlanFinding[] {
  const report = new EndpointFindings(plan.input, endpoint.address);
  if (endpoint.enabled.state === 'unknown') {
    report.add(
      PLAN_FINDING_RULES.unknownUntilApply,
      'undetermined',
      `${OPTIONS}.enabled is unknown until apply, so whether the endpoint logs cannot be judged. Fix: set enabled to a value known at plan time (true).`,
    );
    return report.findings;
  }
  // The rule reads the named stream only to see logs arrive (verifyDelivery), which only apply can show.
  if (endpoint.logStream.state === 'unknown' && parameters.verifyDelivery) {
    report.unknown(
      `${OPTIONS}.cloudwatch_log_stream`,
      'the stream verifyDelivery reads is known only after apply',
    );
  }
  const enabled = endpoint.enabled.state === 'known' && endpoint.enabled.value;
  const reference = endpoint.logGroup.state === 'unknown' ? referencedLogGroup(plan, endpoint) : undefined;
  const name = known(endpoint.logGroup);
  if (enabled && (name?.startsWith('arn:') || reference?.attribute === 'arn')) {
    report.add(
      PLAN_FINDING_RULES.logGroupArn,
      'failure',
      `${OPTIONS}.cloudwatch_log_group is a log group ARN, but it takes the log group's name. Fix: use aws_cloudwatch_log_group.<name>.name.`,
    );
    return report.findings;
  }
  const nameUnknown = endpoint.logGroup.state === 'unknown';
  const located = groupInPlan(plan, endpoint, name, reference);
  const found = located.status === 'found' ? located.group : undefined;
  // The decision reads the name for the prefix and its messages; an unknown name is judged apart.
  const label = name ?? found?.address ?? '';
  const facts: EndpointFacts = {
    endpointId: endpoint.address,
    connectionLog: {
      enabled,
      logGroupName: nameUnknown ? label || 'unknown' : label,
    },
  };
  const decisionParameters: RuleParameters = nameUnknown
    ? { ...parameters, logGroupNamePrefix: undefined }
    : parameters;
  // The prefix applies whether or not the group is looked up (verifyLogGroup), as in the decision.
  if (enabled && nameUnknown) judgeUnknownName(endpoint, found, parameters, report);
  const context: DecisionContext = { facts, decisionParameters, parameters, label, nameUnknown };
  if (located.status === 'ambiguous') judgeAmbiguous(plan, endpoint, context, located.groups, report);
  else judgeWithGroup(context, found, located.status === 'deleted', report);
  return report.findings;
}

/**
 * Judges every Client VPN endpoint a plan leaves in place (root and child modules at any depth) with the
 * Config rule's decision, on the facts the plan gives.
 *
 * @param plan - the parsed plan
 * @param parameters - the rule's parsed parameters (`verifyKmsKeyState` and `verifyDelivery` need a
 *   running account and are not judged)
 * @returns the endpoints judged, those deleted, and the findings
 */
export function judgeTerraformPlan(plan: TerraformPlan, parameters: RuleParameters): PlanJudgement {
  return {
    plan: plan.input,
    endpoints: plan.endpoints.map((endpoint) => endpoint.address),
    deletedEndpoints: plan.deleted
      .filter((resource) => resource.type === ENDPOINT_RESOURCE_TYPE)
      .map((resource) => resource.address),
    findings: plan.endpoints.flatMap((endpoint) => judgeEndpoint(plan, endpoint, parameters)),
  };
}
