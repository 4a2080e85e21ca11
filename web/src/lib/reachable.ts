// Whether Shoebox's server answers: what the app's offline state follows. The browser's own word (navigator.onLine)
// is about its network, not the server: a library on this computer (localhost) answers with the Wi-Fi off, and a server
// that is down does not answer on a perfect connection. So the word is the last request's: a request that met no
// server makes the app offline, and it looks again every few seconds (and when the browser says its network changed)
// until the server answers.
import { useSyncExternalStore } from 'react';

/** How often the app looks for the server while it does not answer. */
const LOOK_AGAIN_MS = 10_000;

let reachable = typeof navigator === 'undefined' ? true : navigator.onLine;
const listeners = new Set<() => void>();
const comeBack = new Set<() => void>();
let timer: ReturnType<typeof setTimeout> | null = null;

function set(next: boolean): void {
  if (next === reachable) return;
  reachable = next;
  for (const listener of listeners) listener();
  if (next) for (const listener of comeBack) listener();
}

/** A response came from the server (whatever its status). */
export function markReachable(): void {
  if (timer) clearTimeout(timer);
  timer = null;
  set(true);
}

/** A request met no server: offline until a look finds it again. */
export function markUnreachable(): void {
  set(false);
  // outside a browser (the web app's code under test in Node) there is no server of its own to look for
  if (typeof navigator === 'undefined') return;
  timer ??= setTimeout(() => {
    timer = null;
    void look();
  }, LOOK_AGAIN_MS);
}

/** Asks the server whether it answers (its health: public, never kept by the service worker). */
async function look(): Promise<void> {
  try {
    await fetch('/api/health', { cache: 'no-store' });
    markReachable();
  } catch {
    markUnreachable();
  }
}

export const isReachable = (): boolean => reachable;

/** Calls `listener` each time the server answers again after it did not; returns the way to stop. */
export function onReachableAgain(listener: () => void): () => void {
  comeBack.add(listener);
  return () => comeBack.delete(listener);
}

if (typeof window !== 'undefined') {
  // the network changed: whether the server answers is looked at now, not guessed from it
  window.addEventListener('online', () => void look());
  window.addEventListener('offline', () => void look());
  if (!navigator.onLine) void look();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
export const useReachable = (): boolean => useSyncExternalStore(subscribe, isReachable);
