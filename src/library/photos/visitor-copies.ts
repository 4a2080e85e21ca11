// Share-link visitors' copies (api/visitor-copy.ts) that can no longer be served. A copy is named by the bytes, file
// and rules it was made from, so one of old bytes or of a file's old path is never asked for again; nor is one of a
// photo no link shows. Each would stay until its photo is deleted.
import { sql } from 'drizzle-orm';
import { uuidArray } from '../../db/arrays.js';
import { rows } from '../../db/connection.js';
import type { Library } from '../library.js';
import { ownsSql } from '../../scope/rows.js';
import { visitorCopiesPrefix } from '../../storage/keys.js';

/** Removes the photos' visitors' copies; one that cannot be removed is logged (it goes with the photo's derived files). */
export async function removeVisitorCopies(lib: Library, photos: readonly { id: string; storageLocation: string | null }[], why: string): Promise<void> {
  for (const photo of photos) {
    try {
      await lib.storage.at(photo.storageLocation).removePrefix(visitorCopiesPrefix(photo.id));
    } catch (error) {
      lib.logger.warn({ photoId: photo.id, err: error }, `visitors' copies not removed (${why})`);
    }
  }
}

/**
 * Removes the copies of those of the user's photos that no link shows any more (a link revoked, an album with a link
 * deleted, photos taken out of one). A copy is per original and rules, not per link: one another link shows stays,
 * and a photo shown again later is copied again.
 */
export async function removeCopiesNoLinkShows(lib: Library, photoIds: readonly string[], why: string): Promise<void> {
  if (photoIds.length === 0) return;
  const unshown = await rows<{ id: string; storage_location: string | null }>(
    lib.db,
    sql`select p.id, p.storage_location from photos p
        where p.id = any(${uuidArray(photoIds)}) and ${ownsSql(lib, 'p')}
          and not exists (select 1 from share_link_photos lp where lp.photo_id = p.id)
          and not exists (select 1 from album_photos ap join share_links l on l.album_id = ap.album_id where ap.photo_id = p.id)`,
  );
  await removeVisitorCopies(
    lib,
    unshown.map((photo) => ({ id: photo.id, storageLocation: photo.storage_location })),
    why,
  );
}

/** Whether an album has a link, whose visitors may have copies of its photos. */
export async function albumHasLink(lib: Library, albumId: string): Promise<boolean> {
  return (await rows(lib.db, sql`select 1 from share_links where album_id = ${albumId}::uuid limit 1`)).length > 0;
}
