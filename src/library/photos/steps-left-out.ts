// Steps a library leaves out (model/photo-state.ts STEPS_A_LIBRARY_LEAVES_OUT): taking them off its items, at the
// switch that leaves them out and at every start (a library from before, or an item a server admitted while it still
// thought them on).
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { TERMINAL_STATES, type StepName } from '../../model/photo-state.js';

/**
 * Removes the steps' rows but the done ones (what they made stays, and is not made again once the steps come back).
 * An item that waits on one is settled without it when its lane comes to it; one that had it failed is pending again,
 * so that the pipeline settles its state without it (nothing left to run: `completed`). Returns those, to queue.
 */
export async function dropStepsLeftOut(db: Db, steps: readonly StepName[]): Promise<string[]> {
  if (steps.length === 0) return [];
  const names = sql.raw(`array[${steps.map((step) => `'${step}'`).join(',')}]::text[]`);
  const terminal = sql.raw(TERMINAL_STATES.map((state) => `'${state}'`).join(','));
  const unsettled = await rows<{ id: string }>(
    db,
    sql`with dropped as (
          delete from photo_steps where step = any(${names}) and status <> 'done' returning photo_id, status),
        reopened as (
          update photos set state = 'pending', updated_at = now()
          where id in (select photo_id from dropped where status <> 'skipped') and state in (${terminal})
          returning id)
        select id::text as id from reopened`,
  );
  return unsettled.map((row) => row.id);
}
