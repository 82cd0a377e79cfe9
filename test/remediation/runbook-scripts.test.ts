import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  RUNBOOK_PATH,
  RUNBOOK_SCRIPTS,
  SCRIPT_ACTION,
  loadRunbook,
  type ScriptApiCall,
} from '../../remediation/runbook';

const REMEDIATION_DIR = dirname(RUNBOOK_PATH);
const ANALYSER = join(__dirname, 'boto3_api_calls.py');

type Analysis = { calls: ScriptApiCall[] } | { refused: string };

/**
 * The AWS APIs each script calls, read from its Python syntax tree by boto3_api_calls.py: one process for
 * all of them, so botocore's service models are loaded once.
 */
function analyse(sources: readonly string[]): Analysis[] {
  const run = spawnSync('python3', [ANALYSER, '--batch'], {
    input: JSON.stringify(sources),
    encoding: 'utf8',
    timeout: 60_000,
    // No user configuration or credentials reach boto3: the analyser only reads botocore's models.
    env: {
      PATH: process.env.PATH ?? '',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
  });
  if (run.error !== undefined) throw run.error;
  if (run.status !== 0) throw new Error(`boto3_api_calls.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Analysis[];
}

const sorted = (calls: readonly ScriptApiCall[]): ScriptApiCall[] =>
  [...calls].sort((a, b) => `${a.service}:${a.api}`.localeCompare(`${b.service}:${b.api}`));

const scriptText = (file: string): string => readFileSync(join(REMEDIATION_DIR, file), 'utf8');

describe.each(RUNBOOK_SCRIPTS)('the script of step $step ($file)', (script) => {
  it('is carried verbatim by the YAML, with the declared Handler', () => {
    // Prepare
    const step = loadRunbook().mainSteps.find((candidate) => candidate.name === script.step);

    // Assess
    expect(step?.action).toBe(SCRIPT_ACTION);
    expect(step?.inputs.Handler).toBe(script.handler);
    // A `|-` block scalar keeps every line and drops only the file's final newline.
    expect(step?.inputs.Script).toBe(scriptText(script.file).replace(/\n$/, ''));
  });

  it('calls exactly the AWS APIs RUNBOOK_SCRIPTS declares for it, so the role can neither lack nor exceed them', () => {
    // Act
    const [analysis] = analyse([scriptText(script.file)]);

    // Assess
    expect(analysis).toEqual({ calls: sorted(script.apiCalls) });
  });
});

describe('every aws:executeScript step of the runbook', () => {
  it('has its script declared in RUNBOOK_SCRIPTS', () => {
    // Act
    const scriptSteps = loadRunbook()
      .mainSteps.filter((step) => step.action === SCRIPT_ACTION)
      .map((step) => step.name);

    // Assess
    expect(scriptSteps).toEqual(RUNBOOK_SCRIPTS.map((script) => script.step));
  });
});

describe('boto3_api_calls.py, the reading the declared list is compared with', () => {
  const source = scriptText('read_logging_state.py');
  const ADDED_CALL: [string, string] = [
    '    return groups[0] if groups else None',
    '    logs.delete_log_group(logGroupName=name)\n    return groups[0] if groups else None',
  ];
  const HIDDEN_CALLS: [string, [string, string], RegExp][] = [
    [
      'a client called through getattr',
      ['logs.describe_log_groups(', 'getattr(logs, "describe_log_groups")('],
      /client logs is used other than as logs\.<api>/,
    ],
    [
      'a boto3 resource',
      ['boto3.client("kms")', 'boto3.resource("kms")'],
      /boto3 is used other than as boto3\.client/,
    ],
    [
      'a service name that is not a literal',
      ['boto3.client("ec2")', 'boto3.client("e" + "c2")'],
      /one literal service name/,
    ],
    [
      'a method no service model has',
      ['logs.describe_log_groups(', 'logs.describe_log_group('],
      /logs has no method describe_log_group/,
    ],
    [
      'boto3 imported under another name',
      ['import boto3\n', 'import boto3\nimport boto3 as b3\n'],
      /import boto3 is not allowed/,
    ],
  ];
  const edit = ([from, to]: [string, string]): string => source.replace(from, to);
  // Prepare & Act, once for every case below.
  const [added, ...hidden] = analyse([edit(ADDED_CALL), ...HIDDEN_CALLS.map(([, change]) => edit(change))]);

  it('finds a call added to the script, so an undeclared one fails the comparison', () => {
    // Assess
    expect(edit(ADDED_CALL)).not.toBe(source);
    expect(added).toEqual({ calls: expect.arrayContaining([{ service: 'logs', api: 'DeleteLogGroup' }]) });
  });

  it.each(HIDDEN_CALLS.map(([name, change, reason], index) => [name, change, reason, index] as const))(
    'refuses %s, whose calls it cannot follow',
    (_case, change, reason, index) => {
      // Assess
      expect(edit(change)).not.toBe(source);
      expect(hidden[index]).toEqual({ refused: expect.stringMatching(reason) });
    },
  );
});
