import { Aws, CfnOutput, CfnParameter, DefaultStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ConnectionInsights, connectionInsightsProps } from '../constructs/connection-insights';
import { grantRuleEvaluation } from '../constructs/rule-evaluation-permissions';
import type { DeploymentSettings } from '../constructs/deployment-settings';
import { regionalRoleName } from '../constructs/regional-role-name';
import { RemediationRunbook } from '../constructs/remediation-runbook';
import { ReEvaluationTrigger } from '../constructs/re-evaluation-trigger';
import { ACCOUNT_ID_PATTERN } from '../../rule/aws-name-patterns';

/** Props of {@link MemberAccountStack}. */
export interface MemberAccountStackProps extends StackProps {
  /** The deployment's settings (role and document names must match the organization stack's). */
  readonly settings: DeploymentSettings;
}

/**
 * Organization mode, in every member account (deployed as a service-managed StackSet): the role the
 * central rule Lambda assumes to evaluate this account, the runbook with its automation role so that
 * remediation runs where the endpoint lives, and the drift trigger that starts this account's copy of
 * the organization rule when a log pipeline is changed. Self-contained: no assets, no CDK bootstrap needed.
 *
 * Deployed once per region: in region R the evaluation role is `<executionRoleName>-R` and trusts only
 * `<centralFunctionRoleName>-R` (the organization stack of the same region), and the automation role is
 * `<memberAutomationRoleName>-R` (naming rule in `regional-role-name.ts`).
 *
 * @example
 * ```ts
 * import { App } from 'aws-cdk-lib';
 * import { MemberAccountStack, readDeploymentSettings } from 'client-vpn-connection-logging';
 *
 * // For a StackSet of your own: synthesise the member stack and deploy its template to every member account.
 * const app = new App();
 * new MemberAccountStack(app, 'ClientVpnConnectionLoggingMember', {
 *   settings: readDeploymentSettings(app.node),
 * });
 * ```
 */
export class MemberAccountStack extends Stack {
  /** The role the central Lambda assumes here. */
  public readonly evaluationRole: iam.Role;
  /** The runbook and its automation role. */
  public readonly runbook: RemediationRunbook;
  /** Starts an evaluation of this account's copy of the organization rule when a log pipeline is changed. */
  public readonly reEvaluationTrigger: ReEvaluationTrigger;

  constructor(scope: Construct, id: string, props: MemberAccountStackProps) {
    // Member accounts are not CDK-bootstrapped: no bootstrap version check in the template.
    super(scope, id, {
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      ...props,
    });
    const { settings } = props;
    const { region } = this;

    const centralAccountId = new CfnParameter(this, 'CentralAccountId', {
      type: 'String',
      description: 'The delegated administrator account that runs the central rule Lambda',
      allowedPattern: ACCOUNT_ID_PATTERN.source,
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
    grantRuleEvaluation(this.evaluationRole);

    this.runbook = new RemediationRunbook(this, 'Runbook', {
      documentName: settings.documentName,
      roleName: regionalRoleName(settings.memberAutomationRoleName, region),
      logGroupNamePrefix: settings.rule.logGroupNamePrefix,
    });

    // Inline code: the member stack stays free of assets.
    this.reEvaluationTrigger = new ReEvaluationTrigger(this, 'ReEvaluationTrigger', {
      rule: { kind: 'organization', organizationRuleName: settings.rule.ruleName },
      logRetentionDays: settings.functionLogRetentionDays,
    });

    // Opt-in (-c connectionInsights=true): saved queries, metric filters, alarm and dashboard.
    const insights = connectionInsightsProps(settings);
    if (insights !== undefined) new ConnectionInsights(this, 'ConnectionInsights', insights);

    // The full, regional names and ARNs, as IAM knows them.
    new CfnOutput(this, 'EvaluationRoleArn', { value: this.evaluationRole.roleArn });
    new CfnOutput(this, 'RemediationDocumentName', { value: this.runbook.documentName });
    new CfnOutput(this, 'AutomationAssumeRoleName', { value: this.runbook.automationRole.roleName });
  }
}
