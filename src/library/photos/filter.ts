// The filters the photo list and the timeline share, and the library's one order: a condition on `photos` each
// reads (photo-list.ts lists a page, timeline.ts counts the buckets).
import { and, eq, gte, ilike, isNotNull, isNull, like, lte, notLike, or, sql, type SQL } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import type { PhotoState } from '../../model/photo-state.js';
import type { PhotoOrigin } from '../../model/photo-vocabulary.js';
import type { MediaType } from '../../model/video.js';
import { isOwnOnly, scopeCondition, type PhotoScope } from '../../scope/photo-scope.js';
import { nearOf, type BoundingBox } from '../../model/geo.js';
import { boxCondition, nearCondition } from '../../search/geo.js';
import { containsPattern, inPlace, notBehindStackCover, notDuplicateCopy } from '../../search/filters.js';
import { owns } from '../../scope/rows.js';

export interface LibraryFilter {
  from?: Date;
  to?: Date;
  state?: PhotoState;
  camera?: string;
  hasGps?: boolean;
  /**
   * Taken inside the box, or within the radius of a point (its own, else `radiusKm`, else 10 km). Not per-photo
   * filters: a stack (raw+JPEG, a burst) is taken in one place, and stays one item, its cover, on the map too.
   */
  bbox?: BoundingBox;
  near?: { latitude: number; longitude: number; radiusKm?: number };
  radiusKm?: number;
  /** Taken in this city, state or country (or its two-letter code), whole name, case- and accent-insensitive. */
  place?: string;
  /** Album id: photos in that album. */
  album?: string;
  /** Person id: photos with a face of that person. */
  person?: string;
  favorite?: boolean;
  /** Rated at least this many stars (the user's rating, else the file's). */
  minRating?: number;
  /** Leave out what the automatic choice proposes for the trash: of copies, the suggested keeper shows, with what it keeps beside it (a RAW, another version of the shot). */
  hideDuplicates?: boolean;
  /** A partner's user id: that partner's library alone, instead of the user's timeline. */
  owner?: string;
  /** `generated`: made by image generation; `camera`: everything else. */
  origin?: PhotoOrigin;
  /** Videos only, or photos only. */
  type?: MediaType;
  /**
   * `collapse` (the default): a stack is one photo, its cover; `expand`: every photo of it. With any filter on the
   * photos themselves (an album, a person, favourites, a rating, a camera, dates…) they are listed one by one: a
   * stack's cover may not pass it where another of its photos does.
   */
  stacks?: 'collapse' | 'expand';
  /**
   * `exclude`: archived photos left out (the timeline's default); `only`: the archive's own list; `include`: both
   * (the default for an album, a person, the favourites and a rating, as Google Photos shows them). `only` is the
   * user's own archive.
   */
  archived?: ArchivedFilter;
}

export type ArchivedFilter = 'exclude' | 'only' | 'include';

/** The archive as the filter shows it: asked for, else left out of the timeline and kept in a chosen collection. */
export function archivedShown(filter: LibraryFilter): ArchivedFilter {
  return filter.archived ?? (filter.album || filter.person || filter.favorite === true || filter.minRating !== undefined ? 'include' : 'exclude');
}

/** Filters on the photos themselves; with one of them set, stacks are not collapsed. */
const PER_PHOTO_FILTERS = ['from', 'to', 'state', 'camera', 'hasGps', 'album', 'person', 'favorite', 'minRating', 'origin', 'type'] as const;

/** Whether the filter shows a stack as its cover alone. */
export function collapsesStacks(filter: LibraryFilter): boolean {
  return filter.stacks !== 'expand' && filter.archived !== 'only' && PER_PHOTO_FILTERS.every((name) => filter[name] === undefined);
}

/** The instant `from` and `to` compare with: taken, else the file's date, else when it arrived (as search does). */
const sortDate = sql`coalesce(${photos.takenAt}, ${photos.createdAt})`;

/**
 * The library's one order, for the list and the timeline alike: newest taken first by the camera's clock, undated
 * photos last (newest upload first), the id as the tiebreaker. Written exactly as photos_timeline_idx is built
 * (migrations 0006 and 0037), so that the planner walks the index.
 */
export const TIMELINE_ORDER = [sql`${photos.takenLocal} desc nulls last`, sql`${photos.createdAt} desc nulls last`, sql`${photos.id} desc nulls last`];

/**
 * The filters as one condition on `photos`, over the scope's photos (the timeline's: access.ts); the trash is
 * left out, as everywhere but the trash's own list. `albumJoined`: the query joins the album's rows itself.
 */
export function libraryCondition(scope: PhotoScope, filter: LibraryFilter, options: { albumJoined?: boolean } = {}): SQL {
  // the archive is the user's own (a partner's archived photos are theirs to see)
  const owners = isOwnOnly(scope) || filter.archived === 'only' ? owns(scope.userId, photos) : scopeCondition(scope, 'photos');
  const conditions: SQL[] = [owners, isNull(photos.deletedAt)];
  if (filter.from) conditions.push(gte(sortDate, filter.from));
  if (filter.to) conditions.push(lte(sortDate, filter.to));
  if (filter.state) conditions.push(eq(photos.state, filter.state));
  if (filter.camera) {
    // "canon eos" matches make + model together; concat_ws skips a missing make or model.
    conditions.push(ilike(sql`concat_ws(' ', ${photos.make}, ${photos.model})`, containsPattern(filter.camera)));
  }
  if (filter.hasGps === true) conditions.push(and(isNotNull(photos.latitude), isNotNull(photos.longitude))!);
  if (filter.hasGps === false) conditions.push(or(isNull(photos.latitude), isNull(photos.longitude))!);
  if (filter.bbox) conditions.push(boxCondition(sql`${photos.latitude}`, sql`${photos.longitude}`, filter.bbox));
  const near = nearOf(filter.near, filter.radiusKm);
  if (near) conditions.push(nearCondition(sql`${photos.latitude}`, sql`${photos.longitude}`, near));
  if (filter.place) conditions.push(inPlace(filter.place, 'photos'));
  if (filter.favorite !== undefined) conditions.push(eq(photos.favorite, filter.favorite));
  const archived = archivedShown(filter);
  if (archived !== 'include') conditions.push(eq(photos.archived, archived === 'only'));
  if (filter.minRating !== undefined) conditions.push(gte(photos.rating, filter.minRating));
  if (filter.album && !options.albumJoined)
    conditions.push(sql`exists (select 1 from album_photos ap where ap.photo_id = ${photos.id} and ap.album_id = ${filter.album}::uuid)`);
  if (filter.person) conditions.push(sql`exists (select 1 from faces f where f.photo_id = ${photos.id} and f.person_id = ${filter.person}::uuid)`);
  if (filter.hideDuplicates) conditions.push(notDuplicateCopy(sql`${photos.id}`));
  if (collapsesStacks(filter)) conditions.push(notBehindStackCover(sql`${photos.id}`));
  if (filter.origin) conditions.push(eq(photos.origin, filter.origin));
  if (filter.type) conditions.push(filter.type === 'video' ? like(photos.mime, 'video/%') : notLike(photos.mime, 'video/%'));
  return and(...conditions)!;
}
