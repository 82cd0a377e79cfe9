/**
 * The naming rule for every IAM role this project gives a fixed name: `<base name>-<region>`.
 *
 * IAM role names are global to an account, while everything that uses these roles is regional: Config
 * rules, the rule Lambda, the SSM document, the automation role's trust (`aws:SourceArn` names the
 * region). Suffixing the region lets every stack be deployed once per region, in any number of regions
 * of one account, without `EntityAlreadyExists`. The context options and the conformance pack parameters
 * take the base names; the stacks append the region of the stack they build.
 */

import { MAX_ROLE_NAME_LENGTH } from '../../rule/aws-name-patterns';

/** IAM's limit on a role name (`CreateRole`, `RoleName`), declared with the other AWS name patterns. */
export { MAX_ROLE_NAME_LENGTH };

/**
 * The longest region name known when this was written (15 characters; `ap-southeast-5` and
 * `us-gov-west-1` are 14 and 13). `test/infra/regional-role-name.test.ts` checks every region
 * aws-cdk-lib knows against it, so a longer new region fails the tests instead of a deployment.
 */
export const LONGEST_REGION_NAME = 'us-isof-south-1';

/** The longest base name whose regional name fits IAM's 64 characters in every region: 48. */
export const MAX_BASE_ROLE_NAME_LENGTH = MAX_ROLE_NAME_LENGTH - '-'.length - LONGEST_REGION_NAME.length;

/**
 * A fixed role name made unique per region: `<baseName>-<region>`.
 *
 * @param baseName - the configured base name (at most {@link MAX_BASE_ROLE_NAME_LENGTH} characters)
 * @param region - the stack's region: `Stack.of(scope).region`, which is the `Aws.REGION` token in an
 *   environment-agnostic stack (the StackSet template, the app's stacks) and the literal region otherwise
 *
 * @example
 * ```ts
 * import { App, Stack } from 'aws-cdk-lib';
 * import { regionalRoleName } from 'client-vpn-connection-logging';
 *
 * regionalRoleName('ClientVpnConnectionLoggingAutomation', 'eu-west-1'); // 'ClientVpnConnectionLoggingAutomation-eu-west-1'
 * // In an environment-agnostic stack the region is a token, resolved at deployment.
 * const stack = new Stack(new App(), 'RemediationStack');
 * regionalRoleName('ClientVpnConnectionLoggingAutomation', stack.region);
 * ```
 */
export function regionalRoleName(baseName: string, region: string): string {
  return `${baseName}-${region}`;
}
