import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { calledIamActions, loadRunbook, requiredIamActions } from '../../remediation/runbook';
import { buildApp, STACK_NAMES } from '../../infra/app';
import { LAZY_SDK_MODULES } from '../../infra/bundling/handler-bundling';
import {
  ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS,
  actionsOf,
  policyStatements,
  roleId,
  type TemplateStatement,
} from './policy-statements';

const REGION_KEYS = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:', { Ref: 'AWS::Region' }, ':*:key/*']],
};
const ACCOUNT_LOG_GROUPS = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':logs:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':log-group:*',
    ],
  ],
};
// Every log-group write of the automation role: inside the managed prefix only.
const MANAGED_LOG_GROUPS = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':logs:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':log-group:/aws/clientvpn*',
    ],
  ],
};
const ACCOUNT_CONFIG_RULES = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':config:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':config-rule/*',
    ],
  ],
};
const REGION_KMS_KEYS = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:', { Ref: 'AWS::Region' }, ':*:key/*']],
};

const ACCOUNT_CLIENT_VPN_ENDPOINTS = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':ec2:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':client-vpn-endpoint/*',
    ],
  ],
};

describe('AccountStack', () => {
  let template: Template;
  let statements: Map<string, TemplateStatement[]>;
  let outdir: string;

  beforeAll(() => {
    // Prepare: one synthesis for the whole file (bundling the Lambda is the slow part).
    outdir = mkdtempSync(path.join(tmpdir(), 'cdk-account-'));
    const app = buildApp({ outdir });
    template = Template.fromStack(app.node.findChild(STACK_NAMES.account) as Stack);
    statements = policyStatements(template);
    // Bundling the Lambda with esbuild can be slow when every jest worker is busy.
  }, 180_000);

  describe('the Config rule', () => {
    it('evaluates only Client VPN endpoints, on changes (oversized included) and every 24 hours', () => {
      template.resourceCountIs('AWS::Config::ConfigRule', 1);
      template.hasResourceProperties('AWS::Config::ConfigRule', {
        ConfigRuleName: 'client-vpn-connection-logging',
        Scope: { ComplianceResourceTypes: ['AWS::EC2::ClientVpnEndpoint'] },
        Source: {
          Owner: 'CUSTOM_LAMBDA',
          SourceIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('RuleFunction'), 'Arn'] },
          SourceDetails: [
            { EventSource: 'aws.config', MessageType: 'ConfigurationItemChangeNotification' },
            { EventSource: 'aws.config', MessageType: 'OversizedConfigurationItemChangeNotification' },
            {
              EventSource: 'aws.config',
              MessageType: 'ScheduledNotification',
              MaximumExecutionFrequency: 'TwentyFour_Hours',
            },
          ],
        },
      });
    });

    it('passes no rule parameter that was not set, so the rule applies its own defaults', () => {
      const [rule] = Object.values(template.findResources('AWS::Config::ConfigRule'));
      expect((rule?.Properties as { InputParameters?: unknown }).InputParameters ?? {}).toEqual({});
    });

    it('is created only after AWS Config may invoke the function, and only for this account', () => {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'config.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
      });
      const [permissionId] = Object.keys(template.findResources('AWS::Lambda::Permission'));
      template.hasResource('AWS::Config::ConfigRule', { DependsOn: Match.arrayWith([permissionId]) });
    });
  });

  describe('the remediation', () => {
    it('runs the embedded runbook on the NON_COMPLIANT endpoint, manually by default', () => {
      const [documentId] = Object.keys(template.findResources('AWS::SSM::Document'));
      const automationRole = roleId(template, /runbook/);
      template.hasResourceProperties('AWS::Config::RemediationConfiguration', {
        ConfigRuleName: { Ref: Match.stringLikeRegexp('ConfigRule') },
        ResourceType: 'AWS::EC2::ClientVpnEndpoint',
        TargetType: 'SSM_DOCUMENT',
        TargetId: { Ref: documentId },
        Automatic: false,
        MaximumAutomaticAttempts: 5,
        RetryAttemptSeconds: 60,
        ExecutionControls: { SsmControls: { ConcurrentExecutionRatePercentage: 10, ErrorPercentage: 10 } },
        Parameters: Match.exact({
          ClientVpnEndpointId: { ResourceValue: { Value: 'RESOURCE_ID' } },
          AutomationAssumeRole: { StaticValue: { Values: [{ 'Fn::GetAtt': [automationRole, 'Arn'] }] } },
          LogGroupName: { StaticValue: { Values: ['/aws/clientvpn'] } },
          LogGroupNamePrefix: { StaticValue: { Values: ['/aws/clientvpn'] } },
          RetentionInDays: { StaticValue: { Values: ['365'] } },
        }),
      });
    });

    it('embeds remediation/EnableClientVpnConnectionLogging.yaml unchanged, updated as new versions', () => {
      const runbook = loadRunbook();
      template.hasResourceProperties('AWS::SSM::Document', {
        Name: 'EnableClientVpnConnectionLogging',
        DocumentType: 'Automation',
        DocumentFormat: 'JSON',
        UpdateMethod: 'NewVersion',
        Content: Match.exact(JSON.parse(JSON.stringify(runbook))),
      });
    });
  });

  describe('the rule Lambda', () => {
    it('runs on Node.js 24, arm64, with the Powertools settings and no source-map cost at cold start', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Environment: {
          Variables: {
            POWERTOOLS_SERVICE_NAME: 'client-vpn-connection-logging',
            POWERTOOLS_METRICS_NAMESPACE: 'ClientVpnConnectionLogging',
            NODE_OPTIONS: Match.absent(),
          },
        },
        LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('LogGroup') } },
      });
    });

    it('leaves EXECUTION_ROLE_NAME unset, so the function acts only in its own account, and reserves no concurrency', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { EXECUTION_ROLE_NAME: Match.absent() } },
        ReservedConcurrentExecutions: Match.absent(),
      });
    });

    describe('its bundle', () => {
      let assetDir: string;
      beforeAll(() => {
        const assets = readdirSync(outdir).filter((name) => existsSync(path.join(outdir, name, 'index.js')));
        expect(assets).toHaveLength(1);
        assetDir = path.join(outdir, assets[0] as string);
      });

      it('keeps the lazily loaded SDK modules out of index.js, importing nothing else but Node built-ins', () => {
        // Act
        const main = readFileSync(path.join(assetDir, 'index.js'), 'utf8');
        const imported = new Set(
          [...main.matchAll(/(?:require|import)\("([^"]+)"\)/g)].map((match) => match[1] as string),
        );
        // Assess: a bare import that is neither built in nor bundled apart would fail in Lambda.
        const unresolvable = [...imported].filter(
          (name) =>
            !name.startsWith('node:') &&
            !builtinModules.includes(name) &&
            !(name in LAZY_SDK_MODULES) &&
            name !== '@aws-sdk/signature-v4-crt', // optional: the SDK tries it and falls back
        );
        expect(unresolvable).toEqual([]);
        expect(imported).toContain('@aws-sdk/client-ec2');
        expect(main).not.toContain('DescribeClientVpnEndpointsResult');
      });

      it.each(Object.entries(LAZY_SDK_MODULES))(
        'bundles %s apart into node_modules, exporting what the rule uses',
        (name, names) => {
          // Act
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const lazy = require(path.join(assetDir, 'node_modules', name, 'index.js')) as Record<
            string,
            unknown
          >;
          // Assess
          const expected = names === '*' ? Object.keys(lazy) : names;
          expect(expected.length).toBeGreaterThan(0);
          for (const exported of expected) expect(lazy[exported]).toBeDefined();
        },
      );
    });

    it('logs to its own log group, which keeps events for a year', () => {
      // The rule Lambda's and the drift trigger's.
      template.resourceCountIs('AWS::Logs::LogGroup', 2);
      template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    });
  });

  describe('IAM', () => {
    it("grants the rule Lambda exactly the rule's actions and writes to its own log group", () => {
      const role = roleId(template, /Evaluates Client VPN endpoints/);
      const [logGroupId] = Object.keys(template.findResources('AWS::Logs::LogGroup'));
      expect(statements.get(role)).toEqual([
        expect.objectContaining({
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        }),
        expect.objectContaining({
          Action: ['config:PutEvaluations', 'config:GetResourceConfigHistory'],
          Resource: '*',
        }),
        expect.objectContaining({
          Action: 'config:GetComplianceDetailsByConfigRule',
          Resource: ACCOUNT_CONFIG_RULES,
        }),
        expect.objectContaining({
          Action: ['ec2:DescribeClientVpnEndpoints', 'ec2:DescribeClientVpnConnections'],
          Resource: '*',
        }),
        expect.objectContaining({
          Action: ['logs:DescribeLogGroups', 'logs:DescribeLogStreams'],
          Resource: ACCOUNT_LOG_GROUPS,
        }),
        expect.objectContaining({ Action: 'kms:DescribeKey', Resource: REGION_KEYS }),
      ]);
    });

    it('names the automation role <memberAutomationRoleName>-<region>, the name the conformance pack builds', () => {
      const role = roleId(template, /runbook/);
      expect(template.toJSON().Resources[role].Properties.RoleName).toEqual({
        'Fn::Join': ['', ['ClientVpnConnectionLoggingRemediation-', { Ref: 'AWS::Region' }]],
      });
    });

    it('lets only SSM Automation of this account assume the automation role', () => {
      const role = roleId(template, /runbook/);
      expect(template.toJSON().Resources[role].Properties.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'ssm.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: {
              'aws:SourceArn': {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':ssm:',
                    { Ref: 'AWS::Region' },
                    ':',
                    { Ref: 'AWS::AccountId' },
                    ':automation-execution/*',
                  ],
                ],
              },
            },
          },
        },
      ]);
    });

    it("grants the automation role exactly the runbook's actions, writing only to log groups inside the managed prefix", () => {
      const runbook = loadRunbook();
      const expected = [...new Set([...calledIamActions(runbook), ...requiredIamActions(runbook)])].sort();
      const granted = statements.get(roleId(template, /runbook/)) ?? [];
      expect(granted.flatMap(actionsOf).sort()).toEqual(expected);
      for (const statement of granted) {
        for (const action of actionsOf(statement)) {
          const resource =
            action === 'logs:DescribeLogGroups'
              ? ACCOUNT_LOG_GROUPS
              : action.startsWith('logs:')
                ? MANAGED_LOG_GROUPS
                : action === 'ec2:ModifyClientVpnEndpoint'
                  ? ACCOUNT_CLIENT_VPN_ENDPOINTS
                  : action === 'kms:DescribeKey'
                    ? REGION_KMS_KEYS
                    : '*';
          expect({ action, resource: statement.Resource }).toEqual({ action, resource });
        }
      }
    });

    it('uses no managed policy and no "*" resource where the service allows scoping', () => {
      template.allResourcesProperties('AWS::IAM::Role', {
        ManagedPolicyArns: Match.absent(),
        Policies: Match.absent(),
      });
      for (const statement of [...statements.values()].flat()) {
        if (statement.Resource !== '*') continue;
        for (const action of actionsOf(statement))
          expect(ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS).toContain(action);
      }
    });
  });
});
