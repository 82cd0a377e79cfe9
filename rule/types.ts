/**
 * Shared shapes of the Client VPN connection-logging rule.
 *
 * These are the contract between the pure decision (`decision.ts`), the adapters that gather
 * facts from AWS, the Lambda handler and the local audit command. Nothing here imports the SDK.
 */

/** The AWS Config resource type the rule judges. */
export const CLIENT_VPN_ENDPOINT_RESOURCE_TYPE = 'AWS::EC2::ClientVpnEndpoint';

/** A verdict AWS Config accepts for a resource evaluation. */
export type ComplianceType = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

/** The endpoint's `ConnectionLogOptions`, normalised from PascalCase or camelCase. */
export interface ConnectionLogOptions {
  /** Whether the endpoint says connection logging is on. */
  readonly enabled: boolean;
  /** The CloudWatch Logs group the endpoint writes to, when one is named. */
  readonly logGroupName?: string;
  /** The CloudWatch Logs stream the endpoint writes to, when one is named. */
  readonly logStreamName?: string;
}

/** What the rule knows of one Client VPN endpoint, whatever the source (Config item or EC2 API). */
export interface EndpointFacts {
  /** The endpoint ID, `cvpn-endpoint-` followed by 17 hex digits. */
  readonly endpointId: string;
  /**
   * The endpoint's status code (`pending-associate`, `available`, `deleting`, `deleted`), when known.
   * `deleting` and `deleted` endpoints are NOT_APPLICABLE.
   */
  readonly status?: string;
  /** The endpoint's connection-log settings. */
  readonly connectionLog: ConnectionLogOptions;
}

/** What CloudWatch Logs says of a log group. */
export interface LogGroupFacts {
  /** The log group's name. */
  readonly name: string;
  /** Days before events expire; absent when the group never expires. */
  readonly retentionInDays?: number;
  /** The ARN of the KMS key that encrypts the group; absent when it uses CloudWatch Logs' own encryption. */
  readonly kmsKeyId?: string;
}

/**
 * The outcome of looking a log group up: found, confirmed missing, or deliberately not looked up
 * (`verifyLogGroup` is false).
 */
export type LogGroupLookup =
  | { readonly status: 'found'; readonly logGroup: LogGroupFacts }
  | { readonly status: 'missing' }
  | { readonly status: 'not-checked' };

/**
 * What KMS said of the key that encrypts a log group: its `KeyState` (and `DeletionDate` when it is
 * `PendingDeletion`), or that the key could not be read, with the error code KMS or IAM answered.
 */
export type KeyLookup =
  | {
      readonly status: 'found';
      readonly keyId: string;
      readonly keyState: string;
      readonly deletionDate?: Date;
    }
  | { readonly status: 'unreadable'; readonly keyId: string; readonly errorCode: string };

/**
 * The evidence that connection logs arrive: when the endpoint's connections were established
 * (`DescribeClientVpnConnections`, active ones and those ended within the last hour) and when the
 * group (or the endpoint's named stream) last ingested an event (`DescribeLogStreams`).
 */
export interface DeliveryEvidence {
  /** The establishment times of the endpoint's listed connections. */
  readonly connectionTimes: readonly Date[];
  /** The newest `lastIngestionTime` of the group's streams (or of the named stream); absent when none. */
  readonly lastIngestion?: Date;
  /** The named stream the ingestion was read from, when the endpoint names one. */
  readonly streamName?: string;
  /** When the evidence was gathered; the grace period is counted back from it. */
  readonly observedAt: Date;
}

/** Facts beyond the log group itself that the decision weighs when the parameters ask for them. */
export interface PipelineFacts {
  /** The state of the group's KMS key, when `verifyKmsKeyState` is on and the group has a key. */
  readonly key?: KeyLookup;
  /** The delivery evidence, when `verifyDelivery` is on and the group exists. */
  readonly delivery?: DeliveryEvidence;
}

/** The rule's parameters, parsed and validated; derived from their one declaration. */
export type { RuleParameters } from './rule-parameter-declarations';

/** A verdict with the annotation that tells the reader what is wrong and how to fix it. */
export interface Verdict {
  /** The compliance verdict. */
  readonly compliance: ComplianceType;
  /** Why, at most 256 characters; present on every NON_COMPLIANT and NOT_APPLICABLE verdict. */
  readonly annotation?: string;
}

/** A verdict about one endpoint, as the sweep, the handler and the audit command report it. */
export interface EndpointVerdict extends Verdict {
  /** The endpoint ID. */
  readonly endpointId: string;
}

/**
 * The environment variable through which the organization stack tells the central function which role
 * to assume in the event's account. The function's configuration, never the event, decides its mode.
 */
export const EXECUTION_ROLE_NAME_VARIABLE = 'EXECUTION_ROLE_NAME';
