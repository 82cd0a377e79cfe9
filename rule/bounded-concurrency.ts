/**
 * The one bounded-concurrency helper of the project: the rule's sweep maps its look-ups through
 * {@link mapConcurrently}, and the audit's organization scan runs its account and region tasks through
 * {@link runTaskQueue}. Hand-written rather than a library (p-limit and p-map are ES-module-only in
 * their current majors and would be a new dependency of the rule's Lambda bundle, which keeps to the SDK
 * and Powertools): it is twenty lines, tested in test/rule/bounded-concurrency.test.ts.
 */

/** One unit of work of a {@link runTaskQueue} queue. */
export type QueuedTask = () => Promise<void>;

/**
 * Runs the tasks of `queue`, at most `concurrency` at once, until the queue is empty and no task runs.
 * A task may put more tasks into the queue (at its head, so that they run next): a worker that finds
 * the queue empty waits while other tasks run, since they may add more. The first task to fail
 * rejects the run; tasks already started are not cancelled.
 *
 * @param concurrency - the most tasks in flight (values below 1 count as 1)
 * @param queue - the tasks, taken from its head; tasks may add to it while the run lasts
 */
export async function runTaskQueue(concurrency: number, queue: QueuedTask[]): Promise<void> {
  let running = 0;
  let wake: (() => void)[] = [];
  const wakeAll = (): void => {
    const waiting = wake;
    wake = [];
    for (const resolve of waiting) resolve();
  };
  const worker = async (): Promise<void> => {
    for (;;) {
      const task = queue.shift();
      if (task === undefined) {
        if (running === 0) return wakeAll();
        await new Promise<void>((resolve) => wake.push(resolve));
        continue;
      }
      running++;
      try {
        await task();
      } finally {
        running--;
        wakeAll();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

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
  const queue = items.map((item, index) => async (): Promise<void> => {
    results[index] = await map(item);
  });
  await runTaskQueue(Math.min(limit, items.length), queue);
  return results;
}
