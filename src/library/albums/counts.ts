// Each album's counts and its photos' places in the timeline's order (and trash), kept by the triggers of migration 0045: the
// columns albums.photo_count / video_count plus the changes waiting in album_count_deltas (readers add the two,
// photos/album-order.ts), and album_photos' copies of each photo's taken_local and created_at. A fold moves the
// changes into the columns; the hourly check puts right what two transactions at once can leave behind.
import { sql } from 'drizzle-orm';
import { rows, sqlState, type Db } from '../../db/connection.js';
import { foldAlbumCountsOf } from '../photos/album-order.js';

/** An album is opened after a fold when more changes than this wait (the upkeep folds only hourly). */
export const FOLD_ALBUMS_AT_DELTAS = 10_000;

/**
 * Moves the waiting changes into the albums' columns (those of albums another transaction holds wait: see
 * foldAlbumCountsOf), and drops those of deleted albums. Answers how many albums it updated.
 */
export async function foldAlbumCounts(db: Db): Promise<number> {
  const folded = await foldAlbumCountsOf(db);
  // an album deleted has no row to lock: its changes (its photos' rows cascading away) count for nothing
  await db.execute(sql`delete from album_count_deltas d where not exists (select 1 from albums a where a.id = d.album_id)`);
  return folded;
}

/** Folds when more than `limit` changes wait; a fold meeting another (deadlock, serialization) is left to the next. */
export async function foldAlbumCountsIfMany(db: Db, limit: number = FOLD_ALBUMS_AT_DELTAS): Promise<void> {
  const [waiting] = await rows<{ n: number }>(db, sql`select count(*)::int as n from (select 1 from album_count_deltas limit ${limit + 1}) d`);
  if ((waiting?.n ?? 0) <= limit) return;
  await foldAlbumCounts(db).catch((error: unknown) => {
    const code = sqlState(error);
    if (code !== '40P01' && code !== '40001') throw error;
  });
}

/**
 * Brings album_photos' copies (order, trash) in line with the photos, and the albums' counts with their photos;
 * answers how many rows it put right. A photo's new date committed while another transaction added it to an album
 * leaves that row's copy behind, and a photo added while being trashed counts (neither trigger sees the other's change).
 * Repeatable read: a row a trigger changes meanwhile fails it with a serialization error, tried at the next upkeep.
 */
export async function repairAlbumOrder(db: Db): Promise<number> {
  return repair(db).catch((error: unknown) => {
    // a row a trigger or a fold changed meanwhile (40001), or an album regeneration met (40P01): the next hour's
    const code = sqlState(error);
    if (code === '40001' || code === '40P01') return 0;
    throw error;
  });
}

async function repair(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set transaction isolation level repeatable read`);
    const [moved] = await rows<{ n: number }>(
      tx as unknown as Db,
      sql`with fixed as (
            update album_photos ap set taken_local = p.taken_local, photo_created_at = p.created_at, trashed = p.deleted_at is not null
            from photos p
            where p.id = ap.photo_id and (ap.taken_local is distinct from p.taken_local or ap.photo_created_at is distinct from p.created_at
              or ap.trashed <> (p.deleted_at is not null))
            returning 1)
          select count(*)::int as n from fixed`,
    );
    // the columns set from the truth and the waiting changes deleted together, so that nothing counts twice
    const [counted] = await rows<{ n: number }>(
      tx as unknown as Db,
      sql`with pending as (
            select album_id, sum(photos)::int as photos, sum(videos)::int as videos from album_count_deltas group by album_id
          ), taken as (
            delete from album_count_deltas returning 1
          ), truth as (
            select a.id, a.photo_count + coalesce(pd.photos, 0) as kept_photos, a.video_count + coalesce(pd.videos, 0) as kept_videos,
                   count(p.id)::int as photos, (count(p.id) filter (where p.mime like 'video/%'))::int as videos
            from albums a left join pending pd on pd.album_id = a.id
            left join (album_photos ap join photos p on p.id = ap.photo_id and p.deleted_at is null) on ap.album_id = a.id
            group by a.id, pd.photos, pd.videos
          ), fixed as (
            update albums a set photo_count = truth.photos, video_count = truth.videos from truth
            where truth.id = a.id and (a.photo_count <> truth.photos or a.video_count <> truth.videos)
            returning 1
          )
          select count(*)::int as n from truth where kept_photos <> photos or kept_videos <> videos`,
    );
    return (moved?.n ?? 0) + (counted?.n ?? 0);
  });
}
