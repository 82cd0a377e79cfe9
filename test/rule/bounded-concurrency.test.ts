import { mapConcurrently, runTaskQueue, type QueuedTask } from '../../rule/bounded-concurrency';

// A task that records how many tasks are in flight while it waits one macrotask.
function inFlightProbe(): { readonly peak: () => number; readonly run: <T>(value: T) => Promise<T> } {
  let inFlight = 0;
  let peak = 0;
  return {
    peak: () => peak,
    run: async (value) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      return value;
    },
  };
}

describe('mapConcurrently', () => {
  it.each([
    [1, 10, 1],
    [3, 10, 3],
    [8, 3, 3],
  ])(
    'keeps at most %i calls in flight over %i items (peak %i), in input order',
    async (limit, count, peak) => {
      // Prepare
      const probe = inFlightProbe();
      const items = Array.from({ length: count }, (_, i) => i);

      // Act
      const results = await mapConcurrently(items, limit, (item) => probe.run(item * 2));

      // Assess
      expect(results).toEqual(items.map((item) => item * 2));
      expect(probe.peak()).toBe(peak);
    },
  );

  it('maps no items to no results, calling nothing', async () => {
    const map = jest.fn(async (item: number) => item);
    await expect(mapConcurrently([], 4, map)).resolves.toEqual([]);
    expect(map).not.toHaveBeenCalled();
  });

  it('treats a limit below 1 as 1', async () => {
    const probe = inFlightProbe();
    await expect(mapConcurrently([1, 2, 3], 0, (item) => probe.run(item))).resolves.toEqual([1, 2, 3]);
    expect(probe.peak()).toBe(1);
  });

  it('rejects with the first failure of a call', async () => {
    const failure = new Error('DescribeKey timed out');
    const invocation = mapConcurrently([1, 2, 3], 2, async (item) => {
      if (item === 2) throw failure;
      return item;
    });
    await expect(invocation).rejects.toBe(failure);
  });
});

describe('runTaskQueue', () => {
  it('runs the tasks a task puts at the head of the queue before the rest, within the bound', async () => {
    // Prepare
    const probe = inFlightProbe();
    const order: string[] = [];
    const step =
      (name: string): QueuedTask =>
      async () => {
        order.push(name);
        await probe.run(name);
      };
    const queue: QueuedTask[] = [
      async () => {
        order.push('account-1');
        queue.unshift(step('account-1/us-east-1'), step('account-1/eu-west-1'));
      },
      step('account-2'),
    ];

    // Act
    await runTaskQueue(1, queue);

    // Assess
    expect(order).toEqual(['account-1', 'account-1/us-east-1', 'account-1/eu-west-1', 'account-2']);
    expect(probe.peak()).toBe(1);
    expect(queue).toEqual([]);
  });

  it('waits, with an empty queue, for a running task that adds more', async () => {
    // Prepare
    const done: string[] = [];
    const queue: QueuedTask[] = [
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        queue.push(async () => {
          done.push('added late');
        });
      },
    ];

    // Act
    await runTaskQueue(4, queue);

    // Assess
    expect(done).toEqual(['added late']);
  });
});
