// The library's photos page by page, in the timeline's order, as list items (the gallery, albums, share links).
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { mediaTypeOf } from '../../model/video.js';
import { albumPhotos, photos, type PhotoRow } from '../../db/schema.js';
import type { Library } from '../library.js';
import { timelineScope } from '../../scope/access.js';
import type { PhotoScope } from '../../scope/photo-scope.js';
import { listTotal } from './timeline.js';
import type { PhotoOrigin } from '../../model/photo-vocabulary.js';
import { collapsesStacks, libraryCondition, TIMELINE_ORDER, type LibraryFilter } from './filter.js';
import { stacksCoveredBy, type StackBrief } from './stack-covers.js';
import { ALBUM_LIVE, ALBUM_ORDER, albumPageIds, albumPhotoCount } from './album-order.js';

export interface PhotoListQuery extends LibraryFilter {
  /** 1-based page of `limit` photos; `offset` wins when given. */
  page: number;
  limit: number;
  /** Index of the first photo in the whole ordering (what the timeline's buckets point at). */
  offset?: number;
}

/** The columns a list item is made of (lists read these, not whole rows: a row carries hashes and arrays). */
export const listColumns = {
  id: photos.id,
  ownerId: photos.ownerId,
  state: photos.state,
  filename: photos.filename,
  takenAt: photos.takenAt,
  takenAtText: photos.takenAtText,
  width: photos.width,
  height: photos.height,
  mime: photos.mime,
  durationMs: photos.durationMs,
  motion: photos.motion,
  sizeBytes: photos.sizeBytes,
  make: photos.make,
  model: photos.model,
  latitude: photos.latitude,
  longitude: photos.longitude,
  favorite: photos.favorite,
  archived: photos.archived,
  rating: photos.rating,
  palette: photos.palette,
  thumbnailAt: photos.thumbnailAt,
  origin: photos.origin,
  libraryId: photos.libraryId,
  offlineAt: photos.offlineAt,
  createdAt: photos.createdAt,
  deletedAt: photos.deletedAt,
};

export type ListColumns = { [K in keyof typeof listColumns]: PhotoRow[K] };

export function photoListItem(photo: ListColumns) {
  return {
    id: photo.id,
    ownerId: photo.ownerId,
    state: photo.state,
    filename: photo.filename,
    takenAt: photo.takenAtText ?? photo.takenAt?.toISOString() ?? null,
    width: photo.width,
    height: photo.height,
    mime: photo.mime,
    type: mediaTypeOf(photo.mime),
    durationMs: photo.durationMs,
    motion: photo.motion !== null,
    sizeBytes: photo.sizeBytes,
    make: photo.make,
    model: photo.model,
    hasGps: photo.latitude !== null && photo.longitude !== null,
    favorite: photo.favorite,
    archived: photo.archived,
    rating: photo.rating,
    colour: photo.palette?.[0]?.hex ?? null,
    hasThumbnail: photo.thumbnailAt !== null,
    origin: photo.origin as PhotoOrigin,
    libraryId: photo.libraryId,
    offline: photo.offlineAt !== null,
    createdAt: photo.createdAt.toISOString(),
    deletedAt: photo.deletedAt?.toISOString() ?? null,
  };
}

/**
 * One page of the library in the timeline's order. The page's ids come from the index alone (a deep offset
 * skips index entries, not rows), then only those rows are read.
 */
export async function listPhotos(lib: Library, query: PhotoListQuery) {
  return listPhotosIn(lib, await timelineScope(lib, query.owner, query.album), query);
}

/** Filters that narrow an album's photos (with none of them, a list of an album is all of its photos). */
const NARROWING = ['from', 'to', 'state', 'camera', 'hasGps', 'bbox', 'near', 'place', 'person', 'favorite', 'minRating', 'owner', 'origin', 'type'] as const;

/** Whether the list is the whole of an album the scope reaches (its kept count is the total). */
function wholeAlbum(scope: PhotoScope, query: PhotoListQuery): query is PhotoListQuery & { album: string } {
  if (!query.album || !scope.albumIds.includes(query.album) || query.hideDuplicates) return false;
  return (query.archived ?? 'include') === 'include' && NARROWING.every((name) => query[name] === undefined);
}

/**
 * The page's ids: along the timeline's index, or for an album along its own copy of the order (album_photos_order_idx,
 * migration 0045), which reads the album's photos from the page's start only, not all of them sorted.
 */
function pageIds(lib: Library, query: PhotoListQuery, scope: PhotoScope, offset: number) {
  // the whole album: its index alone (the scope holds all of its photos; the page's photos are checked again)
  if (wholeAlbum(scope, query)) return albumPageIds(lib.db, query.album, query.limit, offset);
  if (query.album) {
    const where = and(eq(albumPhotos.albumId, query.album), ALBUM_LIVE, libraryCondition(scope, query, { albumJoined: true }));
    return lib.db
      .select({ id: albumPhotos.photoId })
      .from(albumPhotos)
      .innerJoin(photos, eq(photos.id, albumPhotos.photoId))
      .where(where)
      .orderBy(...ALBUM_ORDER)
      .limit(query.limit)
      .offset(offset)
      .as('page');
  }
  return lib.db
    .select({ id: photos.id })
    .from(photos)
    .where(libraryCondition(scope, query))
    .orderBy(...TIMELINE_ORDER)
    .limit(query.limit)
    .offset(offset)
    .as('page');
}

/** One page of the photos of a scope the access module gave (bench/accounts compares it with the own-only scope). */
export async function listPhotosIn(lib: Library, scope: PhotoScope, query: PhotoListQuery) {
  const where: SQL = libraryCondition(scope, query);
  const offset = query.offset ?? (query.page - 1) * query.limit;
  const page = pageIds(lib, query, scope, offset);
  // The total is counted once while nothing it counts changes (or taken from the timeline's count, or an album's).
  const countTotal = async () => {
    if (wholeAlbum(scope, query)) return albumPhotoCount(lib.db, query.album);
    const [count] = await lib.db
      .select({ total: sql<number>`count(*)::int` })
      .from(photos)
      .where(where);
    return count?.total ?? 0;
  };
  const [items, total] = await Promise.all([
    lib.db
      .select(listColumns)
      .from(photos)
      .innerJoin(page, eq(page.id, photos.id))
      .where(wholeAlbum(scope, query) ? isNull(photos.deletedAt) : undefined)
      .orderBy(...TIMELINE_ORDER),
    listTotal(lib, scope, query, countTotal),
  ]);
  // a stack's cover stands for the stack: its tile shows how many photos and videos it holds
  const stacks = collapsesStacks(query)
    ? await stacksCoveredBy(
        lib.db,
        items.map((item) => item.id),
      )
    : new Map<string, StackBrief>();
  return {
    items: items.map((item) => ({ ...photoListItem(item), stack: stacks.get(item.id) ?? null })),
    total,
    page: Math.floor(offset / query.limit) + 1,
    limit: query.limit,
    offset,
  };
}
