/**
 * Runs tasks with at most `limit` in flight. Once one fails, no other starts (those under way end): the failure is
 * the answer, and work started after it would run for nothing, unseen (an import through a server that died).
 */
export async function forEachLimit<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && !failed) {
      const item = items[next++]!;
      try {
        await task(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  });
  await Promise.all(workers);
}

/** Sends the ids in batches of at most `size`, one batch after another (a bulk route takes a bounded list). */
export async function inBatches(ids: readonly string[], size: number, send: (batch: string[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < ids.length; i += size) await send(ids.slice(i, i + size));
}
