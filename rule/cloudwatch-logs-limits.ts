/**
 * What CloudWatch Logs accepts, in one place: the rule, the infrastructure's context checks and the
 * audit command all validate against these. Pure: no SDK import.
 */

/** The retention values, in days, that `PutRetentionPolicy` accepts, ascending. */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
