import { RepeatedPageTokenError } from './errors';

/**
 * Reads every page of a paginated AWS call, in order. The loop ends: on the last page (no token, or an
 * empty one), or with a {@link RepeatedPageTokenError} when the service hands back a token it already gave.
 *
 * @param operation - the call's name, for the error
 * @param fetchPage - fetches the page the token names (none for the first page)
 * @param nextTokenOf - the token of the page after the given one
 * @returns the pages
 */
export async function* everyPage<Page>(
  operation: string,
  fetchPage: (token: string | undefined) => Promise<Page>,
  nextTokenOf: (page: Page) => string | undefined,
): AsyncGenerator<Page> {
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    yield page;
    token = nextTokenOf(page);
    if (token) {
      if (seen.has(token)) throw new RepeatedPageTokenError(operation, seen.size + 1);
      seen.add(token);
    }
  } while (token);
}
