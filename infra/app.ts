import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AccountStack } from './stacks/account-stack';
import { readDeploymentSettings } from './stacks/deployment-settings-context';
import { MemberAccountStack } from './stacks/member-account-stack';
import { OrganizationStack } from './stacks/organization-stack';
import { reportSynthesisErrors } from './report-synthesis-errors';
import { readGuardHookSettings } from './stacks/guard-hook-context';
import { GuardHookStack } from './stacks/guard-hook-stack';

/** The stacks' names, as `cdk deploy` takes them. */
export const STACK_NAMES = {
  account: 'ClientVpnConnectionLogging',
  organization: 'ClientVpnConnectionLoggingOrganization',
  member: 'ClientVpnConnectionLoggingMember',
  guardHook: 'ClientVpnConnectionLoggingGuardHook',
} as const;

/**
 * The region the stacks are synthesised for: `CDK_DEFAULT_REGION`, which the CDK CLI sets from the
 * profile, or none (an environment-agnostic synthesis).
 */
export function synthesisRegion(): string | undefined {
  const region = process.env.CDK_DEFAULT_REGION?.trim();
  return region === undefined || region === '' ? undefined : region;
}

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /**
   * The region to synthesise for: the stacks then use only resource types CloudFormation has there
   * (`cloudformation-resource-availability.ts`), and ARNs of its partition.
   * @default - {@link synthesisRegion}: `CDK_DEFAULT_REGION`, or environment-agnostic stacks
   */
  readonly region?: string;
}

/**
 * The CDK app: the one-account stack, the organization stack and the member-account stack, all checked
 * by cdk-nag's AWS Solutions rules on every synthesis.
 */
export function buildApp(props: AppProps = {}, options: BuildAppOptions = {}): App {
  const app = new App(props);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const settings = readDeploymentSettings(app.node);
  const region = options.region ?? synthesisRegion();
  // Only the region: the account stays the deployment's (AWS::AccountId), as before.
  const env = region === undefined ? undefined : { region };
  new AccountStack(app, STACK_NAMES.account, {
    env,
    settings,
    description: 'AWS Config rule and SSM remediation keeping Client VPN connection logging on (one account)',
  });
  new OrganizationStack(app, STACK_NAMES.organization, {
    env,
    settings,
    description:
      'Organization Config rule for Client VPN connection logging (delegated administrator account)',
  });
  new MemberAccountStack(app, STACK_NAMES.member, {
    env,
    settings,
    description:
      'Evaluation role and remediation runbook for Client VPN connection logging (member accounts)',
  });
  const guardHook = readGuardHookSettings(app.node);
  if (guardHook.enabled) {
    new GuardHookStack(app, STACK_NAMES.guardHook, {
      env,
      parameters: settings.rule,
      failureMode: guardHook.failureMode,
      logBucketName: guardHook.logBucketName,
      description: 'CloudFormation Guard hook refusing Client VPN endpoints without connection logging',
    });
  }
  return app;
}

if (require.main === module) reportSynthesisErrors(() => buildApp().synth());
