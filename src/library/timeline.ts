// The timeline: how many photos each day or month holds, in the library's one order (TIMELINE_ORDER), so that a
// client can lay out the whole library at once and fetch any stretch of it by offset from GET /api/photos.
import { sql } from 'drizzle-orm';
import { rows } from '../db/connection.js';
import { photos } from '../db/schema.js';
import type { Library } from './library.js';
import { libraryCondition, type LibraryFilter } from './photos.js';
import { timelineScope } from './access.js';
import type { PhotoScope } from '../search/scope.js';
import { cachedTimeline } from './timeline-cache.js';

export const TIMELINE_GROUPINGS = ['day', 'month'] as const;
export type TimelineGrouping = (typeof TIMELINE_GROUPINGS)[number];

/** The key of the bucket of photos without a date; always the last bucket. */
export const UNDATED = 'undated';

export interface TimelineBucket {
  /** 'YYYY-MM-DD' or 'YYYY-MM' on the camera's clock, or 'undated'. */
  key: string;
  count: number;
  /** Index of the bucket's first photo in the whole ordering. */
  offset: number;
}

export interface Timeline {
  total: number;
  groupBy: TimelineGrouping;
  buckets: TimelineBucket[];
}

const TRUNCATE: Record<TimelineGrouping, string> = { day: 'day', month: 'month' };
const KEY_FORMAT: Record<TimelineGrouping, string> = { day: 'YYYY-MM-DD', month: 'YYYY-MM' };

/**
 * Buckets newest first, undated last. A bucket is keyed by taken_local, the date the list shows for each photo
 * (the camera's clock, else the file date in UTC), and the list sorts by the same column first: each bucket is
 * one unbroken stretch of the list, starting at its `offset`.
 * Kept between requests while nothing it counts changed (timeline-cache.ts).
 */
export async function getTimeline(lib: Library, groupBy: TimelineGrouping, filter: LibraryFilter): Promise<Timeline> {
  const scope = await timelineScope(lib, filter.owner, filter.album);
  return cachedTimeline(lib, scope, groupBy, filter, () => countTimeline(lib, scope, groupBy, filter));
}

async function countTimeline(lib: Library, scope: PhotoScope, groupBy: TimelineGrouping, filter: LibraryFilter): Promise<Timeline> {
  // Literals, not parameters: the select list, GROUP BY and ORDER BY must be the same expression.
  const bucket = sql`date_trunc(${sql.raw(`'${TRUNCATE[groupBy]}'`)}, ${photos.takenLocal})`;
  const counted = await rows<{ key: string | null; count: number }>(
    lib.db,
    sql`select to_char(${bucket}, ${sql.raw(`'${KEY_FORMAT[groupBy]}'`)}) as key, count(*)::int as count
        from ${photos} where ${libraryCondition(scope, filter)}
        group by ${bucket} order by ${bucket} desc nulls last`,
  );
  let offset = 0;
  const buckets = counted.map((row) => {
    const entry = { key: row.key ?? UNDATED, count: row.count, offset };
    offset += row.count;
    return entry;
  });
  return { total: offset, groupBy, buckets };
}
