import * as config from 'aws-cdk-lib/aws-config';
import { Construct } from 'constructs';
import type { RemediationSettings, RuleSettings } from './deployment-settings';
import { CLIENT_VPN_ENDPOINT_RESOURCE_TYPE } from '../../rule/types';
import { DEFAULT_LOG_GROUP_NAME_PREFIX } from '../../remediation/runbook';
import { checkKmsKeyEnvironment } from './kms-key-environment';
import { ruleInputParameters } from './rule-input-parameters';

/** Props of {@link ConnectionLoggingRule}. */
export interface ConnectionLoggingRuleProps {
  /** The rule's name, schedule and parameters. */
  readonly rule: RuleSettings;
  /** The remediation's settings and the runbook's static inputs. */
  readonly remediation: RemediationSettings;
  /** ARN of the rule's Lambda function (may be a token or a template parameter). */
  readonly functionArn: string;
  /** Name of the SSM Automation document the remediation runs. */
  readonly documentName: string;
  /** ARN of the role the runbook runs as (the runbook's `AutomationAssumeRole`). */
  readonly automationRoleArn: string;
  /**
   * Organization mode: the role the central Lambda assumes in this account, passed as the rule parameter
   * `executionRoleName`.
   * @default - the Lambda uses its own credentials
   */
  readonly executionRoleName?: string;
}

/**
 * The Config rule (custom Lambda, scoped to Client VPN endpoints, triggered by configuration changes,
 * oversized ones included, and periodically) and its SSM remediation. Built on the L1 resources only, so it
 * serves both the account stack and the conformance pack template, which allows nothing else.
 */
export class ConnectionLoggingRule extends Construct {
  /** The Config rule. */
  public readonly configRule: config.CfnConfigRule;
  /** Its remediation configuration. */
  public readonly remediationConfiguration: config.CfnRemediationConfiguration;

  constructor(scope: Construct, id: string, props: ConnectionLoggingRuleProps) {
    super(scope, id);
    const { rule, remediation } = props;

    this.configRule = new config.CfnConfigRule(this, 'Rule', {
      configRuleName: rule.ruleName,
      description:
        'Client VPN endpoints must log connections to a CloudWatch Logs group that exists and meets the retention, encryption and naming parameters.',
      scope: { complianceResourceTypes: [CLIENT_VPN_ENDPOINT_RESOURCE_TYPE] },
      inputParameters: ruleInputParameters(rule, props.executionRoleName),
      maximumExecutionFrequency: rule.maximumExecutionFrequency,
      source: {
        owner: 'CUSTOM_LAMBDA',
        sourceIdentifier: props.functionArn,
        sourceDetails: [
          { eventSource: 'aws.config', messageType: 'ConfigurationItemChangeNotification' },
          { eventSource: 'aws.config', messageType: 'OversizedConfigurationItemChangeNotification' },
          {
            eventSource: 'aws.config',
            messageType: 'ScheduledNotification',
            maximumExecutionFrequency: rule.maximumExecutionFrequency,
          },
        ],
      },
    });

    const staticValue = (value: string) => ({ StaticValue: { Values: [value] } });
    const parameters: Record<string, unknown> = {
      ClientVpnEndpointId: { ResourceValue: { Value: 'RESOURCE_ID' } },
      AutomationAssumeRole: staticValue(props.automationRoleArn),
      LogGroupName: staticValue(remediation.logGroupName),
      RetentionInDays: staticValue(String(remediation.retentionInDays)),
    };
    if (remediation.logStreamName !== undefined)
      parameters.LogStreamName = staticValue(remediation.logStreamName);
    if (remediation.kmsKeyArn !== undefined) {
      checkKmsKeyEnvironment(this, remediation.kmsKeyArn);
      parameters.KmsKeyArn = staticValue(remediation.kmsKeyArn);
    }
    // Always given: the rule's prefix makes the runbook re-point endpoints logging outside it, and the
    // automation role may write only inside it (RemediationRunbook); without one, the runbook's default.
    parameters.LogGroupNamePrefix = staticValue(rule.logGroupNamePrefix ?? DEFAULT_LOG_GROUP_NAME_PREFIX);

    this.remediationConfiguration = new config.CfnRemediationConfiguration(this, 'Remediation', {
      configRuleName: this.configRule.ref,
      resourceType: CLIENT_VPN_ENDPOINT_RESOURCE_TYPE,
      targetType: 'SSM_DOCUMENT',
      targetId: props.documentName,
      parameters,
      automatic: remediation.automatic,
      maximumAutomaticAttempts: remediation.maximumAutomaticAttempts,
      retryAttemptSeconds: remediation.retryAttemptSeconds,
      executionControls: {
        ssmControls: {
          concurrentExecutionRatePercentage: remediation.concurrentExecutionRatePercentage,
          errorPercentage: remediation.errorPercentage,
        },
      },
    });
  }
}
