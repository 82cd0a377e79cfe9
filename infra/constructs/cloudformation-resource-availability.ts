import { Stack, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** The native remediation resource, missing from CloudFormation in about twenty regions. */
export const REMEDIATION_CONFIGURATION_TYPE = 'AWS::Config::RemediationConfiguration';
/** The Guard hook resource, missing from CloudFormation in the China and GovCloud regions. */
export const GUARD_HOOK_TYPE = 'AWS::CloudFormation::GuardHook';

/**
 * The regions of the `aws`, `aws-cn` and `aws-us-gov` partitions whose CloudFormation registry lacks one
 * of the resource types this project's stacks use, by type. Every other type the stacks use exists in
 * every one of {@link CLOUDFORMATION_REGIONS}. Copied from cfn-lint's per-region schema data
 * (`cfnlint/data/schemas/providers/<region>.py`, cfn-lint 1.51); test/infra/cloudformation-resource-availability.test.ts
 * checks it against the installed cfn-lint for every type in every shipped synthesis, so a cfn-lint
 * upgrade that adds or removes a type in a region fails the test until the table follows.
 */
export const REGIONS_WITHOUT_RESOURCE_TYPE: Readonly<Record<string, readonly string[]>> = {
  [REMEDIATION_CONFIGURATION_TYPE]: [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-south-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'cn-northwest-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'il-central-1',
    'mx-central-1',
    'us-gov-east-1',
    'us-gov-west-1',
  ],
  [GUARD_HOOK_TYPE]: ['cn-north-1', 'cn-northwest-1', 'us-gov-east-1', 'us-gov-west-1'],
};

/**
 * Every region of the `aws`, `aws-cn` and `aws-us-gov` partitions that cfn-lint 1.51 knows: the regions
 * {@link REGIONS_WITHOUT_RESOURCE_TYPE} speaks for. A region outside this list is treated as lacking
 * every type of that table (fail closed: the Config API works wherever Config does; a Guard hook is refused).
 */
export const CLOUDFORMATION_REGIONS: readonly string[] = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'cn-north-1',
  'cn-northwest-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-west-1',
  'us-west-2',
];

/**
 * Whether CloudFormation has a resource type in a region, as far as this project uses types.
 *
 * @param region - a region name, or an unresolved token (an environment-agnostic stack)
 * @param type - a CloudFormation resource type, such as `AWS::Config::RemediationConfiguration`
 * @returns undefined when the region is a token (known only at deployment); false when the region lacks
 *   the type or is not one of {@link CLOUDFORMATION_REGIONS} while the type is missing somewhere; true otherwise
 *
 * @example
 * ```ts
 * import { regionHasResourceType } from 'client-vpn-connection-logging';
 *
 * regionHasResourceType('eu-west-1', 'AWS::Config::RemediationConfiguration'); // true
 * regionHasResourceType('eu-north-1', 'AWS::Config::RemediationConfiguration'); // false
 * ```
 */
export function regionHasResourceType(region: string, type: string): boolean | undefined {
  if (Token.isUnresolved(region)) return undefined;
  const missingIn = REGIONS_WITHOUT_RESOURCE_TYPE[type];
  if (missingIn === undefined) return true;
  return CLOUDFORMATION_REGIONS.includes(region) && !missingIn.includes(region);
}

/**
 * {@link regionHasResourceType} for the region of a construct's stack.
 *
 * @param scope - a construct in the stack
 * @param type - a CloudFormation resource type
 */
export function stackRegionHasResourceType(scope: Construct, type: string): boolean | undefined {
  return regionHasResourceType(Stack.of(scope).region, type);
}
