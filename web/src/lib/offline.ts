// The app without a connection (issue 63): the Photos page's answers and thumbnails
// the service worker (sw.ts) keeps for then, in Cache Storage under the names below (a worker imports nothing of the
// app, so they are written twice). The size kept is a setting of this device, not of the account: it is stored in the
// browser beside the cache, where the worker reads it.
import { forgetKeptBackups } from './backupKept.js';

const OFFLINE_CACHE = 'shoebox-offline';
const OFFLINE_SETTINGS = 'shoebox-offline-settings';
const OFFLINE_LIMIT_KEY = '/offline-limit';
/** Changed whenever the kept answers are deleted (sw.ts reads it): what the worker was keeping then is not kept. */
const OFFLINE_GENERATION_KEY = '/offline-generation';
/** Changes made offline, waiting to be sent (store/offlineChanges.ts), in localStorage: one user's, forgotten with the rest. */
export const OFFLINE_CHANGES_KEY = 'shoebox-offline-changes';
/** Whose the waiting changes are (a user's id), beside them. */
export const OFFLINE_OWNER_KEY = 'shoebox-offline-changes-owner';

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
  if (bytes === 0 || (await offlineBytes()) > bytes) await forgetKept();
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
 * Deletes what was kept of the library at sign-out, so that nobody sees another user's photos; the changes waiting
 * too, and the files of a backup kept for the service worker to finish (lib/backupKept.ts).
 */
export async function forgetOffline(): Promise<void> {
  localStorage.removeItem(OFFLINE_CHANGES_KEY);
  localStorage.removeItem(OFFLINE_OWNER_KEY);
  await Promise.all([forgetKeptCopies(), forgetKeptBackups().catch(() => undefined)]);
}

/**
 * A session that ended (the sign-in page): the kept answers and thumbnails go, and the app no longer opens from them;
 * the changes waiting stay, marked as their user's, sent once that user signs in again (another user's sign-in drops
 * them unseen: store/offlineChanges.ts).
 */
export async function forgetKeptCopies(): Promise<void> {
  localStorage.removeItem(SIGNED_IN_KEY);
  await forgetKept();
}

/**
 * Deletes the kept answers and thumbnails. The worker is told first (a new generation): an answer on its way while
 * the cache goes is not written back into a new one.
 */
async function forgetKept(): Promise<void> {
  if (!hasCaches()) return;
  await (await caches.open(OFFLINE_SETTINGS)).put(OFFLINE_GENERATION_KEY, new Response(String(Date.now())));
  await caches.delete(OFFLINE_CACHE);
}

/** Where this browser notes that someone was signed in when the server last said so, and when. */
const SIGNED_IN_KEY = 'shoebox-signed-in';

/** How long the app opens from what was kept without the server saying who is signed in: its sessions' default length. */
const SIGNED_IN_DAYS = 30;

/** The server said someone is signed in: the app may open from what was kept while it cannot be asked. */
export function rememberSignedIn(): void {
  localStorage.setItem(SIGNED_IN_KEY, String(Date.now() + SIGNED_IN_DAYS * 86_400_000));
}

/**
 * Whether the app opens, signed in, when the server cannot be asked: only where it last said someone was, within that
 * session's length (a session ended meanwhile shows the sign-in page, and what was kept goes).
 */
export function signedInWhenLastAsked(): boolean {
  return Number(localStorage.getItem(SIGNED_IN_KEY) ?? 0) > Date.now();
}

/** The word for an action the browser cannot take without a connection. */
export const OFFLINE_REFUSAL = "You're offline — this needs a connection.";
