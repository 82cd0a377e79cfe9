/**
 * Tells a mistyped region (`eu-wset-1`) from a real one before any call, with the partition data the
 * SDK resolves endpoints from (`partition` of @aws-sdk/core, the copy of AWS's partitions.json that
 * ships with the installed SDK). That copy lags behind AWS: a region it does not list is either a typo
 * or newer than the copy. A name that one edit of its letters (a letter changed, added, dropped, or two
 * swapped) turns into a listed region with the same number is a typo; any other well-formed name is
 * taken as a newer region, with a warning, so the audit never refuses a region AWS has just opened.
 */
import { partition } from '@aws-sdk/core/client';

/** What the partition data says of a region name. */
export type RegionNameVerdict =
  /** The SDK's partition data lists it. */
  | { readonly kind: 'known' }
  /** Not listed, and no listed region is one edit away: taken as newer than the SDK's copy. */
  | { readonly kind: 'unlisted' }
  /** Not listed, and one edit away from `suggestion`, which is. */
  | { readonly kind: 'typo'; readonly suggestion: string };

const LETTERS = 'abcdefghijklmnopqrstuvwxyz-';

/** Whether the installed SDK's partition data lists the region by name (not only by its pattern). */
function isListed(region: string): boolean {
  // `partition` returns a region's own entry (with its description) only for a listed region; for
  // any other name, its partition's outputs alone, matched by the partition's region pattern.
  return 'description' in partition(region);
}

/** Every string one edit away from `text`: a letter changed, added or dropped, or two neighbours swapped. */
function oneEditAway(text: string): Set<string> {
  const edits = new Set<string>();
  for (let i = 0; i <= text.length; i++) {
    const [head, tail] = [text.slice(0, i), text.slice(i)];
    if (tail.length > 0) edits.add(head + tail.slice(1));
    if (tail.length > 1) edits.add(head + tail.charAt(1) + tail.charAt(0) + tail.slice(2));
    for (const letter of LETTERS) {
      edits.add(head + letter + tail);
      if (tail.length > 0) edits.add(head + letter + tail.slice(1));
    }
  }
  edits.delete(text);
  return edits;
}

/**
 * Judges a well-formed region name (e.g. `eu-west-1`) against the SDK's partition data.
 *
 * @param region - the region name, already matching the region pattern
 * @returns known, unlisted (newer than the SDK's copy), or a typo of a listed region
 */
export function checkRegionName(region: string): RegionNameVerdict {
  if (isListed(region)) return { kind: 'known' };
  // Only the words are edited: `eu-west-4` next to a listed `eu-west-3` is a new region, not a typo.
  const match = /^(.*)(-\d+)$/.exec(region);
  if (match === null) return { kind: 'unlisted' };
  const [, words = '', number = ''] = match;
  for (const candidate of oneEditAway(words)) {
    if (isListed(candidate + number)) return { kind: 'typo', suggestion: candidate + number };
  }
  return { kind: 'unlisted' };
}
