import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimiter } from '../auth/rate-limit.js';
import { publicMessageOf, ServiceUnavailableError, UserError } from '../base/errors.js';
import { StorageUnavailableError } from '../storage/blob-store.js';
import type { EngineName } from '../app/engine-health.js';
import { archiveMarked, attachSidecar, cleanFileName, favourMarked, ingestStream, type IngestedPhoto } from '../library/ingest/index.js';
import { queuePhotos } from '../library/photos/index.js';
import type { Library } from '../library/library.js';
import { MAX_SIDECAR_BYTES } from '../media/xmp-sidecar.js';
import { marksOf, matchFolder, sidecarName, type SidecarMarks } from '../library/takeout/index.js';
import { MAX_SIDECAR_JSON_BYTES, parseTakeoutSidecar, TakeoutJsonError } from '../media/takeout-json.js';
import { multipartUserError } from './multipart-errors.js';
import { Slots } from './slots.js';
import { receiveAsUpload } from './body-deadlines.js';
import { STATUS_OF_KIND } from './error-status.js';

type Refusal = { filename: string; error: string; statusCode: number };
/** A sidecar part saved to a temp file, attached once the request's photos are known. */
type Sidecar = { filename: string; temp: string; index: number; complete: boolean; title?: string; marks?: SidecarMarks };
/** What a share-link visitor hears of a file the owner already has: no photo id, which would tell them it exists. */
type AlreadyThere = { filename: string; duplicate: true; message: string };
type Item = IngestedPhoto | Refusal | AlreadyThere;

const isSidecarName = (name: string) => /\.(xmp|json)$/i.test(name);
/** `.json`: a Google Takeout sidecar (its facts fill what the photo's file does not say); else XMP. */
const sidecarFormat = (name: string) => (/\.json$/i.test(name) ? 'json' : 'xmp');
const sidecarKind = (name: string) => (sidecarFormat(name) === 'json' ? 'Google Takeout sidecar' : 'XMP sidecar');

/** The photo a sidecar belongs to: `IMG_1.jpg.xmp` → `IMG_1.jpg` first, else `IMG_1.xmp` → `IMG_1.*`. */
function sidecarTarget(sidecarFile: string, photosByName: Map<string, IngestedPhoto>): IngestedPhoto | undefined {
  const base = sidecarFile.replace(/\.(xmp|json)$/i, '');
  const exact = photosByName.get(base.toLowerCase());
  if (exact) return exact;
  for (const [name, photo] of photosByName) {
    if (name.slice(0, name.length - path.extname(name).length) === base.toLowerCase()) return photo;
  }
  return undefined;
}

/**
 * The photo of each Google JSON sidecar of a request by the Takeout import's rules (`IMG.jpg.json`,
 * `IMG.jpg.supplemental-metadata.json`, the names Google cut to 51 characters, counters, the sidecar's title), as
 * the web app sends the files of a folder from a Takeout beside their photos.
 */
function takeoutTargets(sidecars: readonly Sidecar[], photos: readonly IngestedPhoto[]): Map<string, IngestedPhoto> {
  const json = sidecars.flatMap((s) => (s.complete && sidecarFormat(s.filename) === 'json' ? [sidecarName(s.filename, s.title)!] : []));
  const byFile = new Map(photos.map((photo) => [photo.filename, photo]));
  const targets = new Map<string, IngestedPhoto>();
  // an edited copy shares its original's sidecar: the original, matched first, keeps it
  for (const [file, sidecar] of matchFolder([...byFile.keys()], json).sidecars) if (!targets.has(sidecar)) targets.set(sidecar, byFile.get(file)!);
  return targets;
}

function parseCheck(value: string): boolean {
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new UserError('invalid', `checkDuplicate must be true or false, got ${JSON.stringify(value.slice(0, 40))}`);
}

/** A file's modification time as the browser gives it; ignored when it is not a date of years 1–9999. */
function parseLastModified(value: string): Date | null {
  const date = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  const time = date.getTime();
  if (Number.isNaN(time) || time < Date.parse('0001-01-01T00:00:00Z') || time > Date.parse('9999-12-31T23:59:59Z')) return null;
  return date;
}

/**
 * Writes a sidecar part to `temp` (a JSON one's title returned), or refuses it past MAX_SIDECAR_BYTES. Either way the part is read to its end:
 * a part left half read would leave the rest of the request, and the connection it came on, stuck.
 */
async function saveSidecar(stream: NodeJS.ReadableStream, temp: string, filename: string): Promise<UserError | { title?: string; marks?: SidecarMarks }> {
  const out = createWriteStream(temp);
  let bytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > MAX_SIDECAR_BYTES) continue;
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await finished(out).catch(() => undefined);
  }
  const json = sidecarFormat(filename) === 'json';
  const max = json ? MAX_SIDECAR_JSON_BYTES : MAX_SIDECAR_BYTES;
  if (bytes > max) return new UserError('too-large', `${filename}: ${sidecarKind(filename)} is larger than ${max / 1024 / 1024} MB, not read`);
  if (!json) return {};
  try {
    const facts = parseTakeoutSidecar(await fs.readFile(temp, 'utf8'), filename);
    return facts.title === undefined ? { marks: marksOf(facts) } : { title: facts.title, marks: marksOf(facts) };
  } catch (error) {
    if (error instanceof TakeoutJsonError) return new UserError('invalid', `${error.message}, not read`);
    throw error;
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/**
 * Streams every file part of a multipart request into the library, in order. One bad file does not spoil the
 * rest: it becomes an item with an error. When every file was refused, the answer carries the refusal's status.
 * Whatever happens to the request (a part too many, the client gone mid-file), every photo already stored is
 * queued for its analysis, with the sidecars that arrived whole.
 */
export interface UploadOptions {
  checkDuplicate?: boolean;
  /** Runs with the ids of the photos the request stored (not those already there), before the answer (share links). */
  onAccepted?: (photoIds: string[]) => Promise<void>;
  /**
   * A share-link visitor: items say no more than file name, photo id, duplicate and error; a file already there says
   * only that (not the owner's photo id), takes no sidecar, and there is no near-copy check.
   */
  visitor?: boolean;
  /** Through this share link: counted among the link's uploads at once (SHOEBOX_UPLOADS_PER_LINK), not the owner's. */
  linkId?: string;
}

/** One upload budget per open library (its settings), per owner: files per hour (SHOEBOX_UPLOADS_PER_HOUR). */
const uploadLimiters = new WeakMap<Library['settings'], RateLimiter>();

function uploadLimiter(lib: Library): RateLimiter {
  let limiter = uploadLimiters.get(lib.settings);
  if (!limiter) uploadLimiters.set(lib.settings, (limiter = new RateLimiter(lib.settings.uploadsPerHour, 3_600_000)));
  return limiter;
}

/** Uploads open at once, per process: per user (SHOEBOX_UPLOADS_PER_USER) and per share link (SHOEBOX_UPLOADS_PER_LINK). */
const openUploads = new WeakMap<Library['settings'], { users: Slots; links: Slots }>();

/** A place among the uploads open at once, or a 429 saying why not. */
async function uploadPlace(lib: Library, reply: FastifyReply, linkId: string | undefined): Promise<() => void> {
  let slots = openUploads.get(lib.settings);
  if (!slots) {
    const bound = (perKey: number) => new Slots({ running: Infinity, queue: 0, perKey });
    openUploads.set(lib.settings, (slots = { users: bound(lib.settings.uploadsPerUser), links: bound(lib.settings.uploadsPerLink) }));
  }
  const release = linkId ? await slots.links.enter(linkId) : await slots.users.enter(lib.ownerId);
  if (typeof release === 'function') return release;
  // the body is not read: the connection closes after the answer rather than take the rest of it
  reply.header('retry-after', '5').header('connection', 'close');
  throw new UserError(
    'too-many-requests',
    linkId
      ? `too many uploads at once through this link (${lib.settings.uploadsPerLink}): send the next when one has finished`
      : `too many uploads at once (${lib.settings.uploadsPerUser} per user): send the next when one has finished`,
  );
}

const ENGINE_WORDS: Record<EngineName, string> = { database: 'the database', queue: 'the queue (Redis)', storage: 'the file storage' };

/** A 503 saying which engine is down and since when, before the body is read: nothing is half-taken. */
export async function refuseWhileEngineDown(reply: FastifyReply): Promise<void> {
  const engines = reply.server.engines;
  const down = engines ? await engines.stillDown(['database', 'queue', 'storage']) : [];
  if (down.length === 0) return;
  const what = down.map((engine) => `${ENGINE_WORDS[engine.name]} is down since ${engine.since}`).join(', ');
  reply.header('connection', 'close');
  throw new ServiceUnavailableError(`uploads are refused for now: ${what}; send them again when it is back`);
}

/**
 * Queues the stored photos, waiting at most QUEUE_WAIT_MS: Redis gone since the check above leaves the additions
 * waiting for it, and the photos are in the database as unfinished, queued again when Redis is back (app/open.ts).
 */
async function queueBounded(lib: Library, ids: string[]): Promise<void> {
  const all = await queuePhotos(lib, ids, { waitMs: QUEUE_WAIT_MS }).catch((error: unknown) => {
    lib.logger.warn({ err: error, photos: ids.length }, 'photos stored, queued when the queue answers again');
    return true;
  });
  if (!all) lib.logger.warn({ photos: ids.length }, `photos stored, queued when the queue answers again (no answer in ${QUEUE_WAIT_MS / 1000} s)`);
}

const QUEUE_WAIT_MS = 3000;

/**
 * A file a resumable upload has whole on this server's disk, into the library by the same door as a multipart
 * upload's file: the same hourly limit, type check, quota, duplicate answer and queue. Throws a UserError to refuse it.
 */
export async function storeUploadedFile(lib: Library, file: { filename: string; path: string; lastModified: string | null }): Promise<IngestedPhoto> {
  const wait = uploadLimiter(lib).take(lib.ownerId);
  if (wait > 0) {
    const minutes = Math.max(1, Math.ceil(wait / 60_000));
    throw new UserError('too-many-requests', `upload limit reached (${lib.settings.uploadsPerHour} files an hour): try again in ${minutes} min`);
  }
  const photo = await ingestStream(lib, {
    filename: file.filename,
    stream: createReadStream(file.path),
    source: { kind: 'upload' },
    fileModifiedAt: file.lastModified === null ? null : parseLastModified(file.lastModified),
  });
  if (!photo.duplicate) await queueBounded(lib, [photo.id]);
  return photo;
}

export async function uploadPhotos(lib: Library, request: FastifyRequest, reply: FastifyReply, options: UploadOptions = {}) {
  if (!request.isMultipart()) throw new UserError('unsupported-type', 'send multipart/form-data with one or more `file` fields');
  await refuseWhileEngineDown(reply);
  const release = await uploadPlace(lib, reply, options.linkId);
  // from here on cut only when idle (body-deadlines.ts): a long upload over a slow link keeps going while bytes come
  receiveAsUpload(request.raw);
  try {
    return await receive(lib, request, reply, options);
  } finally {
    release();
  }
}

async function receive(lib: Library, request: FastifyRequest, reply: FastifyReply, options: UploadOptions) {
  let checkDuplicate = options.checkDuplicate ?? false;
  const items: Item[] = [];
  const sidecars: Sidecar[] = [];
  let lastModified: Date | null = null;
  let failure: unknown = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (part.fieldname === 'lastModified') lastModified = parseLastModified(String(part.value));
        if (part.fieldname === 'checkDuplicate' && !options.visitor) checkDuplicate = parseCheck(String(part.value));
        continue;
      }
      const filename = cleanFileName(part.filename);
      if (isSidecarName(filename)) {
        const temp = lib.scratch.tempPath();
        // Listed before it is read: a request cut off during the sidecar still removes the temp file.
        const sidecar: Sidecar = { filename, temp, index: items.length, complete: false };
        sidecars.push(sidecar);
        items.push({ filename, error: 'pending', statusCode: 0 }); // settled below
        const saved = await saveSidecar(part.file, temp, filename);
        sidecar.complete = true;
        if (!(saved instanceof UserError)) Object.assign(sidecar, saved);
        else {
          sidecars.splice(sidecars.indexOf(sidecar), 1);
          await fs.rm(temp, { force: true });
          items[sidecar.index] = { filename, error: saved.message, statusCode: STATUS_OF_KIND[saved.kind] };
        }
        continue;
      }
      const wait = uploadLimiter(lib).take(lib.ownerId);
      if (wait > 0) {
        for await (const _chunk of part.file); // read past it: the next part follows
        const minutes = Math.max(1, Math.ceil(wait / 60_000));
        items.push({ filename, error: `upload limit reached (${lib.settings.uploadsPerHour} files an hour): try again in ${minutes} min`, statusCode: 429 });
        lastModified = null;
        continue;
      }
      try {
        const photo = await ingestStream(lib, {
          filename,
          stream: part.file,
          source: { kind: 'upload' },
          fileModifiedAt: lastModified,
          wasTruncated: () => part.file.truncated,
          checkDuplicate,
        });
        items.push(photo);
      } catch (error) {
        // the object store down: this file is refused, worth sending again later; the next ones may get through
        // a link's visitor is told the reason without the server's addresses and paths
        const said = (e: Error) => (options.visitor ? publicMessageOf(e) : e.message);
        if (error instanceof StorageUnavailableError) items.push({ filename, error: said(error), statusCode: 503 });
        else if (error instanceof UserError) items.push({ filename, error: said(error), statusCode: STATUS_OF_KIND[error.kind] });
        else throw error;
      }
      lastModified = null;
    }
  } catch (error) {
    failure = error;
  } finally {
    await settleSidecars(lib, items, sidecars, failure !== null, options.visitor ?? false);
    const accepted = items.filter((item): item is IngestedPhoto => 'id' in item && !item.duplicate).map((item) => item.id);
    if (options.onAccepted) await options.onAccepted([...new Set(accepted)]);
  }
  // a file refused mid-stream (over the quota) leaves the rest of the body unread: the connection closes after the
  // answer, or it would hang, holding a socket and the server's shutdown, until the client gives up
  if (!request.raw.complete) reply.header('connection', 'close');
  if (options.visitor) {
    for (const [index, item] of items.entries()) {
      if (!('id' in item)) continue;
      items[index] = item.duplicate
        ? { filename: item.filename, duplicate: true, message: 'already there' }
        : { id: item.id, filename: item.filename, duplicate: false, state: item.state, type: item.type };
    }
  }

  const kept = items.filter((item): item is IngestedPhoto => 'id' in item && !item.duplicate).length;
  if (failure !== null) {
    const keptText = kept === 1 ? '1 photo received before that was kept' : `${kept} photos received before that were kept`;
    const refusal = multipartUserError(failure, request, keptText);
    if (!refusal) throw failure;
    // A client that is gone hears nothing; one that sent too much hears what was kept.
    const status = STATUS_OF_KIND[refusal.kind];
    return reply.code(status).send({ statusCode: status, error: STATUS_TEXT[status] ?? 'Bad Request', message: refusal.message, items });
  }
  if (items.length === 0) throw new UserError('invalid', 'no file in the request: send one or more `file` fields');
  const refused = items.filter((item): item is Refusal => 'error' in item);
  if (refused.length === items.length) {
    const statusCode = refused[0]!.statusCode;
    return reply.code(statusCode).send({ statusCode, error: STATUS_TEXT[statusCode] ?? 'Bad Request', message: refused.map((r) => r.error).join('; '), items });
  }
  const created = items.some((item) => 'id' in item && !item.duplicate);
  return reply.code(created ? 201 : 200).send({ items });
}

/**
 * Gives the photos of the request their sidecars (those that arrived whole) and queues every photo stored, then
 * drops the temp files. Runs however the request ended.
 */
async function settleSidecars(lib: Library, items: Item[], sidecars: Sidecar[], cutShort: boolean, visitor: boolean) {
  try {
    const accepted = items.filter((item): item is IngestedPhoto => 'id' in item);
    const byName = new Map(accepted.map((photo) => [photo.filename.toLowerCase(), photo]));
    const toQueue = new Set(accepted.filter((photo) => !photo.duplicate).map((photo) => photo.id));
    const takeout = takeoutTargets(sidecars, accepted);
    const favourites: string[] = [];
    const archived: string[] = [];
    for (const sidecar of sidecars) {
      if (!sidecar.complete) {
        items[sidecar.index] = { filename: sidecar.filename, error: `${sidecarKind(sidecar.filename)} cut off before its end, not read`, statusCode: 400 };
        continue;
      }
      const target = takeout.get(sidecar.filename) ?? sidecarTarget(sidecar.filename, byName);
      if (!target) {
        const kind = sidecarKind(sidecar.filename);
        const why = cutShort ? `${kind} without its photo: the request ended before it` : `${kind} without its photo in this upload`;
        items[sidecar.index] = { filename: sidecar.filename, error: why, statusCode: 400 };
        continue;
      }
      // a visitor's sidecar never changes a photo the owner had already
      if (visitor && target.duplicate) {
        items[sidecar.index] = { filename: sidecar.filename, error: `${sidecarKind(sidecar.filename)} not read: its photo is already there`, statusCode: 400 };
        continue;
      }
      if (await attachSidecar(lib, target.id, sidecar.temp, sidecarFormat(sidecar.filename))) {
        toQueue.add(target.id);
        if (sidecar.marks?.favorited && !visitor) favourites.push(target.id);
        if (sidecar.marks?.archived && !visitor) archived.push(target.id);
      }
      items[sidecar.index] = { ...target, filename: sidecar.filename };
    }
    // the marks an import gives, on the photos the sidecar was new to (as the import does); not a visitor's, whose
    // sidecar tells facts of the photo, not the owner's choices; not the trash, which the import applies after its
    // albums (an import through a server uploads each item with its sidecar, then places it in its album)
    await queueBounded(lib, [...toQueue]);
    await favourMarked(lib, favourites);
    await archiveMarked(lib, archived);
  } finally {
    await Promise.all(sidecars.map((s) => fs.rm(s.temp, { force: true })));
  }
}
