import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp, STACK_NAMES } from '../../infra/app';
import {
  CONNECTION_METRICS_NAMESPACE,
  FAILED_ATTEMPTS_METRIC,
  SUCCESSFUL_CONNECTIONS_METRIC,
} from '../../infra/constructs/connection-insights';
import { InvalidContextError, readDeploymentSettings } from '../../infra/stacks/deployment-settings-context';
import { memberAccountTemplateBody } from '../../infra/stacks/member-account-template';
import { FAILED_ATTEMPT_PATTERN, SAVED_QUERIES } from '../../insights/saved-queries';

function templates(context: Record<string, unknown>): { account: Template; member: Template } {
  // Prepare: no Lambda bundling; the templates are what is asserted.
  const app = buildApp({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const stack = (name: string) => app.node.findChild(name) as never;
  return {
    account: Template.fromStack(stack(STACK_NAMES.account)),
    member: Template.fromStack(stack(STACK_NAMES.member)),
  };
}

describe('ConnectionInsights in the stacks', () => {
  const on = templates({ connectionInsights: 'true', connectionInsightsLogGroups: '/vpn/contractors' });

  it.each([
    ['account', on.account],
    ['member', on.member],
  ])(
    'saves every query under ClientVpn/ over the managed and the extra groups (%s stack)',
    (_name, template) => {
      template.resourceCountIs('AWS::Logs::QueryDefinition', SAVED_QUERIES.length);
      for (const saved of SAVED_QUERIES) {
        template.hasResourceProperties('AWS::Logs::QueryDefinition', {
          Name: `ClientVpn/${saved.name}`,
          QueryString: saved.query,
          LogGroupNames: ['/aws/clientvpn', '/vpn/contractors'],
        });
      }
    },
  );

  it.each([
    ['account', on.account],
    ['member', on.member],
  ])('counts failed attempts and successful connections in each group (%s stack)', (_name, template) => {
    template.resourceCountIs('AWS::Logs::MetricFilter', 4);
    for (const group of ['/aws/clientvpn', '/vpn/contractors']) {
      for (const metric of [FAILED_ATTEMPTS_METRIC, SUCCESSFUL_CONNECTIONS_METRIC]) {
        template.hasResourceProperties('AWS::Logs::MetricFilter', {
          LogGroupName: group,
          MetricTransformations: [
            { MetricNamespace: CONNECTION_METRICS_NAMESPACE, MetricName: metric, MetricValue: '1' },
          ],
        });
      }
    }
    template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: FAILED_ATTEMPT_PATTERN });
  });

  it('alarms on 20 failed attempts in 5 minutes by default, quiet on missing data, naming the certificate gap', () => {
    on.account.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: FAILED_ATTEMPTS_METRIC,
      Namespace: CONNECTION_METRICS_NAMESPACE,
      Statistic: 'Sum',
      Period: 300,
      Threshold: 20,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp(
        'mutual-authentication \\(certificate\\) attempts are not logged',
      ),
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopic') }],
    });
  });

  it('creates an encrypted topic, HTTPS only, whose key CloudWatch may use', () => {
    on.account.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    on.account.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
    on.account.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      }),
    });
  });

  it('takes the threshold, the period and a topic from context, and creates no topic then', () => {
    const topic = 'arn:aws:sns:eu-west-1:123456789012:security-alerts';
    const { account } = templates({
      connectionInsights: true,
      failedAttemptsThreshold: '7',
      failedAttemptsPeriodMinutes: '15',
      failedAttemptsAlarmTopicArn: topic,
    });
    account.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 7,
      Period: 900,
      AlarmActions: [topic],
    });
    account.resourceCountIs('AWS::SNS::Topic', 0);
  });

  it('builds a dashboard with the metrics over time and the top users and device IPs as Logs Insights widgets', () => {
    const dashboard = on.account.findResources('AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(Object.values(dashboard)[0]?.Properties);
    expect(body).toContain(FAILED_ATTEMPTS_METRIC);
    expect(body).toContain(SUCCESSFUL_CONNECTIONS_METRIC);
    expect(body).toContain('Top users');
    expect(body).toContain('Top device IPs');
    expect(body).toContain('\\"type\\":\\"log\\"');
  });

  it('adds nothing when connectionInsights is off (the default)', () => {
    const off = templates({});
    for (const template of [off.account, off.member]) {
      for (const type of [
        'AWS::Logs::QueryDefinition',
        'AWS::Logs::MetricFilter',
        'AWS::CloudWatch::Alarm',
        'AWS::CloudWatch::Dashboard',
      ])
        template.resourceCountIs(type, 0);
    }
  });

  it('reaches the member accounts through the organization StackSet body, which still fits TemplateBody', () => {
    const app = new App({ context: { connectionInsights: 'true' } });
    const body = JSON.parse(memberAccountTemplateBody(readDeploymentSettings(app.node))) as {
      Resources: Record<string, { Type: string }>;
    };
    const types = Object.values(body.Resources).map((r) => r.Type);
    expect(types.filter((t) => t === 'AWS::Logs::QueryDefinition')).toHaveLength(SAVED_QUERIES.length);
    expect(types).toContain('AWS::CloudWatch::Alarm');
  });

  it.each([
    ['connectionInsights', 'yes'],
    ['failedAttemptsThreshold', '0'],
    ['failedAttemptsPeriodMinutes', '1441'],
    ['failedAttemptsAlarmTopicArn', 'security-alerts'],
    ['connectionInsightsLogGroups', '/ok,bad group'],
  ])('refuses %s=%s naming the key', (key, value) => {
    const app = new App({ context: { [key]: value } });
    expect(() => readDeploymentSettings(app.node)).toThrow(InvalidContextError);
    expect(() => readDeploymentSettings(app.node)).toThrow(key);
  });

  const extraGroups = (count: number) =>
    new App({
      context: {
        connectionInsights: 'true',
        connectionInsightsLogGroups: Array.from({ length: count }, (_, i) => `/vpn/site-${i}`).join(','),
      },
    });

  it('accepts 49 extra log groups: with the managed one, the 50 a Logs Insights query may name', () => {
    // Act
    const settings = readDeploymentSettings(extraGroups(49).node);
    // Assess
    expect(settings.connectionInsights?.extraLogGroupNames).toHaveLength(49);
  });

  it('refuses 50 extra log groups, naming the key and the limit', () => {
    // Prepare
    const app = extraGroups(50);
    // Act
    const read = () => readDeploymentSettings(app.node);
    // Assess
    expect(read).toThrow(InvalidContextError);
    expect(read).toThrow(/connectionInsightsLogGroups.*expected at most 49 log groups, got 50.*at most 50/);
  });
});
