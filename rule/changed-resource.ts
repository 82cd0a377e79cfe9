/**
 * What a watched CloudTrail management event changed, read from its `detail`: an endpoint, a log group
 * or a KMS key. Pure: no SDK client, so that the drift trigger can decide cheaply whether to look anything up.
 */

import { parseArn } from './parse-arn';

/**
 * The resource a watched call changed.
 * - `endpoint`: a Client VPN endpoint of this account and region (EC2 acts on the caller's own endpoints);
 * - `log-group`: the log group of that name;
 * - `key`: the KMS key of that key ID;
 * - `key-alias`: the key an alias (name or ARN) points to, still to be resolved;
 * - `none`: nothing a log pipeline uses (e.g. the account's query results);
 * - `unknown`: the event does not say; the trigger then evaluates anyway.
 */
export type ChangedResource =
  | { readonly kind: 'endpoint' }
  | { readonly kind: 'log-group'; readonly logGroupName: string }
  | { readonly kind: 'key'; readonly keyId: string }
  | { readonly kind: 'key-alias'; readonly alias: string }
  | { readonly kind: 'none'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: string };

const KEY_RESOURCE = /^key\/([\w-]+)$/;
const ALIAS_RESOURCE = /^alias\/\S+$/;
// Log group names hold no colon (CloudWatch Logs API Reference, CreateLogGroup: [\.\-_/#A-Za-z0-9]+).
const LOG_GROUP_RESOURCE = /^log-group:([^:]+)(?::\*)?$/;

/**
 * The resource part of an ARN of `service` (`key/…`, `log-group:…`), or `undefined` when the text is
 * not such an ARN. Event fields are the caller's to choose: the region may be empty and the account
 * is digits, as CloudTrail records them.
 */
function resourceOfArn(reference: string, service: string): string | undefined {
  const parts = parseArn(reference);
  if (parts === undefined || parts.service !== service || !/^[\w-]+$/.test(parts.partition)) return undefined;
  return /^[\w-]*$/.test(parts.region) && /^\d*$/.test(parts.accountId) ? parts.resource : undefined;
}

function keyIdOfArn(reference: string): string | undefined {
  return KEY_RESOURCE.exec(resourceOfArn(reference, 'kms') ?? '')?.[1];
}

function isAlias(reference: string): boolean {
  return ALIAS_RESOURCE.test(reference) || ALIAS_RESOURCE.test(resourceOfArn(reference, 'kms') ?? '');
}

function field(record: unknown, name: string): unknown {
  return typeof record === 'object' && record !== null && Object.hasOwn(record, name)
    ? (record as Record<string, unknown>)[name]
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The key ID of a key ARN or a bare key ID (a UUID, or `mrk-` and hex for a multi-Region key), or
 * `undefined` for anything else (an alias, or no key reference at all).
 *
 * @param reference - a KMS key reference as a log group or an event gives it
 */
export function keyIdOf(reference: string): string | undefined {
  const fromArn = keyIdOfArn(reference);
  if (fromArn !== undefined) return fromArn;
  return /^(?:mrk-)?[0-9a-f-]+$/i.test(reference) ? reference : undefined;
}

/**
 * KMS calls (DisableKey, ScheduleKeyDeletion, PutKeyPolicy, DeleteImportedKeyMaterial): CloudTrail gives
 * the key's ARN in `resources` and, since December 2022, in `responseElements.keyId`, whatever the caller
 * wrote in `requestParameters.keyId` (key ARN, key ID, alias name or alias ARN). The ARN CloudTrail
 * records comes first: it is the key acted on, where an alias may since point elsewhere.
 * https://docs.aws.amazon.com/kms/latest/developerguide/ct-disablekey.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/ct-deleteimportedkeymaterial.html
 */
function changedKey(detail: unknown): ChangedResource {
  const resources = field(detail, 'resources');
  const recorded = [
    ...(Array.isArray(resources) ? resources.map((resource) => text(field(resource, 'ARN'))) : []),
    text(field(field(detail, 'responseElements'), 'keyId')),
  ];
  for (const arn of recorded) {
    const keyId = arn === undefined ? undefined : keyIdOfArn(arn);
    if (keyId !== undefined) return { kind: 'key', keyId };
  }
  const requested = text(field(field(detail, 'requestParameters'), 'keyId'));
  if (requested === undefined) return { kind: 'unknown', reason: 'the event names no key' };
  const keyId = keyIdOf(requested);
  if (keyId !== undefined) return { kind: 'key', keyId };
  if (isAlias(requested)) return { kind: 'key-alias', alias: requested };
  return { kind: 'unknown', reason: `the key ${JSON.stringify(requested)} is neither a key nor an alias` };
}

/**
 * CloudWatch Logs calls: `logGroupName` (DeleteLogGroup, PutRetentionPolicy, DeleteRetentionPolicy, and
 * AssociateKmsKey/DisassociateKmsKey by name), or `resourceIdentifier`, a log group ARN or the account's
 * `query-result:*` ARN (CloudWatch Logs API Reference, AssociateKmsKey).
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_AssociateKmsKey.html
 */
function changedLogGroup(detail: unknown): ChangedResource {
  const parameters = field(detail, 'requestParameters');
  const name = text(field(parameters, 'logGroupName'));
  if (name !== undefined) return { kind: 'log-group', logGroupName: name };
  const identifier =
    text(field(parameters, 'logGroupIdentifier')) ?? text(field(parameters, 'resourceIdentifier'));
  if (identifier === undefined) return { kind: 'unknown', reason: 'the event names no log group' };
  const resource = resourceOfArn(identifier, 'logs');
  const fromArn = LOG_GROUP_RESOURCE.exec(resource ?? '')?.[1];
  if (fromArn !== undefined) return { kind: 'log-group', logGroupName: fromArn };
  if (resource?.startsWith('query-result:'))
    return { kind: 'none', reason: `${identifier} is the account's query results, not a log group` };
  if (!identifier.startsWith('arn:')) return { kind: 'log-group', logGroupName: identifier };
  return { kind: 'unknown', reason: `${JSON.stringify(identifier)} is not a log group ARN` };
}

/**
 * Reads what a watched call changed out of its CloudTrail record (`detail` of the EventBridge event).
 *
 * @param eventSource - the record's `eventSource`, already checked to be a watched one
 * @param detail - the CloudTrail record
 * @returns the changed resource, `unknown` when the record does not say
 */
export function changedResource(eventSource: string, detail: unknown): ChangedResource {
  if (eventSource === 'ec2.amazonaws.com') return { kind: 'endpoint' };
  if (eventSource === 'kms.amazonaws.com') return changedKey(detail);
  if (eventSource === 'logs.amazonaws.com') return changedLogGroup(detail);
  return { kind: 'unknown', reason: `no reader for ${eventSource}` };
}
