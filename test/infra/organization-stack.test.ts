import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { loadRunbook } from '../../remediation/runbook';
import { buildApp, STACK_NAMES } from '../../infra/app';
import {
  ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS,
  actionsOf,
  policyStatements,
  roleId,
  type TemplateStatement,
} from './policy-statements';

describe('organization mode', () => {
  let app: App;
  let outdir: string;
  let organization: Template;
  let member: Template;

  beforeAll(() => {
    // Prepare: one synthesis of the whole app, with non-default context, for the whole file.
    outdir = mkdtempSync(path.join(tmpdir(), 'cdk-org-'));
    app = buildApp({
      outdir,
      context: {
        minRetentionDays: '365',
        excludedAccounts: '111111111111,222222222222',
        memberOrganizationalUnitIds: 'ou-ab12-cdefgh34',
        memberRegions: 'eu-west-1,us-east-1',
      },
    });
    organization = Template.fromStack(app.node.findChild(STACK_NAMES.organization) as Stack);
    member = Template.fromStack(app.node.findChild(STACK_NAMES.member) as Stack);
    // Bundling the Lambda with esbuild can be slow when every jest worker is busy.
  }, 180_000);

  describe('OrganizationStack', () => {
    it('points an organization rule at the central Lambda, scoped to Client VPN endpoints, with all three triggers', () => {
      organization.hasResourceProperties('AWS::Config::OrganizationConfigRule', {
        OrganizationConfigRuleName: 'client-vpn-connection-logging',
        ExcludedAccounts: ['111111111111', '222222222222'],
        OrganizationCustomRuleMetadata: {
          LambdaFunctionArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('RuleFunction'), 'Arn'] },
          ResourceTypesScope: ['AWS::EC2::ClientVpnEndpoint'],
          OrganizationConfigRuleTriggerTypes: [
            'ConfigurationItemChangeNotification',
            'OversizedConfigurationItemChangeNotification',
            'ScheduledNotification',
          ],
          MaximumExecutionFrequency: 'TwentyFour_Hours',
        },
      });
    });

    it("passes the rule parameters as one JSON string, the execution role suffixed with the stack's region", () => {
      const [rule] = Object.values(organization.findResources('AWS::Config::OrganizationConfigRule'));
      const input = (
        rule.Properties as {
          OrganizationCustomRuleMetadata: { InputParameters: { 'Fn::Join': [string, unknown[]] } };
        }
      ).OrganizationCustomRuleMetadata.InputParameters;
      // The region is known only at deployment: splice a concrete one in where CloudFormation would.
      const [separator, parts] = input['Fn::Join'];
      expect(parts.filter((part) => typeof part !== 'string')).toEqual([{ Ref: 'AWS::Region' }]);
      const json = parts.map((part) => (typeof part === 'string' ? part : 'eu-west-1')).join(separator);
      // Only what was set: the rule applies its own defaults to the rest.
      expect(JSON.parse(json)).toEqual({
        minRetentionDays: '365',
        executionRoleName: 'ClientVpnConnectionLoggingEvaluation-eu-west-1',
      });
    });

    it('lets AWS Config invoke the Lambda through the documented AWS::Lambda::Permission, before the rule exists', () => {
      const [functionId] = Object.keys(organization.findResources('AWS::Lambda::Function'));
      organization.resourceCountIs('AWS::Lambda::ResourcePolicy', 0);
      organization.resourceCountIs('AWS::Lambda::Permission', 1);
      organization.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
        Principal: 'config.amazonaws.com',
      });
      const [permissionId] = Object.keys(organization.findResources('AWS::Lambda::Permission'));
      organization.hasResource('AWS::Config::OrganizationConfigRule', { DependsOn: [permissionId] });
    });

    it("tells the Lambda, not the rule, which role to assume: this region's evaluation role", () => {
      organization.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            EXECUTION_ROLE_NAME: {
              'Fn::Join': ['', ['ClientVpnConnectionLoggingEvaluation-', { Ref: 'AWS::Region' }]],
            },
          }),
        },
      });
    });

    it('reserves 10 concurrent executions for the central Lambda by default', () => {
      organization.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 10 });
    });

    it('gives the central role no evaluation permission: it evaluates every account, its own too, through the assumed role', () => {
      const role = roleId(organization, /Evaluates Client VPN endpoints/);
      const actions = (policyStatements(organization).get(role) ?? []).flatMap(actionsOf).sort();
      expect(actions).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'sts:AssumeRole']);
    });

    it('takes the organization ID as a validated parameter', () => {
      organization.hasParameter('OrganizationId', { Type: 'String', AllowedPattern: '^o-[a-z0-9]{10,32}$' });
    });

    it("lets the Lambda assume only its region's evaluation role, only in accounts of the organization", () => {
      const role = roleId(organization, /Evaluates Client VPN endpoints/);
      organization.hasResourceProperties('AWS::IAM::Role', {
        RoleName: { 'Fn::Join': ['', ['ClientVpnConnectionLoggingRuleFunction-', { Ref: 'AWS::Region' }]] },
      });
      const assume = (policyStatements(organization).get(role) ?? []).filter((s) =>
        actionsOf(s).includes('sts:AssumeRole'),
      );
      expect(assume).toEqual([
        expect.objectContaining({
          Action: 'sts:AssumeRole',
          Resource: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':iam::*:role/ClientVpnConnectionLoggingEvaluation-',
                { Ref: 'AWS::Region' },
              ],
            ],
          },
          Condition: { StringEquals: { 'aws:ResourceOrgID': { Ref: 'OrganizationId' } } },
        }),
      ]);
    });
  });

  describe('the member StackSet', () => {
    it("deploys the member-account template to the OUs from context, in the stack's own region only, service-managed", () => {
      organization.hasResourceProperties('AWS::CloudFormation::StackSet', {
        PermissionModel: 'SERVICE_MANAGED',
        CallAs: 'DELEGATED_ADMIN',
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: [{ ParameterKey: 'CentralAccountId', ParameterValue: { Ref: 'AWS::AccountId' } }],
        StackInstancesGroup: [
          {
            DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdefgh34'] },
            Regions: [{ Ref: 'AWS::Region' }],
          },
        ],
      });
    });

    it('creates the StackSet only when the stack is deployed in one of memberRegions', () => {
      organization.hasResource('AWS::CloudFormation::StackSet', { Condition: 'IsMemberRegion' });
      organization.hasCondition('IsMemberRegion', {
        'Fn::Or': [
          { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] },
          { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
        ],
      });
    });

    it('carries the same resources as the member-account stack, and only after the central role exists', () => {
      const [stackSet] = Object.values(organization.findResources('AWS::CloudFormation::StackSet'));
      const body = JSON.parse((stackSet.Properties as { TemplateBody: string }).TemplateBody);
      const types = (resources: Record<string, { Type: string }>) =>
        Object.values(resources)
          .map((r) => r.Type)
          .sort();
      expect(types(body.Resources)).toEqual(types(member.toJSON().Resources));
      expect(body.Rules).toBeUndefined();
      // One template for every region: the role names take the region where each instance is created.
      const roleNames = Object.values(
        body.Resources as Record<string, { Type: string; Properties: { RoleName?: unknown } }>,
      )
        .filter((r) => r.Type === 'AWS::IAM::Role')
        .map((r) => r.Properties.RoleName);
      expect(roleNames).toEqual(
        expect.arrayContaining(
          ['ClientVpnConnectionLoggingEvaluation-', 'ClientVpnConnectionLoggingRemediation-'].map((base) => ({
            'Fn::Join': ['', [base, { Ref: 'AWS::Region' }]],
          })),
        ),
      );
      // The drift trigger's role takes a name CloudFormation generates, unique to each stack instance.
      expect(roleNames.filter((name) => name !== undefined)).toHaveLength(2);
      const role = roleId(organization, /Evaluates Client VPN endpoints/);
      expect(stackSet.DependsOn).toEqual(expect.arrayContaining([role]));
    });
  });

  describe('MemberAccountStack', () => {
    it('needs no CDK bootstrap, so a service-managed StackSet can deploy it', () => {
      expect(member.toJSON().Rules).toBeUndefined();
      expect(member.toJSON().Parameters).toEqual({
        CentralAccountId: expect.objectContaining({ Type: 'String', AllowedPattern: '^\\d{12}$' }),
      });
      expect(Object.keys(member.toJSON().Resources).some((id) => id.includes('Asset'))).toBe(false);
    });

    it("trusts only the central Lambda's role of the same region with the evaluation role", () => {
      member.hasResourceProperties('AWS::IAM::Role', {
        RoleName: { 'Fn::Join': ['', ['ClientVpnConnectionLoggingEvaluation-', { Ref: 'AWS::Region' }]] },
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Action: 'sts:AssumeRole',
              Effect: 'Allow',
              Principal: {
                AWS: {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':iam::',
                      { Ref: 'CentralAccountId' },
                      ':role/ClientVpnConnectionLoggingRuleFunction-',
                      { Ref: 'AWS::Region' },
                    ],
                  ],
                },
              },
            },
          ],
        },
      });
    });

    it("grants the evaluation role the rule's look-ups and PutEvaluations, nothing that changes a resource", () => {
      const role = roleId(member, /Assumed by the central/);
      const actions = (policyStatements(member).get(role) ?? []).flatMap(actionsOf).sort();
      expect(actions).toEqual([
        'config:GetComplianceDetailsByConfigRule',
        'config:GetResourceConfigHistory',
        'config:PutEvaluations',
        'ec2:DescribeClientVpnConnections',
        'ec2:DescribeClientVpnEndpoints',
        'kms:DescribeKey',
        'logs:DescribeLogGroups',
        'logs:DescribeLogStreams',
      ]);
    });

    it('carries the runbook and its automation role under the names shared by every account of a region', () => {
      member.hasResourceProperties('AWS::SSM::Document', {
        Name: 'EnableClientVpnConnectionLogging',
        Content: Match.exact(JSON.parse(JSON.stringify(loadRunbook()))),
      });
      member.hasResourceProperties('AWS::IAM::Role', {
        RoleName: { 'Fn::Join': ['', ['ClientVpnConnectionLoggingRemediation-', { Ref: 'AWS::Region' }]] },
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'ssm.amazonaws.com' } })],
        },
      });
    });
  });

  it('puts no "*" resource where the service allows scoping, in either stack', () => {
    for (const template of [organization, member]) {
      const statements: TemplateStatement[] = [...policyStatements(template).values()].flat();
      for (const statement of statements.filter((s) => s.Resource === '*')) {
        for (const action of actionsOf(statement))
          expect(ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS).toContain(action);
      }
    }
  });

  it("passes cdk-nag's AWS Solutions checks with every finding fixed or acknowledged", () => {
    // Act
    expect(() => app.synth({ force: true })).not.toThrow();
    // Assess: the plugin ran and reported nothing.
    const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
  });
});

describe('organization mode, with the conformance pack in place of the organization rule', () => {
  it('leaves the organization rule out when organizationRule is false, keeping the invoke permission and the reserved concurrency asked for', () => {
    // Prepare: the CDK's own context keys (here: skip bundling) sit beside the app's options.
    const app = buildApp({
      outdir: mkdtempSync(path.join(tmpdir(), 'cdk-org-pack-')),
      context: {
        'aws:cdk:bundling-stacks': [],
        organizationRule: 'false',
        centralFunctionReservedConcurrency: '25',
      },
    });

    // Act
    const template = Template.fromStack(app.node.findChild(STACK_NAMES.organization) as Stack);

    // Assess
    template.resourceCountIs('AWS::Config::OrganizationConfigRule', 0);
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 25 });
  });
});
