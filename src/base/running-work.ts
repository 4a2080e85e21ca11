// The work this process runs on an item (a pipeline step: a transcode may take an hour), by item id, so that what
// ends the item here — deleting it — stops it at once, though the library does not know the pipeline. A step run
// elsewhere in a cluster sees it at its next lease renewal instead (pipeline/runner.ts).
const running = new Map<string, Set<AbortController>>();

/** Registers a run on the item; the answer unregisters it. */
export function startWork(itemId: string, controller: AbortController): () => void {
  let set = running.get(itemId);
  if (!set) running.set(itemId, (set = new Set()));
  set.add(controller);
  return () => {
    set.delete(controller);
    if (set.size === 0 && running.get(itemId) === set) running.delete(itemId);
  };
}

/** Stops what runs on the item in this process, saying why. */
export function stopWork(itemId: string, reason: string): void {
  for (const controller of running.get(itemId) ?? []) controller.abort(new Error(reason));
}
