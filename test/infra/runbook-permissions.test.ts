import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  calledIamActions,
  loadRunbook,
  SCRIPT_ACTION,
  UndeclaredScriptCallsError,
  type AutomationDocument,
  type AutomationStep,
} from '../../remediation/runbook';
import { RemediationRunbook } from '../../infra/constructs/remediation-runbook';
import {
  actionScope,
  actionsByScope,
  runbookActions,
  UnsafeLogGroupNamePrefixError,
  UnscopedRunbookActionError,
} from '../../infra/constructs/runbook-permissions';

describe('runbookActions', () => {
  it("derives service:Api from every API-calling step and adds the description's extra permissions", () => {
    // Act
    const actions = runbookActions(loadRunbook());
    // Assess
    expect(actions).toEqual([
      'ec2:DescribeClientVpnEndpoints',
      'ec2:ModifyClientVpnEndpoint',
      'kms:DescribeKey',
      'logs:AssociateKmsKey',
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:DescribeLogGroups',
      'logs:DescribeLogStreams',
      'logs:PutRetentionPolicy',
    ]);
  });
});

describe("runbookActions, taking the script's calls from RUNBOOK_SCRIPTS", () => {
  it('derives the calls declared for the script, which no step makes', () => {
    // Prepare
    const withoutScripts = {
      ...loadRunbook(),
      mainSteps: loadRunbook().mainSteps.filter((s) => s.action !== SCRIPT_ACTION),
    };

    // Act
    const actions = calledIamActions(loadRunbook());

    // Assess
    expect(actions).toEqual(expect.arrayContaining(['logs:DescribeLogGroups', 'kms:DescribeKey']));
    expect(calledIamActions(withoutScripts)).not.toContain('logs:DescribeLogGroups');
    expect(calledIamActions(withoutScripts)).not.toContain('kms:DescribeKey');
  });

  it('refuses a script step whose calls are not declared, naming it, so its permissions are never guessed', () => {
    // Prepare
    const runbook = structuredClone(loadRunbook()) as unknown as { mainSteps: AutomationStep[] };
    const script = runbook.mainSteps.find((s) => s.action === SCRIPT_ACTION) as { name: string };
    script.name = 'ReadEverything';

    // Act & Assess
    expect(() => runbookActions(runbook as unknown as AutomationDocument)).toThrow(
      UndeclaredScriptCallsError,
    );
    expect(() => runbookActions(runbook as unknown as AutomationDocument)).toThrow('step ReadEverything');
  });
});

describe('RemediationRunbook', () => {
  function automationPolicy(props: ConstructorParameters<typeof RemediationRunbook>[2]) {
    const stack = new Stack(new App(), 'Runbook');
    new RemediationRunbook(stack, 'Runbook', props);
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    return Object.values(policies).flatMap(
      (policy) =>
        (policy as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument
          .Statement,
    ) as { Action: string | string[]; Resource: unknown }[];
  }

  it.each([
    ['the default prefix', undefined, '/aws/clientvpn*'],
    ["the rule's prefix", '/security/clientvpn/', '/security/clientvpn/*'],
  ])('scopes every log-group write to %s', (_case, prefix, scope) => {
    // Act
    const statements = automationPolicy({ logGroupNamePrefix: prefix });

    // Assess
    const writes = statements.filter((statement) =>
      [statement.Action].flat().some((action) => action === 'logs:CreateLogGroup'),
    );
    expect(writes).toHaveLength(1);
    expect([writes[0].Action].flat().sort()).toEqual([
      'logs:AssociateKmsKey',
      'logs:CreateLogGroup',
      'logs:CreateLogStream',
      'logs:DescribeLogStreams',
      'logs:PutRetentionPolicy',
    ]);
    expect(JSON.stringify(writes[0].Resource)).toContain(`:log-group:${scope}"`);
  });

  it("allows kms:DescribeKey alone, on this region's keys only", () => {
    // Act
    const statements = automationPolicy({});

    // Assess
    const kms = statements.filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('kms:')),
    );
    expect(kms).toHaveLength(1);
    expect(kms[0].Action).toBe('kms:DescribeKey');
    expect(JSON.stringify(kms[0].Resource)).toMatch(/":kms:",\{"Ref":"AWS::Region"\},":\*:key\/\*"\]/);
  });

  it.each([
    ['empty, which would make the scope log-group:*', ''],
    ['an IAM wildcard', '*'],
    ['a character no log group name has', '/aws/client vpn'],
  ])('refuses a prefix that is %s', (_case, prefix) => {
    // Act & Assess
    expect(() => automationPolicy({ logGroupNamePrefix: prefix })).toThrow(UnsafeLogGroupNamePrefixError);
  });

  it.each([
    ['/', 'covers', '/aws/lambda/'],
    ['/aws', 'covers', '/aws/lambda/'],
    ['/aws/', 'covers', '/aws/lambda/'],
    ['/aws/vendedlogs', 'covers', '/aws/vendedlogs/'],
    ['/aws/lambda', 'covers', '/aws/lambda/'],
    ['/aws/rd', 'covers', '/aws/rds/'],
    ['/aws/lambda/my-function', 'lies inside', '/aws/lambda/'],
    ['/aws/rds/instance/orders/', 'lies inside', '/aws/rds/'],
    ['/aws/vendedlogs/clientvpn', 'lies inside', '/aws/vendedlogs/'],
    ['aws-waf', 'covers', 'aws-waf-logs-'],
  ])(
    "refuses the prefix %s, which %s another service's documented log groups (%s), naming both",
    (prefix, how, namespace) => {
      // Act & Assess
      expect(() => automationPolicy({ logGroupNamePrefix: prefix })).toThrow(UnsafeLogGroupNamePrefixError);
      expect(() => automationPolicy({ logGroupNamePrefix: prefix })).toThrow(
        `logGroupNamePrefix ${JSON.stringify(prefix)} cannot scope the automation role's log-group writes: it ${how} `,
      );
      expect(() => automationPolicy({ logGroupNamePrefix: prefix })).toThrow(`(${namespace}...`);
    },
  );

  it.each([
    ['a prefix of Client VPN logs', '/vpn/connection-logs', '/vpn/connection-logs*'],
    ['the default Client VPN prefix', '/aws/clientvpn', '/aws/clientvpn*'],
    ['a path below the default', '/aws/clientvpn/engineering/', '/aws/clientvpn/engineering/*'],
  ])('accepts %s (%s)', (_case, prefix, scope) => {
    // Act
    const statements = automationPolicy({ logGroupNamePrefix: prefix });

    // Assess
    expect(JSON.stringify(statements)).toContain(`:log-group:${scope}"`);
  });
});

describe('actionScope', () => {
  it.each([
    ['ec2:DescribeClientVpnEndpoints', 'any'],
    ['ec2:ModifyClientVpnEndpoint', 'client-vpn-endpoint'],
    ['logs:DescribeLogGroups', 'log-group'],
    ['logs:CreateLogGroup', 'managed-log-group'],
    ['logs:PutRetentionPolicy', 'managed-log-group'],
    ['logs:AssociateKmsKey', 'managed-log-group'],
    ['kms:DescribeKey', 'kms-key'],
  ])('scopes %s to %s', (action, scope) => {
    expect(actionScope(action)).toBe(scope);
  });

  it('refuses an action it has no reviewed scope for, naming it', () => {
    expect(() => actionScope('ec2:DeleteClientVpnEndpoint')).toThrow(UnscopedRunbookActionError);
    expect(() => actionsByScope(['logs:DeleteLogGroup'])).toThrow('"logs:DeleteLogGroup"');
  });
});
