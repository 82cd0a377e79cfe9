import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ConnectionLoggingConfigRule } from '../../infra/constructs/connection-logging-config-rule';
import { readDeploymentSettings } from '../../infra/stacks/deployment-settings-context';
import { ForeignKmsKeyError } from '../../infra/constructs/kms-key-environment';

/** The rule construct alone, in a bare stack (no Lambda to bundle), built from the given context. */
function ruleTemplate(context: Record<string, string>): Template {
  const app = new App({ context });
  const settings = readDeploymentSettings(app.node);
  const stack = new Stack(app, 'Rule');
  new ConnectionLoggingConfigRule(stack, 'Rule', {
    rule: settings.rule,
    remediation: settings.remediation,
    functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:rule',
    documentName: 'EnableClientVpnConnectionLogging',
    automationRoleArn: 'arn:aws:iam::123456789012:role/remediation',
  });
  return Template.fromStack(stack);
}

describe('ConnectionLoggingConfigRule', () => {
  it('passes every rule parameter set in context, as strings', () => {
    // Act
    const template = ruleTemplate({
      minRetentionDays: '365',
      requireKmsEncryption: 'true',
      verifyLogGroup: 'TRUE',
      logGroupNamePrefix: '/aws/clientvpn/',
      maximumExecutionFrequency: 'One_Hour',
      remediationKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      remediationLogGroupName: '/aws/clientvpn/remote-access',
    });
    // Assess
    template.hasResourceProperties('AWS::Config::ConfigRule', {
      InputParameters: Match.exact({
        verifyLogGroup: 'true',
        requireKmsEncryption: 'true',
        minRetentionDays: '365',
        logGroupNamePrefix: '/aws/clientvpn/',
      }),
      MaximumExecutionFrequency: 'One_Hour',
      Source: {
        SourceDetails: Match.arrayWith([
          {
            EventSource: 'aws.config',
            MessageType: 'ScheduledNotification',
            MaximumExecutionFrequency: 'One_Hour',
          },
        ]),
      },
    });
  });

  it('turns on automatic remediation with the attempts, window and rate controls from context', () => {
    const template = ruleTemplate({
      automaticRemediation: 'true',
      maximumAutomaticAttempts: '3',
      retryAttemptSeconds: '600',
      concurrentExecutionRatePercentage: '25',
      errorPercentage: '5',
    });
    template.hasResourceProperties('AWS::Config::RemediationConfiguration', {
      Automatic: true,
      MaximumAutomaticAttempts: 3,
      RetryAttemptSeconds: 600,
      ExecutionControls: { SsmControls: { ConcurrentExecutionRatePercentage: 25, ErrorPercentage: 5 } },
    });
  });

  it("hands the runbook's log group settings over as static values, optional ones only when set", () => {
    const template = ruleTemplate({
      logGroupNamePrefix: '/vpn/logs/',
      remediationLogGroupName: '/vpn/logs/connections',
      remediationRetentionInDays: '731',
      remediationLogStreamName: 'connections',
      remediationKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    template.hasResourceProperties('AWS::Config::RemediationConfiguration', {
      TargetId: 'EnableClientVpnConnectionLogging',
      Parameters: Match.exact({
        ClientVpnEndpointId: { ResourceValue: { Value: 'RESOURCE_ID' } },
        AutomationAssumeRole: { StaticValue: { Values: ['arn:aws:iam::123456789012:role/remediation'] } },
        LogGroupName: { StaticValue: { Values: ['/vpn/logs/connections'] } },
        LogGroupNamePrefix: { StaticValue: { Values: ['/vpn/logs/'] } },
        RetentionInDays: { StaticValue: { Values: ['731'] } },
        LogStreamName: { StaticValue: { Values: ['connections'] } },
        KmsKeyArn: {
          StaticValue: {
            Values: ['arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
          },
        },
      }),
    });
  });

  it("passes the rule's logGroupNamePrefix to the runbook, so it re-points endpoints logging outside it", () => {
    const template = ruleTemplate({
      logGroupNamePrefix: '/security/vpn/',
      remediationLogGroupName: '/security/vpn/clientvpn',
    });
    template.hasResourceProperties('AWS::Config::RemediationConfiguration', {
      Parameters: Match.objectLike({
        LogGroupName: { StaticValue: { Values: ['/security/vpn/clientvpn'] } },
        LogGroupNamePrefix: { StaticValue: { Values: ['/security/vpn/'] } },
      }),
    });
  });

  it('passes the default managed prefix /aws/clientvpn when the rule sets none', () => {
    // Act
    const template = ruleTemplate({});

    // Assess
    template.hasResourceProperties('AWS::Config::RemediationConfiguration', {
      Parameters: Match.objectLike({ LogGroupNamePrefix: { StaticValue: { Values: ['/aws/clientvpn'] } } }),
    });
  });

  it.each([
    [
      'another account',
      'arn:aws:kms:eu-west-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      /account 210987654321/,
    ],
    [
      'another region',
      'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      /region us-east-1/,
    ],
  ])('refuses, at synthesis, a remediationKmsKeyArn of %s than the stack', (_case, keyArn, message) => {
    // Prepare
    const app = new App({ context: { remediationKmsKeyArn: keyArn } });
    const settings = readDeploymentSettings(app.node);
    const stack = new Stack(app, 'Rule', { env: { account: '123456789012', region: 'eu-west-1' } });

    // Act
    const build = () =>
      new ConnectionLoggingConfigRule(stack, 'Rule', {
        rule: settings.rule,
        remediation: settings.remediation,
        functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:rule',
        documentName: 'EnableClientVpnConnectionLogging',
        automationRoleArn: 'arn:aws:iam::123456789012:role/remediation',
      });

    // Assess
    let thrown: unknown;
    try {
      build();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ForeignKmsKeyError);
    expect((thrown as Error).message).toMatch(message);
  });

  it('makes an environment-agnostic stack refuse, at deployment, a key of another account or region', () => {
    // Act
    const template = ruleTemplate({
      remediationKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });

    // Assess
    expect(template.toJSON().Rules).toMatchObject({
      KmsKeyEnvironmentRule: {
        Assertions: [
          {
            Assert: { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, '123456789012'] },
            AssertDescription: expect.stringMatching(/is a key of account 123456789012/),
          },
          {
            Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] },
            AssertDescription: expect.stringMatching(/is a key of region eu-west-1/),
          },
          {
            Assert: { 'Fn::Equals': [{ Ref: 'AWS::Partition' }, 'aws'] },
            AssertDescription: expect.stringMatching(/is a key of partition aws/),
          },
        ],
      },
    });
  });
});
