// A share-link visitor's copy of an original or a clip, without what the link hides (../media/strip-metadata.ts for
// images, ../media/video/strip-video.ts for clips). Made once and kept beside the photo's renditions, named by what
// it is a copy of (the photo's SHA-256, the stored file, the type made) and the rules it was made by: a new original
// or new rules make a new copy, a link that keeps metadata gets the stored file and no copy. Every request, and every
// byte range of one, is then served from the kept copy (ETag, ranges: ./photos.ts sendStored).
//
// Copies lie in one folder per photo and go when they can no longer be served: with the photo's derived files (its
// deletion, a move to another storage location: made again there when asked), and by library/photos/visitor-copies.ts
// when a file in place gets new bytes or is read from another path, and when no link shows the photo any more; a copy
// under the rules before is removed once the new one is made. A copy finished after its photo was deleted, changed or
// moved is removed at once (that removal ran before it was there).
//
// Fair to every visitor: requests asking for a copy being made wait for that one; making one takes a slot (2 made at
// once, 16 waiting), at most PER_VISITOR of them per visitor (the link and their address, an IPv6 one by its /64)
// and PER_LINK per link; and each visitor has a budget of file requests (VISITOR_REQUESTS a minute, in a burst or
// spread). Past a bound only that visitor hears 429 with Retry-After: one who floods a link cannot make another wait.
// A file the copy refuses is remembered as refused (keyed as its copy would be, so a new original or new rules
// ask again) for REFUSAL_MS: asking again answers 403 at once instead of taking a slot to strip it again. Visitors
// are told why in the server's words; the tools' own (file names, addresses) go to the log.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { clientOf } from '../auth/login-limiter.js';
import { RateLimiter } from '../auth/rate-limit.js';
import { UserError } from '../base/errors.js';
import type { Library } from '../library/library.js';
import { findPhoto } from '../library/photos/index.js';
import { RAW_IMAGE_MIMES } from '../media/detect.js';
import { stripImage, type StripResult } from '../media/strip-metadata.js';
import { muxerFor, stripVideo } from '../media/video/strip-video.js';
import { isVideoMime } from '../model/video.js';
import { isInPlaceKey } from '../storage/in-place.js';
import { derivedPrefix, visitorCopiesPrefix, visitorCopyKey } from '../storage/keys.js';
import { Slots } from './slots.js';

export const STRIP_RUNNING = 2;
export const STRIP_QUEUE = 16;
export const PER_VISITOR = 2;
export const PER_LINK = 4;
/** File requests (originals, clips, each range) per visitor of a link, per minute. */
export const VISITOR_REQUESTS = 120;
/** How long a refused copy is answered from memory, and how many refusals are kept (the oldest go first). */
export const REFUSAL_MS = 60 * 60_000;
const REFUSALS_KEPT = 4096;
/** Part of each copy's name: a change to what copies keep makes new ones. 3: a RAW's embedded previews made safe. */
const COPY_RULES = 'allow-list 3';
/** The rules before, whose copies lay beside the renditions (`visitor-<digest>.<ext>`): removed once a new one is made. */
const PAST_RULES = ['allow-list 2'];

const slots = new Slots({ running: STRIP_RUNNING, queue: STRIP_QUEUE, perKey: PER_VISITOR });
const linkSlots = new Slots({ running: Infinity, queue: 0, perKey: PER_LINK });
const requests = new RateLimiter(VISITOR_REQUESTS, 60_000);

/** Who asks: a link, and the address its visitor comes from. */
export interface Visitor {
  linkId: string;
  address: string;
}

/** What the copy is of: a stored file of a photo, as the type it is served as. */
export interface CopySource {
  photoId: string;
  sha256: string;
  storageLocation: string | null;
  key: string;
  /** The type of the copy: an image's own, a clip's container (the stored one, or MP4 for playing). */
  mime: string;
}

type Outcome = { made: true } | { refused: string };

/** Who a copy is made for: a visitor's reply (a 429's Retry-After, the log), or the owner's check of a link. */
export interface CopyAnswer {
  header(name: string, value: string): unknown;
  log: { warn(details: object, message: string): void };
}

/** Copies refused, by where they would go: what their visitors are told, until when. */
const refusals = new Map<string, { message: string; until: number }>();

function refusalOf(id: string): string | null {
  const found = refusals.get(id);
  if (!found) return null;
  if (found.until > Date.now()) return found.message;
  refusals.delete(id);
  return null;
}

function rememberRefusal(id: string, message: string): void {
  refusals.delete(id);
  refusals.set(id, { message, until: Date.now() + REFUSAL_MS });
  // a Map keeps its order of insertion: the first is the oldest
  while (refusals.size > REFUSALS_KEPT) refusals.delete(refusals.keys().next().value!);
}

/** What a link's visitor is told of a copy refused (pure): the tags left, by name, or the server's reason. */
export function refusalMessage(kind: 'image' | 'video', result: { left: string[]; reason: string }): string {
  const what = kind === 'video' ? 'this video' : "this photo's original";
  const why = result.left.length > 0 ? `it still held ${result.left.slice(0, 3).join(', ')}${result.left.length > 3 ? ' and more' : ''}` : result.reason;
  return `${what} could not be reduced to what the link shows (${why}), so it is not offered here; its owner can let the link keep its metadata`;
}

const copyDigest = (source: CopySource, rules: string) =>
  createHash('sha256').update([source.sha256, source.key, source.mime, rules].join('\n')).digest('hex').slice(0, 24);
const copyExt = (ext: string | null) => (ext && /^[a-z0-9]{1,8}$/.test(ext) ? ext : 'bin');

/** Where the rules before kept this copy (pure). */
export function pastCopyKeys(source: CopySource, ext: string | null): string[] {
  return PAST_RULES.map((rules) => path.posix.join(derivedPrefix(source.photoId), `visitor-${copyDigest(source, rules)}.${copyExt(ext)}`));
}

/** Copies being made in this process, by where they go: everyone asking for one waits for it. */
const making = new Map<string, Promise<Outcome>>();

function busy(reply: CopyAnswer, seconds: number, why: string): never {
  reply.header('retry-after', String(seconds));
  throw new UserError('too-many-requests', `${why}: try again in ${seconds} seconds`);
}

/** A visitor: the link and who asks, an IPv6 address by its /64 (else each of its 2^64 addresses is a fresh visitor). */
export const visitorKey = (visitor: Visitor) => `${visitor.linkId}\0${clientOf(visitor.address)}`;

/** Counts a request for one of the link's files against its visitor's budget (429 past it, to them alone). */
export function countVisitorRequest(reply: CopyAnswer, visitor: Visitor): void {
  const waitMs = requests.take(visitorKey(visitor));
  if (waitMs > 0) busy(reply, Math.ceil(waitMs / 1000), 'too many downloads from this address through this link');
}

/** The copy's key in the photo's storage location, made first when it is not there. */
export async function visitorCopy(lib: Library, reply: CopyAnswer, visitor: Visitor, source: CopySource): Promise<string> {
  const kind = isVideoMime(source.mime) ? 'video' : 'image';
  const ext = kind === 'video' ? muxerFor(source.mime) : path.extname(source.key).slice(1).toLowerCase();
  const key = visitorCopyKey(source.photoId, copyDigest(source, COPY_RULES), copyExt(ext));
  const store = lib.storage.at(source.storageLocation);
  const id = `${source.storageLocation ?? ''}\0${key}`;
  const refused = refusalOf(id);
  if (refused) throw new UserError('forbidden', refused);
  if (await store.stat(key)) return key;
  for (;;) {
    const current = making.get(id);
    if (current) {
      const outcome = await current;
      if ('made' in outcome) return key;
      // the visitor who began it was refused a slot: this one tries with its own
      continue;
    }
    const mine = makeCopy(lib, reply, visitor, source, key, kind, id);
    making.set(id, mine);
    void mine.finally(() => making.get(id) === mine && making.delete(id)).catch(() => {});
    const outcome = await mine;
    if ('refused' in outcome) busy(reply, 5, outcome.refused);
    return key;
  }
}

async function makeCopy(
  lib: Library,
  reply: CopyAnswer,
  visitor: Visitor,
  source: CopySource,
  key: string,
  kind: 'image' | 'video',
  id: string,
): Promise<Outcome> {
  const linkRelease = await linkSlots.enter(visitor.linkId);
  if (typeof linkRelease !== 'function') return { refused: 'too many downloads being prepared through this link' };
  try {
    const release = await slots.enter(visitorKey(visitor));
    if (typeof release !== 'function')
      return { refused: release === 'per-key' ? 'too many downloads being prepared for this address' : 'too many downloads being prepared' };
    try {
      const store = lib.storage.at(source.storageLocation);
      // made by another process meanwhile (or by this one, just before)
      if (await store.stat(key)) return { made: true };
      if (!(await store.stat(source.key))) {
        throw new UserError(
          'not-found',
          isInPlaceKey(source.key) ? 'the file is not in its folder any more (a library in place: the photo is offline)' : 'file is missing from storage',
        );
      }
      const temp = lib.scratch.tempPath(`.${key.slice(key.lastIndexOf('.') + 1)}`);
      let result: StripResult;
      try {
        if (kind === 'video') {
          const input = await store.localFile(source.key);
          try {
            result = await stripVideo(input.path, temp, source.mime);
          } finally {
            await input.release();
          }
        } else {
          // stripped in place in a copy (the stored file, or a file in place, is only read); ExifTool tells formats by
          // their content, the extension only helps it (a file in place keeps its own)
          await pipeline(await store.get(source.key), createWriteStream(temp, { flags: 'wx' }));
          result = await stripImage(temp, { raw: RAW_IMAGE_MIMES.includes(source.mime) });
        }
        lib.metrics.visitorCopyMade(kind, result.stripped ? 'made' : 'refused');
        if (!result.stripped) {
          reply.log.warn(
            { photoId: source.photoId, left: result.left.slice(0, 20), reason: result.reason, detail: result.detail, mime: source.mime },
            'visitor copy not made: refused',
          );
          const message = refusalMessage(kind, result);
          rememberRefusal(id, message);
          throw new UserError('forbidden', message);
        }
        await store.putFile(key, temp, { move: true });
        // deleted, changed or moved while the copy was made: the removal of its copies ran before this one was there
        const now = await findPhoto(lib, source.photoId);
        if (!now) {
          await store.removePrefix(derivedPrefix(source.photoId));
          throw new UserError('not-found', `no photo with id ${source.photoId} in this link`);
        }
        if (now.sha256 !== source.sha256 || (now.storageLocation ?? null) !== source.storageLocation) {
          await (now.sha256 === source.sha256 ? store.removePrefix(visitorCopiesPrefix(source.photoId)) : store.remove(key));
          throw new UserError('conflict', "the photo's file changed, or moved, while its copy was made: try again");
        }
        for (const past of pastCopyKeys(source, key.slice(key.lastIndexOf('.') + 1))) await store.remove(past);
        return { made: true };
      } finally {
        await Promise.all([temp, `${temp}_exiftool_tmp`, `${temp}.parts`].map((file) => fs.rm(file, { force: true })));
      }
    } finally {
      release();
    }
  } finally {
    linkRelease();
  }
}
