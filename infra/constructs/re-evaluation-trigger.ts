import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  CLOUDTRAIL_DETAIL_TYPE,
  CONFIG_RULE_NAME_VARIABLE,
  ORGANIZATION_RULE_VARIABLE,
  WATCHED_API_CALLS,
} from '../../rule/re-evaluation-trigger';
import { nagFindingResource } from './nag-finding-resource';
import { reEvaluationTriggerCode } from './re-evaluation-trigger-code';

/** The rule the trigger evaluates: the account's own rule, or its copy of an organization rule. */
export type TriggeredRule =
  | {
      /** A rule of this account, named and known by ARN. */
      readonly kind: 'account';
      /** The rule's name (may be a token). */
      readonly configRuleName: string;
      /** The rule's ARN (may be a token): the only rule the trigger's role may evaluate. */
      readonly configRuleArn: string;
    }
  | {
      /** The member account's copy of an organization rule, `OrgConfigRule-<name>-<suffix>`. */
      readonly kind: 'organization';
      /** The organization rule's name. */
      readonly organizationRuleName: string;
    };

/** Props of {@link ReEvaluationTrigger}. */
export interface ReEvaluationTriggerProps {
  /** The rule to evaluate. */
  readonly rule: TriggeredRule;
  /**
   * Days the trigger's own log group keeps its events.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * The function's reserved concurrency: 1 runs a burst's events one after another in one container, so
   * the burst starts one evaluation. Needs 100 unreserved concurrent executions left in the account.
   * @default 1
   */
  readonly reservedConcurrency?: number;
}

/** How many times Lambda retries an event whose evaluation stayed busy (0 to 2). */
export const TRIGGER_RETRY_ATTEMPTS = 2;

/**
 * Drift caught in minutes: an EventBridge rule on the CloudTrail management events that break a log
 * pipeline without changing the endpoint (deleted group, shortened retention, removed or disabled key,
 * ...), invoking `rule/re-evaluation-trigger.ts`, which starts an evaluation of the Config rule. Needs a
 * CloudTrail trail that records management events: EventBridge receives CloudTrail's events only then.
 */
export class ReEvaluationTrigger extends Construct {
  /** The trigger function. */
  public readonly function: lambda.Function;
  /** Its role. */
  public readonly role: iam.Role;
  /** Its log group. */
  public readonly logGroup: logs.LogGroup;
  /** The EventBridge rule. */
  public readonly eventRule: events.Rule;

  constructor(scope: Construct, id: string, props: ReEvaluationTriggerProps) {
    super(scope, id);
    const { partition, region, account } = Stack.of(this);
    const { rule } = props;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: (props.logRetentionDays ?? 365) as logs.RetentionDays,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Starts an evaluation of the Client VPN connection-logging Config rule on pipeline drift',
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    // A member account's copy of an organization rule is a service-linked rule whose ID AWS Config assigns
    // in each account; its ARN lies under config-rule/aws-service-rule/config-multiaccountsetup.amazonaws.com/
    // (AWS managed policy AWSConfigMultiAccountSetupPolicy). The function itself starts only the copy it
    // resolved by name.
    const organizationRules = `arn:${partition}:config:${region}:${account}:config-rule/aws-service-rule/config-multiaccountsetup.amazonaws.com/*`;
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'StartRuleEvaluation',
        actions: ['config:StartConfigRulesEvaluation'],
        resources: [rule.kind === 'account' ? rule.configRuleArn : organizationRules],
      }),
    );
    this.grantPipelineLookUp();
    if (rule.kind === 'organization') {
      this.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'FindOrganizationRuleCopy',
          // Listing rules by an unknown name is a request for every rule, which names no resource.
          actions: ['config:DescribeConfigRules'],
          resources: ['*'],
        }),
      );
      Validations.of(this.role).acknowledge(
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            "config:DescribeConfigRules without rule names (the copy's random suffix is unknown) authorizes no specific resource; it reads rule metadata only.",
        },
        {
          id: `AwsSolutions-IAM5[Resource::${nagFindingResource(this, organizationRules)}]`,
          reason:
            "AWS Config assigns the ID of an organization rule's copy in each member account; scoped to organization rules of this account and region, and the function starts only the copy named OrgConfigRule-<name>-<suffix>.",
        },
      );
    }

    this.function = new lambda.Function(this, 'Function', {
      code: lambda.Code.fromInline(reEvaluationTriggerCode()),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 128,
      // Up to 2 minutes of waiting for a running evaluation (BUSY_WAITS_MS), plus the calls.
      timeout: Duration.minutes(3),
      reservedConcurrentExecutions: props.reservedConcurrency ?? 1,
      role: this.role,
      logGroup: this.logGroup,
      description: 'Starts an evaluation of the Client VPN connection-logging rule on pipeline drift',
      environment: {
        [CONFIG_RULE_NAME_VARIABLE]:
          rule.kind === 'account' ? rule.configRuleName : rule.organizationRuleName,
        ...(rule.kind === 'organization' ? { [ORGANIZATION_RULE_VARIABLE]: 'true' } : {}),
      },
    });
    // A busy evaluation hands the event back (ReEvaluationPendingError): Lambda retries it after about one
    // and then two more minutes (Lambda Developer Guide, asynchronous invocation). Bounded; no
    // dead-letter queue, since the scheduled sweep judges every endpoint again anyway.
    this.function.configureAsyncInvoke({
      retryAttempts: TRIGGER_RETRY_ATTEMPTS,
      maxEventAge: Duration.hours(1),
    });

    const eventSources = Object.keys(WATCHED_API_CALLS);
    this.eventRule = new events.Rule(this, 'Rule', {
      description: 'CloudTrail management events that can break a Client VPN connection log pipeline',
      eventPattern: {
        // This account's own events only: an event another account forwards to this bus keeps its
        // own account, and names resources the trigger's look-ups here cannot see.
        account: [account],
        source: eventSources.map((source) => `aws.${source.replace('.amazonaws.com', '')}`),
        detailType: [CLOUDTRAIL_DETAIL_TYPE],
        detail: {
          eventSource: eventSources,
          eventName: Object.values(WATCHED_API_CALLS).flat(),
          // A refused call changed nothing.
          errorCode: [{ exists: false }],
        },
      },
      targets: [new targets.LambdaFunction(this.function)],
    });
  }

  /**
   * The reads that decide whether a change touches a pipeline in use (`rule/pipeline-use.ts`): the
   * endpoints, their log groups' keys, and the key an alias names, all of this account and region.
   */
  private grantPipelineLookUp(): void {
    const { partition, region, account } = Stack.of(this);
    const logGroups = `arn:${partition}:logs:${region}:${account}:log-group:*`;
    // Aliases in events are this account's and region's, and name keys of it; authorization is on the
    // key, never the alias (KMS Developer Guide, Use aliases to control access to KMS keys).
    const keys = `arn:${partition}:kms:${region}:${account}:key/*`;
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadEndpoints',
        // EC2 Describe* actions support no resource-level permissions: limited to this region instead.
        actions: ['ec2:DescribeClientVpnEndpoints'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:RequestedRegion': region } },
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadEndpointLogGroupKeys',
        // The groups are whatever the endpoints name, known only at run time.
        actions: ['logs:DescribeLogGroups'],
        resources: [logGroups],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ResolveKeyAliases',
        actions: ['kms:DescribeKey'],
        resources: [keys],
      }),
    );
    Validations.of(this.role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ec2:DescribeClientVpnEndpoints supports no resource-level permissions; the statement is limited to this region by aws:RequestedRegion, and only reads.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagFindingResource(this, logGroups)}]`,
        reason:
          'logs:DescribeLogGroups only reads; the groups are the ones the endpoints name, known only at run time; limited to this account and region.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagFindingResource(this, keys)}]`,
        reason:
          'kms:DescribeKey only reads, to resolve an alias named in a CloudTrail event to its key; the key is known only at run time; limited to keys of this account and region.',
      },
    );
  }
}
