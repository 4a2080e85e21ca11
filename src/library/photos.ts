import { refreshSearchDocuments } from '../search/documents.js';
import { nearestPlace } from '../media/places.js';
import { and, asc, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { browserPlayable } from '../media/video/playable.js';
import { photoCaptions, photoOcr, photos, photoSteps, photoTags, type PhotoRow, type StepRow } from '../db/schema.js';
import { uuidArray } from '../db/arrays.js';
import { rows } from '../db/connection.js';
import { STEP_NAMES, type StepName, type StepStatus } from '../model/photo-state.js';
import { categoriesOfPhotos } from './categories.js';
import type { Library } from './library.js';
import { photoAccess, visiblePhotoSql, type PhotoAccess } from '../scope/access.js';
import { listFaces } from './people.js';
import { dropEmptyPeople } from './people-rows.js';
import { forgetSearchDocuments } from '../search/documents.js';
import { leaveGroups } from './duplicates/groups.js';
import { leaveStacks } from './stacks/place.js';
import { stackOfPhoto } from './stacks/covers.js';
import type { BlobStore } from '../storage/blob-store.js';
import { derivedPrefix } from '../storage/keys.js';
import { stopWork } from '../base/running-work.js';
import { isInPlaceKey } from '../storage/in-place.js';
import { photoListItem } from './photo-list.js';
import { namesNotOnFaces } from './people-hints.js';
import { withStackMates } from './stacks/covers.js';
import { activeEdit } from '../model/photo-edit.js';
import { owns, ownsSql } from '../scope/rows.js';
import { mayChange } from './actors.js';

export function photoMetadata(photo: PhotoRow) {
  return {
    takenAt: photo.takenAtText,
    timeZone: photo.timeZone,
    latitude: photo.latitude,
    longitude: photo.longitude,
    orientation: photo.orientation,
    make: photo.make,
    model: photo.model,
    lens: photo.lens,
    rating: photo.rating,
    keywords: photo.keywords,
    description: photo.description,
    place:
      photo.placeSource === null
        ? null
        : {
            city: photo.placeCity,
            state: photo.placeState,
            country: photo.placeCountry,
            countryCode: photo.placeCountryCode,
            source: photo.placeSource as 'metadata' | 'geocoded',
          },
  };
}

export function stepSummary(stepRows: StepRow[]) {
  const byName = new Map(stepRows.map((row) => [row.step, row]));
  return Object.fromEntries(
    STEP_NAMES.map((name) => {
      const row = byName.get(name);
      return [
        name,
        {
          status: (row?.status ?? 'pending') as StepStatus,
          error: row?.error ?? null,
          durationMs: row?.durationMs ?? null,
          version: row?.version ?? null,
          attempts: row?.attempts ?? 0,
          finishedAt: row?.finishedAt ? row.finishedAt.toISOString() : null,
        },
      ];
    }),
  ) as Record<
    StepName,
    { status: StepStatus; error: string | null; durationMs: number | null; version: string | null; attempts: number; finishedAt: string | null }
  >;
}


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
  if (changes.location !== undefined) await refreshSearchDocuments(lib.db, updated.map((row) => row.id));
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
  const [photo] = await lib.db.select().from(p).where(and(eq(p.id, id), visiblePhotoSql(lib)));
  return photo ? { photo, access } : null;
}

/**
 * A photo with everything known about it, for any photo the user may see. Someone else's photo (a partner's, or
 * in a shared album) is read as its owner sees it, less what is theirs alone: the path it came from, its
 * duplicate group, the albums not shared with the user, and which of the owner's people a face is (the name drawn
 * on the photo stays).
 */
export async function getPhotoDetail(lib: Library, id: string) {
  const found = await findVisiblePhoto(lib, id);
  if (!found) return null;
  const { photo, access } = found;
  const [stepRows, analysis, albumList, duplicateGroup, stack] = await Promise.all([
    lib.db.select().from(photoSteps).where(eq(photoSteps.photoId, id)),
    photoAnalysis(lib, id),
    // the active albums it is in that the user may open, manual and automatic
    rows<{ id: string; name: string; kind: 'manual' | 'auto' }>(
      lib.db,
      sql`select a.id, a.name, a.kind from album_photos ap join albums a on a.id = ap.album_id
          where ap.photo_id = ${id}::uuid and a.status = 'active'
            and (${ownsSql(lib, 'a')} or exists (select 1 from album_shares s where s.album_id = a.id and s.user_id = ${lib.ownerId}::uuid))
          order by lower(a.name), a.id`,
    ),
    access.own ? groupOfPhoto(lib, id) : null,
    access.own ? stackOfPhoto(lib, id) : null,
  ]);
  return {
    ...photoListItem(photo),
    owner: { id: access.ownerId, name: access.ownerName, you: access.own },
    sha256: photo.sha256,
    video: photo.video ? { ...photo.video, playsAsIs: browserPlayable(photo.video).playable } : null,
    edit: activeEdit(photo.edit),
    sourcePath: access.own ? photo.sourcePath : null,
    hasSidecar: photo.sidecarKey !== null,
    updatedAt: photo.updatedAt.toISOString(),
    metadata: photoMetadata(photo),
    pdq: photo.pdqHash ? { hash: photo.pdqHash, quality: photo.pdqQuality ?? 0 } : null,
    palette: photo.palette ?? null,
    // another user sees how a shared image was made, but not which of its owner's photos it came from
    provenance: photo.provenance && !access.own ? { ...photo.provenance, sourcePhotoId: null, productPhotoId: undefined } : photo.provenance,
    steps: stepSummary(stepRows),
    ...analysis,
    faces: access.own ? analysis.faces : analysis.faces.map((face) => ({ ...face, personId: null, assignedBy: null })),
    albums: albumList,
    duplicateGroup,
    stack,
    peopleHints: namesNotOnFaces(
      photo.peopleNamed ?? [],
      analysis.faces,
      (photo.faceRegions ?? []).map((region) => region.name),
    ),
  };
}

/** The order in which a tier ties photos together most closely. */
const TIER_STRENGTH = sql`array_position(array['pdq', 'clip', 'burst'], m.tier)`;

/**
 * The duplicate group the photo is in, else its burst, else null: its id, kind, keeper and size, and the tier
 * that ties the photo to it. The photo that started a group (tier `first`) is tied by its closest member's.
 */
async function groupOfPhoto(lib: Library, id: string) {
  const [group] = await rows<{ id: string; kind: 'duplicate' | 'burst'; tier: string; closest: string | null; keeper_id: string | null; size: number }>(
    lib.db,
    sql`select g.id, g.kind, g.keeper_id, own.tier,
          (select count(*)::int from duplicate_members m where m.group_id = g.id) as size,
          (select m.tier from duplicate_members m where m.group_id = g.id and m.photo_id <> own.photo_id and m.tier <> 'first'
           order by ${TIER_STRENGTH}, m.pdq_distance nulls last, m.similarity desc nulls last limit 1) as closest
        from duplicate_members own join duplicate_groups g on g.id = own.group_id
        where own.photo_id = ${id}::uuid and ${ownsSql(lib, 'g')}
        order by (g.kind <> 'duplicate') limit 1`,
  );
  if (!group) return null;
  return {
    id: group.id,
    kind: group.kind,
    tier: group.tier === 'first' ? (group.closest ?? group.kind) : group.tier,
    keeperId: group.keeper_id,
    size: group.size,
  };
}

/** What the AI steps found: faces with their people, tags, categories, text, caption, embedding model. */
async function photoAnalysis(lib: Library, id: string) {
  const [faceList, tags, categoryMap, [ocr], [caption], [embedding]] = await Promise.all([
    listFaces(lib, { photoId: id }),
    lib.db
      .select({ name: photoTags.tag, confidence: photoTags.confidence })
      .from(photoTags)
      .where(eq(photoTags.photoId, id))
      .orderBy(desc(photoTags.confidence), asc(photoTags.tag)),
    categoriesOfPhotos(lib.db, [id]),
    lib.db.select().from(photoOcr).where(eq(photoOcr.photoId, id)),
    lib.db.select().from(photoCaptions).where(eq(photoCaptions.photoId, id)),
    rows<{ model: string; dimensions: number }>(
      lib.db,
      sql`select model, vector_dims(embedding) as dimensions from photo_embeddings where photo_id = ${id}`,
    ),
  ]);
  return {
    faces: faceList,
    tags,
    categories: categoryMap.get(id) ?? [],
    ocr: ocr ? { text: ocr.text, confidence: ocr.confidence, languages: ocr.languages, words: ocr.words ?? [] } : null,
    caption: caption
      ? {
          caption: caption.caption,
          description: caption.description,
          primaryCategory: caption.primaryCategory,
          tags: caption.tags,
          detectedObjects: caption.detectedObjects,
          sceneType: caption.sceneType,
          suggestedClusterName: caption.suggestedClusterName,
          qualityGrade: caption.qualityGrade,
          qualityReason: caption.qualityReason,
          source: caption.source,
          model: caption.model,
        }
      : null,
    embedding: embedding ? { model: embedding.model, dimensions: embedding.dimensions } : null,
  };
}

/**
 * Removes the photo for good (from the library or from the trash): its rows and every file derived from it;
 * the original goes when no other photo uses it. Moving to the trash is trashPhotos (trash.ts).
 */
export async function deletePhoto(lib: Library, id: string, options: { onlyFromTrash?: boolean } = {}): Promise<boolean> {
  mayChange(lib);
  const photo = await findPhoto(lib, id);
  if (!photo || (options.onlyFromTrash && !photo.deletedAt)) return false;
  // first: a photo whose storage location this server lacks stays whole (a 503 says why), never half removed
  const store = lib.storage.at(photo.storageLocation);
  await forgetSearchDocuments(lib.db, [id]);
  await leaveGroups(lib.db, [id]); // before the row goes, so that a group left with one photo goes too
  await leaveStacks(lib.db, [id]); // and a stack, its cover chosen again
  await lib.db.delete(photos).where(eq(photos.id, id));
  stopWork(id, 'the item was deleted'); // a transcode under way on it stops now
  // Its faces went with it; an unnamed person left with none goes too (a named one is the user's).
  await dropEmptyPeople(lib.db, lib.ownerId);
  await removeOriginalUnlessShared(lib, store, photo.storageLocation, photo.storageKey);
  if (photo.motion?.source === 'live') await removeOriginalUnlessShared(lib, store, photo.storageLocation, photo.motion.key); // its MOV
  if (photo.sidecarKey && !isInPlaceKey(photo.sidecarKey)) await store.remove(photo.sidecarKey);
  await store.removePrefix(derivedPrefix(id));
  return true;
}

/** Photos whose files are in this storage location (null: the main store). */
function sameLocation(location: string | null): SQL {
  return location === null ? isNull(photos.storageLocation) : eq(photos.storageLocation, location);
}

/**
 * Removes an original from its location's store unless a photo there still has it (as its file, or as its Live
 * Photo's MOV): originals are named by their content, so photos with the same bytes in the same location share one
 * (each location keeps its own copy).
 */
export async function removeOriginalUnlessShared(lib: Library, store: BlobStore, location: string | null, key: string): Promise<void> {
  if (isInPlaceKey(key)) return; // a library in place's file is the user's: never removed
  const [shared] = await lib.db
    .select({ id: photos.id })
    .from(photos)
    .where(and(or(eq(photos.storageKey, key), sql`${photos.motion}->>'source' = 'live' and ${photos.motion}->>'key' = ${key}`), sameLocation(location)))
    .limit(1);
  if (!shared) await store.remove(key);
}
