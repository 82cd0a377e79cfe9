import {
  ACCOUNT_ID_PATTERN,
  KMS_KEY_ARN_PATTERN,
  ORGANIZATION_PARENT_ID_PATTERN,
  OWN_SSM_DOCUMENT_NAME_PATTERN,
  REGION_NAME_PATTERN,
  ROLE_ARN_PATTERN,
  ROLE_NAME_PATTERN,
  ROLE_PATH_AND_NAME_PATTERN,
  roleNamePattern,
  SNS_TOPIC_ARN_PATTERN,
  SSM_DOCUMENT_ARN_PATTERN,
  SSM_DOCUMENT_NAME_PATTERN,
} from '../../rule/aws-name-patterns';
import { RegionInfo } from 'aws-cdk-lib/region-info';

describe('REGION_NAME_PATTERN', () => {
  it.each([
    ['us-east-1', 'a commercial region'],
    ['eu-central-2', 'a second region of an area'],
    ['ap-southeast-7', 'a region of a long geography'],
    ['us-gov-west-1', 'a GovCloud region'],
    ['cn-northwest-1', 'a China region'],
    ['us-isob-east-1', 'an ISO-B region'],
    ['us-isof-south-1', 'an ISO-F region'],
    ['eusc-de-east-1', 'the European Sovereign Cloud, whose area has four letters'],
    ['us-east-10', 'a two-digit region number, as the SDK partitions\u2019 regionRegex (\\d+) allows'],
  ])('accepts %s (%s)', (region) => {
    expect(REGION_NAME_PATTERN.test(region)).toBe(true);
  });

  it.each([
    ['', 'nothing'],
    ['us-east', 'no number'],
    ['useast1', 'no hyphens'],
    ['US-EAST-1', 'capitals'],
    ['u-east-1', 'a one-letter area'],
    ['europe-west-1', 'a five-letter area'],
    ['us-east-100', 'a three-digit number'],
    ['us-east-1a', 'an availability zone'],
    [' us-east-1', 'a leading space'],
    ['us-east-1,eu-west-1', 'a list'],
  ])('refuses %j (%s)', (region) => {
    expect(REGION_NAME_PATTERN.test(region)).toBe(false);
  });

  it('accepts every region aws-cdk-lib knows', () => {
    const regions = RegionInfo.regions.map((info) => info.name);
    expect(regions.filter((name) => !REGION_NAME_PATTERN.test(name))).toEqual([]);
  });
});

describe.each([
  [
    'ACCOUNT_ID_PATTERN',
    ACCOUNT_ID_PATTERN,
    ['123456789012'],
    ['12345678901', '1234567890123', '12345678901a'],
  ],
  [
    'ORGANIZATION_PARENT_ID_PATTERN',
    ORGANIZATION_PARENT_ID_PATTERN,
    ['r-ab12', 'ou-ab12-abcd1234'],
    ['r-ab1', 'ou-ab12-abc', 'ou-AB12-abcd1234', 'xr-ab12', 'r-ab12 ou-ab12-abcd1234'],
  ],
  [
    'ROLE_NAME_PATTERN',
    ROLE_NAME_PATTERN,
    ['Auditor', 'a+=,.@_-b', 'x'.repeat(64)],
    ['', 'x'.repeat(65), 'path/Auditor', 'has space'],
  ],
  [
    'ROLE_PATH_AND_NAME_PATTERN',
    ROLE_PATH_AND_NAME_PATTERN,
    ['Auditor', 'team/vpn/Auditor'],
    ['/team/Auditor', 'team//Auditor', `team/${'x'.repeat(65)}`],
  ],
  ['roleNamePattern(48)', roleNamePattern(48), ['x'.repeat(48)], ['x'.repeat(49)]],
  [
    'ROLE_ARN_PATTERN',
    ROLE_ARN_PATTERN,
    ['arn:aws:iam::123456789012:role/Auditor', 'arn:aws-us-gov:iam::123456789012:role/team/Auditor'],
    [
      'arn:aws:iam::12345678901:role/Auditor',
      'arn:aws:iam::123456789012:user/Auditor',
      'arn:aws:iam::123456789012:role/',
    ],
  ],
  [
    'KMS_KEY_ARN_PATTERN',
    KMS_KEY_ARN_PATTERN,
    ['arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    ['arn:aws:kms:eu-west-1:123456789012:alias/vpn', '1234abcd-12ab-34cd-56ef-1234567890ab'],
  ],
  [
    'SNS_TOPIC_ARN_PATTERN',
    SNS_TOPIC_ARN_PATTERN,
    ['arn:aws:sns:us-east-1:123456789012:vpn-alarms'],
    ['arn:aws:sns:us-east-1:123456789012:vpn.alarms', 'arn:aws:sqs:us-east-1:123456789012:vpn-alarms'],
  ],
  [
    'SSM_DOCUMENT_NAME_PATTERN',
    SSM_DOCUMENT_NAME_PATTERN,
    ['AWS-RunShellScript', 'my.doc_1'],
    ['ab', 'has space'],
  ],
  [
    'OWN_SSM_DOCUMENT_NAME_PATTERN',
    OWN_SSM_DOCUMENT_NAME_PATTERN,
    ['ClientVpnEnableConnectionLogging'],
    ['AWS-Mine', 'amazonMine', 'ab'],
  ],
  [
    'SSM_DOCUMENT_ARN_PATTERN',
    SSM_DOCUMENT_ARN_PATTERN,
    ['arn:aws:ssm:us-east-1:123456789012:document/Mine'],
    ['arn:aws:ssm:us-east-1:123456789012:automation-definition/Mine'],
  ],
])('%s', (_name, pattern, accepted, refused) => {
  it.each(accepted)('accepts %j', (value) => {
    expect(pattern.test(value)).toBe(true);
  });
  it.each(refused)('refuses %j', (value) => {
    expect(pattern.test(value)).toBe(false);
  });
});
