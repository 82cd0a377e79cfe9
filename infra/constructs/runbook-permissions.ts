import { Token } from 'aws-cdk-lib';
import { type AutomationDocument, calledIamActions, requiredIamActions } from '../../remediation/runbook';
import { LOG_GROUP_NAME_PATTERN } from '../../rule/aws-name-patterns';
import { managedPrefixProblem } from './service-log-group-namespaces';
import { ConstructConfigurationError } from './construct-configuration-error';

/** A runbook needs an action for which the infrastructure knows no resource scope; it must be reviewed. */
export class UnscopedRunbookActionError extends ConstructConfigurationError {
  constructor(action: string) {
    super(
      `The runbook needs "${action}", but infra/constructs/runbook-permissions.ts has no resource scope for it: add one after checking the Service Authorization Reference.`,
    );
    this.name = 'UnscopedRunbookActionError';
  }
}

/**
 * The IAM actions the runbook's role needs: `service:Api` for every step that calls an API and every boto3
 * call of its scripts, plus the extra permissions its description lists under "Required IAM permissions"
 * (those a service checks on the caller behind an API, such as the log delivery permissions
 * `ModifyClientVpnEndpoint` requires). Sorted, without duplicates.
 */
export function runbookActions(runbook: AutomationDocument): string[] {
  return [...new Set([...calledIamActions(runbook), ...requiredIamActions(runbook)])].sort();
}

/**
 * The kinds of resource the runbook's actions can be scoped to: `any` (no resource-level permissions),
 * this account's and region's endpoints, this account's and region's log groups (reading only), the log
 * groups inside the managed prefix (every write), and this region's KMS keys (reading only).
 */
export type ResourceScope = 'any' | 'client-vpn-endpoint' | 'log-group' | 'managed-log-group' | 'kms-key';

/**
 * The narrowest resource each action allows (Service Authorization Reference). `any` marks actions with
 * no resource-level permissions; each is justified where the statements are built.
 */
const ACTION_SCOPES: Readonly<Record<string, ResourceScope>> = {
  // EC2 Describe* actions support no resource-level permissions.
  'ec2:DescribeClientVpnEndpoints': 'any',
  'ec2:ModifyClientVpnEndpoint': 'client-vpn-endpoint',
  // Reading only; the script describes nothing but the target group, which lies inside the prefix.
  'logs:DescribeLogGroups': 'log-group',
  // Every change, and the delivery permissions Client VPN checks for the target group: inside the prefix only.
  'logs:CreateLogGroup': 'managed-log-group',
  'logs:PutRetentionPolicy': 'managed-log-group',
  'logs:AssociateKmsKey': 'managed-log-group',
  'logs:CreateLogStream': 'managed-log-group',
  'logs:DescribeLogStreams': 'managed-log-group',
  // Reading only: the state of the key the target group keeps or gets, so a fix that cannot succeed fails
  // before any change. DescribeKey supports the key resource type; the key is known only at run time.
  'kms:DescribeKey': 'kms-key',
};

/** The scope of one action, or an {@link UnscopedRunbookActionError} when none is known. */
export function actionScope(action: string): ResourceScope {
  const scope = ACTION_SCOPES[action];
  if (scope === undefined) throw new UnscopedRunbookActionError(action);
  return scope;
}

/** The runbook's actions grouped by the resource scope they allow, in a stable order. */
export function actionsByScope(actions: readonly string[]): Map<ResourceScope, string[]> {
  const grouped = new Map<ResourceScope, string[]>();
  for (const action of actions) {
    const scope = actionScope(action);
    grouped.set(scope, [...(grouped.get(scope) ?? []), action]);
  }
  return grouped;
}

/** A managed log group prefix that would let the automation role write to log groups it must not touch. */
export class UnsafeLogGroupNamePrefixError extends ConstructConfigurationError {
  constructor(prefix: string, problem: string) {
    super(
      `logGroupNamePrefix ${JSON.stringify(prefix)} cannot scope the automation role's log-group writes: ${problem}`,
    );
    this.name = 'UnsafeLogGroupNamePrefixError';
  }
}

/**
 * The log-group ARN pattern the role's writes are scoped to: `arn:<partition>:logs:<region>:<account>:log-group:<prefix>*`.
 *
 * @throws UnsafeLogGroupNamePrefixError when the prefix is empty (the scope would be every group), unresolved,
 *   holds characters no log group name has (IAM wildcards among them), or reaches another AWS service's
 *   documented log-group name space (service-log-group-namespaces.ts)
 */
export function managedLogGroupArn(
  partition: string,
  region: string,
  account: string,
  prefix: string,
): string {
  if (Token.isUnresolved(prefix))
    throw new UnsafeLogGroupNamePrefixError(prefix, 'it must be known at synthesis');
  if (prefix === '')
    throw new UnsafeLogGroupNamePrefixError(prefix, 'an empty prefix makes the scope log-group:*');
  if (!LOG_GROUP_NAME_PATTERN.test(prefix)) {
    throw new UnsafeLogGroupNamePrefixError(prefix, 'it holds characters no log group name has');
  }
  const reachesService = managedPrefixProblem(prefix);
  if (reachesService !== undefined) throw new UnsafeLogGroupNamePrefixError(prefix, reachesService);
  return `arn:${partition}:logs:${region}:${account}:log-group:${prefix}*`;
}
