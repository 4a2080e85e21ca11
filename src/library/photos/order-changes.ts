// Which photos moved the photo_order mark (migration 0036's log): what a result kept at an older mark needs to be
// mended, instead of read whole again (the map's 100k positions after one upload: 0.5 s to read, ~25 ms to mend).
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { ownsSql, type Owner } from '../../scope/rows.js';

/** More photos changed than this: reading everything again costs about as much as mending, and is simpler. */
export const MEND_AT_MOST = 5_000;

/** The upkeep keeps the log's newest versions only: a result kept from before them is read again. */
export const KEPT_VERSIONS = 50_000;

/**
 * The photos changed after mark `from` up to mark `to` (each once); null when the log cannot say: a bump for no one
 * photo (a truncate) left its version out, the versions were pruned, or too many changed.
 */
export async function photosChangedBetween(db: Db, from: number, to: number): Promise<string[] | null> {
  if (to <= from) return [];
  if (to - from > MEND_AT_MOST) return null;
  const [row] = await rows<{ versions: number; changes: number; ids: string | null }>(
    db,
    sql`select count(distinct version)::int as versions, count(*)::int as changes,
               case when count(*) <= ${MEND_AT_MOST} then string_agg(distinct photo_id::text, ',') end as ids
        from photo_order_changes where version > ${from} and version <= ${to}`,
  );
  if (!row || row.versions !== to - from || row.changes > MEND_AT_MOST) return null;
  return row.ids ? row.ids.split(',') : [];
}

/**
 * Whether the changes after mark `from` up to `to` touched a photo of `owner`, or one gone since (whose owner the log
 * cannot tell); true also when the log cannot say (a version missing). What one owner keeps computed from their own
 * photos (memories) stays fresh through another's import. One pass over the versions, however many photos changed.
 */
export async function ownerChangedBetween(db: Db, owner: Owner, from: number, to: number): Promise<boolean> {
  if (to <= from) return false;
  const [row] = await rows<{ versions: number; theirs: boolean | null }>(
    db,
    sql`select count(distinct c.version)::int as versions, bool_or(p.id is null or ${ownsSql(owner, 'p')}) as theirs
        from photo_order_changes c left join photos p on p.id = c.photo_id
        where c.version > ${from} and c.version <= ${to}`,
  );
  return !row || row.versions !== to - from || row.theirs === true;
}

/** Drops the log's versions older than the newest KEPT_VERSIONS (the upkeep, hourly); returns the rows removed. */
export async function forgetOldPhotoChanges(db: Db): Promise<number> {
  const removed = await rows<{ n: number }>(
    db,
    sql`with gone as (
          delete from photo_order_changes
          where version <= (select version from change_marks where name = 'photo_order') - ${KEPT_VERSIONS}
          returning 1)
        select count(*)::int as n from gone`,
  );
  return removed[0]?.n ?? 0;
}
