// An album's photos in the timeline's order, and its counts, without a pass over all of them (migration 0045):
// each album_photos row holds its photo's place in the order (kept by triggers), and each album its counts of
// photos and videos outside the trash, plus the changes the triggers inserted since the last fold.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { albumPhotos } from '../../db/schema.js';

/** The timeline's order (filter.ts TIMELINE_ORDER) on album_photos' copies of its columns: album_photos_order_idx. */
export const ALBUM_ORDER = [
  sql`${albumPhotos.takenLocal} desc nulls last`,
  sql`${albumPhotos.photoCreatedAt} desc nulls last`,
  sql`${albumPhotos.photoId} desc nulls last`,
];

/** Album rows of photos outside the trash (as their copy says): the condition album_photos_order_idx is made for. */
export const ALBUM_LIVE = sql`not ${albumPhotos.trashed}`;

/**
 * The ids of one page of album `id`'s photos outside the trash, as a subquery `page`: entries of
 * album_photos_order_idx alone, so a page 5,000 deep skips 5,000 entries without reading a photo. The caller joins
 * the photos and checks the trash again (a copy two transactions at once left behind waits for the hourly check).
 */
export function albumPageIds(db: Db, id: string, limit: number, offset: number) {
  return db
    .select({ id: albumPhotos.photoId })
    .from(albumPhotos)
    .where(and(eq(albumPhotos.albumId, id), ALBUM_LIVE))
    .orderBy(...ALBUM_ORDER)
    .limit(limit)
    .offset(offset)
    .as('page');
}

/** The same order for a query naming album_photos `ap` (with `not ap.trashed`, to walk the index). */
export const ALBUM_ORDER_AP = sql`ap.taken_local desc nulls last, ap.photo_created_at desc nulls last, ap.photo_id desc nulls last`;

/**
 * Album `a`'s photos and videos outside the trash, `[photos, videos]`: its columns plus its waiting changes (an
 * index range of album_count_deltas: few between folds).
 */
export const albumCountsSql: SQL = sql`(select array[a.photo_count + coalesce(sum(d.photos), 0), a.video_count + coalesce(sum(d.videos), 0)]::int[]
  from album_count_deltas d where d.album_id = a.id)`;

/** How many photos of album `id` are outside the trash (archived ones included, as the album shows them). */
export async function albumPhotoCount(db: Db, id: string): Promise<number> {
  const [row] = await rows<{ counts: [number, number] }>(db, sql`select ${albumCountsSql} as counts from albums a where a.id = ${id}::uuid`);
  return row?.counts[0] ?? 0;
}
