// Timelines kept between requests: counting 100k photos by day takes 60–300 ms, asking whether the count could
// have changed takes one row. The `photo_order` change mark (migration 0007) is bumped by a trigger, inside the
// writing transaction, whenever a photo arrives, leaves or changes a column the order or these filters read.
import { sql } from 'drizzle-orm';
import { rows } from '../db/connection.js';
import type { Library } from './library.js';
import type { LibraryFilter } from './photos.js';
import type { PhotoScope } from '../search/scope.js';
import type { Timeline, TimelineGrouping } from './timeline.js';

/** Timelines kept per user (filters × groupings): the gallery, favourites, a few date ranges and cameras. */
const CACHED_TIMELINES = 16;

interface Entry {
  mark: number;
  timeline: Timeline;
}

const caches = new WeakMap<Library, Map<string, Entry>>();

/** The filters a kept timeline can stand for (see markCovers), in a fixed order. */
const KEYED_FILTERS = ['from', 'to', 'camera', 'hasGps', 'favorite', 'origin'] as const;

/**
 * Whether every input of the filter is a column the photo_order mark watches; albums, people, duplicate groups
 * and pipeline states change in other tables, or too often to be worth keeping.
 */
function markCovers(filter: LibraryFilter): boolean {
  // the mark's trigger does not watch ratings (migration 0007)
  return !filter.album && !filter.person && !filter.hideDuplicates && !filter.state && filter.minRating === undefined;
}

function keyOf(scope: PhotoScope, groupBy: TimelineGrouping, filter: LibraryFilter): string {
  const values = KEYED_FILTERS.map((name) => {
    const value = filter[name];
    return value instanceof Date ? value.toISOString() : (value ?? null);
  });
  const whose = [scope.othersOnly ? 'others' : 'own', ...scope.partnerIds, ...scope.albumIds].join(',');
  return `${whose} ${groupBy} ${JSON.stringify(values)}`;
}

/** The photo_order change mark, or null where there is none (nothing is kept then). */
async function photoOrderMark(lib: Library): Promise<number | null> {
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
  let cache = caches.get(lib);
  if (!cache) caches.set(lib, (cache = new Map()));
  const key = keyOf(scope, groupBy, filter);
  const hit = cache.get(key);
  if (hit && hit.mark === mark) {
    cache.delete(key); // most recently used last
    cache.set(key, hit);
    return hit.timeline;
  }
  const timeline = await count();
  cache.set(key, { mark, timeline });
  for (const oldest of cache.keys()) {
    if (cache.size <= CACHED_TIMELINES) break;
    cache.delete(oldest);
  }
  return timeline;
}

/**
 * How many photos the filters select, when a timeline counted for them is still current (the gallery asking
 * for its photos right after its timeline), else null: the caller counts.
 */
export async function cachedTotal(lib: Library, scope: PhotoScope, filter: LibraryFilter): Promise<number | null> {
  const cache = caches.get(lib);
  if (!cache || !markCovers(filter)) return null;
  const groupings: TimelineGrouping[] = ['day', 'month'];
  const kept = groupings.map((groupBy) => cache.get(keyOf(scope, groupBy, filter))).filter((entry) => entry !== undefined);
  if (kept.length === 0) return null;
  const mark = await photoOrderMark(lib);
  return kept.find((entry) => entry.mark === mark)?.timeline.total ?? null;
}
