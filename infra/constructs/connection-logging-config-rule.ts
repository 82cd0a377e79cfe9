import { Annotations, Stack } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import { Construct } from 'constructs';
import type { RemediationSettings, RuleSettings } from './deployment-settings';
import { CLIENT_VPN_ENDPOINT_RESOURCE_TYPE } from '../../rule/types';
import { DEFAULT_LOG_GROUP_NAME_PREFIX } from '../../remediation/runbook';
import { checkKmsKeyEnvironment } from './kms-key-environment';
import { ruleInputParameters } from './rule-input-parameters';
import {
  REMEDIATION_CONFIGURATION_TYPE,
  stackRegionHasResourceType,
} from './cloudformation-resource-availability';
import {
  RemediationConfigurationCustomResource,
  type RemediationConfigurationSettings,
} from './remediation-configuration-custom-resource';

/** Props of {@link ConnectionLoggingConfigRule}. */
export interface ConnectionLoggingConfigRuleProps {
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
  /**
   * Where the stack's region lacks `AWS::Config::RemediationConfiguration`, wire the remediation through
   * the Config API from a custom resource. A conformance pack allows only rules and remediation
   * configurations, so the pack passes false and goes without remediation there (with a warning).
   * @default true
   */
  readonly remediationThroughConfigApi?: boolean;
}

/**
 * The `AWS::Config::ConfigRule` (custom Lambda, scoped to Client VPN endpoints, triggered by configuration changes,
 * oversized ones included, and periodically) and its SSM remediation. Built on the L1 resources only, so it
 * serves both the account stack and the conformance pack template, which allows nothing else; except where
 * the stack's region is known and its CloudFormation lacks `AWS::Config::RemediationConfiguration`: there the
 * remediation goes through the Config API from a custom resource (docs/deployment.md#regions).
 *
 * @example
 * ```ts
 * import { App, Stack } from 'aws-cdk-lib';
 * import { ConnectionLoggingConfigRule, readDeploymentSettings } from 'client-vpn-connection-logging';
 *
 * // The rule alone, evaluated by a function deployed elsewhere that AWS Config may already invoke, and
 * // remediated by a runbook and automation role that exist in this account.
 * const app = new App();
 * const settings = readDeploymentSettings(app.node);
 * new ConnectionLoggingConfigRule(new Stack(app, 'RuleStack'), 'ConfigRule', {
 *   rule: settings.rule,
 *   remediation: settings.remediation,
 *   functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:client-vpn-connection-logging',
 *   documentName: 'EnableClientVpnConnectionLogging',
 *   automationRoleArn: 'arn:aws:iam::111122223333:role/ClientVpnConnectionLoggingAutomation-eu-west-1',
 * });
 * ```
 */
export class ConnectionLoggingConfigRule extends Construct {
  /** The Config rule. */
  public readonly configRule: config.CfnConfigRule;
  /** Its remediation configuration, where the stack's region has the native resource or may not. */
  public readonly remediationConfiguration?: config.CfnRemediationConfiguration;
  /** Its remediation configuration put through the Config API, where the region lacks the native resource. */
  public readonly remediationCustomResource?: RemediationConfigurationCustomResource;
  /** The remediation configuration's settings, whichever way it is deployed. */
  public readonly remediationSettings: RemediationConfigurationSettings;

  constructor(scope: Construct, id: string, props: ConnectionLoggingConfigRuleProps) {
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

    this.remediationSettings = {
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
    };
    // Undefined (environment-agnostic) keeps the native resource, as every synthesis did before regions.
    if (stackRegionHasResourceType(this, REMEDIATION_CONFIGURATION_TYPE) !== false) {
      this.remediationConfiguration = new config.CfnRemediationConfiguration(
        this,
        'Remediation',
        this.remediationSettings,
      );
    } else if (props.remediationThroughConfigApi ?? true) {
      this.remediationCustomResource = new RemediationConfigurationCustomResource(this, 'Remediation', {
        settings: this.remediationSettings,
      });
    } else {
      Annotations.of(this).addWarningV2(
        'client-vpn-logging:no-remediation-in-region',
        `CloudFormation has no ${REMEDIATION_CONFIGURATION_TYPE} in ${Stack.of(this).region}: this template has the rule without its remediation. Run the runbook by hand there (docs/deployment.md#regions).`,
      );
    }
  }
}
