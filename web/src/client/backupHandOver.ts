// The Back up page's half of a backup that goes on after it closes (issue 63 item 3): the files still to send are
// kept in IndexedDB for the service worker (lib/backupKept.ts) and a Background Sync registered, where the browser
// has one (Chromium); the page holds each kept file's Web Lock until it finished that file, so that the worker, whose
// sync may fire at once, waits for it and then finds it gone, or takes it over once the page closed (its locks go
// with it). Each entry goes as soon as the page finished its file, or at once when the user stops the backup.
import { dropUpload, keepUploadUrl, keepUploads, keptUpload, keptUploads, type KeptUpload } from '../lib/backupKept.js';
import { BACKUP_SYNC_TAG, uploadKey, uploadLock } from '../lib/backupUpload.js';

interface SyncManagerLike {
  register(tag: string): Promise<void>;
}

/** The Background Sync of the active service worker, or null where the browser has none (nothing is kept then). */
async function backgroundSync(): Promise<SyncManagerLike | null> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator) || !navigator.locks || typeof indexedDB === 'undefined') return null;
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration?.active) return null;
  return (registration as ServiceWorkerRegistration & { sync?: SyncManagerLike }).sync ?? null;
}

/**
 * The app loaded signed in: files an earlier backup kept get their sync registered again, for Chromium drops a
 * registration after its last failed try (the worker sends only the signed-in user's, and drops another's).
 */
export async function syncKeptAgain(): Promise<void> {
  if (!('serviceWorker' in navigator) || typeof indexedDB === 'undefined') return;
  if ((await keptUploads().catch(() => [])).length === 0) return;
  const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & { sync?: SyncManagerLike };
  await registration.sync?.register(BACKUP_SYNC_TAG);
}

/** This user's files a backup kept that are not sent yet (none where nothing could be kept). */
export async function waitingUploads(ownerId: string): Promise<KeptUpload[]> {
  if (typeof indexedDB === 'undefined') return [];
  return (await keptUploads().catch(() => [])).filter((upload) => upload.ownerId === ownerId);
}

/** A Web Lock taken now and held until let go. */
function holdLock(name: string): { held: Promise<void>; release: () => void } {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const held = new Promise<void>((resolve) => void navigator.locks.request(name, () => (resolve(), released)));
  return { held, release };
}

export interface HandedFile {
  file: File;
  sha256: string | null;
  albumId: string | null;
}

/** What the page left for the worker of one backup, and its hold on those files. */
export interface HandOver {
  /** Waits for the file's lock (the worker may be sending it); null when the worker finished it meanwhile, else its address. */
  take: (file: HandedFile) => Promise<{ url: string | null } | null>;
  /** The file's tus address, once made. */
  onUrl: (file: HandedFile, url: string) => void;
  /** The page finished the file (stored or refused): its entry goes, and its lock. */
  finish: (file: HandedFile) => Promise<void>;
  /** The page could not send the file but the server did not refuse it: its lock goes, its entry stays for the worker (true) if kept. */
  keep: (file: HandedFile) => Promise<boolean>;
  /** The page goes (left, or stopped: `drop`): its locks go, and with `drop` what it kept, so the worker sends nothing. */
  leave: (drop: boolean) => Promise<void>;
}

const keyOf = (handed: HandedFile) => uploadKey(handed.file, handed.sha256, handed.albumId);

/** Keeps `files` for the worker and registers its sync; a page without Background Sync hands nothing over. */
export async function handOver(files: readonly HandedFile[], ownerId: string): Promise<HandOver> {
  const sync = await backgroundSync().catch(() => null);
  const kept = sync
    ? await keepUploads(files.map((handed) => ({ key: keyOf(handed), ...handed, url: null, ownerId }))).catch(() => new Set<string>())
    : new Set<string>();
  const locks = new Map([...kept].map((key) => [key, holdLock(uploadLock(key))]));
  if (sync && kept.size > 0) await sync.register(BACKUP_SYNC_TAG).catch(() => undefined);
  const release = (key: string) => {
    locks.get(key)?.release();
    locks.delete(key);
  };
  return {
    async take(handed) {
      const key = keyOf(handed);
      const lock = locks.get(key);
      if (!lock) return { url: null };
      await lock.held;
      const upload = await keptUpload(key).catch(() => null);
      if (!upload) return (release(key), null);
      // again before each file: a sync firing now (waiting on these locks) fires once more after, if this page closes
      if (sync) void sync.register(BACKUP_SYNC_TAG).catch(() => undefined);
      return { url: upload.url };
    },
    onUrl: (handed, url) => void (kept.has(keyOf(handed)) ? keepUploadUrl(keyOf(handed), url).catch(() => undefined) : undefined),
    async finish(handed) {
      const key = keyOf(handed);
      if (kept.has(key)) await dropUpload(key).catch(() => undefined);
      release(key);
    },
    async keep(handed) {
      const key = keyOf(handed);
      release(key);
      if (!kept.has(key) || !(await keptUpload(key).catch(() => null))) return false;
      if (sync) await sync.register(BACKUP_SYNC_TAG).catch(() => undefined);
      return true;
    },
    async leave(drop) {
      for (const key of [...locks.keys()]) {
        if (drop) await dropUpload(key).catch(() => undefined);
        release(key);
      }
    },
  };
}
