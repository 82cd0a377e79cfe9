import {
  Aws,
  CfnOutput,
  CfnParameter,
  DefaultStackSynthesizer,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { DeploymentSettings } from './deployment-settings';
import { nagFindingResource } from './nag-finding-resource';
import { regionalRoleName } from './regional-role-name';
import { RemediationRunbook } from './remediation-runbook';

/** Props of {@link MemberAccountStack}. */
export interface MemberAccountStackProps extends StackProps {
  /** The deployment's settings (role and document names must match the organization stack's). */
  readonly settings: DeploymentSettings;
}

/**
 * Organization mode, in every member account (deployed as a service-managed StackSet): the role the
 * central rule Lambda assumes to evaluate this account, and the runbook with its automation role so that
 * remediation runs where the endpoint lives. Self-contained: no assets, no CDK bootstrap needed.
 *
 * Deployed once per region: in region R the evaluation role is `<executionRoleName>-R` and trusts only
 * `<centralFunctionRoleName>-R` (the organization stack of the same region), and the automation role is
 * `<memberAutomationRoleName>-R` (naming rule in `regional-role-name.ts`).
 */
export class MemberAccountStack extends Stack {
  /** The role the central Lambda assumes here. */
  public readonly evaluationRole: iam.Role;
  /** The runbook and its automation role. */
  public readonly runbook: RemediationRunbook;

  constructor(scope: Construct, id: string, props: MemberAccountStackProps) {
    // Member accounts are not CDK-bootstrapped: no bootstrap version check in the template.
    super(scope, id, {
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      ...props,
    });
    const { settings } = props;
    const { partition, region, account } = this;

    const centralAccountId = new CfnParameter(this, 'CentralAccountId', {
      type: 'String',
      description: 'The delegated administrator account that runs the central rule Lambda',
      allowedPattern: '^\\d{12}$',
      constraintDescription: 'a 12-digit AWS account ID',
    });

    this.evaluationRole = new iam.Role(this, 'EvaluationRole', {
      roleName: regionalRoleName(settings.executionRoleName, region),
      description:
        'Assumed by the central Client VPN connection-logging rule Lambda to evaluate this account',
      // Only the central Lambda's own role of this region: not its account root, not anyone else there.
      assumedBy: new iam.ArnPrincipal(
        `arn:${Aws.PARTITION}:iam::${centralAccountId.valueAsString}:role/${regionalRoleName(settings.centralFunctionRoleName, region)}`,
      ),
    });
    const configRules = `arn:${partition}:config:${region}:${account}:config-rule/*`;
    const logGroups = `arn:${partition}:logs:${region}:${account}:log-group:*`;
    this.evaluationRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PutEvaluationsAndReadHistory',
        // Neither action supports resource-level permissions; PutEvaluations is bound to its rule by the
        // result token of this account's rule.
        actions: ['config:PutEvaluations', 'config:GetResourceConfigHistory'],
        resources: ['*'],
      }),
    );
    this.evaluationRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadRuleCompliance',
        actions: ['config:GetComplianceDetailsByConfigRule'],
        // The organization rule's member-side name and ID are assigned by AWS Config in each account.
        resources: [configRules],
      }),
    );
    this.evaluationRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeClientVpnEndpoints',
        // EC2 Describe* actions support no resource-level permissions.
        actions: ['ec2:DescribeClientVpnEndpoints'],
        resources: ['*'],
      }),
    );
    this.evaluationRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeLogGroups',
        actions: ['logs:DescribeLogGroups'],
        resources: [logGroups],
      }),
    );
    Validations.of(this.evaluationRole).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'config:PutEvaluations, config:GetResourceConfigHistory and ec2:DescribeClientVpnEndpoints support no resource-level permissions.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagFindingResource(this, configRules)}]`,
        reason:
          "AWS Config names and numbers the organization rule's member-side copy; scoped to this account and region.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagFindingResource(this, logGroups)}]`,
        reason:
          'An endpoint may log to any log group of its account and region; the rule must look each one up.',
      },
    );

    this.runbook = new RemediationRunbook(this, 'Runbook', {
      documentName: settings.documentName,
      roleName: regionalRoleName(settings.memberAutomationRoleName, region),
    });

    // The full, regional names and ARNs, as IAM knows them.
    new CfnOutput(this, 'EvaluationRoleArn', { value: this.evaluationRole.roleArn });
    new CfnOutput(this, 'RemediationDocumentName', { value: this.runbook.documentName });
    new CfnOutput(this, 'AutomationAssumeRoleName', { value: this.runbook.automationRole.roleName });
  }
}
