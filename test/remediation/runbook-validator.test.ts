import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  RUNBOOK_PATH,
  calledIamActions,
  loadRunbook,
  requiredIamActions,
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

  it('calls the EC2 and CloudWatch Logs APIs it needs and no other', () => {
    // Act
    const called = calledIamActions(loadRunbook());

    // Assess
    expect(called).toEqual([
      'ec2:DescribeClientVpnEndpoints',
      'ec2:ModifyClientVpnEndpoint',
      'logs:AssociateKmsKey',
      'logs:CreateLogGroup',
      'logs:DescribeLogGroups',
      'logs:PutRetentionPolicy',
    ]);
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
      (d) => void (step(d, 'CheckLogGroupExists').onFailure = 'step:CreateGroup'),
      /goes to CreateGroup/,
    ],
    [
      'branch defaults',
      'a branch without Default',
      (d) => void delete step(d, 'ChooseKmsKeyCheck').inputs.Default,
      /ChooseKmsKeyCheck has no Default/,
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
        void (step(d, 'CreateLogGroup').inputs.logGroupName = '{{ ReadCurrentLogGroup.CurrentLogGroup }}'),
      /CreateLogGroup can run without ReadCurrentLogGroup having succeeded/,
    ],
    [
      'references',
      'an output no step declares',
      (d) => void (step(d, 'CreateLogGroup').inputs.logGroupName = '{{ DescribeEndpoint.LogGroup }}'),
      /no such output/,
    ],
    [
      'reachability',
      'a step nothing leads to',
      (d) => void (step(d, 'ChooseNewLogGroupEncryption').inputs.Default = 'CreateEncryptedLogGroup'),
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
