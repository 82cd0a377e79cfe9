import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp, STACK_NAMES } from '../../infra/app';
import { InvalidContextError } from '../../infra/stacks/deployment-settings-context';
import { readGuardHookSettings } from '../../infra/stacks/guard-hook-context';
import { GUARD_HOOK_ALIAS, GuardHookStack } from '../../infra/stacks/guard-hook-stack';
import { renderConnectionLoggingPolicy, type PolicyParameters } from '../../policy/connection-logging-policy';

const PARAMETERS: PolicyParameters = {
  minRetentionDays: 365,
  requireKmsEncryption: true,
  logGroupNamePrefix: '/aws/clientvpn/',
};

describe('GuardHookStack', () => {
  let outdir: string;
  let template: Template;
  let stack: GuardHookStack;

  beforeAll(() => {
    // Prepare: the stack as an app deploys it, under cdk-nag's AWS Solutions rules.
    outdir = mkdtempSync(path.join(tmpdir(), 'guard-hook-'));
    const app = new App({ outdir });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    stack = new GuardHookStack(app, 'GuardHook', { parameters: PARAMETERS });
    // Act: synthesis fails on any unacknowledged cdk-nag finding
    app.synth();
    template = Template.fromStack(stack);
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('refuses non-compliant stack creations and updates, by default', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudFormation::GuardHook', {
      Alias: GUARD_HOOK_ALIAS,
      FailureMode: 'FAIL',
      HookStatus: 'ENABLED',
      TargetOperations: ['STACK'],
      TargetFilters: { Actions: ['CREATE', 'UPDATE'], InvocationPoints: ['PRE_PROVISION'] },
      RuleLocation: { Uri: { 'Fn::Sub': Match.stringLikeRegexp('^s3://cdk-[a-z0-9]+-assets-.+\\.guard$') } },
      ExecutionRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ExecutionRole'), 'Arn'] },
    });
  });

  it('ships the policy rendered for its parameters as the rule file', () => {
    // Prepare
    const assetFiles = readdirSync(outdir).filter((name) => name.endsWith('.guard'));
    // Assess
    expect(assetFiles).toHaveLength(1);
    expect(readFileSync(path.join(outdir, assetFiles[0]), 'utf8')).toBe(
      renderConnectionLoggingPolicy(PARAMETERS),
    );
  });

  it('lets only this account and region hooks assume its role', () => {
    // Assess
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'hooks.cloudformation.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': Match.anyValue() },
            },
          },
        ],
      },
    });
  });

  it('lets the role read the rule file and nothing else', () => {
    // Prepare
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap(
      (policy) =>
        (policy as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties
          .PolicyDocument.Statement,
    );
    const key = path.basename(
      (
        template.findResources('AWS::CloudFormation::GuardHook').Hook as {
          Properties: { RuleLocation: { Uri: { 'Fn::Sub': string } } };
        }
      ).Properties.RuleLocation.Uri['Fn::Sub'],
    );
    // Assess
    expect(policies).toHaveLength(1);
    expect(statements.map((statement) => statement.Action)).toEqual([
      ['s3:GetObject', 's3:GetObjectVersion'],
      's3:ListBucket',
    ]);
    expect(JSON.stringify(statements[0].Resource)).toContain(`/${key}`);
    expect(statements[1].Condition).toEqual({ StringEquals: { 's3:prefix': key } });
    expect(JSON.stringify(statements)).not.toContain('*');
  });

  it('enables the hook only after its role may read the rule file', () => {
    // Prepare
    const [policyId] = Object.keys(template.findResources('AWS::IAM::Policy'));
    // Assess
    template.hasResource('AWS::CloudFormation::GuardHook', { DependsOn: [policyId] });
  });

  it('passes cfn-lint', () => {
    // Act
    const lint = spawnSync('cfn-lint', [path.join(outdir, stack.templateFile)], { encoding: 'utf8' });
    // Assess
    expect({ status: lint.status, output: lint.stdout + lint.stderr }).toEqual({ status: 0, output: '' });
  });

  it('writes detailed results to a log bucket when given one, and may only put objects there', () => {
    // Prepare
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'guard-hook-logs-')) });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const logged = new GuardHookStack(app, 'Logged', {
      parameters: PARAMETERS,
      logBucketName: 'hook-results-111122223333',
    });
    // Act: synthesis fails on an unacknowledged cdk-nag finding
    app.synth();
    const loggedTemplate = Template.fromStack(logged);
    // Assess
    loggedTemplate.hasResourceProperties('AWS::CloudFormation::GuardHook', {
      LogBucket: 'hook-results-111122223333',
    });
    loggedTemplate.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 's3:PutObject',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::hook-results-111122223333/*']],
            },
          },
        ]),
      },
    });
  });

  it('only warns when asked to', () => {
    // Prepare
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'guard-hook-warn-')) });
    // Act
    const warning = new GuardHookStack(app, 'Warn', { parameters: PARAMETERS, failureMode: 'WARN' });
    // Assess
    Template.fromStack(warning).hasResourceProperties('AWS::CloudFormation::GuardHook', {
      FailureMode: 'WARN',
    });
  });
});

describe('the app and its guardHook context options', () => {
  it('has no Guard hook stack unless guardHook is true', () => {
    // Act
    const app = buildApp({ outdir: mkdtempSync(path.join(tmpdir(), 'no-hook-')) });
    // Assess
    expect(app.node.tryFindChild(STACK_NAMES.guardHook)).toBeUndefined();
  });

  it('adds the hook stack with the rule parameters and failure mode of the context', () => {
    // Act
    const app = buildApp({
      outdir: mkdtempSync(path.join(tmpdir(), 'hook-')),
      context: { guardHook: 'true', guardHookFailureMode: 'WARN', minRetentionDays: '365' },
    });
    const hookStack = app.node.tryFindChild(STACK_NAMES.guardHook);
    // Assess
    expect(hookStack).toBeInstanceOf(GuardHookStack);
    expect((hookStack as GuardHookStack).hook.failureMode).toBe('WARN');
    expect((hookStack as GuardHookStack).policy).toBe(
      renderConnectionLoggingPolicy({ minRetentionDays: 365, requireKmsEncryption: false }),
    );
  });

  it.each([
    [{}, { enabled: false, failureMode: 'FAIL' }],
    [{ guardHook: true }, { enabled: true, failureMode: 'FAIL' }],
    [
      { guardHook: 'TRUE', guardHookFailureMode: 'WARN' },
      { enabled: true, failureMode: 'WARN' },
    ],
    [{ guardHook: 'false' }, { enabled: false, failureMode: 'FAIL' }],
    [
      { guardHook: true, guardHookLogBucket: 'my.bucket-1' },
      { enabled: true, failureMode: 'FAIL', logBucketName: 'my.bucket-1' },
    ],
  ])('reads %j as %j', (context, expected) => {
    // Act / Assess
    expect(readGuardHookSettings(new App({ context }).node)).toEqual(expected);
  });

  it.each([
    [{ guardHook: 'yes' }, 'guardHook'],
    [{ guardHookFailureMode: 'warn' }, 'guardHookFailureMode'],
    [{ guardHookLogBucket: 'Not_A_Bucket' }, 'guardHookLogBucket'],
  ])('refuses %j, naming the key', (context, key) => {
    // Act / Assess
    expect(() => readGuardHookSettings(new App({ context }).node)).toThrow(InvalidContextError);
    expect(() => readGuardHookSettings(new App({ context }).node)).toThrow(`"${key}"`);
  });
});
