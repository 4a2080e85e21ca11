// Shoebox's service worker (issue 63), built alone at /sw.js (web/build/pwa.ts writes the build's id into it).
// It makes the app installable, takes Share → Shoebox (the manifest's share_target) and never serves a stale app:
// - a page (navigation) comes from the network first, so that a new index.html is taken as soon as the server has one;
//   the last one is kept only for when the network fails;
// - the built files under /assets/, named by their content's hash, come from this build's cache first;
// - the page and the built files it names are kept at install, so that the app opens without a connection after one
//   visit;
// - the Photos page's own answers (its timeline and the pages of photos it asked for, /api/timeline?groupBy=… and
//   /api/photos?offset=…&limit=…), the list of the user's albums that the album picker asks (/api/albums?page=…&limit=…,
//   so photos can be added to one offline) and thumbnails are kept in OFFLINE_CACHE as they pass, up to the size the user set
//   on the Account page (lib/offline.ts keeps it in OFFLINE_SETTINGS), oldest first out; the network always answers
//   first, the kept copy only when it fails. The page deletes that cache at sign-out and on the sign-in page, so one
//   user's photos are never shown to the next;
// - the rest of /api/ (originals, previews, a share link's visitor routes /api/s/…) and everything else go to the
//   network untouched, and only Shoebox's own origin is ever asked (a request to another origin is not this worker's
//   to answer);
// - a POST to /share (files shared from the phone's gallery or camera) is kept in Cache Storage and handed to the
//   /share page (pages/Share.tsx), which sends the files where the user chooses; one a page of another site sent (its
//   form posting to Shoebox in the user's browser) is refused with a page that says so: the share sheet's has no
//   referrer, or Shoebox's own;
// - a Background Sync of BACKUP_SYNC_TAG finishes the backup the Back up page left unfinished when it closed (the
//   files it kept in IndexedDB: lib/backupSync.ts); a failure that can wait rejects, and the browser tries again.
// It imports only modules that import nothing of the app's pages: web/build/pwa.ts bundles it alone into /sw.js.
import { BACKUP_SYNC_TAG } from './lib/backupUpload.js';
import { finishKeptBackups } from './lib/backupSync.js';

const BUILD = '__SHOEBOX_BUILD__';
const APP_PREFIX = 'shoebox-app-';
const APP_CACHE = `${APP_PREFIX}${BUILD}`;
/** The shared files: the same names as lib/sharedFiles.ts, which reads them (written twice: that module is the pages' own). */
const SHARE_CACHE = 'shoebox-share';
const SHARE_PREFIX = '/share-files/';
/** The index.html last taken from the network, for when it cannot be reached. */
const SHELL = '/';
/** The Photos page's answers and thumbnails kept for offline: the same names as lib/offline.ts, which sets and clears them. */
const OFFLINE_CACHE = 'shoebox-offline';
const OFFLINE_SETTINGS = 'shoebox-offline-settings';
const OFFLINE_LIMIT_KEY = '/offline-limit';
const OFFLINE_GENERATION_KEY = '/offline-generation';
const DEFAULT_OFFLINE_BYTES = 100_000_000;
/** What the Photos page asks for (its timeline and pages of the whole library, with no filter), the album list and any thumbnail. */
const TIMELINE_ANSWER = /^\/api\/(timeline\?groupBy=(day|month)|photos\?offset=\d+&limit=\d+|albums\?page=\d+&limit=\d+)$/;
const THUMBNAIL = /^\/api\/photos\/[^/]+\/thumbnail$/;

interface ExtendableEventLike extends Event {
  waitUntil(work: Promise<unknown>): void;
}
interface SyncEventLike extends ExtendableEventLike {
  readonly tag: string;
}
interface FetchEventLike extends ExtendableEventLike {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
/** The part of ServiceWorkerGlobalScope used here (the DOM library the app is typed with does not have it). */
interface WorkerScope {
  readonly location: Location;
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
  addEventListener(type: 'sync', listener: (event: SyncEventLike) => void): void;
}

const worker = self as unknown as WorkerScope;

// a new build takes over at once: its pages are network-first, so an open tab of the old build keeps working
worker.addEventListener('install', (event) => event.waitUntil(Promise.all([keepShell().catch(() => undefined), worker.skipWaiting()])));

/**
 * The page and the built files it names (the app's code and styles), kept at once: the page that registered the worker
 * loaded them before it was in control, so without this an offline reload after a first visit would find nothing.
 */
async function keepShell(): Promise<void> {
  const response = await fetch(SHELL, { cache: 'no-cache' });
  if (!response.ok || !(response.headers.get('content-type') ?? '').startsWith('text/html')) return;
  const html = await response.clone().text();
  const cache = await caches.open(APP_CACHE);
  await cache.put(SHELL, response);
  const files = new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!));
  await Promise.all([...files].map((file) => cacheFirst(new Request(file)).catch(() => undefined)));
}

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith(APP_PREFIX) && name !== APP_CACHE) await caches.delete(name);
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener('sync', (event) => {
  if (event.tag === BACKUP_SYNC_TAG) event.waitUntil(finishKeptBackups(worker.location.origin));
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;
  if (url.pathname === '/share' && request.method === 'POST') {
    const foreign = foreignSender(request);
    return event.respondWith(foreign ? refusedShare(foreign) : keepShared(request));
  }
  if (request.method !== 'GET') return;
  if (TIMELINE_ANSWER.test(url.pathname + url.search)) return event.respondWith(keptForOffline(event, request, url.pathname + url.search));
  if (THUMBNAIL.test(url.pathname)) return event.respondWith(keptForOffline(event, request, url.pathname));
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') return event.respondWith(networkFirst(request));
  if (url.pathname.startsWith('/assets/')) return event.respondWith(cacheFirst(request));
});

async function networkFirst(request: Request): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic' && (response.headers.get('content-type') ?? '').startsWith('text/html')) {
      const cache = await caches.open(APP_CACHE);
      await cache.put(SHELL, response.clone());
    }
    return response;
  } catch (failure) {
    const shell = await caches.open(APP_CACHE).then((cache) => cache.match(SHELL));
    if (shell) return shell;
    throw failure;
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(APP_CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  // only a built file is kept: an HTML answer (a server of another build) under a script's name would break every load
  if (response.status === 200 && response.type === 'basic' && !(response.headers.get('content-type') ?? '').startsWith('text/html')) {
    await cache.put(request, response.clone());
  }
  return response;
}

/**
 * The other origin that sent a POST to /share, or null for the share sheet (no referrer) or Shoebox's own pages:
 * Chromium gives a cross-origin form's post its page's origin as referrer. The referrer is all a worker sees (the
 * browser adds Origin and Sec-Fetch-Site after it), so a foreign form with `rel=noreferrer` gets past: its files then
 * wait on the Share page until the user sends or discards them (docs/web-app.md).
 */
function foreignSender(request: Request): string | null {
  const own = worker.location.origin;
  const referrer = request.referrer && request.referrer !== 'about:client' ? new URL(request.referrer).origin : own;
  return referrer !== own ? referrer : null;
}

function refusedShare(sender: string): Response {
  const text = (value: string) => value.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const page =
    '<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Share refused · Shoebox</title>' +
    `<h1>Share refused</h1><p data-testid="share-refused">Shoebox refused files sent by another site (${text(sender)}): ` +
    'only your phone\'s share sheet or Shoebox itself may hand it files.</p><p><a href="/">Open Shoebox</a></p>';
  return new Response(page, { status: 403, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/** Keeps the shared files under a new id and sends the browser to the page that sends them (303: GET it). */
async function keepShared(request: Request): Promise<Response> {
  const form = await request.formData();
  const id = crypto.randomUUID();
  const cache = await caches.open(SHARE_CACHE);
  let index = 0;
  for (const value of form.getAll('files')) {
    if (typeof value === 'string') continue;
    const headers = {
      'content-type': value.type || 'application/octet-stream',
      'x-file-name': encodeURIComponent(value.name),
      'x-file-modified': String(value.lastModified),
      'x-shared-at': String(Date.now()),
    };
    await cache.put(`${SHARE_PREFIX}${id}/${String(index++).padStart(4, '0')}`, new Response(value, { headers }));
  }
  return Response.redirect(new URL(`/share?id=${id}`, worker.location.origin).href, 303);
}

/** What OFFLINE_CACHE holds, by key: its size and when it was kept (read from its headers once per worker's life). */
let offlineIndex: Map<string, { bytes: number; at: number }> | null = null;
let trimming: Promise<void> | null = null;

/** The size the user set for OFFLINE_CACHE (0: off). */
async function offlineLimit(): Promise<number> {
  const kept = await caches.open(OFFLINE_SETTINGS).then((cache) => cache.match(OFFLINE_LIMIT_KEY));
  const bytes = kept ? Number(await kept.text()) : DEFAULT_OFFLINE_BYTES;
  return Number.isFinite(bytes) && bytes >= 0 ? bytes : DEFAULT_OFFLINE_BYTES;
}

/** The network first (nothing stale while connected); what was kept of it only when the network fails. */
async function keptForOffline(event: FetchEventLike, request: Request, key: string): Promise<Response> {
  try {
    const generation = await offlineGeneration();
    const response = await fetch(request);
    if (response.status === 200 && response.type === 'basic') event.waitUntil(keepOffline(key, response.clone(), generation).catch(() => undefined));
    return response;
  } catch (failure) {
    const kept = await caches.open(OFFLINE_CACHE).then((cache) => cache.match(key));
    if (kept) return kept;
    throw failure;
  }
}

/** Which forgetting of the kept answers is the last (lib/offline.ts changes it before each): '' before the first. */
async function offlineGeneration(): Promise<string> {
  const kept = await caches.open(OFFLINE_SETTINGS).then((cache) => cache.match(OFFLINE_GENERATION_KEY));
  return kept ? await kept.text() : '';
}

async function keepOffline(key: string, response: Response, generation: string): Promise<void> {
  const limit = await offlineLimit();
  if (limit === 0) return;
  const body = await response.blob();
  // the kept answers were deleted (a sign-out) while this one was on its way: it was the user's who left
  if ((await offlineGeneration()) !== generation) return;
  const at = Date.now();
  const headers = new Headers(response.headers);
  // the body kept is decoded: the wire's encoding and length (a compressed answer's) would be wrong for it
  headers.delete('content-encoding');
  headers.delete('content-length');
  headers.set('x-offline-bytes', String(body.size));
  headers.set('x-offline-at', String(at));
  // the page deletes the cache (sign-out, sign-in, Off): what this worker knew of it went with it
  if (!(await caches.has(OFFLINE_CACHE))) offlineIndex = null;
  const cache = await caches.open(OFFLINE_CACHE);
  const index = await offlineEntries(cache);
  await cache.put(key, new Response(body, { status: 200, headers }));
  index.set(key, { bytes: body.size, at });
  trimming ??= trimOffline(cache, index, limit).finally(() => (trimming = null));
  await trimming;
}

async function offlineEntries(cache: Cache): Promise<Map<string, { bytes: number; at: number }>> {
  if (offlineIndex) return offlineIndex;
  const index = new Map<string, { bytes: number; at: number }>();
  for (const request of await cache.keys()) {
    const key = new URL(request.url).pathname + new URL(request.url).search;
    const kept = await cache.match(request);
    index.set(key, { bytes: Number(kept?.headers.get('x-offline-bytes') ?? 0), at: Number(kept?.headers.get('x-offline-at') ?? 0) });
  }
  return (offlineIndex = index);
}

/** Drops the entries kept longest ago until the cache is within the user's limit. */
async function trimOffline(cache: Cache, index: Map<string, { bytes: number; at: number }>, limit: number): Promise<void> {
  let total = 0;
  for (const entry of index.values()) total += entry.bytes;
  if (total <= limit) return;
  for (const [key, entry] of [...index].sort((a, b) => a[1].at - b[1].at)) {
    if (total <= limit) break;
    await cache.delete(key);
    index.delete(key);
    total -= entry.bytes;
  }
}
