/**
 * What CloudWatch Logs accepts, in one place: the rule, the infrastructure's context checks and the
 * audit command all validate against these. Pure: no SDK import.
 */

/** Log group names (and prefixes of them): 1 to 512 of `A-Z a-z 0-9 . - _ / #` (`CreateLogGroup`). */
export const LOG_GROUP_NAME_PATTERN = /^[.\-_/#A-Za-z0-9]{1,512}$/;

/** The retention values, in days, that `PutRetentionPolicy` accepts, ascending. */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
