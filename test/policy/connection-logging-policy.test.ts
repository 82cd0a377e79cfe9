import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CfnGuardBinaryNotFoundError, cfnGuardBinaryPath } from '../../policy/cfn-guard-binary';
import {
  ADVISORIES_FILE_NAME,
  FOR_EACH_DEPTH,
  POLICY_FILE_NAME,
  POLICY_RULE_NAMES as RULE,
  type PolicyParameters,
  renderConnectionLoggingAdvisories,
  renderConnectionLoggingPolicy,
} from '../../policy/connection-logging-policy';
import { CfnGuardError, evaluateTemplatesWithGuard, type PolicyFinding } from '../../policy/guard-evaluation';
import { readTemplateFile } from '../../policy/template-files';
import { InvalidRuleParameterError } from '../../rule/errors';

// Every test here runs the real cfn-guard 3 binary from node_modules on templates written to disk.

const STRICT: PolicyParameters = {
  minRetentionDays: 365,
  requireKmsEncryption: true,
  logGroupNamePrefix: '/aws/clientvpn/',
};
const DEFAULTS: PolicyParameters = { requireKmsEncryption: false };
const RETENTION_AND_KEY: PolicyParameters = { minRetentionDays: 365, requireKmsEncryption: true };
const KEY = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

type Resources = Record<string, unknown>;

function endpoint(connectionLogOptions?: Record<string, unknown>): Record<string, unknown> {
  return {
    Type: 'AWS::EC2::ClientVpnEndpoint',
    Properties: {
      ClientCidrBlock: '10.0.0.0/22',
      ServerCertificateArn:
        'arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-0000-0000-000000000000',
      AuthenticationOptions: [{ Type: 'certificate-authentication' }],
      ...(connectionLogOptions === undefined ? {} : { ConnectionLogOptions: connectionLogOptions }),
    },
  };
}

function logGroup(properties?: Record<string, unknown>): Record<string, unknown> {
  return properties === undefined
    ? { Type: 'AWS::Logs::LogGroup' }
    : { Type: 'AWS::Logs::LogGroup', Properties: properties };
}

const logsTo = (group: unknown): Record<string, unknown> => ({ Enabled: true, CloudwatchLogGroup: group });
const GOOD_GROUP = { LogGroupName: '/aws/clientvpn/main', RetentionInDays: 400, KmsKeyId: KEY };

// Loops Fn::ForEach::L1 > ::L2 > ... nested depth deep, the innermost declaring body.
function nestedLoops(depth: number, body: Resources): Resources {
  let resources = body;
  for (let level = depth; level >= 1; level--)
    resources = { [`Fn::ForEach::L${level}`]: [`V${level}`, ['x'], resources] };
  return resources;
}

interface PolicyCase {
  readonly name: string;
  readonly parameters: PolicyParameters;
  readonly resources: Resources;
  /** `LogicalId RULE` for failures, `warning: LogicalId RULE` for warnings. */
  readonly expected: readonly string[];
}

const CASES: readonly PolicyCase[] = [
  {
    name: 'passes an endpoint logging to a Ref of a log group of the template',
    parameters: DEFAULTS,
    resources: { Group: logGroup(), Endpoint: endpoint(logsTo({ Ref: 'Group' })) },
    expected: [],
  },
  {
    name: 'refuses an endpoint whose logging is disabled',
    parameters: DEFAULTS,
    resources: { Endpoint: endpoint({ Enabled: false }) },
    expected: [`Endpoint ${RULE.enabled}`],
  },
  {
    name: 'refuses an endpoint without ConnectionLogOptions',
    parameters: DEFAULTS,
    resources: { Endpoint: endpoint() },
    expected: [`Endpoint ${RULE.enabled}`],
  },
  {
    name: 'passes Enabled given as the string "true"',
    parameters: DEFAULTS,
    resources: { Endpoint: endpoint({ Enabled: 'true', CloudwatchLogGroup: '/aws/clientvpn/a' }) },
    expected: [],
  },
  {
    name: 'refuses Enabled given as the string "false"',
    parameters: DEFAULTS,
    resources: { Endpoint: endpoint({ Enabled: 'false', CloudwatchLogGroup: '/aws/clientvpn/a' }) },
    expected: [`Endpoint ${RULE.enabled}`],
  },
  {
    name: 'refuses Enabled hidden behind Fn::If',
    parameters: DEFAULTS,
    resources: {
      Endpoint: endpoint({ Enabled: { 'Fn::If': ['Prod', true, false] }, CloudwatchLogGroup: 'a' }),
    },
    expected: [`Endpoint ${RULE.enabled}`],
  },
  {
    name: 'refuses enabled logging that names no log group',
    parameters: DEFAULTS,
    resources: { Endpoint: endpoint({ Enabled: true }) },
    expected: [`Endpoint ${RULE.logGroupNamed}`],
  },
  {
    name: 'refuses enabled logging to an empty log group name',
    parameters: DEFAULTS,
    resources: { Endpoint: endpoint(logsTo('')) },
    expected: [`Endpoint ${RULE.logGroupNamed}`],
  },
  {
    name: 'passes a literal log group name under the defaults',
    parameters: DEFAULTS,
    resources: { Endpoint: endpoint(logsTo('any-group')) },
    expected: [],
  },
  {
    name: 'refuses Fn::GetAtt of a log group (its ARN, not its name) with retention and key',
    parameters: DEFAULTS,
    resources: {
      Group: logGroup(GOOD_GROUP),
      Endpoint: endpoint(logsTo({ 'Fn::GetAtt': ['Group', 'Arn'] })),
    },
    expected: [`Endpoint ${RULE.logGroupNotArn}`],
  },
  {
    name: 'refuses Fn::GetAtt of a log group without retention and key',
    parameters: STRICT,
    resources: { Group: logGroup(), Endpoint: endpoint(logsTo({ 'Fn::GetAtt': ['Group', 'Arn'] })) },
    // The name is hidden behind the ARN, so the prefix cannot be shown either.
    expected: [`Endpoint ${RULE.logGroupNotArn}`, `Endpoint ${RULE.prefix}`],
  },
  {
    name: 'warns of a log group imported from another stack under the defaults',
    parameters: DEFAULTS,
    resources: { Endpoint: endpoint(logsTo({ 'Fn::ImportValue': 'SharedLogGroup' })) },
    expected: [`warning: Endpoint ${RULE.resolvable}`],
  },
  {
    name: 'warns of an Fn::Sub name with variables under the defaults',
    parameters: DEFAULTS,
    resources: { Endpoint: endpoint(logsTo({ 'Fn::Sub': '/aws/clientvpn/${Environment}' })) },
    expected: [`warning: Endpoint ${RULE.resolvable}`],
  },
  {
    name: 'passes an Fn::Sub name without variables',
    parameters: DEFAULTS,
    resources: { Endpoint: endpoint(logsTo({ 'Fn::Sub': '/aws/clientvpn/fixed' })) },
    expected: [],
  },
  {
    name: 'passes a template without any endpoint',
    parameters: STRICT,
    resources: { Bucket: { Type: 'AWS::S3::Bucket' }, Group: logGroup({ RetentionInDays: 1 }) },
    expected: [],
  },
  {
    name: 'passes a Ref to a group with enough retention, a key and a prefixed name',
    parameters: STRICT,
    resources: { Group: logGroup(GOOD_GROUP), Endpoint: endpoint(logsTo({ Ref: 'Group' })) },
    expected: [],
  },
  {
    name: 'passes a Ref to a group without RetentionInDays (never expires)',
    parameters: STRICT,
    resources: {
      Group: logGroup({ LogGroupName: '/aws/clientvpn/main', KmsKeyId: KEY }),
      Endpoint: endpoint(logsTo({ Ref: 'Group' })),
    },
    expected: [],
  },
  {
    name: 'passes RetentionInDays written as a string',
    parameters: STRICT,
    resources: {
      Group: logGroup({ ...GOOD_GROUP, RetentionInDays: '731' }),
      Endpoint: endpoint({ Enabled: 'true', CloudwatchLogGroup: { Ref: 'Group' } }),
    },
    expected: [],
  },
  {
    name: 'refuses a Ref to a group keeping events fewer days than minRetentionDays',
    parameters: STRICT,
    resources: {
      Group: logGroup({ ...GOOD_GROUP, RetentionInDays: 30 }),
      Endpoint: endpoint(logsTo({ Ref: 'Group' })),
    },
    expected: [`Endpoint ${RULE.retention}`],
  },
  {
    name: 'refuses a group whose RetentionInDays is a parameter',
    parameters: STRICT,
    resources: {
      Group: logGroup({ ...GOOD_GROUP, RetentionInDays: { Ref: 'Days' } }),
      Endpoint: endpoint(logsTo({ Ref: 'Group' })),
    },
    expected: [`Endpoint ${RULE.retention}`],
  },
  {
    name: 'refuses a Ref to a group without KmsKeyId when encryption is required',
    parameters: STRICT,
    resources: {
      Group: logGroup({ LogGroupName: '/aws/clientvpn/main', RetentionInDays: 400 }),
      Endpoint: endpoint(logsTo({ Ref: 'Group' })),
    },
    expected: [`Endpoint ${RULE.kmsKey}`],
  },
  {
    name: 'passes a group without KmsKeyId when encryption is not required',
    parameters: { ...STRICT, requireKmsEncryption: false },
    resources: {
      Group: logGroup({ LogGroupName: '/aws/clientvpn/main', RetentionInDays: 400 }),
      Endpoint: endpoint(logsTo({ Ref: 'Group' })),
    },
    expected: [],
  },
  {
    name: 'refuses a Ref to a group whose name CloudFormation generates when a prefix is required',
    parameters: STRICT,
    resources: {
      Group: logGroup({ RetentionInDays: 400, KmsKeyId: KEY }),
      Endpoint: endpoint(logsTo({ Ref: 'Group' })),
    },
    expected: [`Endpoint ${RULE.prefix}`],
  },
  {
    name: 'passes a Ref to a group named by an Fn::Sub that starts with the prefix',
    parameters: STRICT,
    resources: {
      Group: logGroup({ ...GOOD_GROUP, LogGroupName: { 'Fn::Sub': '/aws/clientvpn/${AWS::StackName}' } }),
      Endpoint: endpoint(logsTo({ Ref: 'Group' })),
    },
    expected: [],
  },
  {
    name: 'refuses a Ref to a group named by an Fn::Sub that does not start with the prefix',
    parameters: STRICT,
    resources: {
      Group: logGroup({ ...GOOD_GROUP, LogGroupName: { 'Fn::Sub': '/other/${AWS::StackName}' } }),
      Endpoint: endpoint(logsTo({ Ref: 'Group' })),
    },
    expected: [`Endpoint ${RULE.prefix}`],
  },
  {
    name: 'refuses a Ref to a group named by an Fn::Sub list whose text does not start with the prefix',
    parameters: STRICT,
    resources: {
      Group: logGroup({ ...GOOD_GROUP, LogGroupName: { 'Fn::Sub': ['/other/${Env}', { Env: 'prod' }] } }),
      Endpoint: endpoint(logsTo({ Ref: 'Group' })),
    },
    expected: [`Endpoint ${RULE.prefix}`],
  },
  {
    name: 'passes a Ref to a group named by an Fn::Sub list whose text starts with the prefix',
    parameters: STRICT,
    resources: {
      Group: logGroup({
        ...GOOD_GROUP,
        LogGroupName: { 'Fn::Sub': ['/aws/clientvpn/${Env}', { Env: 'prod' }] },
      }),
      Endpoint: endpoint(logsTo({ Ref: 'Group' })),
    },
    expected: [],
  },
  {
    name: 'refuses a Ref to a group whose literal name lacks the prefix',
    parameters: STRICT,
    resources: {
      Group: logGroup({ ...GOOD_GROUP, LogGroupName: '/other/main' }),
      Endpoint: endpoint(logsTo({ Ref: 'Group' })),
    },
    expected: [`Endpoint ${RULE.prefix}`],
  },
  {
    name: 'refuses a Ref to a group whose name is imported when a prefix is required',
    parameters: STRICT,
    resources: {
      Group: logGroup({ ...GOOD_GROUP, LogGroupName: { 'Fn::ImportValue': 'Name' } }),
      Endpoint: endpoint(logsTo({ Ref: 'Group' })),
    },
    expected: [`Endpoint ${RULE.prefix}`],
  },
  {
    name: 'refuses a literal name without the prefix, and warns its group is outside the template',
    parameters: STRICT,
    resources: { Endpoint: endpoint(logsTo('/other/group')) },
    expected: [`Endpoint ${RULE.prefix}`, `warning: Endpoint ${RULE.inTemplate}`],
  },
  {
    name: 'passes a prefixed literal name, warning that its retention and key are not checkable',
    parameters: STRICT,
    resources: { Endpoint: endpoint(logsTo('/aws/clientvpn/shared')) },
    expected: [`warning: Endpoint ${RULE.inTemplate}`],
  },
  {
    name: 'passes the prefix of an Fn::Sub name whose literal text starts with it, refusing its unknowable retention and key',
    parameters: STRICT,
    resources: { Endpoint: endpoint(logsTo({ 'Fn::Sub': ['/aws/clientvpn/${Env}', { Env: 'prod' }] })) },
    expected: [
      `warning: Endpoint ${RULE.resolvable}`,
      `Endpoint ${RULE.retention}`,
      `Endpoint ${RULE.kmsKey}`,
    ],
  },
  {
    name: 'refuses an Fn::Sub name that does not start with the prefix',
    parameters: STRICT,
    resources: { Endpoint: endpoint(logsTo({ 'Fn::Sub': '${Env}/clientvpn' })) },
    expected: [
      `Endpoint ${RULE.prefix}`,
      `warning: Endpoint ${RULE.resolvable}`,
      `Endpoint ${RULE.retention}`,
      `Endpoint ${RULE.kmsKey}`,
    ],
  },
  {
    name: 'refuses an imported name when a prefix is required (it cannot be shown)',
    parameters: STRICT,
    resources: {
      Group: logGroup(GOOD_GROUP),
      Endpoint: endpoint(logsTo({ 'Fn::ImportValue': 'SharedLogGroup' })),
    },
    expected: [
      `Endpoint ${RULE.prefix}`,
      `warning: Endpoint ${RULE.resolvable}`,
      `Endpoint ${RULE.retention}`,
      `Endpoint ${RULE.kmsKey}`,
    ],
  },
  {
    name: 'judges each endpoint by its own group',
    parameters: STRICT,
    resources: {
      Good: logGroup(GOOD_GROUP),
      Short: logGroup({ ...GOOD_GROUP, RetentionInDays: 7 }),
      UsesGood: endpoint(logsTo({ Ref: 'Good' })),
      UsesShort: endpoint(logsTo({ Ref: 'Short' })),
    },
    expected: [`UsesShort ${RULE.retention}`],
  },
  ...(['True', 'TRUE'] as const).map((enabled): PolicyCase => ({
    name: `passes Enabled given as the string "${enabled}", true to CloudFormation and cfn-lint`,
    parameters: DEFAULTS,
    resources: { Endpoint: endpoint({ Enabled: enabled, CloudwatchLogGroup: '/aws/clientvpn/a' }) },
    expected: [],
  })),
  ...([[], [true], 'yes', 1] as const).map((enabled): PolicyCase => ({
    name: `refuses Enabled given as ${JSON.stringify(enabled)}, which is not a boolean true`,
    parameters: DEFAULTS,
    resources: { Endpoint: endpoint({ Enabled: enabled, CloudwatchLogGroup: '/aws/clientvpn/a' }) },
    expected: [`Endpoint ${RULE.enabled}`],
  })),
  ...(
    [
      ['an empty string', ''],
      ['!Ref AWS::NoValue', { Ref: 'AWS::NoValue' }],
      ['a whitespace-only string', ' '],
      ['!Sub ""', { 'Fn::Sub': '' }],
      ['an Fn::Sub of nothing but a variable', { 'Fn::Sub': '${KeyParam}' }],
      ['!Join ["", []]', { 'Fn::Join': ['', []] }],
      ['an Fn::If whose other branch is NoValue', { 'Fn::If': ['Never', KEY, { Ref: 'AWS::NoValue' }] }],
      ['an Fn::If whose first branch is NoValue', { 'Fn::If': ['Never', { Ref: 'AWS::NoValue' }, KEY] }],
      ['a parameter Ref, whatever its Default', { Ref: 'KeyParam' }],
    ] as const
  ).map(([label, kmsKeyId]): PolicyCase => ({
    name: `refuses a group whose KmsKeyId is ${label}: it is no key`,
    parameters: RETENTION_AND_KEY,
    resources: {
      Group: logGroup({ ...GOOD_GROUP, KmsKeyId: kmsKeyId }),
      Endpoint: endpoint(logsTo({ Ref: 'Group' })),
    },
    expected: [`Endpoint ${RULE.kmsKey}`],
  })),
  ...(
    [
      ['an Fn::GetAtt of a key', { 'Fn::GetAtt': ['Key', 'Arn'] }],
      [
        'an Fn::Sub with literal text',
        { 'Fn::Sub': 'arn:${AWS::Partition}:kms:eu-west-1:111122223333:key/x' },
      ],
    ] as const
  ).map(([label, kmsKeyId]): PolicyCase => ({
    name: `passes a group whose KmsKeyId is ${label}`,
    parameters: RETENTION_AND_KEY,
    resources: {
      Key: { Type: 'AWS::KMS::Key' },
      Group: logGroup({ ...GOOD_GROUP, KmsKeyId: kmsKeyId }),
      Endpoint: endpoint(logsTo({ Ref: 'Group' })),
    },
    expected: [],
  })),
  ...(
    [
      ["Fn::Sub '${Short}'", { 'Fn::Sub': '${Short}' }],
      ["Fn::Sub ['${Short}', {}]", { 'Fn::Sub': ['${Short}', {}] }],
      ["Fn::Join ['', [Ref Short]]", { 'Fn::Join': ['', [{ Ref: 'Short' }]] }],
      ['its literal LogGroupName', '/aws/clientvpn/short'],
    ] as const
  ).map(([label, reference]): PolicyCase => ({
    name: `judges the retention and key of the template's own group named by ${label}`,
    parameters: RETENTION_AND_KEY,
    resources: {
      Short: logGroup({ LogGroupName: '/aws/clientvpn/short', RetentionInDays: 7 }),
      Endpoint: endpoint(logsTo(reference)),
    },
    expected: [`Endpoint ${RULE.retention}`, `Endpoint ${RULE.kmsKey}`],
  })),
  ...(
    [
      ["Fn::Sub ['${X}', {X: !Ref Short}]", { 'Fn::Sub': ['${X}', { X: { Ref: 'Short' } }] }],
      ["Fn::Join ['', [!Ref Short, '']]", { 'Fn::Join': ['', [{ Ref: 'Short' }, '']] }],
      [
        "Fn::Join ['', [!Ref Short, !Ref Short]], which the policy cannot resolve",
        { 'Fn::Join': ['', [{ Ref: 'Short' }, { Ref: 'Short' }]] },
      ],
      [
        "Fn::Join [!Ref Sep, [!Ref Short, '']], whose delimiter the policy cannot resolve",
        { 'Fn::Join': [{ Ref: 'Sep' }, [{ Ref: 'Short' }, '']] },
      ],
      [
        'Fn::Sub [!Ref Short, {}], whose text the policy cannot resolve',
        { 'Fn::Sub': [{ Ref: 'Short' }, {}] },
      ],
      ['a list, which the policy cannot resolve', ['/aws/clientvpn/short']],
      [
        'Fn::Select [0, [!Ref Short]], which the policy cannot resolve',
        { 'Fn::Select': [0, [{ Ref: 'Short' }]] },
      ],
      ['a parameter Ref, which is no group of the template', { Ref: 'GroupName' }],
      [
        "Fn::Sub ['${X}', {X: !If ...}], which the policy cannot resolve",
        { 'Fn::Sub': ['${X}', { X: { 'Fn::If': ['C', 'a', 'b'] } }] },
      ],
    ] as const
  ).map(([label, reference]): PolicyCase => ({
    name: `refuses the retention and key of a group named by ${label}`,
    parameters: RETENTION_AND_KEY,
    resources: {
      Short: logGroup({ LogGroupName: '/aws/clientvpn/short', RetentionInDays: 7 }),
      Endpoint: endpoint(logsTo(reference)),
    },
    expected: [
      `Endpoint ${RULE.retention}`,
      `Endpoint ${RULE.kmsKey}`,
      ...(label.includes('cannot resolve') || label.includes('parameter')
        ? [`warning: Endpoint ${RULE.resolvable}`]
        : []),
    ],
  })),
  {
    name: "passes the template's own compliant group named by Fn::Sub ['${X}', {X: !Ref Good}]",
    parameters: STRICT,
    resources: {
      Good: logGroup(GOOD_GROUP),
      Endpoint: endpoint(logsTo({ 'Fn::Sub': ['${X}', { X: { Ref: 'Good' } }] })),
    },
    expected: [],
  },
  {
    name: "takes Fn::Sub ['${Good}', {Good: '/other/name'}] as the map's name, not the group Good",
    parameters: STRICT,
    resources: {
      Good: logGroup(GOOD_GROUP),
      Endpoint: endpoint(logsTo({ 'Fn::Sub': ['${Good}', { Good: '/other/name' }] })),
    },
    expected: [`Endpoint ${RULE.prefix}`, `warning: Endpoint ${RULE.inTemplate}`],
  },
  {
    name: "judges Fn::Sub ['${Good}', {Good: !Ref Short}] by the group Short the map names",
    parameters: RETENTION_AND_KEY,
    resources: {
      Good: logGroup(GOOD_GROUP),
      Short: logGroup({ RetentionInDays: 7 }),
      Endpoint: endpoint(logsTo({ 'Fn::Sub': ['${Good}', { Good: { Ref: 'Short' } }] })),
    },
    expected: [`Endpoint ${RULE.retention}`, `Endpoint ${RULE.kmsKey}`],
  },
  {
    name: "passes, without a warning, the template's own compliant group named by Fn::Sub '${Good}'",
    parameters: RETENTION_AND_KEY,
    resources: { Good: logGroup(GOOD_GROUP), Endpoint: endpoint(logsTo({ 'Fn::Sub': '${Good}' })) },
    expected: [],
  },
  ...(
    [
      ["Fn::Sub '${Good}'", { 'Fn::Sub': '${Good}' }],
      ["Fn::Join ['', [Ref Good]]", { 'Fn::Join': ['', [{ Ref: 'Good' }]] }],
      ['its literal LogGroupName', GOOD_GROUP.LogGroupName],
    ] as const
  ).map(([label, reference]): PolicyCase => ({
    name: `passes every rule, prefix included, for the template's own compliant group named by ${label}`,
    parameters: STRICT,
    resources: { Good: logGroup(GOOD_GROUP), Endpoint: endpoint(logsTo(reference)) },
    expected: [],
  })),
  {
    name: "refuses the prefix of the template's own unprefixed group named by Fn::Sub '${Other}'",
    parameters: STRICT,
    resources: {
      Other: logGroup({ ...GOOD_GROUP, LogGroupName: '/other/main' }),
      Endpoint: endpoint(logsTo({ 'Fn::Sub': '${Other}' })),
    },
    expected: [`Endpoint ${RULE.prefix}`],
  },
  {
    name: 'refuses the retention and key of an Fn::Join of a literal and a Ref, which names no group of the template',
    parameters: RETENTION_AND_KEY,
    resources: {
      Good: logGroup(GOOD_GROUP),
      Endpoint: endpoint(logsTo({ 'Fn::Join': ['', ['/x/', { Ref: 'Good' }]] })),
    },
    expected: [
      `warning: Endpoint ${RULE.resolvable}`,
      `Endpoint ${RULE.retention}`,
      `Endpoint ${RULE.kmsKey}`,
    ],
  },
  {
    name: 'refuses Client VPN endpoints generated by Fn::ForEach',
    parameters: DEFAULTS,
    resources: {
      'Fn::ForEach::Endpoints': [
        'Name',
        ['A', 'B'],
        { 'Endpoint${Name}': endpoint(logsTo('/aws/clientvpn/a')) },
      ],
    },
    expected: [`Fn::ForEach::Endpoints ${RULE.notGenerated}`],
  },
  {
    name: 'refuses Client VPN endpoints generated by an Fn::ForEach inside another',
    parameters: DEFAULTS,
    resources: {
      'Fn::ForEach::Outer': [
        'Env',
        ['dev', 'prod'],
        { 'Fn::ForEach::Inner': ['Name', ['A'], { 'Endpoint${Env}${Name}': endpoint({ Enabled: true }) }] },
      ],
    },
    expected: [`Fn::ForEach::Outer ${RULE.notGenerated}`],
  },
  {
    name: 'refuses Client VPN endpoints of an inner Fn::ForEach beside other resources of the outer one',
    parameters: DEFAULTS,
    resources: {
      'Fn::ForEach::Outer': [
        'Env',
        ['dev'],
        {
          'Topic${Env}': { Type: 'AWS::SNS::Topic' },
          'Fn::ForEach::Inner': [
            'Name',
            ['A'],
            { 'Endpoint${Env}${Name}': endpoint(logsTo('/aws/clientvpn/a')) },
          ],
        },
      ],
    },
    expected: [`Fn::ForEach::Outer ${RULE.notGenerated}`],
  },
  ...[3, 4, FOR_EACH_DEPTH].map((depth): PolicyCase => ({
    name: `refuses Client VPN endpoints generated by Fn::ForEach loops nested ${depth} deep`,
    parameters: DEFAULTS,
    resources: nestedLoops(depth, { 'Endpoint${L1}': endpoint({ Enabled: false }) }),
    expected: [`Fn::ForEach::L1 ${RULE.notGenerated}`],
  })),
  {
    name: 'passes an Fn::ForEach that generates no Client VPN endpoint',
    parameters: DEFAULTS,
    resources: {
      'Fn::ForEach::Topics': ['Name', ['A', 'B'], { 'Topic${Name}': { Type: 'AWS::SNS::Topic' } }],
    },
    expected: [],
  },
];

// A template file as check-template parses it, reported by its path.
function parsedFile(file: string): { name: string; body: Record<string, unknown> } {
  return { name: file, body: readTemplateFile(file, file).body };
}

function describeFinding(finding: PolicyFinding): string {
  return `${finding.severity === 'warning' ? 'warning: ' : ''}${finding.logicalId} ${finding.rule}`;
}

describe('the Client VPN connection-logging Guard policy on cfn-guard', () => {
  let directory: string;
  const findingsByCase = new Map<string, PolicyFinding[]>();

  beforeAll(() => {
    // Prepare: one template file per case; Act: one cfn-guard run per parameter set.
    directory = mkdtempSync(path.join(tmpdir(), 'guard-policy-test-'));
    const byParameters = new Map<PolicyParameters, string[]>();
    CASES.forEach((testCase, index) => {
      const file = path.join(directory, `case-${index}.json`);
      writeFileSync(file, JSON.stringify({ Resources: testCase.resources }));
      byParameters.set(testCase.parameters, [...(byParameters.get(testCase.parameters) ?? []), file]);
    });
    for (const [parameters, files] of byParameters) {
      const findings = evaluateTemplatesWithGuard({ templates: files.map(parsedFile), parameters });
      for (const file of files)
        findingsByCase.set(
          file,
          findings.filter((f) => f.template === file),
        );
    }
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it.each(CASES.map((testCase, index) => [testCase.name, index] as const))('%s', (_name, index) => {
    // Assess
    const found = (findingsByCase.get(path.join(directory, `case-${index}.json`)) ?? []).map(describeFinding);
    expect(found.sort()).toEqual([...CASES[index].expected].sort());
  });

  it('names the endpoint and the fix in every finding', () => {
    // Assess: over every case's findings
    const all = [...findingsByCase.values()].flat();
    expect(all.length).toBeGreaterThan(20);
    for (const finding of all) {
      expect(finding.message).toContain(`Client VPN endpoint ${finding.logicalId}:`);
      expect(finding.message).toMatch(/ Fix: .+\.$/);
    }
  });

  it('judges a template of many resources, failing exactly the endpoints of short-lived groups', () => {
    // Prepare: 400 endpoints, each with its own group; every seventh group keeps events one day.
    const resources: Resources = {};
    const expected: string[] = [];
    for (let index = 0; index < 400; index++) {
      const short = index % 7 === 0;
      resources[`Group${index}`] = logGroup({ RetentionInDays: short ? 1 : 3653 });
      resources[`Endpoint${index}`] = endpoint(logsTo({ Ref: `Group${index}` }));
      resources[`Bucket${index}`] = { Type: 'AWS::S3::Bucket' };
      if (short) expected.push(`Endpoint${index}`);
    }
    const file = path.join(directory, 'many.json');
    writeFileSync(file, JSON.stringify({ Resources: resources }));
    // Act
    const findings = evaluateTemplatesWithGuard({
      templates: [parsedFile(file)],
      parameters: { minRetentionDays: 30, requireKmsEncryption: false },
    });
    // Assess
    expect(findings.every((f) => f.rule === RULE.retention)).toBe(true);
    expect(findings.map((f) => f.logicalId).sort()).toEqual(expected.sort());
  });

  it('reads YAML templates with short-form tags as CloudFormation writes them', () => {
    // Prepare
    const fixtures = path.join(__dirname, '..', 'fixtures', 'templates');
    // Act
    const findings = evaluateTemplatesWithGuard({
      templates: [
        path.join(fixtures, 'compliant-endpoint.yaml'),
        path.join(fixtures, 'non-compliant-endpoints.yaml'),
      ].map(parsedFile),
      parameters: STRICT,
    });
    // Assess: `!GetAtt Group.Arn` arrives as the dotted string form.
    expect(
      findings.filter((f) => f.template.endsWith('compliant-endpoint.yaml') && !f.template.includes('non-')),
    ).toEqual([]);
    expect(
      findings
        .filter((f) => f.severity === 'failure')
        .map(describeFinding)
        .sort(),
    ).toEqual(
      [
        `LoggingOff ${RULE.enabled}`,
        `LogsToArn ${RULE.logGroupNotArn}`,
        `LogsToArn ${RULE.prefix}`,
        `LogsToImportedGroup ${RULE.prefix}`,
        `LogsToImportedGroup ${RULE.retention}`,
        `LogsToImportedGroup ${RULE.kmsKey}`,
      ].sort(),
    );
  });

  it('fails loudly when cfn-guard cannot evaluate', () => {
    // Prepare: a binary that is not cfn-guard
    const file = path.join(directory, 'case-0.json');
    // Act / Assess
    expect(() =>
      evaluateTemplatesWithGuard({ templates: [parsedFile(file)], guardBinary: '/bin/false' }),
    ).toThrow(CfnGuardError);
  });

  it.each([
    ['reports on no template', '[]', 'reported on 0 of the 2 template(s)'],
    [
      'reports on a file it was not handed',
      '[{"name":"/elsewhere/other.json","not_compliant":[]}]',
      'not one of the templates handed to it',
    ],
    [
      'reports twice on one template',
      '[{"name":"DIR/0.json"},{"name":"DIR/0.json"}]',
      'not one of the templates handed to it',
    ],
  ])('refuses, rather than passes, when cfn-guard %s', (_name, printed, message) => {
    // Prepare: a stand-in for cfn-guard that exits 0 (all pass) and prints the given results
    const fake = path.join(directory, `fake-guard-${_name.replace(/\W+/g, '-')}.sh`);
    writeFileSync(
      fake,
      `#!/bin/sh\nfor a; do case "$a" in */0.json) d=$(dirname "$a");; esac; done\necho '${printed}' | sed "s|DIR|$d|g"\n`,
      { mode: 0o755 },
    );
    const file = path.join(directory, 'case-0.json');
    // Act / Assess
    expect(() =>
      evaluateTemplatesWithGuard({ templates: [parsedFile(file), parsedFile(file)], guardBinary: fake }),
    ).toThrow(message);
  });
});

describe('the committed rule files', () => {
  it.each([
    [POLICY_FILE_NAME, renderConnectionLoggingPolicy],
    [ADVISORIES_FILE_NAME, renderConnectionLoggingAdvisories],
  ] as const)(
    '%s is the rendering for the Config rule defaults (npx tsx policy/write-policy-files.ts)',
    (file, render) => {
      // Act
      const committed = readFileSync(path.join(__dirname, '..', '..', 'policy', file), 'utf8');
      // Assess
      expect(committed).toBe(render());
    },
  );

  it('parse on cfn-guard for the defaults and for every optional rule', () => {
    // Prepare
    const directory = mkdtempSync(path.join(tmpdir(), 'guard-parse-'));
    try {
      const files = [
        renderConnectionLoggingPolicy(),
        renderConnectionLoggingAdvisories(),
        renderConnectionLoggingPolicy(STRICT),
        renderConnectionLoggingAdvisories(STRICT),
        renderConnectionLoggingPolicy({ minRetentionDays: 5000, requireKmsEncryption: false }),
      ].map((text, index) => {
        const file = path.join(directory, `rules-${index}.guard`);
        writeFileSync(file, text);
        return file;
      });
      // Act: `parse-tree` parses without evaluating
      for (const file of files) {
        const parsed = spawnSync(cfnGuardBinaryPath(), ['parse-tree', '--rules', file], { encoding: 'utf8' });
        // Assess
        expect({ file, status: parsed.status, stderr: parsed.stderr }).toEqual({
          file,
          status: 0,
          stderr: '',
        });
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('leaves out the rules of parameters that are unset', () => {
    // Act
    const text = renderConnectionLoggingPolicy();
    // Assess
    expect(text).not.toMatch(new RegExp(`rule ${RULE.retention}|rule ${RULE.kmsKey}|rule ${RULE.prefix}`));
    expect(renderConnectionLoggingPolicy(STRICT)).toMatch(/rule CLIENT_VPN_CONNECTION_LOG_GROUP_RETENTION/);
  });

  it.each([
    [{ minRetentionDays: 0, requireKmsEncryption: false }, 'minRetentionDays'],
    [{ minRetentionDays: 1.5, requireKmsEncryption: false }, 'minRetentionDays'],
    [{ logGroupNamePrefix: 'bad prefix*', requireKmsEncryption: false }, 'logGroupNamePrefix'],
  ])('refuses to render %j', (parameters, name) => {
    // Act / Assess
    expect(() => renderConnectionLoggingPolicy(parameters)).toThrow(InvalidRuleParameterError);
    expect(() => renderConnectionLoggingAdvisories(parameters)).toThrow(`"${name}"`);
  });
});

describe('cfnGuardBinaryPath', () => {
  it('finds cfn-guard 3 inside @cdklabs/cdk-validator-cfnguard', () => {
    // Act
    const version = spawnSync(cfnGuardBinaryPath(), ['--version'], { encoding: 'utf8' });
    // Assess
    expect(cfnGuardBinaryPath()).toContain(
      path.join('node_modules', '@cdklabs', 'cdk-validator-cfnguard', 'bin'),
    );
    expect(version.stdout).toMatch(/^cfn-guard 3\.\d+\.\d+/);
  });

  it('refuses a platform the package has no build for', () => {
    // Act / Assess
    expect(() => cfnGuardBinaryPath('win32', 'x64')).toThrow(CfnGuardBinaryNotFoundError);
    expect(() => cfnGuardBinaryPath('linux', 'ia32')).toThrow('not linux/ia32');
  });
});
