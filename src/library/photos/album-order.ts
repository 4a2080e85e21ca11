// An album's photos in the timeline's order, and its counts, without a pass over all of them (migration 0045):
// each album_photos row holds its photo's place in the order (kept by triggers), and each album its counts of
// photos and videos outside the trash, plus the changes the triggers inserted since the last fold.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { rows, sqlState, type Db } from '../../db/connection.js';
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

/** An album's page folds its own changes first when more than this wait (the upkeep folds only hourly). */
export const FOLD_ALBUM_AT_DELTAS = 1_000;

/**
 * Moves the waiting changes of the albums `which` selects (all, or one) into their columns; answers how many albums
 * it updated. Why it cannot deadlock: it locks the albums first, in id order, and skips any another transaction
 * holds (an auto-album regeneration locks several in one transaction), so it never waits for an album row; it
 * deletes only the locked albums' changes, so two folds never take the same one, and it updates only rows it holds.
 * A change inserted meanwhile, or an album skipped, waits for the next fold; readers add the waiting changes anyway.
 */
export async function foldAlbumCountsOf(db: Db, which: SQL = sql`true`): Promise<number> {
  const [folded] = await rows<{ n: number }>(
    db,
    sql`with locked as (
          select a.id from albums a where ${which} and a.id in (select album_id from album_count_deltas)
          order by a.id for no key update skip locked
        ), moved as (
          delete from album_count_deltas d using locked l where d.album_id = l.id returning d.album_id, d.photos, d.videos
        ), summed as (
          select album_id, sum(photos)::int as photos, sum(videos)::int as videos from moved group by album_id
        ), updated as (
          update albums a set photo_count = a.photo_count + s.photos, video_count = a.video_count + s.videos
          from summed s where a.id = s.album_id
          returning 1
        )
        select count(*)::int as n from updated`,
  );
  return folded?.n ?? 0;
}

/**
 * Folds album `id`'s changes when more than `limit` wait (an import of 50,000 photos into it), so that reading its
 * counts sums few rows; the check reads at most `limit + 1` of them. A fold meeting another is left to the next.
 */
export async function foldAlbumIfMany(db: Db, id: string, limit: number = FOLD_ALBUM_AT_DELTAS): Promise<void> {
  const [waiting] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from (select 1 from album_count_deltas where album_id = ${id}::uuid limit ${limit + 1}) d`,
  );
  if ((waiting?.n ?? 0) <= limit) return;
  await foldAlbumCountsOf(db, sql`a.id = ${id}::uuid`).catch((error: unknown) => {
    const code = sqlState(error);
    if (code !== '40P01' && code !== '40001') throw error;
  });
}

/** How many photos of album `id` are outside the trash (archived ones included, as the album shows them). */
export async function albumPhotoCount(db: Db, id: string): Promise<number> {
  await foldAlbumIfMany(db, id);
  const [row] = await rows<{ counts: [number, number] }>(db, sql`select ${albumCountsSql} as counts from albums a where a.id = ${id}::uuid`);
  return row?.counts[0] ?? 0;
}
