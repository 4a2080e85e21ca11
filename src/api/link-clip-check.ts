// The owner's check of a share link's videos: the copy each visitor would be served of a clip or a motion photo's
// motion (played, and downloaded when the link allows it) is made now, as a visitor's request would make it, or found
// refused (./visitor-copy.ts). Made copies are kept, so the check costs a visitor nothing later and a second check
// only looks whether they are there; a refusal is remembered as a visitor's is. The share dialog names the clips
// refused, so that the owner hears what a visitor would meet (a video that does not play) before sharing the link.
import { sql } from 'drizzle-orm';
import { UserError } from '../base/errors.js';
import { rows } from '../db/connection.js';
import type { PhotoRow } from '../db/schema.js';
import type { Library } from '../library/library.js';
import { findPhoto, playableVideo } from '../library/photos/index.js';
import { linkPhotosSql, listLinks } from '../library/sharing/index.js';
import { isVideoMime } from '../model/video.js';
import { ownsSql } from '../scope/rows.js';
import { derivedVideoKey } from '../storage/keys.js';
import { visitorCopy, type CopyAnswer, type CopySource, type Visitor } from './visitor-copy.js';

/** How long one check makes copies; the clips left are counted and checked by the next (or by their visitors). */
export const CHECK_BUDGET_MS = 20_000;

export interface LinkClipCheck {
  /** Videos and motion photos whose visitors' copies are made (or need none). */
  checked: number;
  /** Those not checked yet: past the check's time, or not playable yet (being transcoded). */
  unchecked: number;
  /** Those whose copy is refused: a visitor can neither play nor download them. */
  refused: { photoId: string; filename: string; message: string }[];
}

/**
 * The copies a link's visitor is served of the item: its clip as stored (not the transcoded one), and its original
 * when downloads are on; null while it is not playable yet.
 */
async function copiesOf(lib: Library, photo: PhotoRow, allowDownload: boolean): Promise<CopySource[] | null> {
  const base = { photoId: photo.id, sha256: photo.sha256, storageLocation: photo.storageLocation };
  const sources: CopySource[] = [];
  try {
    const played = await playableVideo(lib, photo);
    // the transcoded copy is made without metadata: served as it is
    if (played.key !== derivedVideoKey(photo.id)) sources.push({ ...base, key: played.key, mime: played.contentType });
  } catch (error) {
    if (error instanceof UserError && error.kind === 'conflict') return null;
    throw error;
  }
  if (allowDownload && isVideoMime(photo.mime)) sources.push({ ...base, key: photo.storageKey, mime: photo.mime });
  return sources;
}

/** Makes the copies: all made, one refused (the visitor is told why), or one to try later (busy, a file offline). */
async function tryCopies(lib: Library, answer: CopyAnswer, visitor: Visitor, sources: CopySource[]): Promise<'made' | 'later' | { refused: string }> {
  let later = false;
  for (const source of sources) {
    try {
      await visitorCopy(lib, answer, visitor, source);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      if (error.kind === 'forbidden') return { refused: error.message };
      later = true;
    }
  }
  return later ? 'later' : 'made';
}

/** Checks the user's link `id` (404 for another's). */
export async function checkLinkClips(lib: Library, id: string, budgetMs = CHECK_BUDGET_MS): Promise<LinkClipCheck> {
  const [link] = await listLinks(lib, { id });
  if (!link) throw new UserError('not-found', `no share link with id ${id}`);
  const result: LinkClipCheck = { checked: 0, unchecked: 0, refused: [] };
  // a link that keeps metadata serves the stored files: no copy to make
  if (link.keepMetadata) return result;
  const items = await rows<{ id: string }>(
    lib.db,
    sql`select p.id from photos p
        where ${linkPhotosSql({ id: link.id, albumId: link.albumId })} and ${ownsSql(lib, 'p')}
          and (p.mime like 'video/%' or p.motion is not null)
        order by p.taken_at desc nulls last, p.id`,
  );
  const deadline = Date.now() + budgetMs;
  // the owner's check as a visitor of its own: its log is the server's, a 429 has no reply to tell
  const answer: CopyAnswer = { header: () => undefined, log: lib.logger };
  const visitor = { linkId: link.id, address: 'owner check' };
  for (const [index, item] of items.entries()) {
    if (Date.now() >= deadline) {
      result.unchecked += items.length - index;
      break;
    }
    const photo = await findPhoto(lib, item.id);
    if (!photo) continue;
    const sources = await copiesOf(lib, photo, link.allowDownload);
    if (!sources) {
      result.unchecked++;
      continue;
    }
    const outcome = await tryCopies(lib, answer, visitor, sources);
    if (outcome === 'made') result.checked++;
    else if (outcome === 'later') result.unchecked++;
    else result.refused.push({ photoId: photo.id, filename: photo.filename, message: outcome.refused });
  }
  return result;
}
