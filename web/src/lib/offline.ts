// The app without a connection (issue 63): whether the browser is online, and the Photos page's answers and thumbnails
// the service worker (sw.ts) keeps for then, in Cache Storage under the names below (a worker imports nothing of the
// app, so they are written twice). The size kept is a setting of this device, not of the account: it is stored in the
// browser beside the cache, where the worker reads it.
import { useSyncExternalStore } from 'react';

const OFFLINE_CACHE = 'shoebox-offline';
const OFFLINE_SETTINGS = 'shoebox-offline-settings';
const OFFLINE_LIMIT_KEY = '/offline-limit';
/** Changes made offline, waiting to be sent (store/offlineChanges.ts), in localStorage: one user's, forgotten with the rest. */
export const OFFLINE_CHANGES_KEY = 'shoebox-offline-changes';

/** The sizes offered, in bytes (0: nothing kept); the first visit keeps up to 100 MB. */
export const OFFLINE_CHOICES = [0, 50_000_000, 100_000_000, 200_000_000, 500_000_000] as const;
export const DEFAULT_OFFLINE_BYTES = 100_000_000;

const hasCaches = () => typeof caches !== 'undefined';

/** The size this device keeps for offline. */
export async function offlineLimit(): Promise<number> {
  if (!hasCaches()) return 0;
  const kept = await (await caches.open(OFFLINE_SETTINGS)).match(OFFLINE_LIMIT_KEY);
  const bytes = kept ? Number(await kept.text()) : DEFAULT_OFFLINE_BYTES;
  return Number.isFinite(bytes) && bytes >= 0 ? bytes : DEFAULT_OFFLINE_BYTES;
}

/** Sets the size kept; Off, or a size below what is kept, drops the cache (the worker fills it again as pages are seen). */
export async function setOfflineLimit(bytes: number): Promise<void> {
  if (!hasCaches()) return;
  await (await caches.open(OFFLINE_SETTINGS)).put(OFFLINE_LIMIT_KEY, new Response(String(bytes)));
  if (bytes === 0 || (await offlineBytes()) > bytes) await forgetOffline();
}

/** The bytes kept for offline now (each entry's size is in its headers). */
export async function offlineBytes(): Promise<number> {
  if (!hasCaches() || !(await caches.has(OFFLINE_CACHE))) return 0;
  const cache = await caches.open(OFFLINE_CACHE);
  let total = 0;
  for (const key of await cache.keys()) total += Number((await cache.match(key))?.headers.get('x-offline-bytes') ?? 0);
  return total;
}

/**
 * Deletes what was kept of the library: at sign-out and on the sign-in page (a session that ended, another user on this
 * browser), so that nobody ever sees another user's photos offline.
 */
export async function forgetOffline(): Promise<void> {
  localStorage.removeItem(OFFLINE_CHANGES_KEY);
  if (hasCaches()) await caches.delete(OFFLINE_CACHE);
}

// whether the browser has a connection, as it says (it says so for the network as a whole, not for the server)
const subscribe = (listener: () => void) => {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
};
export const useOnline = (): boolean => useSyncExternalStore(subscribe, () => navigator.onLine);

/** The word for an action the browser cannot take without a connection. */
export const OFFLINE_REFUSAL = "You're offline — this needs a connection.";
