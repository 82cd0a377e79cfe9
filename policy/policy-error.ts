/**
 * The root of the Guard policy's and the template checks' errors (no cfn-guard binary, a template or
 * plan that cannot be read), so a caller can tell them from any other failure with one `instanceof`.
 */
export class PolicyError extends Error {
  public override name = 'PolicyError';
}
