import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConnectionLoggingConfigRule } from '../../infra/constructs/connection-logging-config-rule';
import { remediationConfigurationRequest } from '../../infra/constructs/remediation-configuration-custom-resource';
import { readDeploymentSettings } from '../../infra/stacks/deployment-settings-context';
import { botocoreRequestProblems } from '../audit/botocore-request-validator';

interface TemplateResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DependsOn?: string[];
}

/** The rule construct in a stack of the given region, as the account stack builds it. */
function ruleResources(region: string, context: Record<string, string>): Record<string, TemplateResource> {
  const app = new App({ context });
  const settings = readDeploymentSettings(app.node);
  const stack = new Stack(app, 'Rule', { env: { region } });
  new ConnectionLoggingConfigRule(stack, 'Rule', {
    rule: settings.rule,
    remediation: settings.remediation,
    functionArn: `arn:${stack.partition}:lambda:${region}:123456789012:function:rule`,
    documentName: 'EnableClientVpnConnectionLogging',
    automationRoleArn: `arn:${stack.partition}:iam::123456789012:role/remediation`,
  });
  return Template.fromStack(stack).toJSON().Resources as Record<string, TemplateResource>;
}

/** A template value with each reference written as `<LogicalId>` or `<LogicalId.Attribute>`, joins joined. */
function flatten(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(flatten);
  if (typeof value !== 'object' || value === null) return value;
  const node = value as Record<string, unknown>;
  if (typeof node.Ref === 'string') return `<${node.Ref}>`;
  if (Array.isArray(node['Fn::GetAtt'])) return `<${(node['Fn::GetAtt'] as string[]).join('.')}>`;
  if (Array.isArray(node['Fn::Join'])) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => flatten(part) as string).join(separator);
  }
  return Object.fromEntries(Object.entries(node).map(([key, inner]) => [key, flatten(inner)]));
}

const ofType = (resources: Record<string, TemplateResource>, type: string) =>
  Object.values(resources).filter((resource) => resource.Type === type);

/** The SDK call a custom resource makes on an event, as its Lambda receives it. */
function sdkCall(resource: TemplateResource, event: 'Create' | 'Update' | 'Delete') {
  return JSON.parse(flatten(resource.Properties[event]) as string) as {
    service: string;
    action: string;
    parameters: Record<string, unknown>;
    ignoreErrorCodesMatching?: string;
  };
}

const CONTEXTS: [string, Record<string, string>][] = [
  ['the defaults (manual remediation)', {}],
  [
    'automatic remediation with every option',
    {
      automaticRemediation: 'true',
      maximumAutomaticAttempts: '3',
      retryAttemptSeconds: '600',
      concurrentExecutionRatePercentage: '25',
      errorPercentage: '50',
      remediationLogStreamName: 'connections',
      logGroupNamePrefix: '/aws/clientvpn/',
      remediationLogGroupName: '/aws/clientvpn/connections',
    },
  ],
];

describe('ConnectionLoggingConfigRule in a region whose CloudFormation has no AWS::Config::RemediationConfiguration', () => {
  it.each(CONTEXTS)(
    'sends the Config API the same remediation configuration as the native resource, for %s',
    (_name, context) => {
      // Prepare: the native resource where CloudFormation has it.
      const [native] = ofType(ruleResources('eu-west-1', context), 'AWS::Config::RemediationConfiguration');
      // Act
      const resources = ruleResources('ca-central-1', context);
      // Assess: no native resource, and the custom resource puts exactly its properties.
      expect(ofType(resources, 'AWS::Config::RemediationConfiguration')).toEqual([]);
      const [custom] = ofType(resources, 'Custom::ConfigRemediationConfiguration');
      for (const event of ['Create', 'Update'] as const) {
        const call = sdkCall(custom, event);
        expect(call).toMatchObject({ service: 'ConfigService', action: 'PutRemediationConfigurations' });
        expect(call.parameters).toEqual({ RemediationConfigurations: [flatten(native.Properties)] });
      }
    },
  );

  it.each(CONTEXTS)(
    "sends requests that botocore's Config service model accepts, for %s",
    (_name, context) => {
      // Prepare
      const resources = ruleResources('ca-central-1', context);
      const [custom] = ofType(resources, 'Custom::ConfigRemediationConfiguration');
      const ruleId = Object.keys(resources).find((id) => resources[id].Type === 'AWS::Config::ConfigRule');
      // Act
      const put = sdkCall(custom, 'Create');
      const remove = sdkCall(custom, 'Delete');
      // Assess
      expect(botocoreRequestProblems('config', 'PutRemediationConfigurations', put.parameters)).toEqual([]);
      expect(remove).toMatchObject({
        action: 'DeleteRemediationConfiguration',
        parameters: {
          ConfigRuleName: `<${String(ruleId)}>`,
          ResourceType: 'AWS::EC2::ClientVpnEndpoint',
        },
        ignoreErrorCodesMatching: 'NoSuchRemediationConfigurationException',
      });
      expect(botocoreRequestProblems('config', 'DeleteRemediationConfiguration', remove.parameters)).toEqual(
        [],
      );
    },
  );

  it("gives the custom resource's Lambda only its own logs and this region's remediation configurations", () => {
    // Act
    const resources = ruleResources('ca-central-1', {});
    // Assess
    const statements = ofType(resources, 'AWS::IAM::Policy').flatMap(
      (policy) =>
        flatten((policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement) as unknown[],
    );
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          Action: ['config:PutRemediationConfigurations', 'config:DeleteRemediationConfiguration'],
          Effect: 'Allow',
          Resource: 'arn:<AWS::Partition>:config:ca-central-1:<AWS::AccountId>:remediation-configuration/*',
        },
        expect.objectContaining({
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: expect.stringMatching(/^<RuleRemediationLogGroup\w+\.Arn>$/),
        }),
      ]),
    );
    expect(statements).toHaveLength(2);
    const [role] = ofType(resources, 'AWS::IAM::Role');
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [{ Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }],
    });
  });

  it('waits for its permissions before the first call', () => {
    const resources = ruleResources('ca-central-1', {});
    const [custom] = ofType(resources, 'Custom::ConfigRemediationConfiguration');
    expect(custom.DependsOn).toEqual([expect.stringMatching(/CustomResourcePolicy/)]);
  });

  it('keeps the native resource where CloudFormation has it, and in an environment-agnostic stack', () => {
    const app = new App();
    const settings = readDeploymentSettings(app.node);
    const agnostic = new Stack(app, 'Agnostic');
    new ConnectionLoggingConfigRule(agnostic, 'Rule', {
      rule: settings.rule,
      remediation: settings.remediation,
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:rule',
      documentName: 'EnableClientVpnConnectionLogging',
      automationRoleArn: 'arn:aws:iam::123456789012:role/remediation',
    });
    Template.fromStack(agnostic).resourceCountIs('AWS::Config::RemediationConfiguration', 1);
    Template.fromStack(agnostic).resourceCountIs('Custom::ConfigRemediationConfiguration', 0);
    expect(ofType(ruleResources('us-east-1', {}), 'AWS::Config::RemediationConfiguration')).toHaveLength(1);
  });
});

describe('remediationConfigurationRequest', () => {
  it('leaves out the members the settings leave out', () => {
    expect(
      remediationConfigurationRequest({
        configRuleName: 'rule',
        targetType: 'SSM_DOCUMENT',
        targetId: 'doc',
      }),
    ).toEqual({ ConfigRuleName: 'rule', TargetType: 'SSM_DOCUMENT', TargetId: 'doc' });
  });
});
