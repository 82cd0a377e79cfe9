import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AccountStack } from './stacks/account-stack';
import { readDeploymentSettings } from './stacks/context-props';
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
 * The CDK app: the one-account stack, the organization stack and the member-account stack, all checked
 * by cdk-nag's AWS Solutions rules on every synthesis.
 */
export function buildApp(props: AppProps = {}): App {
  const app = new App(props);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const settings = readDeploymentSettings(app.node);
  new AccountStack(app, STACK_NAMES.account, {
    settings,
    description: 'AWS Config rule and SSM remediation keeping Client VPN connection logging on (one account)',
  });
  new OrganizationStack(app, STACK_NAMES.organization, {
    settings,
    description:
      'Organization Config rule for Client VPN connection logging (delegated administrator account)',
  });
  new MemberAccountStack(app, STACK_NAMES.member, {
    settings,
    description:
      'Evaluation role and remediation runbook for Client VPN connection logging (member accounts)',
  });
  const guardHook = readGuardHookSettings(app.node);
  if (guardHook.enabled) {
    new GuardHookStack(app, STACK_NAMES.guardHook, {
      parameters: settings.rule,
      failureMode: guardHook.failureMode,
      logBucketName: guardHook.logBucketName,
      description: 'CloudFormation Guard hook refusing Client VPN endpoints without connection logging',
    });
  }
  return app;
}

if (require.main === module) reportSynthesisErrors(() => buildApp().synth());
