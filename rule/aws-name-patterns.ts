/**
 * The AWS name patterns, declared once: the rule, the CDK context reader, the audit's and the
 * connections report's options and the loopback AWS all validate names against these. Pure: no SDK
 * import. Each follows the owning service's documented constraint, so a bad value is refused where it
 * is read, not at deploy or at the first API call.
 */

/**
 * AWS region names: an area of two to four letters, one or more words, and a number: `us-east-1`,
 * `eu-central-2`, `us-gov-west-1`, `cn-northwest-1`, `us-isob-east-1`, `eusc-de-east-1` (the European
 * Sovereign Cloud has a four-letter area).
 *
 * Decided for issue 16, where the audit allowed a one- or two-digit number and the context reader one
 * digit: the SDK's own partition table ends every `regionRegex` in `-\d+` (`@aws-sdk/util-endpoints`,
 * partitions.json: `^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$`, `^us\-gov\-\w+\-\d+$`,
 * `^eusc\-(de)\-\w+\-\d+$`), so a region number is not limited to one digit; two digits bound the text
 * while leaving room for an area's tenth region.
 */
export const REGION_NAME_PATTERN = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;

/** An AWS account ID: 12 digits (Organizations' AccountId pattern, botocore organizations model). */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/**
 * An Organizations root (`r-…`) or organizational unit (`ou-…-…`) ID: the ParentId pattern of the
 * botocore organizations model.
 */
export const ORGANIZATION_PARENT_ID_PATTERN = /^(?:r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

/** The characters of an IAM role name and of each segment of its path (IAM API Reference, CreateRole). */
const ROLE_NAME_CHARACTER = String.raw`[\w+=,.@-]`;

/** IAM's limit on a role name's length (IAM API Reference, CreateRole: RoleName, 1 to 64). */
export const MAX_ROLE_NAME_LENGTH = 64;

/**
 * An IAM role name of 1 to `maxLength` characters, without a path: for a base name to which a suffix
 * is appended, pass what is left of IAM's 64.
 *
 * @param maxLength - the longest name accepted
 * @default maxLength MAX_ROLE_NAME_LENGTH
 * @returns the pattern
 */
export function roleNamePattern(maxLength: number = MAX_ROLE_NAME_LENGTH): RegExp {
  return new RegExp(`^${ROLE_NAME_CHARACTER}{1,${maxLength}}$`);
}

/** An IAM role name (1 to 64 of `[\w+=,.@-]`), without a path: the role addressed as `role/NAME`. */
export const ROLE_NAME_PATTERN = roleNamePattern();

const PATH_AND_ROLE_NAME = `(?:${ROLE_NAME_CHARACTER}+/)*${ROLE_NAME_CHARACTER}{1,${MAX_ROLE_NAME_LENGTH}}`;

/**
 * An IAM role name, optionally after a path of `segment/` parts of the same characters, without the
 * path's leading `/`: what follows `role/` in the role's ARN.
 */
export const ROLE_PATH_AND_NAME_PATTERN = new RegExp(`^${PATH_AND_ROLE_NAME}$`);

/** An IAM role ARN in any AWS partition, the role name optionally after a path. */
export const ROLE_ARN_PATTERN = new RegExp(
  String.raw`^arn:aws[a-z-]*:iam::\d{12}:role/${PATH_AND_ROLE_NAME}$`,
);

/** A KMS key ARN (not an alias): `arn:<partition>:kms:<region>:<account>:key/<key-id>`. */
export const KMS_KEY_ARN_PATTERN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** Log group names (and prefixes of them): 1 to 512 of `A-Z a-z 0-9 . - _ / #` (`CreateLogGroup`). */
export const LOG_GROUP_NAME_PATTERN = /^[.\-_/#A-Za-z0-9]{1,512}$/;

/** Log stream names: 1 to 512 characters, neither `:` nor `*` (`CreateLogStream`). */
export const LOG_STREAM_NAME_PATTERN = /^[^:*]{1,512}$/;

/** An SNS topic ARN: `arn:<partition>:sns:<region>:<account>:<name>`, 1 to 256 of `A-Z a-z 0-9 _ -`. */
export const SNS_TOPIC_ARN_PATTERN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** An SSM document name: 3 to 128 of `A-Z a-z 0-9 _ . -` (SSM API Reference, CreateDocument: Name). */
export const SSM_DOCUMENT_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,128}$/;

/**
 * The name of a document one creates: an SSM document name that does not start with `aws` or
 * `amazon`, in any case, prefixes SSM reserves for its own documents (CreateDocument: Name).
 */
export const OWN_SSM_DOCUMENT_NAME_PATTERN = /^(?!(?:aws|amazon))[A-Za-z0-9_.-]{3,128}$/i;

/** An SSM document ARN: `arn:<partition>:ssm:<region>:<account>:document/<name>`. */
export const SSM_DOCUMENT_ARN_PATTERN =
  /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:document\/[A-Za-z0-9_.-]{3,128}$/;

/** An AWS Config rule name: 1 to 64 of `A-Z a-z 0-9 _ -` (as the stacks name the rule). */
export const CONFIG_RULE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A Lambda function ARN, unqualified (no version or alias). */
export const LAMBDA_FUNCTION_ARN_PATTERN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+$/;

/**
 * An S3 bucket name: 3 to 63 of `a-z 0-9 . -`, starting and ending with a letter or digit.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export const S3_BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** A Client VPN endpoint ID: `cvpn-endpoint-` and 17 hexadecimal digits. */
export const CLIENT_VPN_ENDPOINT_ID_PATTERN = /^cvpn-endpoint-[0-9a-f]{17}$/;
