// The files Share → Shoebox brought: the service worker (sw.ts) keeps each share's files in Cache Storage under its
// id, with their names and dates in headers; the /share page takes them back as Files and removes them once sent or
// discarded. The names here are sw.ts's (a service worker imports nothing of the app).
const SHARE_CACHE = 'shoebox-share';
const SHARE_PREFIX = '/share-files/';
/** A share nobody sent or discarded (a closed tab, a phone signed out) is forgotten after this long. */
const KEPT_MS = 7 * 24 * 3600 * 1000;

const keysOf = async (id: string): Promise<{ cache: Cache; keys: readonly Request[] }> => {
  const cache = await caches.open(SHARE_CACHE);
  const prefix = `${SHARE_PREFIX}${id}/`;
  const keys = (await cache.keys()).filter((key) => new URL(key.url).pathname.startsWith(prefix));
  return { cache, keys: keys.sort((a, b) => a.url.localeCompare(b.url)) };
};

/** The files of one share, in the order they were shared; none when the id is unknown or they were sent already. */
export async function sharedFiles(id: string): Promise<File[]> {
  if (!('caches' in window)) return [];
  const { cache, keys } = await keysOf(id);
  const files: File[] = [];
  for (const key of keys) {
    const response = await cache.match(key);
    if (!response) continue;
    const name = decodeURIComponent(response.headers.get('x-file-name') ?? 'shared file');
    const lastModified = Number(response.headers.get('x-file-modified')) || Date.now();
    files.push(new File([await response.blob()], name, { type: response.headers.get('content-type') ?? '', lastModified }));
  }
  return files;
}

/** Forgets one share's files. */
export async function forgetShared(id: string): Promise<void> {
  if (!('caches' in window)) return;
  const { cache, keys } = await keysOf(id);
  await Promise.all(keys.map((key) => cache.delete(key)));
}

/**
 * Forgets the files of shares older than KEPT_MS, all but `keep`'s: the copies of photos the phone still has, that
 * would otherwise fill the browser's storage for good.
 */
export async function forgetOldShares(keep: string, now = Date.now()): Promise<void> {
  if (!('caches' in window)) return;
  const cache = await caches.open(SHARE_CACHE);
  for (const key of await cache.keys()) {
    if (new URL(key.url).pathname.startsWith(`${SHARE_PREFIX}${keep}/`)) continue;
    const sharedAt = Number((await cache.match(key))?.headers.get('x-shared-at'));
    if (sharedAt > 0 && now - sharedAt >= KEPT_MS) await cache.delete(key);
  }
}
