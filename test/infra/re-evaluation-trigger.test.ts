import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readDeploymentSettings } from '../../infra/stacks/deployment-settings-context';
import {
  MAX_TEMPLATE_BODY_BYTES,
  memberAccountTemplateBody,
} from '../../infra/stacks/member-account-template';
import { MemberAccountStack } from '../../infra/stacks/member-account-stack';
import { ReEvaluationTrigger } from '../../infra/constructs/re-evaluation-trigger';
import { reEvaluationTriggerCode } from '../../infra/constructs/re-evaluation-trigger-code';
import { loadInlineReEvaluationTrigger } from '../../sandbox/inline-re-evaluation-trigger';
import { WATCHED_API_CALLS } from '../../rule/re-evaluation-trigger';
import { cloudTrailEvent } from '../../sandbox/cloudtrail-events';
import { actionsOf, policyStatements, roleId } from './policy-statements';

const RULE_ARN = 'arn:aws:config:eu-west-1:111111111111:config-rule/config-rule-ab12cd';

function accountTrigger(): { template: Template; app: App; outdir: string } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cdk-trigger-'));
  const app = new App({ outdir });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, 'Trigger', { env: { account: '111111111111', region: 'eu-west-1' } });
  new ReEvaluationTrigger(stack, 'ReEvaluationTrigger', {
    rule: { kind: 'account', configRuleName: 'client-vpn-connection-logging', configRuleArn: RULE_ARN },
  });
  return { template: Template.fromStack(stack), app, outdir };
}

describe('ReEvaluationTrigger', () => {
  const { template, app, outdir } = accountTrigger();

  it("matches exactly the watched CloudTrail management calls, this account's and successful ones only, and invokes the function", () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        account: ['111111111111'],
        source: ['aws.logs', 'aws.kms', 'aws.ec2'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['logs.amazonaws.com', 'kms.amazonaws.com', 'ec2.amazonaws.com'],
          eventName: Object.values(WATCHED_API_CALLS).flat(),
          errorCode: [{ exists: false }],
        },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Function'), 'Arn'] } })],
    });
    expect(Object.values(WATCHED_API_CALLS).flat().sort()).toEqual(
      [
        'AssociateKmsKey',
        'DeleteClientVpnEndpoint',
        'DeleteImportedKeyMaterial',
        'DeleteLogGroup',
        'DeleteRetentionPolicy',
        'DisableKey',
        'DisassociateKmsKey',
        'ModifyClientVpnEndpoint',
        'PutKeyPolicy',
        'PutRetentionPolicy',
        'ScheduleKeyDeletion',
      ].sort(),
    );
  });

  it('runs one event at a time, retried twice when the evaluation stays busy, with the rule named', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      ReservedConcurrentExecutions: 1,
      Environment: { Variables: { CONFIG_RULE_NAME: 'client-vpn-connection-logging' } },
      Code: { ZipFile: Match.stringLikeRegexp('StartConfigRulesEvaluation') },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
    });
  });

  it('may start evaluations of that one rule only, and read what a pipeline in use is made of', () => {
    const role = roleId(template, /Starts an evaluation/);
    const statements = policyStatements(template).get(role) ?? [];
    expect(statements.flatMap(actionsOf).sort()).toEqual([
      'config:StartConfigRulesEvaluation',
      'ec2:DescribeClientVpnEndpoints',
      'kms:DescribeKey',
      'logs:CreateLogStream',
      'logs:DescribeLogGroups',
      'logs:PutLogEvents',
    ]);
    expect(statements.find((s) => actionsOf(s).includes('config:StartConfigRulesEvaluation'))?.Resource).toBe(
      RULE_ARN,
    );
  });

  it.each([
    ['logs:DescribeLogGroups', ':logs:eu-west-1:111111111111:log-group:*'],
    ['kms:DescribeKey', ':kms:eu-west-1:111111111111:key/*'],
  ])('scopes the look-up %s to arn:<partition>%s', (action, resource) => {
    const role = roleId(template, /Starts an evaluation/);
    const statement = (policyStatements(template).get(role) ?? []).find((s) => actionsOf(s).includes(action));
    expect(statement?.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, resource]] });
    expect(statement?.Action).toEqual(action);
  });

  it('reads endpoints, which allow no resource-level permission, in its own region only', () => {
    const role = roleId(template, /Starts an evaluation/);
    const statement = (policyStatements(template).get(role) ?? []).find((s) =>
      actionsOf(s).includes('ec2:DescribeClientVpnEndpoints'),
    );
    expect(statement).toMatchObject({
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
    });
    expect(statement?.Action).toEqual('ec2:DescribeClientVpnEndpoints');
  });

  it("passes cdk-nag's AWS Solutions checks", () => {
    app.synth({ force: true });
    const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
  });
});

describe('the trigger in a member account', () => {
  const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'cdk-member-trigger-')) });
  const settings = readDeploymentSettings(app.node);
  const member = Template.fromStack(new MemberAccountStack(app, 'Member', { settings }));

  it("starts the account's copy of the organization rule, found by name, and no other kind of rule", () => {
    member.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: { CONFIG_RULE_NAME: 'client-vpn-connection-logging', ORGANIZATION_RULE: 'true' },
      },
    });
    const role = roleId(member, /Starts an evaluation/);
    const statements = policyStatements(member).get(role) ?? [];
    const start = statements.find((s) => actionsOf(s).includes('config:StartConfigRulesEvaluation'));
    expect(JSON.stringify(start?.Resource)).toContain(
      ':config-rule/aws-service-rule/config-multiaccountsetup.amazonaws.com/*',
    );
    expect(statements.flatMap(actionsOf).sort()).toEqual([
      'config:DescribeConfigRules',
      'config:StartConfigRulesEvaluation',
      'ec2:DescribeClientVpnEndpoints',
      'kms:DescribeKey',
      'logs:CreateLogStream',
      'logs:DescribeLogGroups',
      'logs:PutLogEvents',
    ]);
  });

  it("matches the member account's own events only", () => {
    member.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ account: [{ Ref: 'AWS::AccountId' }] }),
    });
  });

  it('keeps the member template within the StackSet TemplateBody limit, code inline', () => {
    const bytes = Buffer.byteLength(memberAccountTemplateBody(settings));
    expect(bytes).toBeLessThanOrEqual(MAX_TEMPLATE_BODY_BYTES);
  });
});

describe('the inline trigger code', () => {
  it('requires nothing but the SDK clients the Lambda Node.js runtime provides', () => {
    // Prepare
    const code = reEvaluationTriggerCode();

    // Act
    const required = new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]));

    // Assess
    expect([...required].sort()).toEqual([
      '@aws-sdk/client-cloudwatch-logs',
      '@aws-sdk/client-config-service',
      '@aws-sdk/client-ec2',
      '@aws-sdk/client-kms',
    ]);
  });

  it('loads as the CommonJS index.js CloudFormation writes and ignores an unrelated event', async () => {
    // Prepare: run the bundle as Lambda would, resolving the SDK as the runtime provides it.
    const handler = loadInlineReEvaluationTrigger();

    // Act
    const outcome = await handler(cloudTrailEvent('logs.amazonaws.com', 'CreateLogGroup'));

    // Assess
    expect(outcome.action).toBe('ignored');
  });
});
