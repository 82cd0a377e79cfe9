import {
  Aws,
  CfnCondition,
  CfnOutput,
  CfnParameter,
  Fn,
  type ICfnConditionExpression,
  Stack,
  type StackProps,
  Token,
} from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as config from 'aws-cdk-lib/aws-config';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { DeploymentSettings } from '../constructs/deployment-settings';
import { memberAccountTemplateBody } from './member-account-template';
import { regionalRoleName } from '../constructs/regional-role-name';
import { CLIENT_VPN_ENDPOINT_RESOURCE_TYPE } from '../../rule/types';
import { ruleInputParameters } from '../constructs/rule-input-parameters';
import { RuleEvaluationFunction } from '../constructs/rule-evaluation-function';

/** Props of {@link OrganizationStack}. */
export interface OrganizationStackProps extends StackProps {
  /** The deployment's settings (role and document names must match the member-account stack's). */
  readonly settings: DeploymentSettings;
}

/**
 * Organization mode, in the delegated administrator account: the central rule Lambda, allowed to assume
 * the evaluation role in the organization's accounts and nothing else; the permission that lets AWS
 * Config invoke it; and, unless the organization conformance pack carries the rule instead, an
 * organization Config rule pointing at it.
 *
 * What contains the function, since AWS Config's documented invoke permission names no account: the
 * function assumes only the role its `EXECUTION_ROLE_NAME` names, in the account of an event whose
 * `accountId` is its rule's own, and refuses any other event before an AWS call (`rule/execution-role.ts`);
 * its role holds no evaluation permission, only `sts:AssumeRole` on this region's evaluation role in
 * accounts of the organization (`aws:ResourceOrgID`); and its reserved concurrency caps what unwanted
 * invocations can cost.
 *
 * Deployed once per region, like the organization rule it holds. In region R the Lambda's role is
 * `<centralFunctionRoleName>-R`, the rule passes `executionRoleName` = `<executionRoleName>-R`, and the
 * Lambda may assume only roles of that name (naming rule in `regional-role-name.ts`). The member StackSet,
 * when configured, deploys the member stack to region R only, and only when R is one of `memberRegions`:
 * a member stack in R trusts this region's central role, which must exist first, and one StackSet per
 * region never collides with another region's.
 *
 * @example
 * ```ts
 * import { App } from 'aws-cdk-lib';
 * import { OrganizationStack, readDeploymentSettings } from 'client-vpn-connection-logging';
 *
 * // In the delegated administrator account, with the organization's settings in CDK context.
 * const app = new App();
 * new OrganizationStack(app, 'ClientVpnConnectionLoggingOrganization', {
 *   settings: readDeploymentSettings(app.node),
 * });
 * ```
 */
export class OrganizationStack extends Stack {
  /** The central rule Lambda and its role. */
  public readonly evaluationFunction: RuleEvaluationFunction;
  /** The organization Config rule, unless the `organizationRule` setting is false. */
  public readonly organizationRule?: config.CfnOrganizationConfigRule;
  /** The permission that lets AWS Config invoke the Lambda. */
  public readonly invokePermission: lambda.CfnPermission;
  /** The StackSet that puts the member-account stack in the organization's accounts, when configured. */
  public readonly memberStackSet?: cloudformation.CfnStackSet;

  constructor(scope: Construct, id: string, props: OrganizationStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const executionRoleName = regionalRoleName(settings.executionRoleName, this.region);

    const organizationId = new CfnParameter(this, 'OrganizationId', {
      type: 'String',
      description: 'The AWS Organizations organization whose accounts the rule evaluates',
      allowedPattern: '^o-[a-z0-9]{10,32}$',
      constraintDescription: 'an organization ID such as o-a1b2c3d4e5',
    });

    this.evaluationFunction = new RuleEvaluationFunction(this, 'RuleFunction', {
      logRetentionDays: settings.functionLogRetentionDays,
      roleName: regionalRoleName(settings.centralFunctionRoleName, this.region),
      reservedConcurrentExecutions: settings.centralFunctionReservedConcurrency,
      crossAccount: {
        executionRoleName,
        organizationId: organizationId.valueAsString,
      },
    });
    const functionArn = this.evaluationFunction.function.functionArn;

    // The form AWS Config's documentation gives for a custom Lambda rule's function ("Custom Lambda Rules
    // (General Example)", AWS Config Developer Guide; the same permission serves the member accounts'
    // copies of an organization rule): lambda:InvokeFunction for the config.amazonaws.com principal.
    // SourceAccount would take one account and PrincipalOrgID matches only IAM principals, so no
    // condition narrows it to the organization: the function itself refuses what it may not act on
    // (see the class comment).
    this.invokePermission = new lambda.CfnPermission(this, 'ConfigInvokePermission', {
      action: 'lambda:InvokeFunction',
      functionName: functionArn,
      principal: 'config.amazonaws.com',
    });

    if (settings.organizationRule) {
      // At most 2,048 characters; the validated context (prefix <= 512, role name <= 64) stays far below.
      // toJsonString: the role name holds the region, a token in an environment-agnostic stack.
      const inputParameters = this.toJsonString(ruleInputParameters(settings.rule, executionRoleName));
      this.organizationRule = new config.CfnOrganizationConfigRule(this, 'OrganizationRule', {
        organizationConfigRuleName: settings.rule.ruleName,
        organizationCustomRuleMetadata: {
          description: 'Client VPN endpoints must log connections to a usable CloudWatch Logs group.',
          lambdaFunctionArn: functionArn,
          organizationConfigRuleTriggerTypes: [
            'ConfigurationItemChangeNotification',
            'OversizedConfigurationItemChangeNotification',
            'ScheduledNotification',
          ],
          resourceTypesScope: [CLIENT_VPN_ENDPOINT_RESOURCE_TYPE],
          inputParameters,
          maximumExecutionFrequency: settings.rule.maximumExecutionFrequency,
        },
        excludedAccounts: settings.excludedAccounts.length > 0 ? [...settings.excludedAccounts] : undefined,
      });
      // Config checks that it may invoke the function when it creates the member rules.
      this.organizationRule.addResourceDependency(this.invokePermission);
    }

    const memberRegions = settings.memberDeployment?.regions ?? [];
    const regionIsMemberRegion = Token.isUnresolved(this.region)
      ? undefined
      : memberRegions.includes(this.region);
    if (settings.memberDeployment && regionIsMemberRegion !== false) {
      // Service-managed: Organizations creates the stack in every account of the OUs, and in accounts
      // that join them later. Run from the delegated administrator, hence CallAs DELEGATED_ADMIN.
      this.memberStackSet = new cloudformation.CfnStackSet(this, 'MemberStackSet', {
        stackSetName: 'ClientVpnConnectionLoggingMember',
        description: 'Evaluation role and remediation runbook for Client VPN connection logging',
        permissionModel: 'SERVICE_MANAGED',
        callAs: 'DELEGATED_ADMIN',
        autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
        capabilities: ['CAPABILITY_NAMED_IAM'],
        managedExecution: { Active: true },
        operationPreferences: {
          failureTolerancePercentage: 10,
          maxConcurrentPercentage: 25,
          regionConcurrencyType: 'PARALLEL',
        },
        parameters: [{ parameterKey: 'CentralAccountId', parameterValue: Aws.ACCOUNT_ID }],
        stackInstancesGroup: [
          {
            deploymentTargets: {
              organizationalUnitIds: [...settings.memberDeployment.organizationalUnitIds],
            },
            regions: [this.region],
          },
        ],
        templateBody: memberAccountTemplateBody(settings),
      });
      // Member roles trust the central Lambda's role by ARN, which IAM checks exists.
      this.memberStackSet.node.addDependency(this.evaluationFunction.role);
      if (regionIsMemberRegion === undefined) {
        // The region is known only at deployment: create the StackSet only in a member region.
        this.memberStackSet.cfnOptions.condition = new CfnCondition(this, 'IsMemberRegion', {
          expression: anyOf(memberRegions.map((region) => Fn.conditionEquals(Aws.REGION, region))),
        });
      }
    }

    new CfnOutput(this, 'RuleFunctionArn', { value: functionArn });
    new CfnOutput(this, 'RuleFunctionRoleArn', { value: this.evaluationFunction.role.roleArn });
  }
}

/** True when any of the conditions is: Fn::Or takes 2 to 10 conditions, so longer lists are nested. */
function anyOf(conditions: readonly ICfnConditionExpression[]): ICfnConditionExpression {
  if (conditions.length === 1) return conditions[0];
  if (conditions.length <= 10) return Fn.conditionOr(...conditions);
  const groups: ICfnConditionExpression[] = [];
  for (let start = 0; start < conditions.length; start += 10)
    groups.push(anyOf(conditions.slice(start, start + 10)));
  return anyOf(groups);
}
