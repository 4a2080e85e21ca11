// The original a share-link visitor downloads: a copy without location and serial numbers (../media/strip-metadata.ts),
// unless the link's owner keeps them. The copy is made in the scratch folder (the stored file, or a file in place, is
// only read), stripped, opened and unlinked at once: from then on it lives only while its answer is sent (one left by
// a crash mid-strip goes with the scratch folder's sweep). The work is bounded: STRIP_RUNNING copies made at once
// (ExifTool is shared with imports), STRIP_QUEUE waiting, PER_LINK per link, and at most COPIES_OPEN copies in all
// (made, waiting or being sent); past a bound the visitor hears 429 with Retry-After.
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyReply } from 'fastify';
import { UserError } from '../base/errors.js';
import type { Library } from '../library/library.js';
import { RAW_IMAGE_MIMES } from '../media/detect.js';
import { stripPrivateMetadata } from '../media/strip-metadata.js';
import { isInPlaceKey } from '../storage/in-place.js';
import { requestedRange } from './byte-range.js';
import { contentDisposition } from './photos.js';
import { Slots } from './slots.js';

export const STRIP_RUNNING = 2;
export const STRIP_QUEUE = 16;
export const PER_LINK = 4;
export const COPIES_OPEN = 32;
/** Part of the ETag: a change to what is removed gives visitors' copies new tags. */
const STRIP_RULES_VERSION = 1;

const slots = new Slots({ running: STRIP_RUNNING, queue: STRIP_QUEUE, perKey: PER_LINK });
let copiesOpen = 0;

export interface VisitorOriginal {
  linkId: string;
  storageLocation: string | null;
  storageKey: string;
  mime: string;
  sha256: string;
  filename: string;
}

function busy(reply: FastifyReply, why: string): never {
  reply.header('retry-after', '5');
  throw new UserError('too-many-requests', `${why}: try again in a few seconds`);
}

/** One of the strip slots, for a copy made through the link (429 when they are taken); call what it answers when done. */
export async function enterStripSlot(reply: FastifyReply, linkId: string): Promise<() => void> {
  const release = await slots.enter(linkId);
  if (typeof release !== 'function') busy(reply, release === 'per-key' ? 'too many downloads at once through this link' : 'too many downloads being prepared');
  return release;
}

/** A stripped copy of the photo's original, open and already unlinked; `done` closes it (more than once is fine). */
async function strippedCopy(lib: Library, reply: FastifyReply, photo: VisitorOriginal): Promise<{ handle: fs.FileHandle; done: () => Promise<void> }> {
  const store = lib.storage.at(photo.storageLocation);
  if (!(await store.stat(photo.storageKey))) {
    throw new UserError('not-found', isInPlaceKey(photo.storageKey) ? 'the file is not in its folder any more (a library in place: the photo is offline)' : 'file is missing from storage');
  }
  if (copiesOpen >= COPIES_OPEN) busy(reply, 'too many downloads under way on this server');
  // counted from here (made, waiting or sent), so that no more than COPIES_OPEN ever exist
  copiesOpen++;
  let handedOver = false;
  try {
    const release = await enterStripSlot(reply, photo.linkId);
    // ExifTool tells formats by content; the extension only helps it (a file in place keeps its own)
    const ext = path.extname(photo.storageKey).toLowerCase();
    const temp = lib.scratch.tempPath(/^\.[a-z0-9]{1,5}$/.test(ext) ? ext : '');
    try {
      await pipeline(await store.get(photo.storageKey), createWriteStream(temp, { flags: 'wx' }));
      const result = await stripPrivateMetadata(temp, { raw: RAW_IMAGE_MIMES.includes(photo.mime) });
      if (!result.stripped) {
        reply.log.warn({ left: result.left, reason: result.reason, mime: photo.mime }, 'visitor original not stripped: refused');
        throw new UserError(
          'forbidden',
          `this photo's location or camera serial number could not be removed from its original (${result.left.slice(0, 3).join(', ')}), ` +
            'so it is not offered for download; its owner can let the link keep them',
        );
      }
      const handle = await fs.open(temp, 'r');
      handedOver = true;
      let open = true;
      const done = async () => {
        if (open) copiesOpen--;
        open = false;
        await handle.close();
      };
      return { handle, done };
    } finally {
      release();
      // unlinked while open: the bytes stay until the answer is sent; an ExifTool leftover goes too
      await Promise.all([fs.rm(temp, { force: true }), fs.rm(`${temp}_exiftool_tmp`, { force: true })]);
    }
  } finally {
    if (!handedOver) copiesOpen--;
  }
}

/** Sends the visitor's copy: ETag, conditional requests and one byte range, like any original. */
export async function sendVisitorOriginal(reply: FastifyReply, lib: Library, photo: VisitorOriginal) {
  const etag = `"${photo.sha256.slice(0, 40)}-visitor${STRIP_RULES_VERSION}"`;
  reply.header('ETag', etag);
  // revalidated: the owner may change what the link keeps
  reply.header('Cache-Control', 'private, no-cache');
  reply.header('Accept-Ranges', 'bytes');
  reply.header('Content-Disposition', contentDisposition('attachment', photo.filename));
  const ifNoneMatch = reply.request.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) return reply.code(304).send();

  const { handle, done } = await strippedCopy(lib, reply, photo);
  try {
    const { size } = await handle.stat();
    reply.header('Content-Type', photo.mime);
    const ifRange = reply.request.headers['if-range'];
    const range = ifRange && ifRange !== etag ? null : requestedRange(reply.request.headers.range, size);
    if (range === 'unsatisfiable') {
      reply.header('Content-Range', `bytes */${size}`);
      throw new UserError('range-not-satisfiable', `the range asked for is outside the file (${size} bytes)`);
    }
    if (range) {
      reply.code(206);
      reply.header('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
    }
    reply.header('Content-Length', range ? range.end - range.start + 1 : size);
    // closed when the stream ends, fails or is destroyed (a visitor gone mid-download, a HEAD request)
    const stream = handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    stream.once('close', () => void done());
    return reply.send(stream);
  } catch (error) {
    await done();
    throw error;
  }
}
