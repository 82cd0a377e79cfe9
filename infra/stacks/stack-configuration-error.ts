/**
 * The root of the stacks' errors: a CDK context value or key the app refuses (`DeploymentContextError`),
 * a stack that cannot be built where it is asked for (no Guard hook type in the region), or a template
 * over a service limit; each can be fixed from its message alone.
 */
export class StackConfigurationError extends Error {
  public override name = 'StackConfigurationError';
}
