// The tus 1.0 protocol as the service worker speaks it, with `fetch` (tus-js-client 4.3 sends with XMLHttpRequest,
// which a worker lacks, and offers no fetch stack): HEAD for the offset the server has, POST to create the upload
// when there is none yet, PATCH from that offset, then GET /api/uploads/:id for what the whole upload became (the
// server takes it in there if the last PATCH's answer was lost). `fetch` is given, so the module runs anywhere.
import { CHUNK_BYTES, UPLOADS_ENDPOINT } from './backupUpload.js';

const TUS_VERSION = '1.0.0';

/** A failure another try may mend: no server, a server busy or failing, a session ended. The upload waits. */
export class UploadWaits extends Error {}

export type SendOutcome = { status: 'stored'; photoId: string; duplicate: boolean } | { status: 'refused'; reason: string };

export interface TusUpload {
  file: Blob;
  /** The upload's address, when it was created (by the page or an earlier try). */
  url: string | null;
  metadata: Record<string, string>;
}

export interface TusOptions {
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  /** The server's origin, against which its relative addresses are read. */
  origin: string;
  /** Hears the upload's address as soon as the server made it (kept, so that the next try goes on from it). */
  onUrl: (url: string) => Promise<void>;
  chunkBytes?: number;
  /** How long to ask what a whole upload became while the server still takes it in. */
  takingInMs?: number;
  /** When to stop starting chunks (epoch ms): a sync event is cut off after a few minutes. */
  deadline?: number;
}

/** A status that another try may answer otherwise: a session ended, a time-out, a lock, too many requests, the server's own failure. */
export const statusWaits = (status: number) => status === 401 || status === 408 || status === 423 || status === 429 || status >= 500;

/** tus's `Upload-Metadata`: each key with its value in base64 (of its UTF-8), comma-separated. */
export function encodeMetadata(metadata: Record<string, string>): string {
  return Object.entries(metadata)
    .map(([key, value]) => `${key} ${btoa(Array.from(new TextEncoder().encode(value), (byte) => String.fromCharCode(byte)).join(''))}`)
    .join(',');
}

/** The upload's id: the last part of its address. */
export const uploadIdOf = (url: string) => decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');

/** What one upload of the file became, or LOST: the server no longer has it, or could not store it for now. */
const LOST = Symbol('lost');

/**
 * Sends what the server does not have yet of the upload and says what it became; throws UploadWaits when it must wait
 * for another try (the network, the server, this try's time), anything else being the server's refusal for good. An
 * upload the server lost (expired, removed) or whose storage was down when it was taken in is made again once, from
 * byte 0: neither is a verdict on the file.
 */
export async function sendUpload(upload: TusUpload, options: TusOptions): Promise<SendOutcome> {
  const ask = async (url: string, init: RequestInit): Promise<Response> => {
    let response: Response;
    try {
      response = await options.fetch(url, { ...init, headers: { 'Tus-Resumable': TUS_VERSION, ...init.headers }, cache: 'no-store' });
    } catch (error) {
      throw new UploadWaits(`no answer: ${(error as Error).message}`);
    }
    if (statusWaits(response.status)) throw new UploadWaits(`the server answered ${response.status}`);
    return response;
  };
  const first = await sendOnce(ask, upload, options, upload.url ? new URL(upload.url, options.origin).href : null);
  if (first !== LOST) return first;
  const again = await sendOnce(ask, upload, options, null);
  if (again !== LOST) return again;
  throw new UploadWaits('the server lost the upload twice');
}

async function sendOnce(ask: Ask, upload: TusUpload, options: TusOptions, from: string | null): Promise<SendOutcome | typeof LOST> {
  let url = from;
  let offset = url ? await offsetOf(ask, url) : null;
  if (url === null || offset === null) {
    const created = await create(ask, upload, options);
    if (typeof created !== 'string') return created;
    url = created;
    offset = 0;
  }
  const size = upload.file.size;
  const chunk = options.chunkBytes ?? CHUNK_BYTES;
  while (offset < size) {
    // past this try's time (a sync event's): the next try goes on from the bytes the server has
    if (options.deadline !== undefined && Date.now() > options.deadline) throw new UploadWaits('out of time for this try');
    const end = Math.min(size, offset + chunk);
    const response = await ask(url, {
      method: 'PATCH',
      headers: { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
      body: upload.file.slice(offset, end),
    });
    if (response.status === 404 || response.status === 410) return LOST;
    // another sender moved it on (409), or the server refused the whole file once the last byte came: it says which
    if (response.status === 409) {
      const now = await offsetOf(ask, url);
      if (now === null) return LOST;
      offset = now;
    } else if (!response.ok) return whatItBecame(ask, url, options, await reasonOf(response));
    else offset = Number(response.headers.get('Upload-Offset') ?? end);
  }
  return whatItBecame(ask, url, options, null);
}

type Ask = (url: string, init: RequestInit) => Promise<Response>;

/** The bytes the server has of the upload, or null when it has no such upload (expired, or refused and removed). */
async function offsetOf(ask: Ask, url: string): Promise<number | null> {
  const response = await ask(url, { method: 'HEAD' });
  if (response.status === 404 || response.status === 410) return null;
  const offset = Number(response.headers.get('Upload-Offset'));
  if (!response.ok || !Number.isSafeInteger(offset)) throw new UploadWaits(`the server answered ${response.status} without an offset`);
  return offset;
}

/** Creates the upload (tus's creation): its address, or the server's refusal of it (quota, type, size). */
async function create(ask: Ask, upload: TusUpload, options: TusOptions): Promise<string | SendOutcome> {
  const response = await ask(new URL(UPLOADS_ENDPOINT, options.origin).href, {
    method: 'POST',
    headers: { 'Upload-Length': String(upload.file.size), 'Upload-Metadata': encodeMetadata(upload.metadata) },
  });
  if (!response.ok) return { status: 'refused', reason: await reasonOf(response) };
  const location = response.headers.get('Location');
  if (!location) throw new UploadWaits('the server made the upload but did not say where');
  const url = new URL(location, new URL(UPLOADS_ENDPOINT, options.origin)).href;
  await options.onUrl(url);
  return url;
}

/** The server's reason in its answer (a JSON error's message, or its text). */
async function reasonOf(response: Response): Promise<string> {
  const text = (await response.text().catch(() => '')).trim();
  try {
    return (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    return text || `the server answered ${response.status}`;
  }
}

interface UploadView {
  status: 'uploading' | 'stored' | 'refused';
  size: number | null;
  received: number;
  photoId: string | null;
  duplicate: boolean | null;
  error: string | null;
  /** Refused: the status its last request was answered; a 503 is the storage down, not a verdict on the file. */
  statusCode: number | null;
}

/** What the whole upload became: asked again while the server still takes it in, never counted stored before. */
async function whatItBecame(ask: Ask, url: string, options: TusOptions, refusal: string | null): Promise<SendOutcome | typeof LOST> {
  const until = Date.now() + (options.takingInMs ?? 60_000);
  const view = new URL(`${UPLOADS_ENDPOINT}/${encodeURIComponent(uploadIdOf(url))}`, options.origin).href;
  for (;;) {
    const response = await ask(view, { method: 'GET', headers: { accept: 'application/json' } });
    if (response.status === 404) return { status: 'refused', reason: refusal ?? 'the server no longer has the upload' };
    if (!response.ok) return { status: 'refused', reason: await reasonOf(response) };
    const info = (await response.json()) as UploadView;
    if (info.status === 'stored') return { status: 'stored', photoId: info.photoId ?? '', duplicate: info.duplicate ?? false };
    if (info.status === 'refused' && info.statusCode !== null && statusWaits(info.statusCode)) return LOST;
    if (info.status === 'refused') return { status: 'refused', reason: info.error ?? refusal ?? 'refused' };
    if (info.size === null || info.received < info.size) throw new UploadWaits(`the server has ${info.received} of its ${info.size ?? '?'} bytes`);
    if (Date.now() > until) throw new UploadWaits('the server has every byte but has not said what it became');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
