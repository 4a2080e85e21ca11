// The service worker's side of a backup that the page left unfinished (sw.ts, on the Background Sync tag
// BACKUP_SYNC_TAG): each file the page kept (lib/backupKept.ts) sent with tus over fetch (lib/tusFetch.ts), one at a
// time, each under its Web Lock (a page sending it holds it: the worker waits, then finds it gone). A failure that can
// wait rejects, so that the browser tries again later; a refusal for good drops the file and notes why for the Back
// up page. Imports nothing of the app's React code (the worker's bundle takes it).
import { dropUpload, KEPT_FOR_MS, keptUpload, keptUploads, keepUploadUrl, noteOutcome, type KeptUpload } from './backupKept.js';
import { uploadLock, uploadMetadata } from './backupUpload.js';
import { sendUpload, UploadWaits, type SendOutcome } from './tusFetch.js';

/** Who is signed in on this browser now (the worker's requests carry the page's session cookie). */
async function signedInUser(origin: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(new URL('/api/auth/me', origin).href, { headers: { accept: 'application/json' }, cache: 'no-store' });
  } catch (error) {
    throw new UploadWaits(`no answer: ${(error as Error).message}`);
  }
  // nobody signed in (401) or the server failing: the next sign-in, the next try
  if (!response.ok) throw new UploadWaits(`asking who is signed in answered ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}

/** The line the Back up page shows for what became of a file. */
export function outcomeLine(name: string, outcome: SendOutcome): string {
  if (outcome.status === 'refused') return `${name}: refused — ${outcome.reason}`;
  return outcome.duplicate ? `${name}: already in your library` : `${name}: backed up after the page closed`;
}

/** How long the worker waits for a file the page holds: well under a sync event's ~3 minutes (Chromium). */
export const LOCK_WAIT_MS = 30_000;
/** How long into a sync event the worker starts new chunks and files: the event is cut off at ~3 minutes. */
export const SYNC_WORK_MS = 150_000;

/**
 * Sends every kept file of the signed-in user; throws UploadWaits at the first that must wait (the others would
 * meet the same network), or when this event's time is up (the bytes sent stay on the server). Before each file,
 * inside its lock, the signed-in user is asked again: another user's files (that user left without signing out)
 * are dropped unsent. A file kept past the server's upload expiry is given up, with a line for its owner.
 */
export async function finishKeptBackups(origin: string, now = Date.now()): Promise<void> {
  // none kept since the last sign-out: the database is not there (and is not made)
  const kept = await keptUploads().catch(() => []);
  const deadline = now + SYNC_WORK_MS;
  for (const upload of kept) {
    if (Date.now() > deadline) throw new UploadWaits('out of time for this try');
    try {
      await navigator.locks.request(uploadLock(upload.key), { signal: AbortSignal.timeout(LOCK_WAIT_MS) }, () => finishOne(upload.key, origin, deadline));
    } catch (error) {
      // the page still holds it (it is sending it): the next try
      if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) throw new UploadWaits('the page is sending it');
      throw error;
    }
  }
}

async function finishOne(key: string, origin: string, deadline: number): Promise<void> {
  // the page may have sent it while this waited for its lock
  const upload: KeptUpload | null = await keptUpload(key);
  if (!upload) return;
  if (Date.now() - (upload.keptAt ?? Date.now()) > KEPT_FOR_MS) {
    await noteOutcome(upload.ownerId, `${upload.file.name}: not sent — it waited more than 3 days; choose it again`).catch(() => undefined);
    return dropUpload(key);
  }
  if ((await signedInUser(origin)) !== upload.ownerId) return dropUpload(key);
  const outcome = await sendUpload(
    { file: upload.file, url: upload.url, metadata: uploadMetadata(upload.file, upload.sha256, upload.albumId) },
    { fetch: (url, init) => fetch(url, init), origin, onUrl: (url) => keepUploadUrl(key, url), deadline },
  );
  // a sign-out meanwhile deleted the database: nothing is noted for whoever signs in next
  await noteOutcome(upload.ownerId, outcomeLine(upload.file.name, outcome)).catch(() => undefined);
  await dropUpload(key).catch(() => undefined);
}
