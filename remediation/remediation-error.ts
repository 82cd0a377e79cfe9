/**
 * The root of the runbook's errors (a runbook that does not have the expected shape, script calls that
 * are not declared), so a caller can tell them from any other failure with one `instanceof`.
 */
export class RemediationError extends Error {
  public override name = 'RemediationError';
}
