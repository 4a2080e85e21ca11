// The photos core's rows: a photo found (the owner's, or any the user may see) and the user's own marks on one or
// many. An original's removal is originals.ts; what a photo shows, library/photo-detail/; removing one for good, with
// what hangs on it, library/trash/delete.ts.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { photos, type PhotoRow } from '../../db/schema.js';
import { uuidArray } from '../../db/arrays.js';
import { rows } from '../../db/connection.js';
import { nearestPlace } from '../../media/places.js';
import { refreshSearchDocuments } from '../../search/documents.js';
import { photoAccess, visiblePhotoSql, type PhotoAccess } from '../../scope/access.js';
import { owns } from '../../scope/rows.js';
import type { Library } from '../library.js';
import { mayChange } from '../actors.js';
import { withStackMates } from './stack-covers.js';

export interface PhotoChanges {
  favorite?: boolean;
  /** 0–5, or null to clear; marks the rating as the user's, so that reading the file again keeps it. */
  rating?: number | null;
  archived?: boolean;
  /** Where it was taken (null: nowhere); marks the position as the user's, with the place names of the nearest town. */
  location?: { latitude: number; longitude: number } | null;
}

async function changeSet(changes: PhotoChanges) {
  return {
    ...(changes.favorite !== undefined ? { favorite: changes.favorite } : {}),
    ...(changes.rating !== undefined ? { rating: changes.rating, ratingByUser: true } : {}),
    ...(changes.archived !== undefined ? { archived: changes.archived } : {}),
    ...(changes.location !== undefined ? await locationSet(changes.location) : {}),
    updatedAt: new Date(),
  };
}

/** A position set by the user, and the place names of the nearest town to it (none out at sea). */
async function locationSet(location: { latitude: number; longitude: number } | null) {
  const place = location ? await nearestPlace(location.latitude, location.longitude) : null;
  return {
    latitude: location?.latitude ?? null,
    longitude: location?.longitude ?? null,
    locationByUser: true,
    placeCity: place?.city ?? null,
    placeState: place?.state ?? null,
    placeCountry: place?.country ?? null,
    placeCountryCode: place?.countryCode ?? null,
    placeSource: place ? 'geocoded' : null,
  };
}

/**
 * The user's own marks on a photo (the file stays as it is). False when it is not the owner's photo. The archive
 * takes a stack whole: its other photos hide behind its cover, so they go in and out with it.
 */
export async function updatePhoto(lib: Library, id: string, changes: PhotoChanges): Promise<boolean> {
  mayChange(lib);
  // the archive and the place take a stack whole (one moment, one place: the map shows it as its cover)
  if (changes.archived !== undefined || changes.location !== undefined) {
    const mates = (await withStackMates(lib.db, [id])).filter((mate) => mate !== id);
    if (mates.length > 0) await updatePhotos(lib, mates, { archived: changes.archived, location: changes.location });
  }
  const updated = await lib.db
    .update(photos)
    .set(await changeSet(changes))
    .where(and(eq(photos.id, id), owns(lib, photos)))
    .returning({ id: photos.id });
  // place names are searched: a new position is found by its town at once
  if (changes.location !== undefined && updated.length > 0) await refreshSearchDocuments(lib.db, [id]);
  return updated.length > 0;
}

/**
 * The same marks on many photos in one statement. Ids that are not the owner's photos, and photos in the trash
 * (which the lists do not show), are passed over. Returns how many photos were changed.
 */
export async function updatePhotos(lib: Library, ids: readonly string[], changes: PhotoChanges): Promise<number> {
  mayChange(lib);
  // the archive and the place take a stack whole (see updatePhoto)
  const unique = changes.archived !== undefined || changes.location !== undefined ? await withStackMates(lib.db, [...new Set(ids)]) : [...new Set(ids)];
  if (unique.length === 0) return 0;
  const updated = await lib.db
    .update(photos)
    .set(await changeSet(changes))
    .where(and(owns(lib, photos), isNull(photos.deletedAt), sql`${photos.id} = any(${uuidArray(unique)})`))
    .returning({ id: photos.id });
  if (changes.location !== undefined)
    await refreshSearchDocuments(
      lib.db,
      updated.map((row) => row.id),
    );
  return updated.length;
}

/** The owner's photo, in the trash or not (`deletedAt` says which). */
export async function findPhoto(lib: Library, id: string): Promise<PhotoRow | null> {
  const [photo] = await lib.db
    .select()
    .from(photos)
    .where(and(eq(photos.id, id), owns(lib, photos)));
  return photo ?? null;
}

/**
 * What serving a photo's rendition needs: its checksum (the ETag) and state (why a rendition is missing). Any
 * photo the user may see (their own, or shared with them: access.ts).
 */
export async function findPhotoSummary(
  lib: Library,
  id: string,
): Promise<{ id: string; sha256: string; state: string; storageLocation: string | null } | null> {
  const [photo] = await rows<{ id: string; sha256: string; state: string; storageLocation: string | null }>(
    lib.db,
    sql`select p.id, p.sha256, p.state, p.storage_location as "storageLocation" from photos p where p.id = ${id}::uuid and ${visiblePhotoSql(lib)}`,
  );
  return photo ?? null;
}

/** A photo the user may see (their own, or shared with them), with whose it is; null for a 404. */
export async function findVisiblePhoto(lib: Library, id: string): Promise<{ photo: PhotoRow; access: PhotoAccess } | null> {
  const access = await photoAccess(lib, id);
  if (!access) return null;
  const p = alias(photos, 'p');
  const [photo] = await lib.db
    .select()
    .from(p)
    .where(and(eq(p.id, id), visiblePhotoSql(lib)));
  return photo ? { photo, access } : null;
}
