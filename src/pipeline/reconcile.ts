import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/connection.js';
import { isTurnedOff, STEP_NAMES, withDependents, type StepName, type StepsLeftOut } from '../model/photo-state.js';
import { NOT_A_VIDEO, VIDEO_ONLY_STEPS } from '../model/video.js';
import { dropStepsLeftOut } from '../library/photos/index.js';

/**
 * Brings every photo's steps in line with the code and models of this run, before the queue starts:
 * - photos from an older Shoebox get rows for the steps added since (pending), but for the steps the library leaves out
 *   (`leftOut`: the catalogue without the creation tools), whose rows go but the done ones (library/photos/steps-left-out.ts);
 * - a step that ran with another version (new code, another model, a model installed since it was skipped)
 *   is pending again, with every step that reads its results — unless a setting turned the step off now: what it
 *   found before stays, and only photos that come meanwhile are skipped (redone once it is turned on again).
 * Photos with pending work leave their terminal state, so the resume that follows queues them (and settles those
 * finished but for a step left out).
 * Returns how many photos have work again.
 */
export async function reconcileSteps(db: Db, currentVersions: Readonly<Record<StepName, string>>, leftOut: StepsLeftOut): Promise<number> {
  const kept = STEP_NAMES.filter((step) => !(step in leftOut));
  const unsettled = await dropStepsLeftOut(
    db,
    STEP_NAMES.filter((step) => step in leftOut),
  );
  await db.execute(sql`
    insert into photo_steps (photo_id, step)
    select p.id, s.step from photos p cross join unnest(${sql.raw(`array[${kept.map((n) => `'${n}'`).join(',')}]`)}::text[]) as s(step)
    on conflict do nothing`);
  // a step left out keeps what it made with its old version: looked at again at a start once it is back
  for (const step of kept) {
    if (isTurnedOff(step, currentVersions[step])) continue;
    const dependents = sql.raw(
      `array[${withDependents(step)
        .filter((n) => kept.includes(n))
        .map((n) => `'${n}'`)
        .join(',')}]`,
    );
    await db.execute(sql`
      update photo_steps set status = 'pending', error = null
      where step = any(${dependents}::text[])
        and photo_id in (select photo_id from photo_steps
                         where step = ${step} and status in ('done', 'skipped') and version is not null and version <> ${currentVersions[step]})`);
  }
  // a video-only step (added since, or reopened above with a step it follows): a still has nothing to do there
  await db.execute(sql`
    update photo_steps s set status = 'skipped', error = ${NOT_A_VIDEO}
    from photos p
    where p.id = s.photo_id and s.step = any(${sql.raw(`array[${VIDEO_ONLY_STEPS.map((n) => `'${n}'`).join(',')}]`)}::text[])
      and s.status = 'pending' and p.mime not like 'video/%' and p.motion is null`);
  const reopened = await rows<{ count: number }>(
    db,
    sql`with reopened as (
          update photos set state = 'pending', updated_at = now()
          where state in ('completed', 'partial', 'failed')
            and exists (select 1 from photo_steps s where s.photo_id = photos.id and s.status = 'pending')
          returning 1)
        select count(*)::int as count from reopened`,
  );
  return (reopened[0]?.count ?? 0) + unsettled.length;
}
