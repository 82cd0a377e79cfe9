import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ConnectionLoggingConfigRule } from './connection-logging-config-rule';
import type { RemediationSettings, RuleSettings } from './deployment-settings';
import { RemediationRunbook } from './remediation-runbook';
import { RuleEvaluationFunction } from './rule-evaluation-function';

/** Props of {@link ConnectionLoggingEnforcement}. */
export interface ConnectionLoggingEnforcementProps {
  /** The rule's name, schedule and parameters. */
  readonly rule: RuleSettings;
  /** The remediation's settings and the runbook's static inputs. */
  readonly remediation: RemediationSettings;
  /**
   * Days the rule Lambda's own log group keeps its events.
   * @default 365
   */
  readonly functionLogRetentionDays?: number;
  /**
   * The SSM document's name.
   * @default 'EnableClientVpnConnectionLogging'
   */
  readonly documentName?: string;
  /**
   * A fixed name for the runbook's automation role, used as it is (append the region yourself: IAM names
   * are account-wide). The conformance pack needs one: it builds the role's ARN from a name.
   * @default - a name CloudFormation generates
   */
  readonly automationRoleName?: string;
}

/**
 * The whole deployable unit for one account, detection and remediation: the rule's evaluation Lambda
 * ({@link RuleEvaluationFunction}), the Config rule with its remediation configuration
 * ({@link ConnectionLoggingConfigRule}), and the runbook with its automation role ({@link RemediationRunbook}).
 * Import it into any CDK app.
 *
 * @example
 * ```ts
 * import { App, Stack } from 'aws-cdk-lib';
 * import { ConnectionLoggingEnforcement, readDeploymentSettings } from 'client-vpn-connection-logging';
 *
 * const app = new App();
 * const settings = readDeploymentSettings(app.node);
 * new ConnectionLoggingEnforcement(new Stack(app, 'NetworkStack'), 'ClientVpnConnectionLogging', {
 *   rule: settings.rule,
 *   remediation: settings.remediation,
 * });
 * ```
 */
export class ConnectionLoggingEnforcement extends Construct {
  /** The rule's evaluation Lambda, its role and its log group. */
  public readonly evaluationFunction: RuleEvaluationFunction;
  /** The runbook and its automation role. */
  public readonly runbook: RemediationRunbook;
  /** The Config rule and its remediation configuration. */
  public readonly configRule: ConnectionLoggingConfigRule;

  constructor(scope: Construct, id: string, props: ConnectionLoggingEnforcementProps) {
    super(scope, id);
    this.evaluationFunction = new RuleEvaluationFunction(this, 'RuleFunction', {
      logRetentionDays: props.functionLogRetentionDays,
    });
    this.runbook = new RemediationRunbook(this, 'Runbook', {
      documentName: props.documentName,
      roleName: props.automationRoleName,
      logGroupNamePrefix: props.rule.logGroupNamePrefix,
    });

    // AWS Config checks that it may invoke the function when the rule is created, so the permission comes
    // first. Only Config acting for this account; a source ARN would need the rule's ID, which comes later.
    const permission = new lambda.CfnPermission(this, 'ConfigInvokePermission', {
      action: 'lambda:InvokeFunction',
      functionName: this.evaluationFunction.function.functionArn,
      principal: 'config.amazonaws.com',
      sourceAccount: Stack.of(this).account,
    });

    this.configRule = new ConnectionLoggingConfigRule(this, 'ConfigRule', {
      rule: props.rule,
      remediation: props.remediation,
      functionArn: this.evaluationFunction.function.functionArn,
      documentName: this.runbook.documentName,
      automationRoleArn: this.runbook.automationRole.roleArn,
    });
    this.configRule.configRule.addResourceDependency(permission);
  }
}
