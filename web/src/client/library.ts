// The timeline of the whole library (buckets of photos by day or month) and bulk changes to photos.
import type { PhotosChanged, PhotoSummary as ApiPhotoSummary, Timeline, TimelineBucket, TimelineGrouping } from '../../../src/api/contract.js';
import { request, type PhotoSummary } from '../api.js';

// The API's own types (type-only: nothing of the server is bundled).
export type { Timeline, TimelineBucket, TimelineGrouping };

/** Filters the timeline and the photo list share. */
export interface LibraryFilter {
  album?: string;
  /** Person id: photos with a face of that person. */
  person?: string;
  favorite?: boolean;
  /** Rated at least this many stars (1–5). */
  minRating?: number;
  hideDuplicates?: boolean;
  from?: string;
  to?: string;
  camera?: string;
  hasGps?: boolean;
  /** A city, state or country as the photos name it. */
  place?: string;
  /** A partner's user id: their shared library alone. */
  owner?: string;
  /** `only`: the archive; `exclude` is the timeline's default, `include` an album's, a person's and the favourites'. */
  archived?: 'exclude' | 'only' | 'include';
}

/**
 * A photo as lists show it: the summary plus what a tile needs. The app's lenient summary (web/src/api.ts), not the API's
 * whole item: a sequence built from search hits or a link's photos fills one in too.
 */
export type TimelinePhoto = PhotoSummary & Pick<ApiPhotoSummary, 'colour' | 'favorite' | 'rating'> & Partial<Pick<ApiPhotoSummary, 'archived'>>;

/** What a tile needs to know about a photo; lists of every kind (timeline, search, trash) have at least this. */
export interface TilePhoto {
  id: string;
  filename: string;
  width?: number | null;
  height?: number | null;
  /** Dominant colour: the square's colour until the thumbnail arrives. */
  colour?: string | null;
  state?: string;
  /** The thumbnail exists (lists say so from the first step on); without it, a tile waits for a terminal state. */
  hasThumbnail?: boolean;
  takenAt?: string | null;
  make?: string | null;
  model?: string | null;
  favorite?: boolean;
  /** Its file is gone from its library in place: shown greyed. */
  offline?: boolean;
  type?: 'photo' | 'video';
  /** A video's length: shown on its tile. */
  durationMs?: number | null;
  /** A motion photo: a still with a short video. */
  motion?: boolean;
  /** The stack this photo is the cover of (the library's list): its tile shows how many photos it holds. */
  stack?: { id: string; count: number; videos: number } | null;
}

/** Filters as query parameters, those not given left out (the timeline's, the photo list's, the map's). */
export function filterQuery(filter: object): URLSearchParams {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined && value !== '') query.set(key, String(value));
  return query;
}

export function getTimeline(groupBy: TimelineGrouping, filter: LibraryFilter = {}, signal?: AbortSignal): Promise<Timeline> {
  const query = filterQuery(filter);
  query.set('groupBy', groupBy);
  return request('GET', `/api/timeline?${query}`, { signal });
}

/** Photos `offset`…`offset + limit - 1` of the ordering (limit ≤ 500). */
export function photoRange(
  offset: number,
  limit: number,
  filter: LibraryFilter = {},
  signal?: AbortSignal,
): Promise<{ items: TimelinePhoto[]; total: number }> {
  const query = filterQuery(filter);
  query.set('offset', String(offset));
  query.set('limit', String(limit));
  return request('GET', `/api/photos?${query}`, { signal });
}

/** Favourite (or not) and/or rate many photos at once; answers how many were changed. */
export function updatePhotos(
  ids: string[],
  change: { favorite?: boolean; rating?: number | null; archived?: boolean; location?: { latitude: number; longitude: number } | null },
): Promise<PhotosChanged> {
  return request('PATCH', '/api/photos', { body: { ids, ...change } });
}

/** Moves photos to the trash (restorable from the trash page). */
export function trashPhotos(ids: string[]): Promise<{ trashed: number }> {
  return request('POST', '/api/photos/delete', { body: { ids } });
}
