// The work this process runs on an item (a pipeline step: a transcode may take an hour), by item id, so that what
// ends the item here — deleting it, moving it to the trash — stops it at once, though the library does not know the
// pipeline. A step run elsewhere in a cluster sees it within a second instead (pipeline/runner.ts).
const running = new Map<string, Set<{ controller: AbortController; step: string }>>();

/** Registers a run of a step on the item; the answer unregisters it. */
export function startWork(itemId: string, controller: AbortController, step: string): () => void {
  let set = running.get(itemId);
  if (!set) running.set(itemId, (set = new Set()));
  const work = { controller, step };
  set.add(work);
  return () => {
    set.delete(work);
    if (set.size === 0 && running.get(itemId) === set) running.delete(itemId);
  };
}

/** Stops what runs on the item in this process (only these steps, when given), saying why. */
export function stopWork(itemId: string, reason: string, steps?: readonly string[]): void {
  for (const { controller, step } of running.get(itemId) ?? []) if (!steps || steps.includes(step)) controller.abort(new Error(reason));
}
