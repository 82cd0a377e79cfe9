import type { KMSClient } from '@aws-sdk/client-kms';
import type { KeyLookup } from './types';
import { mapConcurrently } from './bounded-concurrency';
import { loadKmsModule } from './lazy-sdk-modules';

/** How many DescribeKey calls a sweep keeps in flight: KMS shares its request quota with encryption. */
export const KEY_LOOKUP_CONCURRENCY = 4;

// The answers that mean the rule cannot see the key, as opposed to a failure worth retrying: IAM or the
// key policy denies kms:DescribeKey, the key does not exist (deleted), or the ARN is not a key's
// (KMS API Reference, DescribeKey, Errors).
const UNREADABLE_KEY_ERRORS: ReadonlySet<string> = new Set([
  'AccessDeniedException',
  'NotFoundException',
  'InvalidArnException',
]);

/**
 * Reads the state of KMS keys with `kms:DescribeKey`, each distinct key once. A key the rule may not
 * read, or that no longer exists, is `unreadable` with the error code; any other failure is thrown so
 * the invocation fails rather than judges on a guess.
 *
 * @param kms - the KMS client of the account and region evaluated
 * @param keyIds - the key ARNs, as log groups name them; duplicates allowed
 * @returns every distinct key, mapped to its state or why it could not be read
 */
export async function lookUpKeys(kms: KMSClient, keyIds: Iterable<string>): Promise<Map<string, KeyLookup>> {
  // Loaded here, not at the top, so an invocation whose groups use no key never loads the KMS client.
  const { DescribeKeyCommand } = await loadKmsModule();
  const distinct = [...new Set(keyIds)];
  const lookups = await mapConcurrently(
    distinct,
    KEY_LOOKUP_CONCURRENCY,
    async (keyId): Promise<KeyLookup> => {
      try {
        const { KeyMetadata: metadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
        return {
          status: 'found',
          keyId,
          keyState: metadata?.KeyState ?? 'Unknown',
          ...(metadata?.DeletionDate ? { deletionDate: metadata.DeletionDate } : {}),
        };
      } catch (error) {
        const name = (error as { name?: unknown }).name;
        if (typeof name === 'string' && UNREADABLE_KEY_ERRORS.has(name)) {
          return { status: 'unreadable', keyId, errorCode: name };
        }
        throw error;
      }
    },
  );
  return new Map(distinct.map((keyId, index) => [keyId, lookups[index] as KeyLookup]));
}
