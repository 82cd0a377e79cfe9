import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { DeploymentSettings } from './deployment-settings';
import { MUTUAL_AUTHENTICATION_CAVEAT } from '../../insights/connection-log-entry';
import {
  DASHBOARD_QUERIES,
  FAILED_ATTEMPT_PATTERN,
  SAVED_QUERIES,
  SAVED_QUERY_FOLDER,
  SUCCESSFUL_CONNECTION_PATTERN,
} from '../../insights/saved-queries';

/** The CloudWatch namespace of the connection metrics. */
export const CONNECTION_METRICS_NAMESPACE = 'ClientVpn/ConnectionLogging';
/** The metric counting failed connection attempts. */
export const FAILED_ATTEMPTS_METRIC = 'FailedConnectionAttempts';
/** The metric counting successful connection-attempt entries. */
export const SUCCESSFUL_CONNECTIONS_METRIC = 'SuccessfulConnections';

/** Props of {@link ConnectionInsights}. */
export interface ConnectionInsightsProps {
  /**
   * The connection log groups to query and count: the managed group first, then any others. Each must
   * exist when the stack deploys (a metric filter needs its group).
   */
  readonly logGroupNames: readonly string[];
  /**
   * Failed attempts within one period that raise the alarm.
   * @default 20
   */
  readonly failedAttemptsThreshold?: number;
  /**
   * The alarm's period.
   * @default Duration.minutes(5)
   */
  readonly failedAttemptsPeriod?: Duration;
  /**
   * An existing SNS topic the alarm notifies (its key policy must let CloudWatch use its KMS key).
   * @default - a topic encrypted with a key of its own is created
   */
  readonly alarmTopicArn?: string;
}

/**
 * Puts Client VPN connection logs to use: saved Logs Insights queries under `ClientVpn/`, metric filters
 * counting failed attempts and successful connections, an alarm on bursts of failed attempts, and a
 * dashboard. Failed mutual-authentication attempts are not logged by AWS, so nothing here counts them.
 *
 * @example
 * ```ts
 * import { App, Duration, Stack } from 'aws-cdk-lib';
 * import { ConnectionInsights } from 'client-vpn-connection-logging';
 *
 * const stack = new Stack(new App(), 'InsightsStack');
 * new ConnectionInsights(stack, 'ConnectionInsights', {
 *   logGroupNames: ['/aws/clientvpn'],
 *   failedAttemptsThreshold: 50,
 *   failedAttemptsPeriod: Duration.minutes(15),
 * });
 * ```
 */
export class ConnectionInsights extends Construct {
  /** The alarm on bursts of failed attempts. */
  public readonly failedAttemptsAlarm: cloudwatch.Alarm;
  /** The topic the alarm notifies. */
  public readonly alarmTopic: sns.ITopic;
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ConnectionInsightsProps) {
    super(scope, id);
    const logGroupNames = [...props.logGroupNames];
    const period = props.failedAttemptsPeriod ?? Duration.minutes(5);

    SAVED_QUERIES.forEach(
      (saved, index) =>
        new logs.CfnQueryDefinition(this, `Query${index}`, {
          name: `${SAVED_QUERY_FOLDER}/${saved.name}`,
          queryString: saved.query,
          logGroupNames,
        }),
    );

    logGroupNames.forEach((logGroupName, index) => {
      // Filter patterns: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
      new logs.CfnMetricFilter(this, `FailedAttempts${index}`, {
        logGroupName,
        filterPattern: FAILED_ATTEMPT_PATTERN,
        metricTransformations: [
          {
            metricNamespace: CONNECTION_METRICS_NAMESPACE,
            metricName: FAILED_ATTEMPTS_METRIC,
            metricValue: '1',
          },
        ],
      });
      new logs.CfnMetricFilter(this, `SuccessfulConnections${index}`, {
        logGroupName,
        filterPattern: SUCCESSFUL_CONNECTION_PATTERN,
        metricTransformations: [
          {
            metricNamespace: CONNECTION_METRICS_NAMESPACE,
            metricName: SUCCESSFUL_CONNECTIONS_METRIC,
            metricValue: '1',
          },
        ],
      });
    });

    const metric = (metricName: string, label?: string) =>
      new cloudwatch.Metric({
        namespace: CONNECTION_METRICS_NAMESPACE,
        metricName,
        statistic: cloudwatch.Stats.SUM,
        period,
        ...(label === undefined ? {} : { label }),
      });
    const failed = metric(FAILED_ATTEMPTS_METRIC, 'Failed attempts');
    const successful = metric(SUCCESSFUL_CONNECTIONS_METRIC, 'Successful connection entries');

    this.alarmTopic = props.alarmTopicArn
      ? sns.Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn)
      : this.createAlarmTopic();
    this.failedAttemptsAlarm = new cloudwatch.Alarm(this, 'FailedAttemptsAlarm', {
      // Unlabelled: the alarm then names the metric itself, not a metric-math expression.
      metric: metric(FAILED_ATTEMPTS_METRIC),
      threshold: props.failedAttemptsThreshold ?? 20,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No events means no failed attempts: quiet, never an alarm.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Client VPN: at least ${props.failedAttemptsThreshold ?? 20} failed connection attempts within ${period.toMinutes()} minutes (possible brute force). ${MUTUAL_AUTHENTICATION_CAVEAT}`,
    });
    this.failedAttemptsAlarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic));

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      // Dashboards are named per account; the region keeps a StackSet's copies apart.
      dashboardName: `ClientVpn-Connections-${Aws.REGION}`,
      defaultInterval: Duration.days(7),
    });
    const region = Stack.of(this).region;
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Connections and failed attempts',
        left: [successful, failed],
        width: 24,
        region,
      }),
      new cloudwatch.LogQueryWidget({
        title: 'Top users (connections)',
        logGroupNames,
        queryString: DASHBOARD_QUERIES.topUsers,
        view: cloudwatch.LogQueryVisualizationType.TABLE,
        width: 12,
        region,
      }),
      new cloudwatch.LogQueryWidget({
        title: 'Top device IPs (attempts; certificate failures are not logged)',
        logGroupNames,
        queryString: DASHBOARD_QUERIES.topDeviceIps,
        view: cloudwatch.LogQueryVisualizationType.TABLE,
        width: 12,
        region,
      }),
    );
  }

  /** A topic encrypted with a customer managed key that CloudWatch alarms may use (the AWS managed key cannot be). */
  private createAlarmTopic(): sns.Topic {
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the Client VPN failed-attempts alarm topic',
      enableKeyRotation: true,
    });
    // CloudWatch publishes alarm notifications to an encrypted topic only with these two actions on its key:
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // In a key policy, "*" is the key itself.
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    return new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Client VPN failed connection attempts',
      masterKey: key,
      enforceSSL: true,
    });
  }
}

/**
 * The insights' props from the deployment's settings: the managed log group (the runbook's
 * `remediationLogGroupName`, `/aws/clientvpn` by default) and the extra groups, the alarm's settings.
 *
 * @param settings - the deployment's settings
 * @returns the props, or undefined when `connectionInsights` is off
 */
export function connectionInsightsProps(settings: DeploymentSettings): ConnectionInsightsProps | undefined {
  const insights = settings.connectionInsights;
  if (insights?.enabled !== true) return undefined;
  return {
    logGroupNames: [...new Set([settings.remediation.logGroupName, ...insights.extraLogGroupNames])],
    failedAttemptsThreshold: insights.failedAttemptsThreshold,
    failedAttemptsPeriod: Duration.minutes(insights.failedAttemptsPeriodMinutes),
    ...(insights.failedAttemptsAlarmTopicArn === undefined
      ? {}
      : { alarmTopicArn: insights.failedAttemptsAlarmTopicArn }),
  };
}
