// What the service worker needs to finish a backup after the page closed (Background Sync), kept in IndexedDB by
// the page and read by the worker (lib/backupSync.ts): each unsent file itself (IndexedDB keeps a File's bytes, name
// and type), its tus address once made, its SHA-256, album and whose it is. An entry goes as soon as the page or the
// worker finished it, so this browser holds a second copy of the roll no longer than it takes to send; and at most
// KEPT_BYTES of it (see there). What the worker finished or refused is noted for the Back up page to say, once.
// Imports nothing of the app's (the worker's bundle takes it).

const DB_NAME = 'shoebox-backup';
const UPLOADS = 'uploads';
const OUTCOMES = 'outcomes';

/**
 * The most bytes kept for the worker: the copy counts against this origin's storage with the offline pages, and a
 * phone short of room would refuse or evict it whole. 1 GB is a few hundred phone photos, a day's or a trip's; what
 * is chosen past it goes only while the page is open (and again when it is chosen again).
 */
export const KEPT_BYTES = 1_000_000_000;
/** The most files kept, whatever their size (each is a row the worker reads in one go). */
export const KEPT_FILES = 2_000;

export interface KeptUpload {
  /** lib/backupUpload.ts's uploadKey: the same file, hash and album is one entry. */
  key: string;
  file: File;
  sha256: string | null;
  albumId: string | null;
  /** The tus upload's address once the server made it. */
  url: string | null;
  /** The signed-in user who chose it: the worker sends it only into that user's library. */
  ownerId: string;
  /** When it was kept (epoch ms): past the server's upload expiry it is dropped, not sent. */
  keptAt?: number;
}

/** A line the worker noted for the Back up page, shown only to the user whose file it was. */
export interface KeptOutcome {
  ownerId: string;
  line: string;
}

/** The server removes unfinished uploads after 3 days (BACKUP_UPLOAD_EXPIRY_MS): a kept file older is given up. */
export const KEPT_FOR_MS = 3 * 24 * 3600 * 1000;

/**
 * Opens the database; only the page keeping files makes it (`make`): the worker writing after a sign-out deleted it
 * must not make it again for whoever signs in next.
 */
function open(make = false): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(DB_NAME, 1);
    opening.onupgradeneeded = (event) => {
      if (event.oldVersion === 0 && !make) return opening.transaction?.abort();
      opening.result.createObjectStore(UPLOADS, { keyPath: 'key' });
      opening.result.createObjectStore(OUTCOMES, { autoIncrement: true });
    };
    opening.onsuccess = () => {
      // a sign-out deletes the database: whoever holds it open lets go
      opening.result.onversionchange = () => opening.result.close();
      resolve(opening.result);
    };
    opening.onerror = () => reject(opening.error ?? new Error('IndexedDB did not open'));
  });
}

/** Runs `work` in one transaction and resolves with its last request's result once the transaction is done. */
async function inStore<T>(
  store: string,
  mode: IDBTransactionMode,
  work: (objects: IDBObjectStore) => IDBRequest<T> | void,
  make = false,
): Promise<T | undefined> {
  const db = await open(make);
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      const transaction = db.transaction(store, mode);
      const request = work(transaction.objectStore(store));
      transaction.oncomplete = () => resolve(request ? request.result : undefined);
      transaction.onerror = transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
    });
  } finally {
    db.close();
  }
}

/** Every kept upload, oldest first by key. */
export const keptUploads = async (): Promise<KeptUpload[]> => (await inStore<KeptUpload[]>(UPLOADS, 'readonly', (objects) => objects.getAll())) ?? [];

/** One kept upload, or null when it went (finished by the page or the worker). */
export const keptUpload = async (key: string): Promise<KeptUpload | null> =>
  (await inStore<KeptUpload | undefined>(UPLOADS, 'readonly', (objects) => objects.get(key))) ?? null;

/**
 * Keeps these uploads for the worker, in order, within KEPT_BYTES and KEPT_FILES with what is kept already (a file
 * kept already counts once); answers the keys kept. A browser out of room keeps what it could.
 */
export async function keepUploads(uploads: readonly KeptUpload[]): Promise<Set<string>> {
  const before = (await inStore<KeptUpload[]>(UPLOADS, 'readonly', (objects) => objects.getAll(), true)) ?? [];
  const known = new Map(before.map((upload) => [upload.key, upload]));
  let bytes = before.reduce((sum, upload) => sum + upload.file.size, 0);
  let files = before.length;
  const kept = new Set<string>();
  for (const upload of uploads) {
    const old = known.get(upload.key);
    if (!old && (bytes + upload.file.size > KEPT_BYTES || files + 1 > KEPT_FILES)) continue;
    try {
      // the address of an earlier try stays
      await inStore(
        UPLOADS,
        'readwrite',
        (objects) => objects.put({ ...upload, url: upload.url ?? old?.url ?? null, keptAt: old?.keptAt ?? Date.now() }),
        true,
      );
    } catch {
      break;
    }
    if (!old) {
      bytes += upload.file.size;
      files++;
    }
    kept.add(upload.key);
  }
  return kept;
}

/** Notes the upload's tus address once made, so that the worker goes on from it rather than sending it all again. */
export async function keepUploadUrl(key: string, url: string): Promise<void> {
  const upload = await keptUpload(key);
  if (upload) await inStore(UPLOADS, 'readwrite', (objects) => objects.put({ ...upload, url }));
}

/** Forgets an upload that is finished (stored, or refused for good). */
export const dropUpload = async (key: string): Promise<void> => void (await inStore(UPLOADS, 'readwrite', (objects) => objects.delete(key)));

/** Notes a line for the owner's Back up page to show when it next opens: what the worker finished or refused, and why. */
export const noteOutcome = async (ownerId: string, line: string): Promise<void> =>
  void (await inStore(OUTCOMES, 'readwrite', (objects) => objects.add({ ownerId, line } satisfies KeptOutcome)));

/** The lines noted for this user since the page last looked, forgotten once read (another user's stay for them). */
export async function takeOutcomes(ownerId: string): Promise<string[]> {
  const db = await open();
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const transaction = db.transaction(OUTCOMES, 'readwrite');
      const lines: string[] = [];
      const cursor = transaction.objectStore(OUTCOMES).openCursor();
      cursor.onsuccess = () => {
        const at = cursor.result;
        if (!at) return;
        const noted = at.value as KeptOutcome;
        if (noted.ownerId === ownerId) {
          lines.push(noted.line);
          at.delete();
        }
        at.continue();
      };
      transaction.oncomplete = () => resolve(lines);
      transaction.onerror = transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
    });
  } finally {
    db.close();
  }
}

/** Deletes everything kept (a sign-out): the files and what became of them. */
export function forgetKeptBackups(): Promise<void> {
  if (typeof indexedDB === 'undefined') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const deleting = indexedDB.deleteDatabase(DB_NAME);
    deleting.onsuccess = () => resolve();
    deleting.onerror = () => reject(deleting.error ?? new Error('IndexedDB was not deleted'));
  });
}
