import { Stack, Validations } from 'aws-cdk-lib';
import type * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  type AwsSdkCall,
  PhysicalResourceId,
} from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { nagFindingResource } from './nag-finding-resource';

/** The settings of one remediation configuration: the native resource's own props. */
export type RemediationConfigurationSettings = Omit<
  config.CfnRemediationConfigurationProps,
  'executionControls'
> & {
  /** The SSM rate controls, as the native resource takes them (no tokens). */
  readonly executionControls?: {
    readonly ssmControls?: {
      readonly concurrentExecutionRatePercentage?: number;
      readonly errorPercentage?: number;
    };
  };
};

/**
 * The `RemediationConfiguration` object of the Config API's `PutRemediationConfigurations` for the
 * settings the native `AWS::Config::RemediationConfiguration` takes. The resource's properties carry the
 * API's member names (https://docs.aws.amazon.com/config/latest/APIReference/API_RemediationConfiguration.html),
 * so both send AWS Config the same configuration.
 *
 * @param settings - the native resource's props
 * @returns the API object; members the settings leave out are left out
 *
 * @example
 * ```ts
 * import { remediationConfigurationRequest } from 'client-vpn-connection-logging';
 *
 * const request = remediationConfigurationRequest({
 *   configRuleName: 'client-vpn-connection-logging',
 *   targetType: 'SSM_DOCUMENT',
 *   targetId: 'EnableClientVpnConnectionLogging',
 *   automatic: false,
 * });
 * // { ConfigRuleName: 'client-vpn-connection-logging', TargetType: 'SSM_DOCUMENT',
 * //   TargetId: 'EnableClientVpnConnectionLogging', Automatic: false }
 * console.log(request);
 * ```
 */
export function remediationConfigurationRequest(
  settings: RemediationConfigurationSettings,
): Record<string, unknown> {
  const ssmControls = settings.executionControls?.ssmControls;
  const request: Record<string, unknown> = {
    ConfigRuleName: settings.configRuleName,
    TargetType: settings.targetType,
    TargetId: settings.targetId,
    TargetVersion: settings.targetVersion,
    Parameters: settings.parameters as unknown,
    ResourceType: settings.resourceType,
    Automatic: settings.automatic,
    ExecutionControls:
      ssmControls === undefined
        ? undefined
        : {
            SsmControls: {
              ConcurrentExecutionRatePercentage: ssmControls.concurrentExecutionRatePercentage,
              ErrorPercentage: ssmControls.errorPercentage,
            },
          },
    MaximumAutomaticAttempts: settings.maximumAutomaticAttempts,
    RetryAttemptSeconds: settings.retryAttemptSeconds,
  };
  return JSON.parse(JSON.stringify(request)) as Record<string, unknown>;
}

/** Props of {@link RemediationConfigurationCustomResource}. */
export interface RemediationConfigurationCustomResourceProps {
  /** The configuration, exactly as the native resource would take it. */
  readonly settings: RemediationConfigurationSettings;
  /**
   * Days the custom resource's Lambda keeps its log events.
   * @default 365
   */
  readonly logRetentionDays?: number;
}

/**
 * A Config remediation configuration put through the Config API (`PutRemediationConfigurations` on create
 * and update, `DeleteRemediationConfiguration` on delete), for regions whose CloudFormation registry lacks
 * `AWS::Config::RemediationConfiguration` although AWS Config supports remediation there. Its Lambda's
 * role may write its own log group and manage remediation configurations of this account and region only.
 *
 * @example
 * ```ts
 * import { App, Stack } from 'aws-cdk-lib';
 * import { RemediationConfigurationCustomResource } from 'client-vpn-connection-logging';
 *
 * // A stack in a region whose CloudFormation lacks AWS::Config::RemediationConfiguration.
 * const stack = new Stack(new App(), 'RuleStack', { env: { region: 'eu-north-1' } });
 * new RemediationConfigurationCustomResource(stack, 'Remediation', {
 *   settings: {
 *     configRuleName: 'client-vpn-connection-logging',
 *     resourceType: 'AWS::EC2::ClientVpnEndpoint',
 *     targetType: 'SSM_DOCUMENT',
 *     targetId: 'EnableClientVpnConnectionLogging',
 *     parameters: {
 *       ClientVpnEndpointId: { ResourceValue: { Value: 'RESOURCE_ID' } },
 *       AutomationAssumeRole: {
 *         StaticValue: { Values: ['arn:aws:iam::111122223333:role/ClientVpnConnectionLoggingAutomation-eu-north-1'] },
 *       },
 *     },
 *     automatic: false,
 *   },
 * });
 * ```
 */
export class RemediationConfigurationCustomResource extends Construct {
  /** The custom resource. */
  public readonly resource: AwsCustomResource;
  /** The Config API request sent on create and update. */
  public readonly request: Record<string, unknown>;
  /** The role of the custom resource's Lambda. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: RemediationConfigurationCustomResourceProps) {
    super(scope, id);
    const { partition, region, account } = Stack.of(this);
    const { settings } = props;
    this.request = remediationConfigurationRequest(settings);

    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: (props.logRetentionDays ?? 365) as logs.RetentionDays,
    });
    // Our own role: the default one attaches AWSLambdaBasicExecutionRole, which writes to every log group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: "Puts and deletes the Client VPN connection-logging rule's remediation configuration",
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    // The configuration's ARN ends in an ID AWS Config assigns when it creates it, so it cannot be named
    // beforehand: any remediation configuration of this account and region. Resource type per the
    // Service Authorization Reference: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsconfig.html
    const configurations = `arn:${partition}:config:${region}:${account}:remediation-configuration/*`;
    const put: AwsSdkCall = {
      service: 'ConfigService',
      action: 'PutRemediationConfigurations',
      parameters: { RemediationConfigurations: [this.request] },
      // One configuration per rule and resource type: a new rule name replaces it (and deletes the old one).
      physicalResourceId: PhysicalResourceId.of(`${settings.configRuleName}|${settings.resourceType ?? ''}`),
    };
    this.resource = new AwsCustomResource(this, 'Resource', {
      resourceType: 'Custom::ConfigRemediationConfiguration',
      onCreate: put,
      onUpdate: put,
      onDelete: {
        service: 'ConfigService',
        action: 'DeleteRemediationConfiguration',
        parameters: { ConfigRuleName: settings.configRuleName, ResourceType: settings.resourceType },
        // Already gone (removed by hand, or with its rule): nothing left to delete.
        ignoreErrorCodesMatching: 'NoSuchRemediationConfigurationException',
      },
      // The Lambda runtime's own SDK: no download from npm during the deployment.
      installLatestAwsSdk: false,
      role: this.role,
      logGroup,
      policy: AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['config:PutRemediationConfigurations', 'config:DeleteRemediationConfiguration'],
          resources: [configurations],
        }),
      ]),
    });
    // On this construct: the statement lands in the custom resource's own Policy, a child of it.
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagFindingResource(this, configurations)}]`,
      reason:
        'AWS Config assigns the remediation configuration its ID when it creates it; limited to this account and region.',
    });
  }
}
