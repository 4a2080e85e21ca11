// The check of `photo_people` (each person's photos in date order, kept by triggers: migration 0035). The triggers
// keep it exact; a photo's new date committed while another transaction added the photo's first face of a person
// can leave that row's date behind (neither sees the other's change), and this puts it right. The same goes for each
// person's counts kept from it (migration 0044): a face added to a photo being trashed at once can count. The
// check folds the counts' waiting changes too (library/people/counts.ts), in its own transaction.
import { sql } from 'drizzle-orm';
import { rows, sqlState, type Db } from '../db/connection.js';

/**
 * Brings `photo_people` in line with the faces and the photos' dates, then the people's counts with it; answers how
 * many rows it changed. Runs in a
 * repeatable-read transaction: a row that a trigger changes meanwhile makes it fail with a serialization error
 * (the caller tries again at the next upkeep) instead of writing a count read before that change.
 */
export async function repairPersonPhotos(db: Db): Promise<number> {
  return repair(db).catch((error: unknown) => {
    if (sqlState(error) === '40001') return 0; // a trigger changed a row meanwhile: the next upkeep looks again
    throw error;
  });
}

async function repair(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set transaction isolation level repeatable read`);
    const [changed] = await rows<{ n: number }>(
      tx as unknown as Db,
      sql`with truth as (
            select f.person_id, f.photo_id, count(*)::int as faces, coalesce(p.taken_at, p.created_at) as sort_date
            from faces f join photos p on p.id = f.photo_id
            where f.person_id is not null
            group by f.person_id, f.photo_id, p.taken_at, p.created_at
          ), fixed as (
            insert into photo_people as pp (person_id, photo_id, faces, sort_date) select * from truth
            on conflict (person_id, photo_id) do update set faces = excluded.faces, sort_date = excluded.sort_date
            where pp.faces <> excluded.faces or pp.sort_date <> excluded.sort_date
            returning 1
          ), gone as (
            delete from photo_people pp
            where not exists (select 1 from faces f where f.person_id = pp.person_id and f.photo_id = pp.photo_id)
            returning 1
          )
          select ((select count(*) from fixed) + (select count(*) from gone))::int as n`,
    );
    // a statement of its own: the one above's changes (and the counts' changes its triggers inserted) are not
    // visible inside it. The columns are set from the truth and the changes waiting are deleted together, so
    // nothing counts twice; a person counts as put right when columns plus changes were wrong.
    const [counted] = await rows<{ n: number }>(
      tx as unknown as Db,
      sql`with pending as (
            select person_id, sum(faces)::int as faces, sum(photos)::int as photos from people_count_deltas group by person_id
          ), taken as (
            delete from people_count_deltas returning 1
          ), truth as (
            select pe.id, pe.face_count + coalesce(pd.faces, 0) as kept_faces, pe.photo_count + coalesce(pd.photos, 0) as kept_photos,
                   coalesce(sum(pp.faces), 0)::int as faces, count(pp.photo_id)::int as photos
            from people pe left join pending pd on pd.person_id = pe.id
            left join (photo_people pp join photos p on p.id = pp.photo_id and p.deleted_at is null) on pp.person_id = pe.id
            group by pe.id, pd.faces, pd.photos
          ), fixed as (
            update people pe set face_count = truth.faces, photo_count = truth.photos from truth
            where truth.id = pe.id and (pe.face_count <> truth.faces or pe.photo_count <> truth.photos)
            returning 1
          )
          select count(*)::int as n from truth where kept_faces <> faces or kept_photos <> photos`,
    );
    return (changed?.n ?? 0) + (counted?.n ?? 0);
  });
}
