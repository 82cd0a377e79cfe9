import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { InvalidContextError } from '../../infra/stacks/deployment-settings-context';
import { reportSynthesisErrors } from '../../infra/report-synthesis-errors';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

describe('reportSynthesisErrors', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('prints a settings error as one line and sets exit status 1', () => {
    // Prepare
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);

    // Act
    reportSynthesisErrors(() => {
      throw new InvalidContextError('minRetentionDays', 'expected a whole number from 1 to 3653, got "x"');
    });

    // Assess
    expect(printed).toHaveBeenCalledTimes(1);
    expect(printed.mock.calls[0]).toEqual([
      'InvalidContextError: Invalid CDK context value for "minRetentionDays": expected a whole number from 1 to 3653, got "x"',
    ]);
    expect(process.exitCode).toBe(1);
    printed.mockRestore();
  });

  it('lets any other error through with its stack trace: that is a fault of the app', () => {
    const fault = new TypeError('Cannot read properties of undefined');
    expect(() =>
      reportSynthesisErrors(() => {
        throw fault;
      }),
    ).toThrow(fault);
  });
});

// The entry points as a person runs them: the process prints one line naming the mistake, no stack trace.
describe('synthesis entry points, given a mistyped setting', () => {
  it.each([
    ['npm run synth (infra/synth.ts)', ['infra/synth.ts', '-c', 'automaticRemedation=true'], {}],
    [
      'the CDK CLI’s app (infra/app.ts)',
      ['infra/app.ts'],
      { CDK_CONTEXT_JSON: JSON.stringify({ automaticRemedation: 'true' }) },
    ],
  ])('%s prints one line naming the closest option and exits 1', (_case, args, environment) => {
    // Act
    const run = spawnSync(TSX, args, {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...environment, CDK_OUTDIR: undefined },
    });

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      'UnknownContextKeyError: Unknown CDK context key "automaticRemedation": did you mean "automaticRemediation"? ("Context options" in docs/deployment.md lists every option.)',
    ]);
  });
});

describe('the CDK CLI’s app (infra/app.ts), asked for a Guard hook where CloudFormation has none', () => {
  it('prints one line naming the region and the missing type, and exits 1', () => {
    // Act: as `cdk deploy` runs it with a GovCloud profile (bundling skipped: the hook fails first anyway).
    const run = spawnSync(TSX, ['infra/app.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        CDK_DEFAULT_REGION: 'us-gov-west-1',
        CDK_CONTEXT_JSON: JSON.stringify({ guardHook: 'true', 'aws:cdk:bundling-stacks': [] }),
        CDK_OUTDIR: undefined,
      },
    });

    // Assess
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^GuardHookUnavailableError: guardHook=true: CloudFormation has no AWS::CloudFormation::GuardHook in us-gov-west-1/,
    );
  });
});
