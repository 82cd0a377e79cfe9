/**
 * Every loop over an AWS API's pages, in the rule and the audit, goes through {@link boundedPages}: it
 * wraps the SDK v3 paginator (`paginateDescribeLogGroups`, ...) so that the loop always ends, and ends
 * with a named error when the service misbehaves. The paginators' own `stopOnSameToken` would turn a
 * repeated token into a quiet end of the list, which is fail-open: the endpoints on the pages never
 * fetched would go unjudged. Here a token seen before (immediately or in a longer cycle) throws
 * {@link RepeatedPageTokenError}, and a list longer than `maxPages` throws {@link PageLimitExceededError},
 * before the next page is asked for.
 */

import { PageLimitExceededError, RepeatedPageTokenError } from './errors';

/** The errors a bounded listing ends with, declared with the rule's other errors. */
export { PageLimitExceededError, RepeatedPageTokenError };

/**
 * The most pages one listing may take unless the caller says otherwise. The longest listings here are an
 * organization's accounts (20 a page: 200,000 accounts) and the endpoints of a region (1,000 a page); no
 * quota comes near, so reaching it means the service keeps answering with new tokens and no end.
 */
export const DEFAULT_MAX_PAGES = 10_000;

/** How a listing is bounded. */
export interface PageBounds<Page> {
  /** The operation's name, for the error. */
  readonly operation: string;
  /** Reads the token of the next page from a page (`NextToken` or `nextToken`, by service). */
  readonly nextTokenOf: (page: Page) => string | undefined;
  /**
   * The most pages the listing may take.
   * @default DEFAULT_MAX_PAGES
   */
  readonly maxPages?: number;
}

/**
 * Yields the pages of an SDK paginator, throwing a named error instead of asking for another page
 * when the service repeats a token or the pages pass the bound.
 *
 * @param pages - the SDK v3 paginator, e.g. `paginateDescribeLogGroups({ client }, input)`
 * @param bounds - the operation's name, where its token is, and the most pages
 * @returns the pages, in order
 * @throws RepeatedPageTokenError when a page carries a token already given
 * @throws PageLimitExceededError when a page past `maxPages` would be needed
 */
export async function* boundedPages<Page>(
  pages: AsyncIterable<Page>,
  bounds: PageBounds<Page>,
): AsyncGenerator<Page, void, undefined> {
  const maxPages = bounds.maxPages ?? DEFAULT_MAX_PAGES;
  const seen = new Set<string>();
  let count = 0;
  for await (const page of pages) {
    count++;
    const token = bounds.nextTokenOf(page);
    // Checked before the page is handed on: returning from here ends the paginator before it asks again.
    if (token) {
      if (seen.has(token)) throw new RepeatedPageTokenError(bounds.operation, count);
      if (count >= maxPages) throw new PageLimitExceededError(bounds.operation, maxPages);
      seen.add(token);
    }
    yield page;
  }
}
