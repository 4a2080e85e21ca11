/** Runs tasks with at most `limit` in flight. */
export async function forEachLimit<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await task(item);
    }
  });
  await Promise.all(workers);
}

/** Sends the ids in batches of at most `size`, one batch after another (a bulk route takes a bounded list). */
export async function inBatches(ids: readonly string[], size: number, send: (batch: string[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < ids.length; i += size) await send(ids.slice(i, i + size));
}
