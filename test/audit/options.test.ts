import {
  AuditOptionError,
  DEFAULT_CONCURRENCY,
  DEFAULT_DOCUMENT_NAME,
  parseAuditOptions,
} from '../../audit/options';

describe('parseAuditOptions', () => {
  it('defaults to the configured region, a table, the rule defaults and no remediation', () => {
    expect(parseAuditOptions([])).toEqual({
      regions: { kind: 'configured' },
      parameters: { verifyLogGroup: true, requireKmsEncryption: false },
      output: 'table',
      remediate: false,
      yes: false,
      documentName: DEFAULT_DOCUMENT_NAME,
      concurrency: DEFAULT_CONCURRENCY,
      help: false,
    });
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
    [['--no-verify-log-group'], { parameters: expect.objectContaining({ verifyLogGroup: false }) }],
    [['--output', 'json'], { output: 'json' }],
    [['--remediate', '-y'], { remediate: true, yes: true }],
    [['--document-name', 'ClientVpn-Enable'], { documentName: 'ClientVpn-Enable' }],
    [
      ['--automation-assume-role', 'arn:aws:iam::123456789012:role/Remediate'],
      { automationAssumeRole: 'arn:aws:iam::123456789012:role/Remediate' },
    ],
    [['--concurrency', '8'], { concurrency: 8 }],
    [['-h'], { help: true }],
  ])('reads %j', (argv, expected) => {
    expect(parseAuditOptions(argv)).toMatchObject(expected);
  });

  it.each([
    [['--region', 'us-east-1'], '--region', /unknown option/],
    [['--regions'], '--regions', /needs a value/],
    [['--regions', '--all-regions'], '--regions', /needs a value/],
    [['--regions', 'us-east-1', '--regions', 'eu-west-1'], '--regions', /more than once/],
    [['--regions', 'us-east-1,'], '--regions', /comma-separated/],
    [['--regions', 'US-EAST-1'], '--regions', /"US-EAST-1" is not a region name/],
    [['--regions', 'eu-west-1', '--all-regions'], '--all-regions', /cannot be combined/],
    [['--min-retention-days', '0'], '--min-retention-days', /positive whole number/],
    [['--min-retention-days', '7.5'], '--min-retention-days', /positive whole number/],
    [['--log-group-name-prefix', 'bad prefix!'], '--log-group-name-prefix', /log group name prefix/],
    [['--log-group-name-prefix='], '--log-group-name-prefix', /non-empty/],
    [['--no-verify-log-group', '--require-kms-encryption'], '--require-kms-encryption', /verifyLogGroup/],
    [['--output', 'yaml'], '--output', /"table" or "json", got "yaml"/],
    [['--document-name', 'x'], '--document-name', /SSM document name/],
    [['--automation-assume-role', 'Remediate'], '--automation-assume-role', /IAM role ARN/],
    [['--concurrency', '0'], '--concurrency', /1 to 20/],
    [['--concurrency', '21'], '--concurrency', /1 to 20/],
    [['--yes=true'], '--yes', /takes no value/],
  ])('rejects %j, naming %s', (argv, option, problem) => {
    let thrown: unknown;
    try {
      parseAuditOptions(argv);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(AuditOptionError);
    expect((thrown as AuditOptionError).option).toBe(option);
    expect((thrown as AuditOptionError).message).toMatch(problem);
  });
});
