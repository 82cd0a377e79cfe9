import { Aws, CfnOutput, CfnParameter, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as config from 'aws-cdk-lib/aws-config';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { DeploymentSettings } from './deployment-settings';
import { memberAccountTemplateBody } from './member-account-template';
import { CLIENT_VPN_ENDPOINT, ruleInputParameters } from './rule-input-parameters';
import { RuleFunction } from './rule-function';

/** Props of {@link OrganizationStack}. */
export interface OrganizationStackProps extends StackProps {
  /** The deployment's settings (role and document names must match the member-account stack's). */
  readonly settings: DeploymentSettings;
}

/**
 * Organization mode, in the delegated administrator account: the central rule Lambda, allowed to assume
 * the evaluation role in the organization's accounts; an organization Config rule pointing at it; and a
 * resource policy that lets AWS Config invoke it for the organization's accounts and no one else.
 */
export class OrganizationStack extends Stack {
  /** The central rule Lambda and its role. */
  public readonly ruleFunction: RuleFunction;
  /** The organization Config rule. */
  public readonly organizationRule: config.CfnOrganizationConfigRule;
  /** The Lambda's resource policy. */
  public readonly invokePolicy: lambda.CfnResourcePolicy;
  /** The StackSet that puts the member-account stack in the organization's accounts, when configured. */
  public readonly memberStackSet?: cloudformation.CfnStackSet;

  constructor(scope: Construct, id: string, props: OrganizationStackProps) {
    super(scope, id, props);
    const { settings } = props;

    const organizationId = new CfnParameter(this, 'OrganizationId', {
      type: 'String',
      description: 'The AWS Organizations organization whose accounts the rule evaluates',
      allowedPattern: '^o-[a-z0-9]{10,32}$',
      constraintDescription: 'an organization ID such as o-a1b2c3d4e5',
    });

    this.ruleFunction = new RuleFunction(this, 'RuleFunction', {
      logRetentionDays: settings.functionLogRetentionDays,
      roleName: settings.centralFunctionRoleName,
      crossAccount: {
        executionRoleName: settings.executionRoleName,
        organizationId: organizationId.valueAsString,
      },
    });
    const functionArn = this.ruleFunction.function.functionArn;

    // AWS Config invokes the function as the config.amazonaws.com service principal on behalf of each
    // member account's copy of the rule. AddPermission's PrincipalOrgID works only for IAM principals and
    // SourceAccount takes one account; a full resource policy can use aws:SourceOrgID, which the request
    // carries when a service acts for a resource in an organization's account.
    this.invokePolicy = new lambda.CfnResourcePolicy(this, 'ConfigInvokePolicy', {
      resourceArn: functionArn,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ConfigRulesOfOrganizationAccounts',
            Effect: 'Allow',
            Principal: { Service: 'config.amazonaws.com' },
            Action: 'lambda:InvokeFunction',
            Resource: functionArn,
            Condition: { StringEquals: { 'aws:SourceOrgID': organizationId.valueAsString } },
          },
        ],
      },
    });

    // At most 2,048 characters; the validated context (prefix <= 512, role name <= 64) stays far below.
    const inputParameters = JSON.stringify(ruleInputParameters(settings.rule, settings.executionRoleName));
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
        resourceTypesScope: [CLIENT_VPN_ENDPOINT],
        inputParameters,
        maximumExecutionFrequency: settings.rule.maximumExecutionFrequency,
      },
      excludedAccounts: settings.excludedAccounts.length > 0 ? [...settings.excludedAccounts] : undefined,
    });
    // Config checks that it may invoke the function when it creates the member rules.
    this.organizationRule.addResourceDependency(this.invokePolicy);

    if (settings.memberDeployment) {
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
            regions: [...settings.memberDeployment.regions],
          },
        ],
        templateBody: memberAccountTemplateBody(settings),
      });
      // Member roles trust the central Lambda's role by ARN, which IAM checks exists.
      this.memberStackSet.node.addDependency(this.ruleFunction.role);
    }

    new CfnOutput(this, 'RuleFunctionArn', { value: functionArn });
    new CfnOutput(this, 'RuleFunctionRoleArn', { value: this.ruleFunction.role.roleArn });
  }
}
