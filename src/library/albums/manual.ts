// Albums as the user handles them: create, rename, describe, add and remove photos, choose a cover, delete (the
// photos stay). Automatic albums live in the same tables; a user who edits one keeps it, and it becomes manual.
import { eq, sql } from 'drizzle-orm';
import { uuidArray } from '../../db/arrays.js';
import { rows } from '../../db/connection.js';
import { albumPhotos, albums } from '../../db/schema.js';
import { refreshSearchDocuments } from '../../search/documents.js';
import { UserError } from '../../base/errors.js';
import type { Library } from '../library.js';
import { requireAlbumRole, type AlbumRole } from '../../scope/access.js';
import { ownsSql } from '../../scope/rows.js';
import { getAlbumSummary, requireUuid, UUID, type AlbumSummary } from './summary.js';
import { mayChange } from '../actors.js';
import { albumHasLink, removeCopiesNoLinkShows } from '../photos/visitor-copies.js';

export const ALBUM_NAME_MAX = 200;
export const ALBUM_DESCRIPTION_MAX = 5000;
/** Photo ids one request may name. */
export const ALBUM_IDS_MAX = 5000;

/** What an automatic album becomes when the user edits or keeps it (a dismissed one is back, too). */
const keptAsManual = { kind: 'manual', status: 'active' } as const;

export async function createAlbum(lib: Library, input: { name: string; description?: string | null; photoIds?: string[] }): Promise<AlbumSummary> {
  mayChange(lib);
  const name = cleanName(input.name);
  const description = cleanDescription(input.description);
  const photoIds = await requireOwnPhotos(lib, input.photoIds ?? [], { allowTrashed: false });
  const id = await lib.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(albums)
      .values({ ownerId: lib.ownerId, name, description, kind: 'manual', status: 'active', nameSource: 'user' })
      .returning({ id: albums.id });
    if (photoIds.length > 0) await tx.insert(albumPhotos).values(photoIds.map((photoId) => ({ albumId: created!.id, photoId })));
    return created!.id;
  });
  await refreshSearchDocuments(lib.db, photoIds);
  return getAlbumSummary(lib, id);
}

/**
 * Renames, describes or chooses the cover (null: the most recent photo again). Renaming or describing an
 * automatic album keeps it: it becomes manual.
 */
export async function updateAlbum(
  lib: Library,
  id: string,
  changes: { name?: string; description?: string | null; coverPhotoId?: string | null },
): Promise<AlbumSummary> {
  mayChange(lib);
  const album = await requireAlbum(lib, id);
  const set: Partial<typeof albums.$inferInsert> = { updatedAt: new Date() };
  if (changes.name !== undefined) {
    set.name = cleanName(changes.name);
    if (set.name !== album.name) set.nameSource = 'user';
  }
  if (changes.description !== undefined) set.description = cleanDescription(changes.description);
  if (changes.coverPhotoId) {
    requireUuid(changes.coverPhotoId, 'coverPhotoId');
    const [member] = await rows<{ id: string }>(
      lib.db,
      sql`select p.id from album_photos ap join photos p on p.id = ap.photo_id
          where ap.album_id = ${id}::uuid and ap.photo_id = ${changes.coverPhotoId}::uuid and p.deleted_at is null`,
    );
    if (!member) throw new UserError('invalid', `photo ${changes.coverPhotoId} is not in this album: add it before making it the cover`);
  }
  if (changes.coverPhotoId !== undefined) set.coverPhotoId = changes.coverPhotoId;
  const edited = changes.name !== undefined || changes.description !== undefined;
  const reactivated = edited && album.status !== 'active';
  if (edited) Object.assign(set, keptAsManual);
  await lib.db.update(albums).set(set).where(eq(albums.id, id));
  if ((set.name !== undefined && set.name !== album.name) || reactivated) await refreshAlbumPhotos(lib, id);
  return getAlbumSummary(lib, id);
}

/**
 * Adds the user's own photos (those already in it are left alone): the owner's, or an editor's of a shared
 * album. An automatic album becomes manual.
 */
export async function addPhotos(lib: Library, id: string, photoIds: string[]): Promise<{ album: AlbumSummary; added: number }> {
  mayChange(lib);
  const album = await requireAlbum(lib, id, ['owner', 'editor']);
  const ids = await requireOwnPhotos(lib, photoIds, { allowTrashed: false });
  if (ids.length === 0) throw new UserError('invalid', 'give at least one photo id');
  const added = await lib.db
    .insert(albumPhotos)
    .values(ids.map((photoId) => ({ albumId: id, photoId })))
    .onConflictDoNothing()
    .returning({ photoId: albumPhotos.photoId });
  await lib.db
    .update(albums)
    .set({ updatedAt: new Date(), ...keptAsManual })
    .where(eq(albums.id, id));
  if (album.status !== 'active') await refreshAlbumPhotos(lib, id);
  else
    await refreshSearchDocuments(
      lib.db,
      added.map((row) => row.photoId),
    );
  return { album: await getAlbumSummary(lib, id), added: added.length };
}

/**
 * Takes photos out of the album (they stay in their owners' libraries): the owner or an editor, any of its
 * photos. An automatic album becomes manual.
 */
export async function removePhotos(lib: Library, id: string, photoIds: string[]): Promise<{ album: AlbumSummary; removed: number }> {
  mayChange(lib);
  const album = await requireAlbum(lib, id, ['owner', 'editor']);
  const ids = await requireOwnPhotos(lib, photoIds, { allowTrashed: true, orInAlbum: id });
  if (ids.length === 0) throw new UserError('invalid', 'give at least one photo id');
  const removed = await rows<{ photo_id: string }>(
    lib.db,
    sql`delete from album_photos where album_id = ${id}::uuid and photo_id = any(${uuidArray(ids)}) returning photo_id`,
  );
  const set: Partial<typeof albums.$inferInsert> = { updatedAt: new Date(), ...keptAsManual };
  if (album.coverPhotoId && removed.some((row) => row.photo_id === album.coverPhotoId)) set.coverPhotoId = null;
  await lib.db.update(albums).set(set).where(eq(albums.id, id));
  const removedIds = removed.map((row) => row.photo_id);
  if (album.status !== 'active') await refreshAlbumPhotos(lib, id);
  await refreshSearchDocuments(lib.db, removedIds);
  if (await albumHasLink(lib, id)) await removeCopiesNoLinkShows(lib, removedIds, 'taken out of an album with a link');
  return { album: await getAlbumSummary(lib, id), removed: removed.length };
}

/** Deletes the album; its photos stay in the library. */
export async function deleteAlbum(lib: Library, id: string): Promise<void> {
  mayChange(lib);
  await requireAlbum(lib, id);
  const members = await albumPhotoIds(lib, id);
  const linked = await albumHasLink(lib, id);
  await lib.db.delete(albums).where(eq(albums.id, id)); // album_photos go by cascade, and its links
  await refreshSearchDocuments(lib.db, members);
  if (linked) await removeCopiesNoLinkShows(lib, members, 'its album went with its links');
  // Its suggestion term is at zero now and can never count again.
  await lib.db.execute(sql`delete from search_terms where ${ownsSql(lib, 'search_terms')} and kind = 'album' and key = ${id}`);
}

/** "Keep this album": an automatic album becomes manual (and active again if it was dismissed). */
export async function keepAlbum(lib: Library, id: string): Promise<AlbumSummary> {
  mayChange(lib);
  const album = await requireAlbum(lib, id);
  if (album.kind !== 'manual' || album.status !== 'active') {
    await lib.db
      .update(albums)
      .set({ updatedAt: new Date(), ...keptAsManual })
      .where(eq(albums.id, id));
    await refreshAlbumPhotos(lib, id);
  }
  return getAlbumSummary(lib, id);
}

/**
 * "Not a useful album": an automatic album is dismissed. It stays (so regenerating does not bring it back) but
 * is not listed nor searched by; a manual album is deleted instead (409).
 */
export async function dismissAlbum(lib: Library, id: string): Promise<AlbumSummary> {
  mayChange(lib);
  const album = await requireAlbum(lib, id);
  if (album.kind !== 'auto') throw new UserError('conflict', `album ${id} is a manual album: only automatic albums can be dismissed (delete it instead)`);
  if (album.status !== 'dismissed') {
    await lib.db.update(albums).set({ status: 'dismissed', updatedAt: new Date() }).where(eq(albums.id, id));
    await refreshAlbumPhotos(lib, id);
  }
  return getAlbumSummary(lib, id);
}

/** The album, when the user has one of the roles on it (the owner's alone by default); else 404 (or 403 for a viewer). */
async function requireAlbum(lib: Library, id: string, roles: readonly AlbumRole[] = ['owner']) {
  requireUuid(id, 'album id');
  await requireAlbumRole(lib, id, roles);
  const [album] = await lib.db.select().from(albums).where(eq(albums.id, id));
  if (!album) throw new UserError('not-found', `no album with id ${id}`);
  return album;
}

async function albumPhotoIds(lib: Library, id: string): Promise<string[]> {
  const members = await lib.db.select({ photoId: albumPhotos.photoId }).from(albumPhotos).where(eq(albumPhotos.albumId, id));
  return members.map((row) => row.photoId);
}

/** The album's photos are searched by its name: after a rename, dismissal or keep, their rows change. */
async function refreshAlbumPhotos(lib: Library, id: string): Promise<void> {
  await refreshSearchDocuments(lib.db, await albumPhotoIds(lib, id));
}

function listed(ids: string[]): string {
  const shown = ids.slice(0, 20).join(', ');
  return ids.length > 20 ? `${shown} and ${ids.length - 20} more` : shown;
}

/**
 * The ids, once each, after checking that every one is a photo of the owner (and not in the trash, unless
 * allowed), or already in the album `orInAlbum` (whoever added it).
 */
export async function requireOwnPhotos(lib: Library, photoIds: string[], options: { allowTrashed: boolean; orInAlbum?: string }): Promise<string[]> {
  const ids = [...new Set(photoIds.map((id) => id.toLowerCase()))];
  if (ids.length === 0) return [];
  if (ids.length > ALBUM_IDS_MAX) throw new UserError('invalid', `at most ${ALBUM_IDS_MAX} photo ids at once`);
  const malformed = ids.filter((id) => !UUID.test(id));
  if (malformed.length > 0) throw new UserError('invalid', `photo ids must be UUIDs: ${listed(malformed)}`);
  const found = await rows<{ id: string; trashed: boolean }>(
    lib.db,
    sql`select id, deleted_at is not null as trashed from photos p where id = any(${uuidArray(ids)}) and (${ownsSql(lib, 'p')}
        ${options.orInAlbum ? sql`or exists (select 1 from album_photos ap where ap.photo_id = p.id and ap.album_id = ${options.orInAlbum}::uuid)` : sql``})`,
  );
  const known = new Map(found.map((row) => [row.id, row.trashed]));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new UserError('invalid', `no photos with these ids in the library: ${listed(unknown)}`);
  if (!options.allowTrashed) {
    const trashed = ids.filter((id) => known.get(id));
    if (trashed.length > 0) throw new UserError('invalid', `these photos are in the trash (restore them first): ${listed(trashed)}`);
  }
  return ids;
}

/** Trimmed, 1 to 200 characters. */
function cleanName(name: string): string {
  const clean = name.trim();
  if (clean === '') throw new UserError('invalid', 'an album needs a name');
  if (clean.length > ALBUM_NAME_MAX) throw new UserError('invalid', `an album name has at most ${ALBUM_NAME_MAX} characters (this one has ${clean.length})`);
  return clean;
}

/** Trimmed; empty means none. */
function cleanDescription(description: string | null | undefined): string | null {
  const clean = description?.trim() ?? '';
  if (clean.length > ALBUM_DESCRIPTION_MAX) throw new UserError('invalid', `an album description has at most ${ALBUM_DESCRIPTION_MAX} characters`);
  return clean === '' ? null : clean;
}
