import { RegionInfo } from 'aws-cdk-lib/region-info';
import { CONTEXT_DEFAULTS } from '../../infra/stacks/deployment-settings-context';
import {
  LONGEST_REGION_NAME,
  MAX_BASE_ROLE_NAME_LENGTH,
  MAX_ROLE_NAME_LENGTH,
  regionalRoleName,
} from '../../infra/constructs/regional-role-name';

describe('regionalRoleName', () => {
  it('appends the region to the base name', () => {
    expect(regionalRoleName('ClientVpnConnectionLoggingEvaluation', 'ap-southeast-5')).toBe(
      'ClientVpnConnectionLoggingEvaluation-ap-southeast-5',
    );
  });

  it('leaves room for the longest region name aws-cdk-lib knows', () => {
    // Prepare: every region in aws-cdk-lib's fact table, GovCloud, China and the ISO partitions included.
    const regions = RegionInfo.regions.map((region) => region.name);
    expect(regions).toEqual(expect.arrayContaining(['ap-southeast-5', 'us-gov-west-1', LONGEST_REGION_NAME]));
    // Assess
    expect(Math.max(...regions.map((region) => region.length))).toBeLessThanOrEqual(
      LONGEST_REGION_NAME.length,
    );
    expect(MAX_BASE_ROLE_NAME_LENGTH).toBe(48);
  });

  it.each(['executionRoleName', 'centralFunctionRoleName', 'memberAutomationRoleName'] as const)(
    "keeps the default %s within IAM's 64 characters in the longest-named region",
    (key) => {
      const name = regionalRoleName(CONTEXT_DEFAULTS[key], LONGEST_REGION_NAME);
      expect(name.length).toBeLessThanOrEqual(MAX_ROLE_NAME_LENGTH);
    },
  );

  it('makes a base name of the longest allowed length exactly 64 characters in the longest-named region', () => {
    const name = regionalRoleName('r'.repeat(MAX_BASE_ROLE_NAME_LENGTH), LONGEST_REGION_NAME);
    expect(name).toHaveLength(MAX_ROLE_NAME_LENGTH);
  });
});
