/**
 * The log-group name spaces that AWS services document as their own. The automation role may create log
 * groups and change their retention and key only inside the managed prefix, so a prefix that reaches into
 * one of these would let anyone allowed to pass that role lower another service's retention. Declared
 * once here; the construct and the context reader both refuse through {@link managedPrefixProblem}.
 */

/** One AWS service's documented log-group name space. */
export interface ServiceLogGroupNamespace {
  /** The service, as its documentation names it. */
  readonly service: string;
  /** The name prefix every group of the service starts with (case-sensitive, as log group names are). */
  readonly namespace: string;
  /** The AWS page that documents the name space. */
  readonly documentation: string;
}

/**
 * Every documented service name space the check knows. Client VPN has none of its own: `/aws/clientvpn`
 * (the runbook's default) is this project's convention, which no other service's page claims.
 */
export const SERVICE_LOG_GROUP_NAMESPACES: readonly ServiceLogGroupNamespace[] = [
  {
    service: 'AWS Lambda',
    namespace: '/aws/lambda/',
    documentation: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html',
  },
  {
    service: 'Amazon RDS',
    namespace: '/aws/rds/',
    documentation:
      'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.MySQLDB.PublishtoCloudWatchLogs.html',
  },
  {
    // Vended logs (Step Functions, Cognito, and others) use it to stay under the resource-policy limit.
    service: 'CloudWatch Logs vended logs',
    namespace: '/aws/vendedlogs/',
    documentation: 'https://docs.aws.amazon.com/step-functions/latest/dg/bp-cwl.html',
  },
  {
    service: 'Amazon Route 53 query logging',
    namespace: '/aws/route53/',
    documentation:
      'https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateQueryLoggingConfig.html',
  },
  {
    service: 'Amazon EKS control plane logging',
    namespace: '/aws/eks/',
    documentation: 'https://docs.aws.amazon.com/eks/latest/userguide/api-server-flags.html',
  },
  {
    service: 'AWS Elemental MediaPackage',
    namespace: '/aws/MediaPackage/',
    documentation:
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-mediapackage-packaginggroup-logconfiguration.html',
  },
  {
    service: 'CloudWatch Lambda Insights',
    namespace: '/aws/lambda-insights',
    documentation:
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Lambda-Insights-example-event.html',
  },
  {
    service: 'CloudWatch Container Insights for Amazon ECS',
    namespace: '/aws/ecs/containerinsights/',
    documentation:
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-reference-performance-logs-ECS.html',
  },
  {
    service: 'AWS Batch (awslogs default, /aws/batch/job)',
    namespace: '/aws/batch/',
    documentation: 'https://docs.aws.amazon.com/batch/latest/userguide/using_awslogs.html',
  },
  {
    // Outside /aws, so the /aws rule of managedPrefixProblem does not cover it: listed for the overlap check.
    service: 'Amazon API Gateway execution logging',
    namespace: 'API-Gateway-Execution-Logs_',
    documentation:
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-execution-logging.html',
  },
  {
    // Enhanced Monitoring's group; the managed policy RDS publishes it with is scoped to log-group:RDS*.
    service: 'Amazon RDS Enhanced Monitoring',
    namespace: 'RDSOSMetrics',
    documentation:
      'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonRDSEnhancedMonitoringRole.html',
  },
  {
    // The log group the ECS console's "Auto-configure CloudWatch Logs" creates: /ecs/<task definition family>.
    service: 'Amazon ECS (awslogs, console default)',
    namespace: '/ecs/',
    documentation:
      'https://docs.aws.amazon.com/prescriptive-guidance/latest/implementing-logging-monitoring-cloudwatch/ec2-fargate-logs.html',
  },
  {
    service: 'AWS WAF logging',
    namespace: 'aws-waf-logs-',
    documentation: 'https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html',
  },
];

/**
 * The documented name space a managed prefix reaches, if any: the prefix covers part of it (the name
 * space starts with the prefix, as `/`, `/aws`, `/aws/` and `/aws/vendedlogs` do) or lies inside it (the
 * prefix starts with the name space, as `/aws/lambda/my-function` does). Either way the role's
 * `log-group:<prefix>*` scope would match that service's groups.
 *
 * @param prefix - the managed log group name prefix
 * @returns the first name space reached, or undefined when the prefix is clear of all of them
 */
export function serviceNamespaceReachedBy(prefix: string): ServiceLogGroupNamespace | undefined {
  return SERVICE_LOG_GROUP_NAMESPACES.find(
    ({ namespace }) => namespace.startsWith(prefix) || prefix.startsWith(namespace),
  );
}

/** The Client VPN name space under `/aws`: the runbook's default prefix, which no other service's page claims. */
export const CLIENT_VPN_NAMESPACE = '/aws/clientvpn';

/** The allow-rule of a managed prefix, as the error states it. */
export const MANAGED_PREFIX_RULE =
  'a managed prefix must start with /aws/clientvpn, or lie outside /aws (not start with /aws) with at least two non-empty /-separated segments (such as /vpn/connection-logs) and overlap no documented service name space';

const CHOOSE =
  'choose a prefix of Client VPN logs only, such as /vpn/connection-logs or the default /aws/clientvpn';

/**
 * Why a managed prefix is refused, as a sentence for an error, or undefined when it is accepted. Fail
 * closed: a list of other services' name spaces can never be complete, so a prefix is accepted only by an
 * allow-rule ({@link MANAGED_PREFIX_RULE}): inside the Client VPN name space, or outside `/aws` (where AWS
 * services put their groups), specific enough (two segments), and clear of every name space listed here.
 *
 * @param prefix - the managed log group name prefix
 */
export function managedPrefixProblem(prefix: string): string | undefined {
  if (prefix.startsWith(CLIENT_VPN_NAMESPACE)) return undefined;
  const reached = serviceNamespaceReachedBy(prefix);
  if (reached !== undefined) {
    const how = reached.namespace.startsWith(prefix) ? 'covers' : 'lies inside';
    return `it ${how} ${reached.service}'s log groups (${reached.namespace}..., ${reached.documentation}), so the automation role could lower their retention or change their key (${MANAGED_PREFIX_RULE}); ${CHOOSE}`;
  }
  if (prefix.startsWith('/aws'))
    return `it reaches into /aws, where AWS services keep their log groups, outside the Client VPN name space ${CLIENT_VPN_NAMESPACE}, so the automation role could lower their retention or change their key (${MANAGED_PREFIX_RULE}); ${CHOOSE}`;
  if (prefix.split('/').filter((segment) => segment !== '').length < 2)
    return `it has fewer than two non-empty /-separated segments, so it could cover other services' or teams' log groups (${MANAGED_PREFIX_RULE}); ${CHOOSE}`;
  return undefined;
}
