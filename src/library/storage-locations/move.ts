// Moving a user's photos into the storage location an admin gave them. Per photo: its files are copied first (the
// original checked by its SHA-256 where it lands), then its row names the new place in one statement that holds
// only if no step ran meanwhile (a step writes renditions where the row says), then the old copies go. A photo
// whose steps are running is left for the next run; running it again is safe at any point.
import { eq, sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { faces } from '../../db/schema.js';
import { copyBlob, storedSha256 } from '../../migrate/files.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { derivedKey, derivedMotionKey, derivedPrefix, derivedVideoKey } from '../../storage/keys.js';
import { isInPlaceKey } from '../../storage/in-place.js';
import type { Library } from '../library.js';
import { removeOriginalUnlessShared } from '../photos/originals.js';
import { ownsSql } from '../../scope/rows.js';

export interface MoveReport {
  /** Where the photos went (null: the main store). */
  to: string | null;
  moved: number;
  /** Photos with a step running or run while they were copied: moved by the next run. */
  busy: number;
  failed: { photoId: string; error: string }[];
}

interface PhotoFiles {
  id: string;
  storage_key: string;
  sidecar_key: string | null;
  sha256: string;
  storage_location: string | null;
  /** A Live Photo's MOV, folded into the still (library/live-photos/live-photos.ts). */
  live_key: string | null;
}

/**
 * Moves every photo of the library's owner that is not in the owner's storage location into it; `stop` is asked
 * between photos (a server closing).
 */
export async function moveToOwnerLocation(lib: Library, options: { stop?: () => boolean } = {}): Promise<MoveReport> {
  const [owner] = await rows<{ location: string | null }>(lib.db, sql`select storage_location as location from users where id = ${lib.ownerId}::uuid`);
  const to = owner?.location ?? null;
  const report: MoveReport = { to, moved: 0, busy: 0, failed: [] };
  const elsewhere = await rows<PhotoFiles>(
    lib.db,
    sql`select id, storage_key, sidecar_key, sha256, storage_location, case when motion->>'source' = 'live' then motion->>'key' end as live_key from photos
        where ${ownsSql(lib, 'photos')} and storage_location is distinct from ${to} order by id`,
  );
  for (const photo of elsewhere) {
    if (options.stop?.()) break;
    try {
      report[(await movePhoto(lib, photo, to)) ? 'moved' : 'busy']++;
    } catch (error) {
      report.failed.push({ photoId: photo.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}

/** True when the photo now lives in `to`; false when a step ran while it was copied (it stays where it was). */
async function movePhoto(lib: Library, photo: PhotoFiles, to: string | null): Promise<boolean> {
  const from = lib.storage.at(photo.storage_location);
  const target = lib.storage.at(to);
  // every run of a step counts an attempt: the same count after the copy means no step wrote meanwhile (no clocks
  // to compare between machines)
  const before = await stepRuns(lib, photo.id);
  if (before.running > 0) return false;
  const faceKeys = (await lib.db.select({ key: faces.thumbnailKey }).from(faces).where(eq(faces.photoId, photo.id))).flatMap((f) => (f.key ? [f.key] : []));
  // a library in place's file and sidecar stay in its folder: only what Shoebox stored moves
  const required = [photo.storage_key, ...(photo.sidecar_key ? [photo.sidecar_key] : []), ...(photo.live_key ? [photo.live_key] : [])].filter(
    (key) => !isInPlaceKey(key),
  );
  // with a video's playable copy and a motion photo's video, which no step makes again unless asked
  const remade = [
    derivedKey(photo.id, 'thumbnail.webp'),
    derivedKey(photo.id, 'preview.jpg'),
    derivedVideoKey(photo.id),
    derivedMotionKey(photo.id),
    ...faceKeys,
  ];
  const copied: string[] = [];
  for (const key of [...required, ...remade]) {
    const outcome = await copyBlob(from, target, key);
    if (outcome === 'absent' && required.includes(key)) throw new Error(`${key} is missing from its storage location: the photo stays where it is`);
    if (outcome === 'copied') copied.push(key);
  }
  if (!isInPlaceKey(photo.storage_key) && (await storedSha256(target, photo.storage_key)) !== photo.sha256) {
    await removeCopies(lib, target, to, copied, photo);
    throw new Error('the copy of the original does not have its checksum: the photo stays where it is');
  }
  const [moved] = await rows<{ id: string }>(
    lib.db,
    sql`update photos set storage_location = ${to}, updated_at = now()
        where id = ${photo.id}::uuid and storage_location is not distinct from ${photo.storage_location}
          and (select count(*) filter (where s.status = 'running') = 0 and coalesce(sum(s.attempts), 0) = ${before.attempts}
               from photo_steps s where s.photo_id = photos.id)
        returning id`,
  );
  if (!moved) {
    await removeCopies(lib, target, to, copied, photo);
    return false;
  }
  // the old copies: the original only when no other photo in that location has the same bytes
  await removeOriginalUnlessShared(lib, from, photo.storage_location, photo.storage_key);
  if (photo.live_key) await removeOriginalUnlessShared(lib, from, photo.storage_location, photo.live_key);
  if (photo.sidecar_key && !isInPlaceKey(photo.sidecar_key)) await from.remove(photo.sidecar_key);
  await from.removePrefix(derivedPrefix(photo.id));
  return true;
}

async function stepRuns(lib: Library, photoId: string): Promise<{ running: number; attempts: number }> {
  const [found] = await rows<{ running: number; attempts: number }>(
    lib.db,
    sql`select count(*) filter (where status = 'running')::int as running, coalesce(sum(attempts), 0)::int as attempts
        from photo_steps where photo_id = ${photoId}::uuid`,
  );
  return found ?? { running: 0, attempts: 0 };
}

/** What this run copied for a photo that did not move after all. */
async function removeCopies(lib: Library, store: BlobStore, location: string | null, copied: string[], photo: PhotoFiles): Promise<void> {
  for (const key of copied) {
    if (key === photo.storage_key || key === photo.live_key) await removeOriginalUnlessShared(lib, store, location, key);
    else await store.remove(key);
  }
}
