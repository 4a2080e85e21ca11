// What a file in a library in place is in the library: a new photo (read where it is), another path of a photo
// with the same bytes (a rename, a move, a second copy), new bytes of a photo (an edit: the same photo, analysed
// again), a new sidecar (its metadata read again); and photos whose files are all gone are offline.
import path from 'node:path';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { textArray, uuidArray } from '../../db/arrays.js';
import { rows } from '../../db/connection.js';
import { photos, photoSteps, users } from '../../db/schema.js';
import { withDependents } from '../../model/photo-state.js';
import { refreshSearchDocuments } from '../../search/documents.js';
import { cleanFileName } from '../ingest/ingest.js';
import { admitPhoto, photoWithBytes } from '../photos/door.js';
import type { Library } from '../library.js';
import { owns } from '../../scope/rows.js';
import { resumeWorkSkippedInTrash } from '../trash/trash.js';
import { removeVisitorCopies } from '../photos/visitor-copies.js';

export interface ReadFile {
  libraryId: string;
  path: string;
  sha256: string;
  mime: string;
  size: number;
  mtimeMs: number;
  sidecarPath: string | null;
}

export interface PhotoOfFile {
  photoId: string;
  outcome: 'new' | 'linked' | 'edited';
}

/**
 * The photo a file read from a library is. `previous`: the photo the file's row named before its bytes changed.
 * New photos and edited ones are queued for the pipeline by the caller (after its row names them).
 */
export async function photoForFile(lib: Library, file: ReadFile, previous: string | null, previousHasOtherFiles: boolean): Promise<PhotoOfFile> {
  const same = await photoWithBytes(lib, file.sha256);
  if (same) return { photoId: same.id, outcome: 'linked' };
  // new bytes at the path of a photo that has no other copy: the file was edited, the photo stays (albums, people…)
  if (previous && !previousHasOtherFiles) {
    const edited = await editPhoto(lib, previous, file);
    if (edited) {
      await removeVisitorCopies(lib, [edited], 'the file got new bytes');
      return { photoId: previous, outcome: 'edited' };
    }
  }
  return createPhoto(lib, file);
}

async function createPhoto(lib: Library, file: ReadFile): Promise<PhotoOfFile> {
  const [owner] = await lib.db.select({ location: users.storageLocation }).from(users).where(eq(users.id, lib.ownerId));
  const modified = new Date(file.mtimeMs);
  const arrival = {
    sha256: file.sha256,
    filename: cleanFileName(path.basename(file.path)),
    mime: file.mime,
    sizeBytes: file.size,
    fileModifiedAt: modified,
    storageKey: file.path,
    storageLocation: owner?.location ?? null,
    source: { kind: 'in-place', libraryId: file.libraryId, path: file.path, sidecarPath: file.sidecarPath },
  } as const;
  // The library is kept while its photo is made: a library removed meanwhile leaves no photo behind (removeLibrary
  // looks for its photos again once its row is gone). Findable by its file name once the scan indexes its new
  // photos, in batches (scan.ts).
  const admitted = await admitPhoto(lib, arrival, {
    indexLater: true,
    within: async (tx) => {
      const alive = await rows<{ id: string }>(tx, sql`select id from libraries where id = ${file.libraryId}::uuid for share`);
      if (alive.length === 0) throw new Error('the library was removed during its scan');
    },
  });
  return { photoId: admitted.id, outcome: admitted.duplicate ? 'linked' : 'new' };
}

/** New bytes for a photo: its checksum, size and type follow the file, and every step runs again. Null: not the owner's. */
async function editPhoto(lib: Library, photoId: string, file: ReadFile): Promise<{ id: string; storageLocation: string | null } | null> {
  return lib.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(photos)
      .set({
        sha256: file.sha256,
        mime: file.mime,
        sizeBytes: file.size,
        storageKey: file.path,
        sidecarKey: file.sidecarPath,
        sourcePath: file.path,
        fileModifiedAt: new Date(file.mtimeMs),
        offlineAt: null,
        state: 'pending',
        updatedAt: new Date(),
      })
      .where(and(eq(photos.id, photoId), owns(lib, photos)))
      .returning({ id: photos.id, storageLocation: photos.storageLocation });
    if (!updated) return null;
    await tx.update(photoSteps).set({ status: 'pending', error: null, retryAt: null }).where(eq(photoSteps.photoId, photoId));
    return updated;
  });
}

/** A photo's sidecar was written by another tool (or appeared, or went): its metadata is read again. */
export async function sidecarChanged(lib: Library, photoId: string, filePath: string, sidecarPath: string | null): Promise<void> {
  const steps = withDependents('metadata');
  await lib.db.transaction(async (tx) => {
    // only when this file is the photo's original: another copy's sidecar does not speak for it
    const [updated] = await tx
      .update(photos)
      .set({ sidecarKey: sidecarPath, state: 'pending', updatedAt: new Date() })
      .where(and(eq(photos.id, photoId), eq(photos.storageKey, filePath)))
      .returning({ id: photos.id });
    if (updated)
      await tx
        .update(photoSteps)
        .set({ status: 'pending', error: null, retryAt: null })
        .where(and(eq(photoSteps.photoId, photoId), inArray(photoSteps.step, steps)));
  });
}

/**
 * Settles photos whose files changed: a photo with no file left in any library goes offline (kept, searchable);
 * one with a file again comes back — out of the trash too when it went there for being offline — and reads from
 * a file that is there (a rename, another copy). Returns the photos that came back.
 */
export async function settleFilePhotos(lib: Library, photoIds: readonly string[]): Promise<{ offline: number; back: string[] }> {
  if (photoIds.length === 0) return { offline: 0, back: [] };
  let offline = 0;
  const back: string[] = [];
  for (let i = 0; i < photoIds.length; i += 1000) {
    const chunk = photoIds.slice(i, i + 1000);
    const changed = await rows<{
      id: string;
      offline: boolean;
      old_key: string | null;
      old_name: string;
      new_key: string | null;
      storage_location: string | null;
      untrashed: boolean;
    }>(
      lib.db,
      sql`with present as (
            select x.id, f.path, f.sidecar_path, f.library_id, q.storage_key as old_key, q.filename as old_name,
                   q.deleted_at is not null as was_trashed
            from unnest(${uuidArray(chunk)}) x(id)
            join photos q on q.id = x.id and q.library_id is not null
            left join lateral (
              select f.path, f.sidecar_path, f.library_id from library_files f
              where f.photo_id = x.id and f.missing_since is null and f.error is null
              order by (f.path = q.storage_key) desc, f.path limit 1) f on true)
          update photos p set
            offline_at = case when present.path is null then coalesce(p.offline_at, now()) else null end,
            deleted_at = case when present.path is not null and p.offline_at is not null then null else p.deleted_at end,
            storage_key = coalesce(present.path, p.storage_key),
            source_path = coalesce(present.path, p.source_path),
            sidecar_key = case when present.path is null then p.sidecar_key else present.sidecar_path end,
            library_id = coalesce(present.library_id, p.library_id),
            updated_at = now()
          from present
          where p.id = present.id
            and ((present.path is null) <> (p.offline_at is not null)
                 or p.storage_key is distinct from coalesce(present.path, p.storage_key)
                 or (present.path is not null and p.sidecar_key is distinct from present.sidecar_path))
          returning p.id, p.offline_at is not null as offline, present.old_key, present.old_name, p.storage_key as new_key,
            p.storage_location, present.was_trashed and p.deleted_at is null as untrashed`,
    );
    await renameAfterFiles(lib, changed);
    // read from another file now: copies named by the file before are never asked for again
    await removeVisitorCopies(
      lib,
      changed.filter((row) => row.new_key !== row.old_key).map((row) => ({ id: row.id, storageLocation: row.storage_location })),
      "the photo's file moved",
    );
    offline += changed.filter((row) => row.offline).length;
    back.push(...changed.filter((row) => !row.offline).map((row) => row.id));
    // out of the trash by themselves: what the trash skipped runs now, as for a restore
    await resumeWorkSkippedInTrash(
      lib,
      changed.filter((row) => row.untrashed).map((row) => row.id),
    );
  }
  // back from the trash (or just back), or under a new name: in the search again
  if (back.length > 0) await refreshSearchDocuments(lib.db, back);
  return { offline, back };
}

/**
 * A photo read from another file now (a rename, a move) takes that file's name, as long as it still carries the
 * name the old file gave it.
 */
async function renameAfterFiles(
  lib: Library,
  moved: readonly { id: string; old_key: string | null; old_name: string; new_key: string | null }[],
): Promise<void> {
  const renames = moved.flatMap((row) => {
    if (!row.new_key || !row.old_key || row.new_key === row.old_key) return [];
    const name = cleanFileName(path.basename(row.new_key));
    return row.old_name === cleanFileName(path.basename(row.old_key)) && name !== row.old_name ? [{ id: row.id, name }] : [];
  });
  if (renames.length === 0) return;
  await lib.db.execute(
    sql`update photos p set filename = x.name, updated_at = now()
        from unnest(${uuidArray(renames.map((r) => r.id))}, ${textArray(renames.map((r) => r.name))}) x(id, name)
        where p.id = x.id`,
  );
}
