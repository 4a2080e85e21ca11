// A request that fails because the phone went offline (a train's tunnel, a lift): tus-js-client does not retry while
// the browser says it is offline, so the page waits for the browser's `online` event and goes on by itself.

/** Resolves once the browser says it is online (at once when it is); rejects with an AbortError when stopped first. */
export function backOnline(signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (navigator.onLine) return resolve();
    const online = () => {
      signal.removeEventListener('abort', stop);
      resolve();
    };
    const stop = () => {
      window.removeEventListener('online', online);
      reject(new DOMException('stopped', 'AbortError'));
    };
    window.addEventListener('online', online, { once: true });
    signal.addEventListener('abort', stop, { once: true });
  });
}

/**
 * Runs `work`, and again each time it failed while the browser was offline, once it is back online (`onWaiting`
 * hears when it waits and when it goes on); any other failure is the caller's.
 */
export async function untilOnline<T>(work: () => Promise<T>, signal: AbortSignal, onWaiting: (waiting: boolean) => void = () => {}): Promise<T> {
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (signal.aborted || navigator.onLine) throw error;
      onWaiting(true);
      await backOnline(signal);
      onWaiting(false);
    }
  }
}
