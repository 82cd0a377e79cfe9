import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  DEFAULT_LOG_GROUP_NAME_PREFIX,
  RUNBOOK_PATH,
  calledIamActions,
  loadRunbook,
  requiredIamActions,
  SCRIPT_ACTION,
  scriptApiCalls,
  type AutomationDocument,
  type AutomationStep,
} from '../../remediation/runbook';
import { RUNBOOK_CHECKS, validateRunbook, type RunbookCheck } from './runbook-validator';

const REMEDIATION_DIR = dirname(RUNBOOK_PATH);
const RUNBOOK_FILES = readdirSync(REMEDIATION_DIR)
  .filter((file) => file.endsWith('.yaml'))
  .sort();

// Client VPN needs these when it starts writing connection logs; no step calls them.
const SERVICE_REQUIRED_ACTIONS = ['logs:CreateLogStream', 'logs:DescribeLogStreams'];

type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };

function editable(): Mutable<AutomationDocument> {
  return structuredClone(loadRunbook()) as Mutable<AutomationDocument>;
}

function step(document: Mutable<AutomationDocument>, name: string): Mutable<AutomationStep> {
  const found = document.mainSteps.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`the runbook has no step ${name}`);
  return found;
}

function problemsOf(document: AutomationDocument, check: RunbookCheck): string[] {
  return validateRunbook(document)
    .filter((problem) => problem.check === check)
    .map((problem) => problem.message);
}

describe('the runbooks in remediation/', () => {
  it('include EnableClientVpnConnectionLogging.yaml', () => {
    // Assess
    expect(RUNBOOK_FILES).toContain('EnableClientVpnConnectionLogging.yaml');
  });

  describe.each(RUNBOOK_FILES)('%s', (file) => {
    const document = loadRunbook(join(REMEDIATION_DIR, file));

    it.each(RUNBOOK_CHECKS)('passes the "%s" check', (check) => {
      // Act
      const problems = problemsOf(document, check);

      // Assess
      expect(problems).toEqual([]);
    });
  });
});

describe('EnableClientVpnConnectionLogging', () => {
  it('lists, as required IAM permissions, exactly the actions its steps call plus those Client VPN needs', () => {
    // Prepare
    const document = loadRunbook();

    // Act
    const required = requiredIamActions(document);

    // Assess
    expect(required).toEqual([...calledIamActions(document), ...SERVICE_REQUIRED_ACTIONS].sort());
  });

  it("takes its script's AWS calls from the declared list", () => {
    // Prepare
    const script = loadRunbook().mainSteps.find((s) => s.action === SCRIPT_ACTION);

    // Act
    const calls = scriptApiCalls(script as AutomationStep);

    // Assess
    expect(calls).toEqual([
      { service: 'ec2', api: 'DescribeClientVpnEndpoints' },
      { service: 'logs', api: 'DescribeLogGroups' },
      { service: 'kms', api: 'DescribeKey' },
    ]);
  });

  it('calls the EC2, CloudWatch Logs and KMS APIs it needs and no other', () => {
    // Act
    const called = calledIamActions(loadRunbook());

    // Assess
    expect(called).toEqual([
      'ec2:DescribeClientVpnEndpoints',
      'ec2:ModifyClientVpnEndpoint',
      'kms:DescribeKey',
      'logs:AssociateKmsKey',
      'logs:CreateLogGroup',
      'logs:DescribeLogGroups',
      'logs:PutRetentionPolicy',
    ]);
  });

  it('defaults LogGroupNamePrefix to the managed prefix the infrastructure scopes the role to, and refuses an empty one', () => {
    // Prepare
    const prefix = loadRunbook().parameters.LogGroupNamePrefix;

    // Assess
    expect(prefix.default).toBe(DEFAULT_LOG_GROUP_NAME_PREFIX);
    expect(new RegExp(String(prefix.allowedPattern)).test('')).toBe(false);
  });

  it('modifies the endpoint with ConnectionLogOptions only', () => {
    // Prepare
    const modifies = loadRunbook().mainSteps.filter((s) => s.inputs.Api === 'ModifyClientVpnEndpoint');

    // Assess
    expect(modifies.length).toBeGreaterThan(0);
    for (const modify of modifies) {
      expect(Object.keys(modify.inputs).sort()).toEqual([
        'Api',
        'ClientVpnEndpointId',
        'ConnectionLogOptions',
        'Service',
      ]);
    }
  });
});

describe('validateRunbook', () => {
  it.each<[RunbookCheck, string, (document: Mutable<AutomationDocument>) => void, RegExp]>([
    ['schema version', 'a schema other than 0.3', (d) => void (d.schemaVersion = '2.2'), /not 0\.3/],
    [
      'description sections',
      'a description without "Output Parameters"',
      (d) => void (d.description = d.description.replace('## Output Parameters', '## Outputs')),
      /Output Parameters/,
    ],
    [
      'assume role',
      'a hard-coded assume role',
      (d) => void (d.assumeRole = 'arn:aws:iam::123456789012:role/x'),
      /assumeRole/,
    ],
    [
      'parameter patterns',
      'a String parameter without allowedPattern',
      (d) => void delete d.parameters.LogGroupName.allowedPattern,
      /LogGroupName has no allowedPattern/,
    ],
    [
      'parameter patterns',
      'a default outside allowedValues',
      (d) => void (d.parameters.RetentionInDays.default = 42),
      /RetentionInDays's default is not in its allowedValues/,
    ],
    [
      'step names',
      'a repeated step name',
      (d) => void (step(d, 'CreateLogGroup').name = 'CreateEncryptedLogGroup'),
      /CreateEncryptedLogGroup is repeated/,
    ],
    [
      'step targets',
      'a nextStep naming no step',
      (d) => void (step(d, 'RaiseRetentionPolicy').nextStep = 'ChooseKmsKey'),
      /goes to ChooseKmsKey, which does not exist/,
    ],
    [
      'step targets',
      'an onFailure naming no step',
      (d) => void (step(d, 'ReadLoggingState').onFailure = 'step:CreateGroup'),
      /goes to CreateGroup/,
    ],
    [
      'branch defaults',
      'a branch without Default',
      (d) => void delete step(d, 'ChooseKmsKeyAssociation').inputs.Default,
      /ChooseKmsKeyAssociation has no Default/,
    ],
    [
      'references',
      'an undeclared parameter',
      (d) => void (step(d, 'CreateLogGroup').inputs.logGroupName = '{{ GroupName }}'),
      /undeclared parameter \{\{ GroupName \}\}/,
    ],
    [
      'references',
      'an undeclared variable',
      (d) => void (step(d, 'CreateLogGroup').inputs.logGroupName = '{{ variable:Group }}'),
      /undeclared \{\{ variable:Group \}\}/,
    ],
    [
      'references',
      'an output read where its step may not have run',
      (d) =>
        void (step(d, 'CreateLogGroup').inputs.logGroupName =
          '{{ DescribeConnectionLogOptions.ConnectionLogOptions }}'),
      /CreateLogGroup can run without DescribeConnectionLogOptions having succeeded/,
    ],
    [
      'references',
      'an output no step declares',
      (d) => void (step(d, 'CreateLogGroup').inputs.logGroupName = '{{ ReadLoggingState.LogGroup }}'),
      /no such output/,
    ],
    [
      'reachability',
      'a step nothing leads to',
      (d) =>
        void ((step(d, 'ChooseLogGroupCreation').inputs.Choices as { NextStep: string }[])[1].NextStep =
          'CreateEncryptedLogGroup'),
      /step CreateLogGroup is unreachable/,
    ],
    [
      'SDK commands',
      'an API the SDK does not have',
      (d) => void (step(d, 'RaiseRetentionPolicy').inputs.Api = 'SetRetentionPolicy'),
      /exports no SetRetentionPolicyCommand/,
    ],
    [
      'SDK commands',
      'a service with no SDK package',
      (d) => void (step(d, 'RaiseRetentionPolicy').inputs.Service = 'cloudwatchlogs'),
      /@aws-sdk\/client-cloudwatchlogs is not installed/,
    ],
    [
      'allowed actions',
      'an action not allowed',
      (d) => void (step(d, 'SetNewLogGroupRetention').action = 'aws:invokeLambdaFunction'),
      /SetNewLogGroupRetention uses aws:invokeLambdaFunction, which is not one of the allowed actions/,
    ],
    [
      'allowed actions',
      'a variable update, no longer allowed',
      (d) => void (step(d, 'ChooseLogStream').action = 'aws:updateVariable'),
      /ChooseLogStream uses aws:updateVariable/,
    ],
    [
      'documented JSONPath',
      'a filter expression in a PropertySelector',
      (d) =>
        void (step(d, 'WaitForConnectionLogging').inputs.PropertySelector =
          '$.ClientVpnEndpoints[?(@.ConnectionLogOptions)].ConnectionLogOptions.Enabled'),
      /WaitForConnectionLogging: JSONPath .* is outside the subset Automation documents/,
    ],
    [
      'documented JSONPath',
      'a wildcard in an output Selector',
      (d) =>
        void ((step(d, 'DescribeConnectionLogOptions').outputs as { Selector: string }[])[0].Selector =
          '$.ClientVpnEndpoints[*].ConnectionLogOptions'),
      /DescribeConnectionLogOptions: JSONPath .* is outside the subset/,
    ],
    [
      'documented JSONPath',
      'a bracketed member name',
      (d) =>
        void ((step(d, 'ReadLoggingState').outputs as { Selector: string }[])[0].Selector =
          "$['Payload'].TargetLogGroup"),
      /ReadLoggingState: JSONPath .* is outside the subset/,
    ],
    [
      'API input members',
      'an executeAwsApi input the operation does not have',
      (d) => void (step(d, 'RaiseRetentionPolicy').inputs.retentionDays = 365),
      /RaiseRetentionPolicy: PutRetentionPolicy\.retentionDays is not a member of PutRetentionPolicyRequest/,
    ],
    [
      'API input members',
      'a nested input the structure does not have',
      (d) =>
        void ((
          step(d, 'EnableConnectionLogging').inputs.ConnectionLogOptions as Record<string, unknown>
        ).LogGroup = '/aws/clientvpn'),
      /EnableConnectionLogging: ModifyClientVpnEndpoint\.ConnectionLogOptions\.LogGroup is not a member of ConnectionLogOptions/,
    ],
    [
      'API input members',
      'an assert input the operation does not have',
      (d) => void (step(d, 'VerifyConnectionLogGroup').inputs.ClientVpnEndpointId = 'cvpn-endpoint-x'),
      /VerifyConnectionLogGroup: DescribeClientVpnEndpoints\.ClientVpnEndpointId is not a member/,
    ],
    [
      'API input members',
      'a wait input the operation does not have',
      (d) => void (step(d, 'WaitForConnectionLogging').inputs.MaxResult = 5),
      /WaitForConnectionLogging: DescribeClientVpnEndpoints\.MaxResult is not a member/,
    ],
    [
      'scripts',
      'a script runtime other than python3.11',
      (d) => void (step(d, 'ReadLoggingState').inputs.Runtime = 'python3.8'),
      /Runtime python3\.8 is not python3\.11/,
    ],
    [
      'scripts',
      'a Handler the script does not define',
      (d) => void (step(d, 'ReadLoggingState').inputs.Handler = 'script_handler'),
      /defines no handler script_handler/,
    ],
    [
      'scripts',
      'a script step whose AWS calls are not declared',
      (d) => void (step(d, 'ReadLoggingState').name = 'ReadState'),
      /step ReadState: The script of step ReadState has no entry in RUNBOOK_SCRIPTS/,
    ],
    [
      'scripts',
      'a Script that differs from its Python file',
      (d) =>
        void (step(d, 'ReadLoggingState').inputs.Script = String(
          step(d, 'ReadLoggingState').inputs.Script,
        ).replace('logs.describe_log_groups(', 'logs.describe_log_group(')),
      /the Script differs from remediation\/read_logging_state\.py/,
    ],
    [
      'scripts',
      'an output not selected from $.Payload',
      (d) =>
        void ((step(d, 'ReadLoggingState').outputs as { Selector: string }[])[0].Selector =
          '$.TargetLogGroup'),
      /output TargetLogGroup does not select from \$\.Payload/,
    ],
  ])('reports %s for %s', (check, _case, breakIt, expected) => {
    // Prepare
    const document = editable();
    breakIt(document);

    // Act
    const problems = problemsOf(document, check);

    // Assess
    expect(problems).toEqual([expect.stringMatching(expected)]);
  });
});
