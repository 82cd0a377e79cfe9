/**
 * The root of the connection insights' errors (a Logs Insights query that failed or hit its row
 * limit), so a caller can tell them from any other failure with one `instanceof`.
 */
export class InsightsError extends Error {
  public override name = 'InsightsError';
}
