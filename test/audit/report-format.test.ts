import { parse } from 'csv-parse/sync';

import { asffFindingId, asffFindings, EC2_51 } from '../../audit/asff-finding';
import type { AuditFinding } from '../../audit/audit-finding';
import { formatCsv } from '../../audit/csv-renderer';
import { formatJson } from '../../audit/json-renderer';
import { formatSummary } from '../../audit/report-format';
import { formatTable } from '../../audit/table-renderer';
import { withoutControlCharacters } from '../../audit/terminal-text';
import { botocoreRequestProblems } from './botocore-request-validator';

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const FINDINGS: readonly AuditFinding[] = [
  {
    accountId: '111111111111',
    region: 'eu-west-1',
    endpointId: 'cvpn-endpoint-0000000000000000a',
    compliance: 'COMPLIANT',
    logGroupName: '/aws/clientvpn/kept',
    logGroupLookup: 'found',
    retentionInDays: 365,
    kmsKeyId: KEY,
    annotation: null,
  },
  {
    accountId: '111111111111',
    region: 'eu-west-1',
    endpointId: 'cvpn-endpoint-0000000000000000b',
    compliance: 'NON_COMPLIANT',
    logGroupName: '/aws/clientvpn/short, "quoted"',
    logGroupLookup: 'found',
    retentionInDays: 7,
    kmsKeyId: null,
    annotation:
      'Connection logs go to log group /aws/clientvpn/short, "quoted", which keeps events 7 days; the rule requires at least 30.',
  },
  {
    accountId: '222222222222',
    region: 'us-gov-west-1',
    endpointId: 'cvpn-endpoint-0000000000000000c',
    compliance: 'NOT_APPLICABLE',
    logGroupName: null,
    logGroupLookup: 'not-checked',
    retentionInDays: null,
    kmsKeyId: null,
    annotation: 'The endpoint is deleted.',
  },
];

describe('formatCsv', () => {
  it('writes every field of every finding so that a CSV parser reads them back', () => {
    const rows = parse(formatCsv(FINDINGS), { columns: true }) as Record<string, string>[];

    expect(rows).toEqual(
      FINDINGS.map((f) =>
        Object.fromEntries(
          Object.entries(f).map(([key, value]) => [key, value === null ? '' : String(value)]),
        ),
      ),
    );
  });

  it('defuses a cell a spreadsheet would run as a formula, and drops control characters', () => {
    const hostile: AuditFinding = {
      ...(FINDINGS[1] as AuditFinding),
      logGroupName: '=HYPERLINK("http://example.com")',
      annotation: 'bad\u001b[2Jgroup',
    };

    const [row] = parse(formatCsv([hostile]), { columns: true }) as Record<string, string>[];

    expect(row?.logGroupName).not.toMatch(/^=/);
    expect(row?.annotation).toBe('bad[2Jgroup');
  });

  it.each([
    ['a leading tab', '\t=HYPERLINK("http://example.com")'],
    ['a leading right-to-left override', '\u202e=HYPERLINK("http://example.com")'],
    ['a leading control character', '\u0007+1+cmd|calc'],
    ['leading spaces', '  @SUM(1,1)'],
  ])('escapes a formula hidden behind %s, judged after sanitising', (_case, logGroupName) => {
    const hostile: AuditFinding = { ...(FINDINGS[1] as AuditFinding), logGroupName };

    const [row] = parse(formatCsv([hostile]), { columns: true }) as Record<string, string>[];

    expect(row?.logGroupName).toMatch(/^'\s*[=+@-]/);
  });
});

describe('formatJson', () => {
  it('writes format characters as JSON escapes, so the same value cannot reorder a terminal', () => {
    const hostile: AuditFinding = { ...(FINDINGS[1] as AuditFinding), annotation: 'evil\u202eexe.txt\u0085' };

    const text = formatJson([hostile]);

    expect(text).not.toMatch(/[\u0080-\u009f\u202e]/);
    expect(text).toContain('evil\\u202eexe.txt\\u0085');
    expect((JSON.parse(text) as AuditFinding[])[0]?.annotation).toBe('evil\u202eexe.txt\u0085');
  });

  it('is one array of findings when nothing failed, and an object that says so when something did', () => {
    const failures = [
      { accountId: '111111111111', region: 'eu-west-1', kind: 'timed-out', reason: 'no answer' },
    ];

    expect(JSON.parse(formatJson(FINDINGS))).toHaveLength(FINDINGS.length);
    expect(JSON.parse(formatJson(FINDINGS, failures))).toEqual({
      complete: false,
      findings: FINDINGS,
      failures,
    });
  });
});

describe('formatTable', () => {
  it('cuts reasons with an ellipsis so that no line is wider than the terminal', () => {
    const table = formatTable(FINDINGS, { width: 100, color: false, showAccount: false });

    const lines = table.trimEnd().split('\n');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(100);
    expect(lines[2]).toMatch(/…$/);
    expect(lines[3]).toMatch(/The endpoint is deleted\.$/);
  });

  it('keeps whole reasons when there is no terminal width', () => {
    const table = formatTable(FINDINGS, { color: false, showAccount: true });

    expect(table).toContain(FINDINGS[1]?.annotation);
    expect(table.split('\n')[0]).toMatch(/^ACCOUNT\s+REGION/);
  });

  it('colours the verdicts only when asked', () => {
    const coloured = formatTable(FINDINGS, { color: true, showAccount: false });
    const plain = formatTable(FINDINGS, { color: false, showAccount: false });

    expect(coloured).toContain('\u001b[31mNON_COMPLIANT');
    expect(coloured).toContain('\u001b[32mCOMPLIANT');
    expect(plain).not.toContain('\u001b[');
  });

  it('strips control characters from AWS-sourced text so that it cannot rewrite the screen', () => {
    const hostile: AuditFinding = {
      ...(FINDINGS[1] as AuditFinding),
      endpointId: 'cvpn-endpoint-\u001b]0;pwned\u0007',
      annotation: 'reason\u001b[2J\u009b31m\r\nforged line',
    };

    const table = formatTable([hostile], { color: false, showAccount: false });

    // eslint-disable-next-line no-control-regex
    expect(table).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(table.trimEnd().split('\n')).toHaveLength(2);
  });
});

describe('withoutControlCharacters', () => {
  it.each([
    ['plain text', 'plain text'],
    ['tab\tbecomes space', 'tab becomes space'],
    ['\u001b[31mred\u001b[0m', '[31mred[0m'],
    ['bell\u0007 and del\u007f and csi\u009b', 'bell and del and csi'],
    ['evil\u202eexe.txt', 'evilexe.txt'],
    ['zero\u200bwidth\u200d joiner and bom\ufeff', 'zerowidth joiner and bom'],
    ['isolate \u2066hidden\u2069', 'isolate hidden'],
  ])('turns %j into %j', (text, expected) => {
    expect(withoutControlCharacters(text)).toBe(expected);
  });

  it('keeps newlines when asked, and only then', () => {
    expect(withoutControlCharacters('a\nb\u001b', true)).toBe('a\nb');
    expect(withoutControlCharacters('a\nb')).toBe('ab');
  });
});

describe('formatSummary', () => {
  it('counts each verdict and lists failed regions apart from regions without endpoints', () => {
    const line = formatSummary({
      findings: FINDINGS,
      regionsScanned: 5,
      regionsWithoutEndpoints: 3,
      accountsScanned: 2,
      failedRegions: ['111111111111/ap-east-1 (region-disabled)'],
      failedAccounts: ['333333333333'],
    });

    expect(line).toBe(
      'Summary: 3 endpoint(s): 1 COMPLIANT, 1 NON_COMPLIANT, 1 NOT_APPLICABLE; 5 region(s) scanned in 2 account(s), 3 without endpoints; 1 region(s) failed: 111111111111/ap-east-1 (region-disabled); 1 account(s) failed: 333333333333.',
    );
  });
});

describe('asffFindings', () => {
  const NOW = new Date('2026-11-30T12:00:00Z');

  it('makes findings that botocore\u2019s BatchImportFindings request shape accepts', () => {
    const findings = asffFindings(FINDINGS, 'aws', NOW);

    expect(botocoreRequestProblems('securityhub', 'BatchImportFindings', { Findings: findings })).toEqual([]);
  });

  it('is checked by a validator that refuses what Security Hub would', () => {
    const [finding] = asffFindings(FINDINGS, 'aws', NOW);
    const broken = { ...finding, Title: undefined, Compliance: { Status: 'BROKEN' } };

    const problems = botocoreRequestProblems('securityhub', 'BatchImportFindings', { Findings: [broken] });

    expect(problems.join('\n')).toMatch(/Missing required parameter .*"Title"/);
    expect(problems.join('\n')).toMatch(/Compliance.Status: 'BROKEN' is not one of/);
  });

  it('maps verdicts to compliance statuses and titles each finding as control EC2.51', () => {
    const findings = asffFindings(FINDINGS, 'aws', NOW);

    expect(findings.map((f) => f.Compliance?.Status)).toEqual(['PASSED', 'FAILED', 'NOT_AVAILABLE']);
    expect(findings.every((f) => f.Title === EC2_51.title)).toBe(true);
    expect(findings[1]).toMatchObject({
      AwsAccountId: '111111111111',
      ProductArn: 'arn:aws:securityhub:eu-west-1:111111111111:product/111111111111/default',
      Description: FINDINGS[1]?.annotation,
      Resources: [
        {
          Type: 'AwsEc2ClientVpnEndpoint',
          Id: 'arn:aws:ec2:eu-west-1:111111111111:client-vpn-endpoint/cvpn-endpoint-0000000000000000b',
          Partition: 'aws',
          Region: 'eu-west-1',
        },
      ],
      ProductFields: { ControlId: 'EC2.51', RetentionInDays: '7' },
    });
    expect(findings[0]?.ProductFields?.KmsKeyId).toBe(KEY);
  });

  it('gives each endpoint a finding ID that stays the same from run to run', () => {
    const first = asffFindings(FINDINGS, 'aws', NOW).map((f) => f.Id);
    const later = asffFindings(FINDINGS, 'aws', new Date('2026-12-01T00:00:00Z')).map((f) => f.Id);

    expect(later).toEqual(first);
    expect(new Set(first).size).toBe(FINDINGS.length);
    expect(first[0]).toBe(asffFindingId(FINDINGS[0] as AuditFinding));
  });

  it('uses the caller\u2019s partition in every ARN', () => {
    const [, , gov] = asffFindings(FINDINGS, 'aws-us-gov', NOW);

    expect(gov?.ProductArn).toMatch(/^arn:aws-us-gov:securityhub:us-gov-west-1:222222222222:product\//);
    expect(gov?.Resources?.[0]?.Partition).toBe('aws-us-gov');
  });
});
