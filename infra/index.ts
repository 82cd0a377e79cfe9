/**
 * The package's public entry point (`main`/`types` in package.json): what a CDK app imports to add the
 * detective rule and its remediation to its own stacks. Everything else under `infra/` is this
 * repository's own app.
 */

// One account: the rule's Lambda, the Config rule, the runbook and the remediation, in one construct.
export {
  ConnectionLoggingEnforcement,
  type ConnectionLoggingEnforcementProps,
} from './constructs/connection-logging-enforcement';
// Its parts, for apps that compose them differently.
export {
  ConnectionLoggingConfigRule,
  type ConnectionLoggingConfigRuleProps,
} from './constructs/connection-logging-config-rule';
export { RemediationRunbook, type RemediationRunbookProps } from './constructs/remediation-runbook';
export {
  RuleEvaluationFunction,
  type RuleEvaluationFunctionProps,
  type CrossAccountAccess,
} from './constructs/rule-evaluation-function';
export { MissingLambdaBundleError } from './constructs/bundled-handler-function';
// Regions whose CloudFormation lacks the native remediation resource: the same configuration through the
// Config API (chosen by ConnectionLoggingConfigRule when the stack's region is known), and the table behind it.
export {
  RemediationConfigurationCustomResource,
  type RemediationConfigurationCustomResourceProps,
  type RemediationConfigurationSettings,
  remediationConfigurationRequest,
} from './constructs/remediation-configuration-custom-resource';
export {
  CLOUDFORMATION_REGIONS,
  REGIONS_WITHOUT_RESOURCE_TYPE,
  regionHasResourceType,
} from './constructs/cloudformation-resource-availability';
// Opt-in: saved Logs Insights queries, metric filters, a failed-attempts alarm and a dashboard over the logs.
export { ConnectionInsights, type ConnectionInsightsProps } from './constructs/connection-insights';

// The settings every construct and stack takes, and the reader that fills them from CDK context with
// this project's defaults and validation.
export type {
  DeploymentSettings,
  ExecutionFrequency,
  ConnectionInsightsSettings,
  MemberDeployment,
  RemediationSettings,
  RuleSettings,
} from './constructs/deployment-settings';
export {
  CONTEXT_DEFAULTS,
  InvalidContextError,
  readDeploymentSettings,
} from './stacks/deployment-settings-context';
export { regionalRoleName } from './constructs/regional-role-name';

// Organization mode: the delegated administrator's stack, the member-account stack (or its template for
// a StackSet of your own) and the conformance pack.
export { OrganizationStack, type OrganizationStackProps } from './stacks/organization-stack';
export { MemberAccountStack, type MemberAccountStackProps } from './stacks/member-account-stack';
export { memberAccountTemplateBody } from './stacks/member-account-template';
export { ConformancePackStack, type ConformancePackStackProps } from './stacks/conformance-pack-stack';
export { conformancePackYaml } from './stacks/conformance-pack';

// The preventive control: a CDK policy-validation plugin running the same Guard policy as the Guard hook
// and `client-vpn-logging check-template`, with the same parameters as the Config rule.
export {
  ConnectionLoggingPolicyValidationPlugin,
  type ConnectionLoggingPolicyValidationPluginProps,
} from '../policy/connection-logging-policy-validation-plugin';
export { type PolicyParameters, renderConnectionLoggingPolicy } from '../policy/connection-logging-policy';
