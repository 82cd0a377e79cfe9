import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { EXECUTION_ROLE_NAME_VARIABLE } from '../../rule/types';
import { grantRuleEvaluation } from './rule-evaluation-permissions';
import { nagFindingResource } from './nag-finding-resource';
import { bundledHandlerFunction } from './bundled-handler-function';

/**
 * Organization mode: the central Lambda assumes a role in the event's account for every invocation, and
 * has no evaluation permissions of its own.
 */
export interface CrossAccountAccess {
  /**
   * Full name of the role the Lambda assumes in each member account: the same in every account, and
   * regional (`<executionRoleName>-<region>`, see `regional-role-name.ts`) so each region's Lambda may
   * assume only its own region's evaluation roles. Set as the function's `EXECUTION_ROLE_NAME`, which
   * alone decides the role (`rule/execution-role.ts`).
   */
  readonly executionRoleName: string;
  /** The organization the member accounts belong to (`o-` and 10 to 32 characters); may be a token. */
  readonly organizationId: string;
}

/** Props of {@link RuleEvaluationFunction}. */
export interface RuleEvaluationFunctionProps {
  /**
   * Days the function's own log group keeps its events.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * A fixed name for the execution role, so member accounts can trust it by ARN.
   * @default - a name CloudFormation generates
   */
  readonly roleName?: string;
  /**
   * Lets the function assume the evaluation role in the organization's member accounts.
   * @default - the function evaluates only its own account
   */
  readonly crossAccount?: CrossAccountAccess;
  /**
   * Concurrent executions reserved for the function, which are also the most it may run at once.
   * @default - none reserved: the function shares the account's unreserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * The Config rule's evaluation Lambda: `rule/handler.ts` bundled by the local esbuild, or pre-bundled in the
 * installed package (Node.js 24, arm64, minified, source maps, the AWS SDK version we test with; see
 * `bundled-handler-function.ts`), its own log group, and an execution role that can do
 * exactly what the rule needs and nothing else.
 *
 * @example
 * ```ts
 * import { App, Stack } from 'aws-cdk-lib';
 * import { RuleEvaluationFunction } from 'client-vpn-connection-logging';
 *
 * const stack = new Stack(new App(), 'RuleStack');
 * const evaluation = new RuleEvaluationFunction(stack, 'RuleFunction', { logRetentionDays: 90 });
 * // evaluation.function.functionArn is the Config rule's source identifier.
 * ```
 */
export class RuleEvaluationFunction extends Construct {
  /** The Lambda function. */
  public readonly function: lambda.Function;
  /** Its execution role. */
  public readonly role: iam.Role;
  /** Its log group. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: RuleEvaluationFunctionProps = {}) {
    super(scope, id);
    const { partition } = Stack.of(this);
    const evaluationRoles = props.crossAccount
      ? `arn:${partition}:iam::*:role/${props.crossAccount.executionRoleName}`
      : undefined;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: (props.logRetentionDays ?? 365) as logs.RetentionDays,
    });

    // Our own role rather than the default one: the default attaches AWSLambdaBasicExecutionRole,
    // which can write to every log group of the account.
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Evaluates Client VPN endpoints for the Config rule client-vpn-connection-logging',
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    // In organization mode every invocation evaluates through the assumed role, the administrator
    // account's own included (it needs the member stack like any other), so the function's own role
    // gets no evaluation permission at all.
    if (props.crossAccount === undefined) grantRuleEvaluation(this.role);
    if (props.crossAccount && evaluationRoles !== undefined) {
      this.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'AssumeEvaluationRoleInMemberAccounts',
          actions: ['sts:AssumeRole'],
          // Member account IDs are not known here and change as accounts join; the regional role name and
          // the organization condition keep this to this region's evaluation role in our organization's accounts.
          resources: [evaluationRoles],
          conditions: { StringEquals: { 'aws:ResourceOrgID': props.crossAccount.organizationId } },
        }),
      );
    }

    this.function = bundledHandlerFunction(this, 'Function', 'rule-handler', {
      memorySize: 256,
      timeout: Duration.minutes(5),
      role: this.role,
      logGroup: this.logGroup,
      description: 'AWS Config rule: Client VPN connection logging on, to a usable log group',
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'client-vpn-connection-logging',
        POWERTOOLS_METRICS_NAMESPACE: 'ClientVpnConnectionLogging',
        ...(props.crossAccount
          ? { [EXECUTION_ROLE_NAME_VARIABLE]: props.crossAccount.executionRoleName }
          : {}),
      },
    });

    if (evaluationRoles !== undefined) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagFindingResource(this, evaluationRoles)}]`,
        reason:
          "Member accounts join and leave the organization: any account's evaluation role of this region only, and the aws:ResourceOrgID condition limits it to our organization.",
      });
    }
  }
}
