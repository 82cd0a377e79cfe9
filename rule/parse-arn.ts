import { parse, type ARN } from '@aws-sdk/util-arn-parser';

/** The parts of an ARN: `arn:<partition>:<service>:<region>:<accountId>:<resource>`. */
export type ArnParts = ARN;

/**
 * The parts of an ARN, or `undefined` when the text is not one (fewer than six colon-separated parts,
 * or not starting `arn:`), so that each caller names the refusal in its own terms. The resource keeps
 * its own colons (`log-group:NAME:*`). Format: "Amazon Resource Names (ARNs)",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 *
 * @param text - the text to read, typically from an event, an API answer or a setting
 * @returns the ARN's parts, or `undefined`
 */
export function parseArn(text: string): ArnParts | undefined {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}
