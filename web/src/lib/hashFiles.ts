// SHA-256 of many files on the device, in a few Web Workers (lib/sha256.worker.ts) so that the page stays responsive:
// at most `concurrency` files read at once, which bounds the memory a camera roll's worth of videos would take.

/** Files larger than this are not hashed (Web Crypto reads a file whole): they are sent, and the server says if it had them. */
export const MAX_HASHED_BYTES = 512 * 1024 * 1024;

type Answer = { id: number; sha256: string } | { id: number; error: string };

/**
 * Hashes each file (null for one over MAX_HASHED_BYTES or that could not be read), calling `onHashed` as each is done;
 * resolves with the hashes in the files' order. Stops between files when `signal` aborts.
 */
export async function hashFiles(
  files: readonly File[],
  onHashed: (index: number, sha256: string | null) => void,
  signal: AbortSignal,
  concurrency = Math.min(2, navigator.hardwareConcurrency || 2),
): Promise<(string | null)[]> {
  const hashes: (string | null)[] = files.map(() => null);
  let next = 0;
  const worker = async () => {
    const thread = new Worker(new URL('./sha256.worker.ts', import.meta.url), { type: 'module' });
    try {
      while (next < files.length && !signal.aborted) {
        const index = next++;
        const file = files[index]!;
        hashes[index] = file.size > MAX_HASHED_BYTES ? null : await ask(thread, index, file);
        onHashed(index, hashes[index]!);
      }
    } finally {
      thread.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, files.length)) }, worker));
  if (signal.aborted) throw new DOMException('stopped', 'AbortError');
  return hashes;
}

function ask(thread: Worker, id: number, file: File): Promise<string | null> {
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent<Answer>) => {
      if (event.data.id !== id) return;
      thread.removeEventListener('message', onMessage);
      resolve('sha256' in event.data ? event.data.sha256 : null);
    };
    thread.addEventListener('message', onMessage);
    thread.postMessage({ id, file });
  });
}
