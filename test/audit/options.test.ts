import { CommanderError } from 'commander';

import {
  AuditOptionError,
  automationRolesByRegion,
  DEFAULT_CONCURRENCY,
  DEFAULT_DOCUMENT_NAME,
  DEFAULT_TIMEOUT_SECONDS,
} from '../../audit/options';
import { parseAuditArguments as parseAuditOptions } from '../../cli/audit-command';

function optionErrorOf(act: () => unknown): AuditOptionError {
  let thrown: unknown;
  try {
    act();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AuditOptionError);
  return thrown as AuditOptionError;
}

// The role names the stacks create: the account stack's, and the organization's `<name>-<region>`.
const ACCOUNT_ROLE = 'arn:aws:iam::123456789012:role/ClientVpnLogging-AutomationRole-1A2B3C4D5E6F';
const ORG_TEMPLATE = 'arn:aws:iam::123456789012:role/ClientVpnConnectionLoggingRemediation-{region}';
const US_ROLE = 'arn:aws:iam::123456789012:role/ClientVpnConnectionLoggingRemediation-us-east-1';
const EU_ROLE = 'arn:aws:iam::123456789012:role/ClientVpnConnectionLoggingRemediation-eu-west-1';

function commanderErrorOf(act: () => unknown): CommanderError {
  let thrown: unknown;
  try {
    act();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(CommanderError);
  return thrown as CommanderError;
}

describe("the audit command's options", () => {
  it('defaults to the configured region, a table, the rule defaults and no remediation', () => {
    expect(parseAuditOptions([])).toEqual({
      regions: { kind: 'configured' },
      excludeRegions: [],
      parameters: {
        verifyLogGroup: true,
        requireKmsEncryption: false,
        verifyKmsKeyState: true,
        verifyDelivery: false,
        deliveryGraceMinutes: 60,
      },
      output: 'table',
      color: true,
      ignoreFailedRegions: false,
      remediate: false,
      yes: false,
      documentName: DEFAULT_DOCUMENT_NAME,
      concurrency: DEFAULT_CONCURRENCY,
      timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
      warnings: [],
    });
  });

  it.each([
    ['eu-west-9', 'a number no region of its name has yet'],
    ['ap-midwest-1', 'a geography no region has yet'],
  ])('accepts %s, a region newer than the SDK\u2019s list (%s), with a warning', (region) => {
    const options = parseAuditOptions(['--regions', `us-east-1,${region}`]);

    expect(options.regions).toEqual({ kind: 'listed', regions: ['us-east-1', region] });
    expect(options.warnings).toEqual([
      `audit: warning: --regions: ${region} is not in the installed SDK's list of regions; scanning it as a region newer than that list.`,
    ]);
  });

  it('reads --timeout as seconds', () => {
    expect(parseAuditOptions(['--timeout', '45']).timeoutSeconds).toBe(45);
  });

  it.each([
    [
      ['--regions', 'us-east-1,eu-west-1'],
      { regions: { kind: 'listed', regions: ['us-east-1', 'eu-west-1'] } },
    ],
    [['--regions=us-gov-west-1'], { regions: { kind: 'listed', regions: ['us-gov-west-1'] } }],
    [['--regions', 'eu-west-1,eu-west-1'], { regions: { kind: 'listed', regions: ['eu-west-1'] } }],
    [['--all-regions'], { regions: { kind: 'all' } }],
    [['--min-retention-days', '90'], { parameters: expect.objectContaining({ minRetentionDays: 90 }) }],
    [['--require-kms-encryption'], { parameters: expect.objectContaining({ requireKmsEncryption: true }) }],
    [
      ['--log-group-name-prefix', '/aws/clientvpn/'],
      { parameters: expect.objectContaining({ logGroupNamePrefix: '/aws/clientvpn/' }) },
    ],
    [
      ['--no-verify-log-group'],
      { parameters: expect.objectContaining({ verifyLogGroup: false, verifyKmsKeyState: false }) },
    ],
    [['--no-verify-kms-key-state'], { parameters: expect.objectContaining({ verifyKmsKeyState: false }) }],
    [
      ['--verify-delivery'],
      { parameters: expect.objectContaining({ verifyDelivery: true, deliveryGraceMinutes: 60 }) },
    ],
    [
      ['--verify-delivery', '--delivery-grace-minutes', '15'],
      { parameters: expect.objectContaining({ verifyDelivery: true, deliveryGraceMinutes: 15 }) },
    ],
    [['--output', 'json'], { output: 'json' }],
    [['--remediate', '-y'], { remediate: true, yes: true }],
    [['--document-name', 'ClientVpn-Enable'], { documentName: 'ClientVpn-Enable' }],
    [['--concurrency', '8'], { concurrency: 8 }],
    [['--region', 'eu-west-1'], { regions: { kind: 'listed', regions: ['eu-west-1'] } }],
    [['--profile', 'audit'], { profile: 'audit' }],
    [
      ['--exclude-regions', 'us-east-1,eu-west-1', '--exclude-regions', 'ap-east-1'],
      { excludeRegions: ['us-east-1', 'eu-west-1', 'ap-east-1'] },
    ],
    [['--output', 'csv'], { output: 'csv' }],
    [['--output', 'asff'], { output: 'asff' }],
    [['--output-file', 'findings.json'], { outputFile: 'findings.json' }],
    [['--status', 'NON_COMPLIANT'], { statuses: ['NON_COMPLIANT'] }],
    [
      ['--status', 'NON_COMPLIANT', '--status', 'NOT_APPLICABLE'],
      { statuses: ['NON_COMPLIANT', 'NOT_APPLICABLE'] },
    ],
    [['--no-color'], { color: false }],
    [['--ignore-failed-regions'], { ignoreFailedRegions: true }],
    [
      ['--organization', '--role-name', 'ClientVpnAudit'],
      { organization: { roleName: 'ClientVpnAudit', excludeAccounts: [] } },
    ],
    [
      [
        '--organization',
        '--role-name',
        'ClientVpnAudit',
        '--accounts',
        '111111111111,222222222222',
        '--exclude-accounts',
        '333333333333',
        '--ou',
        'ou-ab12-cdefgh12',
        '--ou',
        'r-ab12',
      ],
      {
        organization: {
          roleName: 'ClientVpnAudit',
          accounts: ['111111111111', '222222222222'],
          excludeAccounts: ['333333333333'],
          organizationalUnits: ['ou-ab12-cdefgh12', 'r-ab12'],
        },
      },
    ],
  ])('reads %j', (argv, expected) => {
    expect(parseAuditOptions(argv)).toMatchObject(expected);
  });

  it.each([
    [['--regions'], /option '--regions <list>' argument missing/],
    [['--regoins', 'us-east-1'], /unknown option '--regoins'/],
    [['--output', 'yaml'], /argument 'yaml' is invalid. Allowed choices are table, json, csv, asff/],
    [['--yes=true'], /unknown option '--yes=true'/],
  ])('leaves %j to commander, which names the problem', (argv, problem) => {
    const error = commanderErrorOf(() => parseAuditOptions(argv));

    expect(error.message).toMatch(problem);
    expect(error.exitCode).not.toBe(0);
  });

  it.each([
    [['--regions', 'us-east-1,'], '--regions', /comma-separated/],
    [['--region', 'us-east-1,eu-west-1'], '--region', /names one region/],
    [['--region', 'us-east-1', '--regions', 'eu-west-1'], '--region', /cannot be combined with --regions/],
    [['--exclude-regions', 'Mars'], '--exclude-regions', /"Mars" is not a region name/],
    [
      ['--status', 'FAILED'],
      '--status',
      /expected one of COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, got "FAILED"/,
    ],
    [['--organization'], '--organization', /needs --role-name/],
    [['--role-name', 'Audit'], '--role-name', /needs --organization/],
    [['--accounts', '111111111111'], '--accounts', /needs --organization/],
    [['--organization', '--role-name', 'bad/name'], '--role-name', /IAM role name/],
    [
      ['--organization', '--role-name', 'A', '--accounts', '1234'],
      '--accounts',
      /"1234" is not a 12-digit account ID/,
    ],
    [['--organization', '--role-name', 'A', '--ou', 'ou-x'], '--ou', /"ou-x" is not an OU ID/],
    [
      ['--organization', '--role-name', 'A', '--remediate', '--yes'],
      '--remediate',
      /cannot be combined with --organization/,
    ],
    [['--output-file', ''], '--output-file', /needs a file path/],
    [['--regions', 'US-EAST-1'], '--regions', /"US-EAST-1" is not a region name/],
    [
      ['--regions', 'us-east-1,eu-wset-1'],
      '--regions',
      /"eu-wset-1" is not a known region \(did you mean eu-west-1\?\)/,
    ],
    [['--region', 'eu-wast-1'], '--region', /"eu-wast-1" is not a known region \(did you mean eu-west-1\?\)/],
    [
      ['--exclude-regions', 'us-esat-1'],
      '--exclude-regions',
      /"us-esat-1" is not a known region \(did you mean us-east-1\?\)/,
    ],
    [['--timeout', '0'], '--timeout', /whole number of seconds from 1 to 3600, got "0"/],
    [['--timeout', '2.5'], '--timeout', /whole number of seconds/],
    [['--timeout', '3601'], '--timeout', /whole number of seconds/],
    [['--regions', 'eu-west-1', '--all-regions'], '--all-regions', /cannot be combined/],
    [['--min-retention-days', '0'], '--min-retention-days', /positive whole number/],
    [['--min-retention-days', '7.5'], '--min-retention-days', /positive whole number/],
    [['--log-group-name-prefix', 'bad prefix!'], '--log-group-name-prefix', /log group name prefix/],
    [['--log-group-name-prefix='], '--log-group-name-prefix', /non-empty/],
    [['--no-verify-log-group', '--require-kms-encryption'], '--require-kms-encryption', /verifyLogGroup/],
    [['--no-verify-log-group', '--verify-delivery'], '--verify-delivery', /verifyLogGroup/],
    [['--delivery-grace-minutes', '15'], '--delivery-grace-minutes', /needs --verify-delivery/],
    [
      ['--verify-delivery', '--delivery-grace-minutes', '0'],
      '--delivery-grace-minutes',
      /positive whole number of minutes/,
    ],
    [['--document-name', 'x'], '--document-name', /SSM document name/],
    [['--concurrency', '0'], '--concurrency', /1 to 50/],
    [['--concurrency', '51'], '--concurrency', /1 to 50/],
  ])('rejects %j, naming %s', (argv, option, problem) => {
    const error = optionErrorOf(() => parseAuditOptions(argv));

    expect(error.option).toBe(option);
    expect(error.message).toMatch(problem);
  });
});

describe("the audit command's --automation-assume-role", () => {
  it.each([
    [
      'one ARN for the configured region',
      ['--remediate', '--automation-assume-role', ACCOUNT_ROLE],
      { kind: 'one', arn: ACCOUNT_ROLE },
    ],
    [
      'one ARN for one listed region',
      ['--regions', 'eu-west-1', '--remediate', '--automation-assume-role', ACCOUNT_ROLE],
      { kind: 'one', arn: ACCOUNT_ROLE },
    ],
    [
      'an ARN with a path',
      ['--automation-assume-role=arn:aws-us-gov:iam::123456789012:role/service-role/Remediate'],
      { kind: 'one', arn: 'arn:aws-us-gov:iam::123456789012:role/service-role/Remediate' },
    ],
    [
      'a {region} template across two regions',
      ['--regions', 'us-east-1,eu-west-1', '--remediate', '--automation-assume-role', ORG_TEMPLATE],
      { kind: 'template', template: ORG_TEMPLATE },
    ],
    [
      'a {region} template with --all-regions',
      ['--all-regions', '--remediate', '-y', '--automation-assume-role', ORG_TEMPLATE],
      { kind: 'template', template: ORG_TEMPLATE },
    ],
    [
      'comma-separated region=ARN pairs',
      [
        '--regions',
        'us-east-1,eu-west-1',
        '--remediate',
        '--automation-assume-role',
        `us-east-1=${US_ROLE},eu-west-1=${EU_ROLE}`,
      ],
      {
        kind: 'by-region',
        arns: new Map([
          ['us-east-1', US_ROLE],
          ['eu-west-1', EU_ROLE],
        ]),
      },
    ],
    [
      'region=ARN pairs in a repeated option',
      [
        '--regions',
        'us-east-1,eu-west-1',
        '--remediate',
        `--automation-assume-role=us-east-1=${US_ROLE}`,
        '--automation-assume-role',
        `eu-west-1=${EU_ROLE}`,
      ],
      {
        kind: 'by-region',
        arns: new Map([
          ['us-east-1', US_ROLE],
          ['eu-west-1', EU_ROLE],
        ]),
      },
    ],
    [
      'a pair whose role name holds a comma',
      ['--regions', 'us-east-1', '--automation-assume-role', 'us-east-1=arn:aws:iam::123456789012:role/a,b'],
      { kind: 'by-region', arns: new Map([['us-east-1', 'arn:aws:iam::123456789012:role/a,b']]) },
    ],
    [
      'one ARN across regions when not remediating (it is never used)',
      ['--regions', 'us-east-1,eu-west-1', '--automation-assume-role', ACCOUNT_ROLE],
      { kind: 'one', arn: ACCOUNT_ROLE },
    ],
  ])('reads %s', (_case, argv, expected) => {
    expect(parseAuditOptions(argv).automationAssumeRole).toEqual(expected);
  });

  it.each([
    [
      'one plain ARN for two listed regions',
      ['--regions', 'us-east-1,eu-west-1', '--remediate', '--automation-assume-role', ACCOUNT_ROLE],
      /cannot serve 2 regions \(us-east-1, eu-west-1\).*\{region\}.*region=ARN/,
    ],
    [
      'one plain ARN with --all-regions',
      ['--all-regions', '--remediate', '--automation-assume-role', ACCOUNT_ROLE],
      /cannot serve every enabled region \(--all-regions\).*\{region\}.*region=ARN/,
    ],
    [
      'a pair for a region not scanned',
      [
        '--regions',
        'us-east-1',
        '--remediate',
        '--automation-assume-role',
        `us-east-1=${US_ROLE},eu-west-1=${EU_ROLE}`,
      ],
      /a role is given for eu-west-1, which is not scanned \(scanning us-east-1\)/,
    ],
    [
      'a malformed ARN',
      ['--automation-assume-role', 'arn:aws:iam::1234:role/Remediate'],
      /expected an IAM role ARN .*got "arn:aws:iam::1234:role\/Remediate"/,
    ],
    [
      'a user ARN instead of a role ARN',
      ['--automation-assume-role', 'arn:aws:iam::123456789012:user/Remediate'],
      /expected an IAM role ARN/,
    ],
    [
      'a role name longer than IAM allows',
      ['--automation-assume-role', `arn:aws:iam::123456789012:role/${'R'.repeat(65)}`],
      /role name at most 64 characters/,
    ],
    [
      'a bare role name',
      ['--automation-assume-role', 'Remediate'],
      /expected an IAM role ARN .*, one with \{region\} in its role name, or region=ARN pairs/,
    ],
    [
      'a malformed ARN in a pair',
      ['--regions', 'us-east-1', '--automation-assume-role', 'us-east-1=arn:aws:iam::123456789012:Remediate'],
      /expected an IAM role ARN .*got "us-east-1=arn:aws:iam::123456789012:Remediate"/,
    ],
    [
      'a bad region name in a pair',
      ['--automation-assume-role', `US-EAST-1=${US_ROLE}`],
      /region=ARN pairs .*got "US-EAST-1=/,
    ],
    [
      'a region given twice',
      ['--regions', 'us-east-1', '--automation-assume-role', `us-east-1=${US_ROLE},us-east-1=${EU_ROLE}`],
      /region us-east-1 is given more than once/,
    ],
    [
      'a plain ARN mixed with pairs',
      ['--automation-assume-role', ACCOUNT_ROLE, '--automation-assume-role', `us-east-1=${US_ROLE}`],
      /single role ARN cannot be combined/,
    ],
    [
      '{region} outside the role name',
      ['--automation-assume-role', 'arn:aws:iam::123456789012:role/{region}/Remediate'],
      /\{region\} may appear only in the role name/,
    ],
  ])('rejects %s, naming the option', (_case, argv, problem) => {
    const error = optionErrorOf(() => parseAuditOptions(argv));

    expect(error.option).toBe('--automation-assume-role');
    expect(error.message).toMatch(problem);
  });
});

describe('automationRolesByRegion', () => {
  it('gives each scanned region its own ARN from a {region} template', () => {
    const roles = automationRolesByRegion(
      { kind: 'template', template: ORG_TEMPLATE },
      ['us-east-1', 'eu-west-1'],
      true,
    );

    expect([...roles]).toEqual([
      ['us-east-1', US_ROLE],
      ['eu-west-1', EU_ROLE],
    ]);
  });

  it('leaves a scanned region without a pair without a role', () => {
    const roles = automationRolesByRegion(
      { kind: 'by-region', arns: new Map([['us-east-1', US_ROLE]]) },
      ['us-east-1', 'eu-west-1'],
      true,
    );

    expect(roles.get('us-east-1')).toBe(US_ROLE);
    expect(roles.has('eu-west-1')).toBe(false);
  });

  it('gives one plain ARN to the one region scanned', () => {
    expect([...automationRolesByRegion({ kind: 'one', arn: ACCOUNT_ROLE }, ['eu-west-1'], true)]).toEqual([
      ['eu-west-1', ACCOUNT_ROLE],
    ]);
  });

  it('refuses a pair for a region that --all-regions did not list', () => {
    const error = optionErrorOf(() =>
      automationRolesByRegion(
        { kind: 'by-region', arns: new Map([['ap-east-1', US_ROLE]]) },
        ['eu-west-1', 'us-east-1'],
        true,
      ),
    );

    expect(error.message).toMatch(/ap-east-1, which is not scanned \(scanning eu-west-1, us-east-1\)/);
  });

  it('refuses a template whose role name outgrows 64 characters in a long region name', () => {
    const template = `arn:aws:iam::123456789012:role/${'R'.repeat(52)}-{region}`;

    expect(automationRolesByRegion({ kind: 'template', template }, ['eu-west-1'], true).size).toBe(1);
    expect(
      optionErrorOf(() => automationRolesByRegion({ kind: 'template', template }, ['ap-southeast-5'], true))
        .message,
    ).toMatch(/role name at most 64 characters/);
  });

  it('gives no roles when the option is not given', () => {
    expect(automationRolesByRegion(undefined, ['us-east-1', 'eu-west-1'], true).size).toBe(0);
  });
});
