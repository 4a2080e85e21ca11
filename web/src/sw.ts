// Shoebox's service worker (issue 63), built alone at /sw.js (web/build/pwa.ts writes the build's id into it).
// It makes the app installable, takes Share → Shoebox (the manifest's share_target) and never serves a stale app:
// - a page (navigation) comes from the network first, so that a new index.html is taken as soon as the server has one;
//   the last one is kept only for when the network fails;
// - the built files under /assets/, named by their content's hash, come from this build's cache first;
// - /api/ and everything else go to the network untouched: nothing of the library is cached, and only Shoebox's own
//   origin is ever asked (a request to another origin is not this worker's to answer);
// - a POST to /share (files shared from the phone's gallery or camera) is kept in Cache Storage and handed to the
//   /share page (pages/Share.tsx), which sends the files where the user chooses.
// It imports nothing: a service worker's script must stand alone (the build fails otherwise).

const BUILD = '__SHOEBOX_BUILD__';
const APP_PREFIX = 'shoebox-app-';
const APP_CACHE = `${APP_PREFIX}${BUILD}`;
/** The shared files: the same names as lib/sharedFiles.ts, which reads them (a worker cannot import the app's modules). */
const SHARE_CACHE = 'shoebox-share';
const SHARE_PREFIX = '/share-files/';
/** The index.html last taken from the network, for when it cannot be reached. */
const SHELL = '/';

interface ExtendableEventLike extends Event {
  waitUntil(work: Promise<unknown>): void;
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
}

const worker = self as unknown as WorkerScope;

// a new build takes over at once: its pages are network-first, so an open tab of the old build keeps working
worker.addEventListener('install', (event) => event.waitUntil(worker.skipWaiting()));

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith(APP_PREFIX) && name !== APP_CACHE) await caches.delete(name);
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;
  if (url.pathname === '/share' && request.method === 'POST') return event.respondWith(keepShared(request));
  if (request.method !== 'GET' || url.pathname === '/api' || url.pathname.startsWith('/api/')) return;
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
