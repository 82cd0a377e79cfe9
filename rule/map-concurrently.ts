/**
 * Maps items through an async function with at most `limit` calls in flight, keeping the input order:
 * the per-endpoint and per-key look-ups of a sweep must neither run one by one nor all at once.
 *
 * @param items - the inputs
 * @param limit - the most calls in flight, at least 1
 * @param map - the async function
 * @returns the outputs, in the order of `items`
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(limit, 1), items.length) }, worker));
  return results;
}
