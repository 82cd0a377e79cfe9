import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ConnectionInsights, connectionInsightsProps } from '../constructs/connection-insights';
import { ConnectionLoggingEnforcement } from '../constructs/connection-logging-enforcement';
import type { DeploymentSettings } from '../constructs/deployment-settings';
import { regionalRoleName } from '../constructs/regional-role-name';
import { ReEvaluationTrigger } from '../constructs/re-evaluation-trigger';

/** Props of {@link AccountStack}. */
export interface AccountStackProps extends StackProps {
  /** The deployment's settings. */
  readonly settings: DeploymentSettings;
}

/** One-account mode: the rule, its Lambda, the runbook and the remediation, in the account deployed to. */
export class AccountStack extends Stack {
  /** The whole deployable unit: the rule's Lambda, the Config rule, the runbook and the remediation. */
  public readonly enforcement: ConnectionLoggingEnforcement;
  /** Starts an evaluation of the rule when a log pipeline is changed (needs a CloudTrail trail). */
  public readonly reEvaluationTrigger: ReEvaluationTrigger;

  constructor(scope: Construct, id: string, props: AccountStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.enforcement = new ConnectionLoggingEnforcement(this, 'ClientVpnLogging', {
      rule: settings.rule,
      remediation: settings.remediation,
      functionLogRetentionDays: settings.functionLogRetentionDays,
      documentName: settings.documentName,
      // <memberAutomationRoleName>-<region>, the name the conformance pack's default builds its ARN from,
      // so a one-account pack needs no role parameter; regional, so the stack deploys to any number of regions.
      automationRoleName: regionalRoleName(settings.memberAutomationRoleName, this.region),
    });

    this.reEvaluationTrigger = new ReEvaluationTrigger(this, 'ReEvaluationTrigger', {
      rule: {
        kind: 'account',
        configRuleName: this.enforcement.configRule.configRule.ref,
        configRuleArn: this.enforcement.configRule.configRule.attrArn,
      },
      logRetentionDays: settings.functionLogRetentionDays,
    });

    // Opt-in (-c connectionInsights=true): saved queries, metric filters, alarm and dashboard.
    const insights = connectionInsightsProps(settings);
    if (insights !== undefined) new ConnectionInsights(this, 'ConnectionInsights', insights);

    // What a conformance pack (dist/conformance-pack.yaml) needs as its parameters.
    new CfnOutput(this, 'RuleFunctionArn', {
      value: this.enforcement.evaluationFunction.function.functionArn,
    });
    new CfnOutput(this, 'RemediationDocumentName', { value: this.enforcement.runbook.documentName });
    new CfnOutput(this, 'AutomationAssumeRoleName', {
      value: this.enforcement.runbook.automationRole.roleName,
    });
    new CfnOutput(this, 'ConfigRuleName', { value: this.enforcement.configRule.configRule.ref });
  }
}
