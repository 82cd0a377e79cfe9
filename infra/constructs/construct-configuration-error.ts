/**
 * The root of the constructs' errors (a missing bundle, a key of another account or region, a scope
 * the runbook must not have), so a caller can tell a construct refusing its configuration from any
 * other failure with one `instanceof`, as `DeploymentContextError` does for the CDK context.
 */
export class ConstructConfigurationError extends Error {
  public override name = 'ConstructConfigurationError';
}
