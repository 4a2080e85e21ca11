// The service worker's side of a backup that the page left unfinished (sw.ts, on the Background Sync tag
// BACKUP_SYNC_TAG): each file the page kept (lib/backupKept.ts) sent with tus over fetch (lib/tusFetch.ts), one at a
// time, each under its Web Lock (a page sending it holds it: the worker waits, then finds it gone). A failure that can
// wait rejects, so that the browser tries again later; a refusal for good drops the file and notes why for the Back
// up page. Imports nothing of the app's React code (the worker's bundle takes it).
import { dropUpload, keptUpload, keptUploads, keepUploadUrl, noteOutcome, type KeptUpload } from './backupKept.js';
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

/**
 * Sends every kept file of the signed-in user; throws UploadWaits at the first that must wait (the others would
 * meet the same network). Another user's files (that user left without signing out) are dropped unsent.
 */
export async function finishKeptBackups(origin: string): Promise<void> {
  const kept = await keptUploads();
  if (kept.length === 0) return;
  const me = await signedInUser(origin);
  for (const upload of kept) {
    if (upload.ownerId !== me) {
      await dropUpload(upload.key);
      continue;
    }
    await navigator.locks.request(uploadLock(upload.key), () => finishOne(upload.key, origin));
  }
}

async function finishOne(key: string, origin: string): Promise<void> {
  // the page may have sent it while this waited for its lock
  const upload: KeptUpload | null = await keptUpload(key);
  if (!upload) return;
  const outcome = await sendUpload(
    { file: upload.file, url: upload.url, metadata: uploadMetadata(upload.file, upload.sha256, upload.albumId) },
    { fetch: (url, init) => fetch(url, init), origin, onUrl: (url) => keepUploadUrl(key, url) },
  );
  await noteOutcome(outcomeLine(upload.file.name, outcome));
  await dropUpload(key);
}
