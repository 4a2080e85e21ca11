// The timeline: how many photos each day or month holds, in the library's one order (TIMELINE_ORDER), so that a
// client can lay out the whole library at once and fetch any stretch of it by offset from GET /api/photos.
import { sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { photos } from '../../db/schema.js';
import type { Library } from '../library.js';
import { libraryCondition, type LibraryFilter } from './filter.js';
import { timelineScope } from '../../scope/access.js';
import type { PhotoScope } from '../../scope/photo-scope.js';

import type { TimelineGrouping } from '../../model/photo-vocabulary.js';

/** The key of the bucket of photos without a date; always the last bucket. */
export const UNDATED = 'undated';

export interface TimelineBucket {
  /** 'YYYY-MM-DD' or 'YYYY-MM' on the camera's clock, or 'undated'. */
  key: string;
  count: number;
  /** How many of them are videos (the select-all of a day or month says "3 photos and 1 video"). */
  videos: number;
  /** Index of the bucket's first photo in the whole ordering. */
  offset: number;
}

export interface Timeline {
  total: number;
  /** How many of them are videos: a count that names what it counts says "2 photos and 1 video". */
  videos: number;
  groupBy: TimelineGrouping;
  buckets: TimelineBucket[];
}

const TRUNCATE: Record<TimelineGrouping, string> = { day: 'day', month: 'month' };
const KEY_FORMAT: Record<TimelineGrouping, string> = { day: 'YYYY-MM-DD', month: 'YYYY-MM' };

/**
 * Buckets newest first, undated last. A bucket is keyed by taken_local, the date the list shows for each photo
 * (the camera's clock, else the file date in UTC), and the list sorts by the same column first: each bucket is
 * one unbroken stretch of the list, starting at its `offset`.
 * Kept between requests while nothing it counts changed (cachedTimeline below).
 */
export async function getTimeline(lib: Library, groupBy: TimelineGrouping, filter: LibraryFilter): Promise<Timeline> {
  const scope = await timelineScope(lib, filter.owner, filter.album);
  return cachedTimeline(lib, scope, groupBy, filter, () => countTimeline(lib, scope, groupBy, filter));
}

async function countTimeline(lib: Library, scope: PhotoScope, groupBy: TimelineGrouping, filter: LibraryFilter): Promise<Timeline> {
  // Literals, not parameters: the select list, GROUP BY and ORDER BY must be the same expression.
  const bucket = sql`date_trunc(${sql.raw(`'${TRUNCATE[groupBy]}'`)}, ${photos.takenLocal})`;
  const counted = await rows<{ key: string | null; count: number; videos: number }>(
    lib.db,
    sql`select to_char(${bucket}, ${sql.raw(`'${KEY_FORMAT[groupBy]}'`)}) as key, count(*)::int as count,
               count(*) filter (where ${photos.mime} like 'video/%')::int as videos
        from ${photos} where ${libraryCondition(scope, filter)}
        group by ${bucket} order by ${bucket} desc nulls last`,
  );
  let offset = 0;
  const buckets = counted.map((row) => {
    const entry = { key: row.key ?? UNDATED, count: row.count, videos: row.videos, offset };
    offset += row.count;
    return entry;
  });
  const videos = counted.reduce((sum, row) => sum + row.videos, 0);
  return { total: offset, videos, groupBy, buckets };
}

// Timelines kept between requests: counting 100k photos by day takes 60–300 ms, asking whether the count could
// have changed takes one row. The `photo_order` change mark (migration 0007) is bumped by a trigger, inside the
// writing transaction, whenever a photo arrives, leaves or changes a column the order or these filters read.

/** Timelines and list totals kept per user (filters × groupings): the gallery, favourites, a few date ranges and cameras. */
const CACHED_TIMELINES = 16;

interface Entry {
  mark: number;
  /** A timeline counted at `mark`, or only its total (a page of the list counted it: listTotal). */
  timeline: Timeline | null;
  total: number;
}

// per owner of the library, whoever asks (library/actors.ts: a view per request, one cache key per owner)
const caches = new WeakMap<object, Map<string, Entry>>();

/** The filters a kept timeline can stand for (see markCovers), in a fixed order. */
const KEYED_FILTERS = ['from', 'to', 'camera', 'hasGps', 'bbox', 'near', 'radiusKm', 'favorite', 'origin', 'type', 'stacks', 'archived'] as const;

/**
 * Whether every input of the filter is a column the photo_order mark watches; albums, people, duplicate groups
 * and pipeline states change in other tables, or too often to be worth keeping.
 */
export function markCovers(filter: LibraryFilter): boolean {
  // the mark's trigger does not watch ratings (migration 0007)
  // nor place names (a file's IPTC city can change without its position)
  return !filter.album && !filter.person && !filter.hideDuplicates && !filter.state && filter.minRating === undefined && !filter.place;
}

function keyOf(scope: PhotoScope, groupBy: TimelineGrouping | 'total', filter: LibraryFilter): string {
  return `${groupBy} ${filterKey(scope, filter)}`;
}

/** The scope and the filters the photo_order mark covers, as one string (the map's kept points use it too). */
export function filterKey(scope: PhotoScope, filter: LibraryFilter): string {
  const values = KEYED_FILTERS.map((name) => {
    const value = filter[name];
    return value instanceof Date ? value.toISOString() : (value ?? null);
  });
  const whose = [scope.othersOnly ? 'others' : 'own', ...scope.partnerIds, ...scope.albumIds].join(',');
  return `${whose} ${JSON.stringify(values)}`;
}

/** The photo_order change mark, or null where there is none (nothing is kept then). */
export async function photoOrderMark(lib: Library): Promise<number | null> {
  const [row] = await rows<{ version: string | number }>(lib.db, sql`select version from change_marks where name = 'photo_order'`);
  return row ? Number(row.version) : null;
}

/** The timeline kept for these filters while the mark stands still, else `count()`'s, kept from now on. */
export async function cachedTimeline(
  lib: Library,
  scope: PhotoScope,
  groupBy: TimelineGrouping,
  filter: LibraryFilter,
  count: () => Promise<Timeline>,
): Promise<Timeline> {
  if (!markCovers(filter)) return count();
  // Read before counting: a change landing in between leaves the count under the older mark (recounted next
  // time), never an old count under the newer mark.
  const mark = await photoOrderMark(lib);
  if (mark === null) return count();
  const cache = cacheOf(lib);
  const key = keyOf(scope, groupBy, filter);
  const hit = cache.get(key);
  if (hit?.timeline && hit.mark === mark) {
    keep(cache, key, hit); // most recently used last
    return hit.timeline;
  }
  const timeline = await count();
  keep(cache, key, { mark, timeline, total: timeline.total });
  return timeline;
}

/**
 * How many photos the filters select: a timeline's total or a total counted for them while the mark stands still
 * (a gallery scrolled page after page counts once), else `count()`'s, kept from now on.
 */
export async function listTotal(lib: Library, scope: PhotoScope, filter: LibraryFilter, count: () => Promise<number>): Promise<number> {
  if (!markCovers(filter)) return count();
  const mark = await photoOrderMark(lib);
  if (mark === null) return count();
  const cache = cacheOf(lib);
  const groupings: (TimelineGrouping | 'total')[] = ['day', 'month', 'total'];
  const kept = groupings.map((grouping) => cache.get(keyOf(scope, grouping, filter))).find((entry) => entry?.mark === mark);
  if (kept) return kept.total;
  const total = await count();
  keep(cache, keyOf(scope, 'total', filter), { mark, timeline: null, total });
  return total;
}

function cacheOf(lib: Library): Map<string, Entry> {
  let cache = caches.get(lib.ownerCache);
  if (!cache) caches.set(lib.ownerCache, (cache = new Map()));
  return cache;
}

/** Keeps an entry as the most recently used, forgetting the least recently used beyond CACHED_TIMELINES. */
function keep(cache: Map<string, Entry>, key: string, entry: Entry): void {
  cache.delete(key);
  cache.set(key, entry);
  for (const oldest of cache.keys()) {
    if (cache.size <= CACHED_TIMELINES) break;
    cache.delete(oldest);
  }
}
