/**
 * The root of the audit's errors (bad options, an account or region it cannot reach, a stopped run), so
 * a caller can tell the audit's refusals from any other failure with one `instanceof`.
 */
export class AuditError extends Error {
  public override name = 'AuditError';
}
