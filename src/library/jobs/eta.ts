// When the unfinished photos will be done: from how fast each step's backlog has gone down lately, not from how
// many photos finished. Photos finish in bursts (a photo is done when its slowest lane is), so a photo rate taken
// in an import's first minute promised an hour for a minute of work; each step finishes steadily once it runs.
import { sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { STEP_NAMES, type StepName } from '../../model/photo-state.js';
import { ownPhotoSql } from '../../scope/access.js';
import type { Library } from '../library.js';

/** How far back the rates look. */
export const RATE_WINDOW_SECONDS = 5 * 60;
/**
 * A step's pace is trusted once this many of its runs finished in the window, over at least MIN_PACE_SECONDS;
 * until then the estimate waits. Not longer: a step that began finishing a second ago (the faces lane, once its
 * model is loaded) would be measured over time it did not run, and promise ten times too much.
 */
export const MIN_FINISHED = 5;
export const MIN_PACE_SECONDS = 2;

/** Runs of one step that finished in the window, and the first of them. */
export interface StepRate {
  finished: number;
  first: Date;
}

export type StepRates = Partial<Record<StepName, StepRate>>;

/** Steps of the user's photos that finished (done, skipped or failed) within the window, per step. */
export async function stepRates(lib: Library, now: Date): Promise<StepRates> {
  const since = new Date(now.getTime() - RATE_WINDOW_SECONDS * 1000);
  // The photo is looked up per recent step (a sub-plan on its key), as finishingRate does: an index range on
  // finished_at, never a scan of the library.
  const found = await rows<{ step: string; finished: number; first: string | Date }>(
    lib.db,
    sql`select s.step, count(*)::int as finished, min(s.finished_at) as first from photo_steps s
        where s.finished_at >= ${since.toISOString()}::timestamptz and s.status in ('done', 'skipped', 'failed')
          and exists (select 1 from photos p where p.id = s.photo_id and ${ownPhotoSql(lib)} and p.deleted_at is null)
        group by s.step`,
  );
  const rates: StepRates = {};
  for (const row of found) {
    if ((STEP_NAMES as readonly string[]).includes(row.step)) rates[row.step as StepName] = { finished: row.finished, first: new Date(row.first) };
  }
  return rates;
}

/**
 * Seconds until every step with work left has done it, each at its own recent pace; the lanes run side by side,
 * so the slowest step decides. Null when nothing is left, or while a step with work left has no steady pace yet
 * (fewer than MIN_FINISHED runs in the window): "estimating…" rather than a guess.
 */
export function estimateSeconds(left: Partial<Record<StepName, number>>, rates: StepRates, now: Date): number | null {
  let longest = 0;
  let any = false;
  for (const step of STEP_NAMES) {
    const backlog = left[step] ?? 0;
    if (backlog <= 0) continue;
    any = true;
    const rate = rates[step];
    if (!rate || rate.finished < MIN_FINISHED) return null;
    const seconds = (now.getTime() - rate.first.getTime()) / 1000;
    if (seconds < MIN_PACE_SECONDS) return null;
    longest = Math.max(longest, (backlog * seconds) / rate.finished);
  }
  return any ? Math.max(1, Math.round(longest)) : null;
}
