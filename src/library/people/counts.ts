// Each person's faces and photos outside the trash: the columns people.face_count / photo_count plus the changes the
// triggers of migration 0044 inserted since the last fold (people_count_deltas). Readers add the two; a fold moves
// the changes into the columns, one update per person, so that no transaction writes a person's row per face.
import { sql } from 'drizzle-orm';
import { rows, sqlState, type Db } from '../../db/connection.js';

/** The people page folds first when it finds more changes than this waiting (the upkeep folds only hourly). */
export const FOLD_AT_DELTAS = 10_000;

/** `people pe` with each person's waiting changes (`pd`): few between folds, so grouping them all is cheap. */
export const peopleWithDeltasSql = sql`people pe left join (
    select person_id, sum(faces)::int as faces, sum(photos)::int as photos from people_count_deltas group by person_id
  ) pd on pd.person_id = pe.id`;

export const faceCountSql = sql`(pe.face_count + coalesce(pd.faces, 0))`;
export const photoCountSql = sql`(pe.photo_count + coalesce(pd.photos, 0))`;

/**
 * Moves the waiting changes into the people's columns; answers how many people it updated. Why it cannot deadlock
 * with a merge (which holds several people in one transaction): it locks the people first, in id order, skipping
 * any another transaction holds, so it never waits for a person's row; it deletes only the locked people's changes
 * (two folds never take the same one) and updates only rows it holds. What it skips waits for the next fold.
 * The changes of deleted people (their faces let go) count for nothing and go separately: no row to lock.
 */
export async function foldPeopleCounts(db: Db): Promise<number> {
  const [folded] = await rows<{ n: number }>(
    db,
    sql`with locked as (
          select pe.id from people pe where pe.id in (select person_id from people_count_deltas)
          order by pe.id for no key update skip locked
        ), moved as (
          delete from people_count_deltas d using locked l where d.person_id = l.id returning d.person_id, d.faces, d.photos
        ), summed as (
          select person_id, sum(faces)::int as faces, sum(photos)::int as photos from moved group by person_id
        ), updated as (
          update people pe set face_count = pe.face_count + s.faces, photo_count = pe.photo_count + s.photos
          from summed s where pe.id = s.person_id
          returning 1
        )
        select count(*)::int as n from updated`,
  );
  await db.execute(sql`delete from people_count_deltas d where not exists (select 1 from people pe where pe.id = d.person_id)`);
  return folded?.n ?? 0;
}

/**
 * Folds when more than `limit` changes wait (a big merge or trash between two hourly upkeeps), so that the page's
 * grouping of them stays small. A fold that meets a concurrent one or a merge (deadlock, serialization) is left
 * to the next: the counts read are right either way.
 */
export async function foldPeopleCountsIfMany(db: Db, limit: number = FOLD_AT_DELTAS): Promise<void> {
  const [waiting] = await rows<{ n: number }>(db, sql`select count(*)::int as n from (select 1 from people_count_deltas limit ${limit + 1}) d`);
  if ((waiting?.n ?? 0) <= limit) return;
  await foldPeopleCounts(db).catch((error: unknown) => {
    const code = sqlState(error);
    if (code !== '40P01' && code !== '40001') throw error;
  });
}
