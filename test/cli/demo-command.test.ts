import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { departuresFromDesign, DEMO_EXIT } from '../../cli/demo-command';
import { demoReportText, textStyle } from '../../cli/demo-report-text';
import type { DemoReport } from '../../sandbox/demo-scenario';
import { runCommand, type CommandRun } from './in-process-run';

const BIN = join(__dirname, '..', '..', 'bin', 'client-vpn-logging.js');
// Select Graphic Rendition: how a terminal is told to colour text.
const ANSI_ESCAPE = '\u001b[';

/** Runs the bin in a fresh process with exactly `env`. */
function runBin(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CommandRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

const bySituation = (verdicts: DemoReport['before']): Record<string, string> =>
  Object.fromEntries(verdicts.map((v) => [v.situation, v.compliance]));

describe('client-vpn-logging demo', () => {
  let run: CommandRun;
  let report: DemoReport;

  beforeAll(async () => {
    run = await runCommand(['demo', '--output', 'json']);
    report = JSON.parse(run.stdout) as DemoReport;
  });

  it('exits 0 when it ran as designed, with nothing on stderr', () => {
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: DEMO_EXIT.asDesigned, stderr: '' });
  });

  it('judges a sample organization of 3 accounts in 2 regions', () => {
    expect(report.accounts).toHaveLength(3);
    expect(report.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(new Set(report.before.map((v) => v.accountId)).size).toBe(3);
  });

  it.each([
    ['healthy', 'COMPLIANT', undefined],
    ['logging off', 'NON_COMPLIANT', /Connection logging is disabled/],
    ['log group deleted', 'NON_COMPLIANT', /does not exist in this account and region/],
    ['retention too short', 'NON_COMPLIANT', /keeps events 30 days, minRetentionDays requires 365/],
    ['no KMS key', 'NON_COMPLIANT', /not encrypted with a KMS key/],
    ['key disabled', 'NON_COMPLIANT', /which is Disabled/],
    ['no logs arriving', 'NON_COMPLIANT', /has ingested nothing .*verifyDelivery/],
    ['being deleted', 'NOT_APPLICABLE', /"deleting"/],
  ])('shows the rule judge the %s endpoint %s, with its annotation', (situation, compliance, annotation) => {
    // Act: done once for all cases. Assess
    const verdict = report.before.find((v) => v.situation === situation);
    expect(verdict?.compliance).toBe(compliance);
    if (annotation === undefined) expect(verdict?.annotation).toBeUndefined();
    else expect(verdict?.annotation).toMatch(annotation);
  });

  it('runs the runbook, step by step, for every NON_COMPLIANT endpoint and no other', () => {
    const nonCompliant = report.before
      .filter((v) => v.compliance === 'NON_COMPLIANT')
      .map((v) => v.endpointId);
    expect(report.remediations.map((r) => r.endpointId)).toEqual(nonCompliant);
    for (const remediation of report.remediations) {
      // The runbook refuses, before any change, a fix that could not make the endpoint pass.
      expect(remediation.status).toBe(remediation.situation === 'key disabled' ? 'Failed' : 'Success');
      // The script step ran (in Python) before any change.
      expect(remediation.steps[0]).toMatchObject({ name: 'ReadLoggingState', action: 'aws:executeScript' });
    }
  });

  it.each([
    ['logging off', ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'ec2:ModifyClientVpnEndpoint']],
    ['log group deleted', ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'ec2:ModifyClientVpnEndpoint']],
    ['retention too short', ['logs:PutRetentionPolicy']],
    ['no KMS key', ['logs:AssociateKmsKey']],
    ['key disabled', []],
    ['no logs arriving', []],
  ])('reports what the runbook changed for the %s endpoint', (situation, calls) => {
    const remediation = report.remediations.find((r) => r.situation === situation);
    expect(remediation?.changes.map((c) => `${c.service}:${c.api}`)).toEqual(calls);
  });

  it('shows the verdicts after: fixed endpoints COMPLIANT, the rest as they were', () => {
    expect(bySituation(report.after)).toEqual({
      healthy: 'COMPLIANT',
      'logging off': 'COMPLIANT',
      'log group deleted': 'COMPLIANT',
      'retention too short': 'COMPLIANT',
      'no KMS key': 'COMPLIANT',
      'key disabled': 'NON_COMPLIANT',
      'no logs arriving': 'NON_COMPLIANT',
      'being deleted': 'NOT_APPLICABLE',
    });
  });

  it('says what was left alone and why', () => {
    const reasons = Object.fromEntries(report.leftAlone.map((l) => [l.situation, l.reason]));
    expect(Object.keys(reasons).sort()).toEqual([
      'being deleted',
      'healthy',
      'key disabled',
      'no logs arriving',
    ]);
    expect(reasons['key disabled']).toMatch(
      /refused before any change.*is Disabled.*Nothing was changed.*still NON_COMPLIANT.*Fix: enable the key/,
    );
    expect(reasons['being deleted']).toMatch(/^NOT_APPLICABLE: /);
  });

  it('renders the same data as text: every endpoint, before and after, and every change', () => {
    // Act
    const text = demoReportText(report, textStyle(false));
    // Assess
    for (const verdict of report.before)
      expect(text.split(verdict.endpointId).length - 1).toBeGreaterThanOrEqual(2);
    for (const change of report.remediations.flatMap((r) => r.changes))
      expect(text).toContain(change.summary);
    expect(text).toContain('4 of 6 NON_COMPLIANT endpoints fixed by the runbook');
    expect(text).not.toContain(ANSI_ESCAPE);
  });

  it.each([
    ['colours a terminal', {}, true],
    ['does not colour a terminal when NO_COLOR is set', { NO_COLOR: '1' }, false],
    ['does not colour a terminal that says it cannot (TERM=dumb)', { TERM: 'dumb' }, false],
    ['does not colour a terminal when FORCE_COLOR=0', { FORCE_COLOR: '0' }, false],
  ])('%s', async (_title, extraEnv, coloured) => {
    // Prepare: a colour terminal unless the case says otherwise
    const inherited = { ...process.env };
    delete inherited.NO_COLOR;
    delete inherited.FORCE_COLOR;
    // Act
    const text = await runCommand(['demo'], {
      terminals: { stdoutColumns: 200 },
      env: { ...inherited, TERM: 'xterm-256color', ...extraEnv },
    });
    // Assess
    expect(text.code).toBe(DEMO_EXIT.asDesigned);
    expect(text.stdout.includes(ANSI_ESCAPE)).toBe(coloured);
  });

  it('runs with no AWS environment at all: no AWS_* variable, an empty HOME, and ignores a profile, endpoint, FIPS or dual-stack setting', async () => {
    // Prepare: the user's own AWS set-up must not matter; an unroutable endpoint and a missing profile would fail any call sent by it.
    const home = mkdtempSync(join(tmpdir(), 'demo-home-'));
    try {
      const bare = { PATH: process.env.PATH ?? '', HOME: home };
      const misleading = { ...bare, AWS_PROFILE: 'no-such-profile', AWS_ENDPOINT_URL: 'http://192.0.2.1:9' };
      // A FIPS or dual-stack endpoint asked for alongside the loopback's custom endpoint makes the SDK throw.
      const endpointVariants = {
        ...bare,
        AWS_USE_FIPS_ENDPOINT: 'true',
        AWS_USE_DUALSTACK_ENDPOINT: 'true',
        AWS_RETRY_MODE: 'adaptive',
        AWS_DEFAULTS_MODE: 'cross-region',
      };
      // Act
      const runs = await Promise.all([
        runBin(['demo', '--output', 'json'], bare),
        runBin(['demo'], misleading),
        runBin(['demo'], endpointVariants),
      ]);
      // Assess
      for (const child of runs)
        expect({ code: child.code, stderr: child.stderr }).toEqual({ code: 0, stderr: '' });
      expect(bySituation((JSON.parse(runs[0].stdout) as DemoReport).after)).toEqual(
        bySituation(report.after),
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('refuses to run, exit 2, naming the problem, when the Python for the runbook is missing', async () => {
    // Act
    const missing = await runCommand(['demo', '--python', '/nonexistent/python3']);
    // Assess
    expect(missing.code).toBe(DEMO_EXIT.cannotRun);
    expect(missing.stderr).toMatch(/needs Python 3 with boto3: \/nonexistent\/python3 cannot be started/);
    expect(missing.stdout).toBe('');
  });
});

describe('departuresFromDesign', () => {
  const endpoint = { accountId: '123456789012', region: 'us-east-1' as const, situation: 'logging off' };
  const verdict = (compliance: 'COMPLIANT' | 'NON_COMPLIANT') => ({
    ...endpoint,
    endpointId: 'e1',
    compliance,
  });
  const run = (status: 'Success' | 'Failed', changed: boolean) => ({
    ...endpoint,
    endpointId: 'e1',
    status,
    ...(status === 'Failed' ? { failureMessage: 'Step ReadLoggingState failed' } : {}),
    steps: [],
    changes: changed ? [{ service: 'logs' as const, api: 'CreateLogGroup', summary: 'created' }] : [],
    outputs: {},
  });
  const reportOf = (
    remediation: ReturnType<typeof run>,
    after: 'COMPLIANT' | 'NON_COMPLIANT',
  ): DemoReport => ({
    ruleParameters: {},
    accounts: [],
    regions: [],
    before: [verdict('NON_COMPLIANT')],
    remediations: [remediation],
    after: [verdict(after)],
    leftAlone: [],
  });

  it.each([
    [
      'an execution that failed after changing the endpoint',
      run('Failed', true),
      'NON_COMPLIANT' as const,
      /the runbook failed for e1 after changing it: Step ReadLoggingState failed/,
    ],
    [
      'a change that did not fix the endpoint',
      run('Success', true),
      'NON_COMPLIANT' as const,
      /e1 is NON_COMPLIANT after the runbook changed it/,
    ],
  ])('names %s', (_title, remediation, after, problem) => {
    expect(departuresFromDesign(reportOf(remediation, after))).toEqual([expect.stringMatching(problem)]);
  });

  it.each([
    ['a change that fixed the endpoint', run('Success', true), 'COMPLIANT' as const],
    ['no change to an endpoint the runbook may not fix', run('Success', false), 'NON_COMPLIANT' as const],
    ['a refusal before any change', run('Failed', false), 'NON_COMPLIANT' as const],
  ])('accepts %s', (_title, remediation, after) => {
    expect(departuresFromDesign(reportOf(remediation, after))).toEqual([]);
  });
});
