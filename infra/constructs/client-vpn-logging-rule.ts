import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ConnectionLoggingRule } from './connection-logging-rule';
import type { RemediationSettings, RuleSettings } from './deployment-settings';
import { RemediationRunbook } from './remediation-runbook';
import { RuleFunction } from './rule-function';

/** Props of {@link ClientVpnLoggingRule}. */
export interface ClientVpnLoggingRuleProps {
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
 * Everything one account needs: the rule's Lambda, the Config rule, the runbook with its automation role,
 * and the remediation configuration that ties them together. Import it into any CDK app.
 */
export class ClientVpnLoggingRule extends Construct {
  /** The rule's Lambda and its role. */
  public readonly ruleFunction: RuleFunction;
  /** The runbook and its automation role. */
  public readonly runbook: RemediationRunbook;
  /** The Config rule and its remediation configuration. */
  public readonly configRule: ConnectionLoggingRule;

  constructor(scope: Construct, id: string, props: ClientVpnLoggingRuleProps) {
    super(scope, id);
    this.ruleFunction = new RuleFunction(this, 'RuleFunction', {
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
      functionName: this.ruleFunction.function.functionArn,
      principal: 'config.amazonaws.com',
      sourceAccount: Stack.of(this).account,
    });

    this.configRule = new ConnectionLoggingRule(this, 'ConfigRule', {
      rule: props.rule,
      remediation: props.remediation,
      functionArn: this.ruleFunction.function.functionArn,
      documentName: this.runbook.documentName,
      automationRoleArn: this.runbook.automationRole.roleArn,
    });
    this.configRule.configRule.addResourceDependency(permission);
  }
}
