import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, CfnResource, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ConnectionLoggingPolicyValidationPlugin } from '../../policy/connection-logging-policy-validation-plugin';
import { UNSEEN_CONTENT_RULE } from '../../policy/cloudformation-check';
import { POLICY_RULE_NAMES } from '../../policy/connection-logging-policy';

const CERTIFICATE = 'arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000000';

function addEndpoint(
  stack: Construct,
  id: string,
  connectionLogOptions: ec2.CfnClientVpnEndpoint.ConnectionLogOptionsProperty,
): ec2.CfnClientVpnEndpoint {
  return new ec2.CfnClientVpnEndpoint(stack, id, {
    clientCidrBlock: '10.0.0.0/22',
    serverCertificateArn: CERTIFICATE,
    authenticationOptions: [
      {
        type: 'certificate-authentication',
        mutualAuthentication: { clientRootCertificateChainArn: CERTIFICATE },
      },
    ],
    connectionLogOptions,
  });
}

function synthesisError(app: App): string {
  try {
    app.synth();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('synthesis succeeded, but the check should have failed it');
}

describe('ConnectionLoggingPolicyValidationPlugin', () => {
  const outdirs: string[] = [];
  function newOutdir(): string {
    const outdir = mkdtempSync(path.join(tmpdir(), 'cvpn-check-'));
    outdirs.push(outdir);
    return outdir;
  }
  afterAll(() => outdirs.forEach((outdir) => rmSync(outdir, { recursive: true, force: true })));

  it('lets an app synthesise whose endpoint logs to a CfnLogGroup of the same stack', () => {
    // Prepare
    // Validations.of(app), not the deprecated policyValidationBeta1 prop (which warns on every use).
    const app = new App({ outdir: newOutdir() });
    Validations.of(app).addPlugins(new ConnectionLoggingPolicyValidationPlugin());
    const stack = new Stack(app, 'Vpn');
    const group = new logs.CfnLogGroup(stack, 'ConnectionLogs', { retentionInDays: 365 });
    addEndpoint(stack, 'Endpoint', { enabled: true, cloudwatchLogGroup: group.ref });
    // Act / Assess
    expect(() => app.synth()).not.toThrow();
  });

  it('fails synthesis on an endpoint without connection logging, naming rule, endpoint and fix', () => {
    // Prepare
    const outdir = newOutdir();
    const app = new App({ outdir });
    Validations.of(app).addPlugins(new ConnectionLoggingPolicyValidationPlugin());
    const stack = new Stack(app, 'Vpn');
    const endpoint = addEndpoint(stack, 'Endpoint', { enabled: false });
    // Act
    const message = synthesisError(app);
    // Assess
    expect(message).toContain(`ERROR Client VPN endpoint: connection logging is not enabled`);
    expect(message).toContain(`Vpn/Endpoint (${stack.getLogicalId(endpoint)})`);
    expect(message).toContain('Suggested fix: set ConnectionLogOptions.Enabled to true');
    expect(message).toContain(`client-vpn-connection-logging::${POLICY_RULE_NAMES.enabled}`);
    const report = readFileSync(path.join(outdir, 'validation-report.json'), 'utf8');
    expect(report).toContain(POLICY_RULE_NAMES.enabled);
  });

  it.each([
    ['a Stack', (app: App): Construct => new Stack(app, 'Vpn')],
    ['a Stage', (app: App): Construct => new Stack(new Stage(app, 'Prod'), 'Vpn')],
    [
      'a NestedStack, whose template is a file asset of its parent',
      (app: App): Construct => new NestedStack(new Stack(app, 'Vpn'), 'Network'),
    ],
    [
      'a NestedStack inside a NestedStack',
      (app: App): Construct => new NestedStack(new NestedStack(new Stack(app, 'Vpn'), 'Outer'), 'Inner'),
    ],
  ])('fails synthesis on a disabled endpoint in %s', (_name, scope) => {
    // Prepare
    const app = new App({ outdir: newOutdir() });
    Validations.of(app).addPlugins(new ConnectionLoggingPolicyValidationPlugin());
    addEndpoint(scope(app), 'Endpoint', { enabled: false });
    // Act
    const message = synthesisError(app);
    // Assess
    expect(message).toContain(`client-vpn-connection-logging::${POLICY_RULE_NAMES.enabled}`);
    expect(message).toContain('connection logging is not enabled');
  });

  it('fails synthesis on a template-level macro, whose resources it cannot see', () => {
    // Prepare
    const app = new App({ outdir: newOutdir() });
    Validations.of(app).addPlugins(new ConnectionLoggingPolicyValidationPlugin());
    const stack = new Stack(app, 'Vpn');
    stack.addTransform('SomeMacro');
    new CfnResource(stack, 'Topic', { type: 'AWS::SNS::Topic' });
    // Act
    const message = synthesisError(app);
    // Assess
    expect(message).toContain(`client-vpn-connection-logging::${UNSEEN_CONTENT_RULE}`);
    expect(message).toContain('SomeMacro');
  });

  it('resolves the Ref to the CfnLogGroup and applies the rule parameters to it', () => {
    // Prepare: the group keeps events 30 days, the parameters ask for 365, and a key
    const check = new ConnectionLoggingPolicyValidationPlugin({
      parameters: { minRetentionDays: 365, requireKmsEncryption: true },
    });
    const app = new App({ outdir: newOutdir() });
    Validations.of(app).addPlugins(check);
    const stack = new Stack(app, 'Vpn');
    const group = new logs.CfnLogGroup(stack, 'ConnectionLogs', { retentionInDays: 30 });
    addEndpoint(stack, 'Endpoint', { enabled: true, cloudwatchLogGroup: group.ref });
    // Act
    const message = synthesisError(app);
    // Assess
    expect(message).toContain(`client-vpn-connection-logging::${POLICY_RULE_NAMES.retention}`);
    expect(message).toContain(`client-vpn-connection-logging::${POLICY_RULE_NAMES.kmsKey}`);
    expect(message).toContain('at least 365');
  });

  it('reports, without failing, what it cannot see: a log group of another stack', () => {
    // Prepare: a cross-stack reference synthesises to Fn::ImportValue
    const check = new ConnectionLoggingPolicyValidationPlugin();
    const app = new App({ outdir: newOutdir() });
    const logStack = new Stack(app, 'Logs');
    const group = new logs.LogGroup(logStack, 'ConnectionLogs', { retention: logs.RetentionDays.ONE_YEAR });
    const vpnStack = new Stack(app, 'Vpn');
    addEndpoint(vpnStack, 'Endpoint', { enabled: true, cloudwatchLogGroup: group.logGroupName });
    const assembly = app.synth();
    // Act
    const report = check.validate({
      templatePaths: assembly.stacks.map((stack) => stack.templateFullPath),
      appConstruct: app,
    });
    // Assess
    expect(report.success).toBe(true);
    expect(report.violations.map((v) => [v.ruleName, v.severity])).toEqual([
      [POLICY_RULE_NAMES.resolvable, 'warning'],
    ]);
    expect(report.violations[0].violatingResources[0]).toMatchObject({
      resourceLogicalId: 'Endpoint',
      templatePath: assembly.getStackByName('Vpn').templateFullPath,
    });
  });

  it('lets a stack without resources synthesise', () => {
    // Prepare
    const app = new App({ outdir: newOutdir() });
    Validations.of(app).addPlugins(new ConnectionLoggingPolicyValidationPlugin());
    const empty = new Stack(app, 'Empty');
    // CDK's own validation warns of an empty Resources section: the point of this test, so acknowledged.
    Validations.of(empty).acknowledge({
      id: 'CloudFormation-Validate::F0001',
      reason: 'the stack is empty on purpose: the plugin must let it synthesise',
    });
    // Act / Assess
    expect(() => app.synth()).not.toThrow();
  });

  it('names its rules', () => {
    // Act
    const check = new ConnectionLoggingPolicyValidationPlugin();
    // Assess
    expect(check.name).toBe('client-vpn-connection-logging');
    expect(check.ruleIds).toEqual(
      expect.arrayContaining([POLICY_RULE_NAMES.enabled, POLICY_RULE_NAMES.prefix, UNSEEN_CONTENT_RULE]),
    );
  });
});
