import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CHECK_TEMPLATE_EXIT, runCheckTemplate } from '../../cli/check-template-command';
import { isTerraformPlanInput } from '../../cli/check-terraform-plans';
import { captureCheckTemplateIo } from './captured-check-template-io';

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'terraform');
const plan = (name: string): string => path.join(FIXTURES, name);
const COMPLIANT_TEMPLATE = path.join(__dirname, '..', 'fixtures', 'templates', 'compliant-endpoint.yaml');

const captureIo = captureCheckTemplateIo;

describe('check-template on Terraform plans', () => {
  it.each([
    [
      'provider-5-root-compliant.json',
      { minRetentionDays: '365', requireKmsEncryption: true },
      CHECK_TEMPLATE_EXIT.pass,
    ],
    [
      'provider-6-root-compliant.json',
      { minRetentionDays: '365', requireKmsEncryption: true },
      CHECK_TEMPLATE_EXIT.pass,
    ],
    ['provider-5-root-failing.json', {}, CHECK_TEMPLATE_EXIT.fail],
    ['provider-6-child-modules.json', {}, CHECK_TEMPLATE_EXIT.fail],
    ['provider-6-unknown-log-group-name.json', {}, CHECK_TEMPLATE_EXIT.pass],
    ['provider-6-unknown-log-group-name.json', { minRetentionDays: '90' }, CHECK_TEMPLATE_EXIT.fail],
    ['provider-5-log-group-outside-plan.json', { requireKmsEncryption: true }, CHECK_TEMPLATE_EXIT.pass],
    ['provider-6-deletions.json', {}, CHECK_TEMPLATE_EXIT.fail],
    ['provider-6-deletes-only-endpoint.json', {}, CHECK_TEMPLATE_EXIT.pass],
    ['provider-5-unknown-enabled.json', {}, CHECK_TEMPLATE_EXIT.unreadable],
    ['malformed-truncated.json', {}, CHECK_TEMPLATE_EXIT.unreadable],
    ['malformed-format-version-2.json', {}, CHECK_TEMPLATE_EXIT.unreadable],
    ['malformed-state-not-plan.json', {}, CHECK_TEMPLATE_EXIT.unreadable],
    ['malformed-resources-not-a-list.json', {}, CHECK_TEMPLATE_EXIT.unreadable],
    ['malformed-enabled-not-boolean.json', {}, CHECK_TEMPLATE_EXIT.unreadable],
    ['malformed-incomplete-deferred.json', {}, CHECK_TEMPLATE_EXIT.unreadable],
    ['malformed-planned-values-empty.json', {}, CHECK_TEMPLATE_EXIT.unreadable],
    ['malformed-mode-not-documented.json', {}, CHECK_TEMPLATE_EXIT.unreadable],
    ['malformed-retention-negative.json', {}, CHECK_TEMPLATE_EXIT.unreadable],
    ['malformed-retention-not-accepted.json', {}, CHECK_TEMPLATE_EXIT.unreadable],
    ['malformed-known-and-unknown.json', {}, CHECK_TEMPLATE_EXIT.unreadable],
    ['malformed-address-twice.json', {}, CHECK_TEMPLATE_EXIT.unreadable],
    [
      'provider-5-same-group-name-twice.json',
      { minRetentionDays: '365', requireKmsEncryption: true },
      CHECK_TEMPLATE_EXIT.unreadable,
    ],
    ['provider-5-kms-key-blank.json', { requireKmsEncryption: true }, CHECK_TEMPLATE_EXIT.fail],
    ['provider-6-region-on-endpoint-only.json', { minRetentionDays: '365' }, CHECK_TEMPLATE_EXIT.pass],
  ])('exits as for templates on %s with %j: %i', (name, options, expected) => {
    // Prepare
    const { io, exit } = captureIo();
    // Act
    const code = runCheckTemplate([plan(name)], options, io);
    // Assess
    expect(code).toBe(expected);
    expect(exit).toEqual([expected]);
  });

  it('prints one line per finding, naming the plan, the full address, the rule and the fix', () => {
    // Prepare
    const { io, out, err } = captureIo();
    const file = plan('provider-6-child-modules.json');
    // Act
    runCheckTemplate([file], {}, io);
    // Assess
    expect(out).toEqual([
      `FAIL ${file} module.network.module.vpn["eu"].aws_ec2_client_vpn_endpoint.this CLIENT_VPN_CONNECTION_LOGGING: Connection logging is disabled. Fix: enable ConnectionLogOptions with a CloudWatch Logs group (ModifyClientVpnEndpoint, or run the EnableClientVpnConnectionLogging remediation).\n`,
    ]);
    expect(err.join('')).toBe(
      'check-template: 1 Terraform plan(s), 2 endpoint(s) judged, 0 deleted (not judged), 1 failure(s), 0 warning(s), 0 not judged: FAIL\n',
    );
  });

  it('says it cannot judge an endpoint whose enabled flag is unknown until apply, and never PASS', () => {
    // Prepare
    const { io, out, err } = captureIo();
    // Act
    runCheckTemplate([plan('provider-5-unknown-enabled.json')], {}, io);
    // Assess
    expect(out.join('')).toMatch(
      /^UNJUDGED .* aws_ec2_client_vpn_endpoint\.corp .*connection_log_options\[0\]\.enabled is unknown until apply/,
    );
    expect(err.join('')).toMatch(/1 not judged: CANNOT JUDGE\n$/);
  });

  it('lets a known failure outrank an endpoint it cannot judge (exit 1)', () => {
    // Prepare
    const { io } = captureIo();
    // Act
    const code = runCheckTemplate(
      [plan('provider-5-unknown-enabled.json'), plan('provider-5-root-failing.json')],
      {},
      io,
    );
    // Assess
    expect(code).toBe(CHECK_TEMPLATE_EXIT.fail);
  });

  it('writes one JSON document with --output json', () => {
    // Prepare
    const { io, out } = captureIo();
    // Act
    runCheckTemplate([plan('provider-6-deletions.json')], { output: 'json' }, io);
    // Assess
    const report = JSON.parse(out.join(''));
    expect(report.summary).toEqual({
      plans: 1,
      endpoints: 2,
      deletedEndpoints: 1,
      failures: 1,
      warnings: 0,
      undetermined: 0,
      verdict: 'FAIL',
    });
    expect(report.plans[0].deletedEndpoints).toEqual(['aws_ec2_client_vpn_endpoint.retired']);
    expect(report.findings[0]).toMatchObject({
      address: 'aws_ec2_client_vpn_endpoint.uses_old',
      rule: 'CLIENT_VPN_CONNECTION_LOG_GROUP_DELETED',
      severity: 'failure',
    });
  });

  it('reads a plan from standard input given as -', () => {
    // Prepare
    const { io, err } = captureIo(readFileSync(plan('provider-5-root-failing.json'), 'utf8'));
    // Act
    const code = runCheckTemplate(['-'], {}, io);
    // Assess
    expect(code).toBe(CHECK_TEMPLATE_EXIT.fail);
    expect(err.join('')).toContain('2 endpoint(s) judged');
  });

  it('refuses standard input that is not a plan, naming it', () => {
    // Prepare
    const { io, out, err } = captureIo('Resources: {}');
    // Act
    const code = runCheckTemplate(['-'], {}, io);
    // Assess
    expect(code).toBe(CHECK_TEMPLATE_EXIT.unreadable);
    expect(out).toEqual([]);
    expect(err.join('')).toBe(
      'check-template: Cannot read Terraform plan (standard input): not JSON (Unexpected token \'R\', "Resources: {}" is not valid JSON)\n',
    );
  });

  it('refuses a template given with a plan, reporting nothing half-done', () => {
    // Prepare
    const { io, out, err } = captureIo();
    // Act
    const code = runCheckTemplate([plan('provider-5-root-compliant.json'), COMPLIANT_TEMPLATE], {}, io);
    // Assess
    expect(code).toBe(CHECK_TEMPLATE_EXIT.unreadable);
    expect(out).toEqual([]);
    expect(err.join('')).toContain(
      `Cannot read Terraform plan ${COMPLIANT_TEMPLATE}: not a Terraform plan, given with plans: check templates and plans in separate runs`,
    );
  });

  it('refuses bad rule parameters before reading any plan, as for templates', () => {
    // Prepare
    const { io, err } = captureIo();
    // Act
    const code = runCheckTemplate([plan('provider-5-root-compliant.json')], { minRetentionDays: 'ten' }, io);
    // Assess
    expect(code).toBe(CHECK_TEMPLATE_EXIT.unreadable);
    expect(err.join('')).toContain('Invalid rule parameter "minRetentionDays"');
  });

  it('reads a plan from the standard input of the installed command', () => {
    // Act
    const result = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'bin', 'client-vpn-logging.js'),
        'check-template',
        '-',
        '--output',
        'json',
        '--min-retention-days',
        '90',
      ],
      {
        encoding: 'utf8',
        cwd: ROOT,
        input: readFileSync(plan('provider-6-unknown-log-group-name.json'), 'utf8'),
      },
    );
    // Assess
    expect(result.status).toBe(CHECK_TEMPLATE_EXIT.fail);
    expect(JSON.parse(result.stdout).summary.verdict).toBe('FAIL');
  });

  it('refuses an --output format it does not know, as a usage error', () => {
    // Act
    const result = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'bin', 'client-vpn-logging.js'),
        'check-template',
        plan('provider-5-root-compliant.json'),
        '--output',
        'yaml',
      ],
      { encoding: 'utf8', cwd: ROOT },
    );
    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("option '--output <format>' argument 'yaml' is invalid");
  });
});

describe('check-template --output json on CloudFormation templates', () => {
  it('writes the findings and summary as one JSON document', () => {
    // Prepare
    const { io, out } = captureIo();
    // Act
    const code = runCheckTemplate([COMPLIANT_TEMPLATE], { output: 'json', logGroupNamePrefix: '/org/' }, io);
    // Assess
    expect(code).toBe(CHECK_TEMPLATE_EXIT.fail);
    const report = JSON.parse(out.join(''));
    expect(report.summary).toEqual({
      templates: 1,
      endpoints: 1,
      failures: 1,
      warnings: 0,
      unseen: 0,
      verdict: 'FAIL',
    });
    expect(report.findings[0]).toMatchObject({
      rule: 'CLIENT_VPN_CONNECTION_LOG_GROUP_PREFIX',
      severity: 'failure',
    });
  });
});

describe('isTerraformPlanInput', () => {
  it.each([
    ['-', true],
    [plan('provider-5-root-compliant.json'), true],
    [plan('malformed-truncated.json'), true],
    [COMPLIANT_TEMPLATE, false],
    [path.join(FIXTURES, 'no-such-plan.json'), false],
    [FIXTURES, false],
  ])('tells whether %s is a Terraform plan', (input, expected) => {
    expect(isTerraformPlanInput(input)).toBe(expected);
  });
});
