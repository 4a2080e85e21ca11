// How many photos and steps there are, per state: the jobs page, the stats, an import's progress.
import { and, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import { rows, type Db } from '../../db/connection.js';
import { STEP_NAMES, STEP_STATUSES, type StepName, type StepStatus } from '../../model/photo-state.js';
import type { Library } from '../library.js';
import { notOwnedSql, owns, ownsSql } from '../../scope/rows.js';

/**
 * Photos a count leaves out: the owner's in the trash, and other owners'. Counts are taken over every row from
 * an index alone, and these (few) are taken off: at 100k photos that is 3–4× faster than joining every step row to
 * its photo to test its owner and the trash.
 */
function leftOutOfCounts(lib: Library): SQL {
  return sql`((${ownsSql(lib, 'p')} and p.deleted_at is not null) or ${notOwnedSql(lib, 'p')})`;
}

/** The owner's photos per state, the trash left out. */
export async function countByState(lib: Library): Promise<Record<string, number>> {
  const [all, leftOut] = await Promise.all([
    rows<{ state: string; count: number }>(lib.db, sql`select state, count(*)::int as count from photos group by state`),
    rows<{ state: string; count: number }>(lib.db, sql`select p.state, count(*)::int as count from photos p where ${leftOutOfCounts(lib)} group by p.state`),
  ]);
  const result: Record<string, number> = { pending: 0, processing: 0, completed: 0, partial: 0, failed: 0 };
  for (const row of all) result[row.state] = row.count;
  for (const row of leftOut) result[row.state] = (result[row.state] ?? 0) - row.count;
  return result;
}

export interface StepCounts {
  pending: number;
  running: number;
  done: number;
  skipped: number;
  failed: number;
  averageDurationMs: number | null;
}

interface StepCountRow {
  step: string;
  status: string;
  count: number;
  timed: number;
  total_ms: number;
}

/**
 * Photos per status of each step, in pipeline order (the trash left out), but the steps the library leaves out now:
 * they run for none (a done one from before stays uncounted, as it is unshown). With `averages`, also the average
 * duration of the done ones, which reads the rows themselves rather than the (step, status) index alone.
 */
export async function countSteps(lib: Library, options: { averages?: boolean } = {}): Promise<Partial<Record<StepName, StepCounts>>> {
  const timing = options.averages
    ? sql`count(s.duration_ms)::int as timed, coalesce(sum(s.duration_ms), 0)::float8 as total_ms`
    : sql`0 as timed, 0 as total_ms`;
  const [all, leftOut, stepsLeftOut] = await Promise.all([
    rows<StepCountRow>(lib.db, sql`select s.step, s.status, count(*)::int as count, ${timing} from photo_steps s group by s.step, s.status`),
    rows<StepCountRow>(
      lib.db,
      sql`select s.step, s.status, count(*)::int as count, ${timing}
          from photos p join photo_steps s on s.photo_id = p.id where ${leftOutOfCounts(lib)} group by s.step, s.status`,
    ),
    lib.stepsLeftOut(),
  ]);
  const steps = Object.fromEntries(
    STEP_NAMES.filter((name) => !(name in stepsLeftOut)).map((name): [StepName, StepCounts] => [
      name,
      { pending: 0, running: 0, done: 0, skipped: 0, failed: 0, averageDurationMs: null },
    ]),
  ) as Partial<Record<StepName, StepCounts>>;
  const doneTiming = new Map<string, { timed: number; totalMs: number }>();
  const add = (row: StepCountRow, sign: 1 | -1) => {
    const entry = steps[row.step as StepName] as StepCounts | undefined;
    if (!entry || !(STEP_STATUSES as readonly string[]).includes(row.status)) return;
    entry[row.status as StepStatus] += sign * row.count;
    if (row.status !== 'done') return;
    const timing = doneTiming.get(row.step) ?? { timed: 0, totalMs: 0 };
    doneTiming.set(row.step, { timed: timing.timed + sign * row.timed, totalMs: timing.totalMs + sign * row.total_ms });
  };
  for (const row of all) add(row, 1);
  for (const row of leftOut) add(row, -1);
  if (options.averages) {
    for (const [step, { timed, totalMs }] of doneTiming) {
      const entry = steps[step as StepName];
      if (entry && timed > 0) entry.averageDurationMs = Math.round((totalMs / timed) * 10) / 10;
    }
  }
  return steps;
}

/**
 * Every owner's photos, the trash left out: the size of the whole library, an admin's fact (whether the embedded
 * database still suits it, app/library-size.ts), not a user's view. One scan of the photos (~30 ms at 100k), so it
 * is counted now and then, never per request.
 */
export async function countLibraryPhotos(db: Db): Promise<number> {
  const [row] = await rows<{ count: number }>(db, sql`select count(*)::int as count from photos where deleted_at is null`);
  return row?.count ?? 0;
}

export async function libraryStats(lib: Library) {
  const byState = await countByState(lib);
  const steps = await countSteps(lib, { averages: true });
  const total = Object.values(byState).reduce((a, b) => a + b, 0);
  const [trash] = await lib.db
    .select({ count: sql<number>`count(*)::int` })
    .from(photos)
    .where(and(owns(lib, photos), isNotNull(photos.deletedAt)));
  return { total, states: byState, steps, trashed: trash?.count ?? 0, queueDepth: await lib.queue.depth() };
}

export async function photoStates(lib: Library, ids: string[]): Promise<{ states: Record<string, string>; joined: Record<string, string> }> {
  if (ids.length === 0) return { states: {}, joined: {} };
  const found = await lib.db
    .select({ id: photos.id, state: photos.state })
    .from(photos)
    .where(and(owns(lib, photos), inArray(photos.id, ids)));
  const states = Object.fromEntries(found.map((row) => [row.id, row.state]));
  // an id gone may be a Live Photo's MOV that joined its still: not deleted, and the importer should say so
  const gone = ids.filter((id) => !(id in states));
  const joined =
    gone.length === 0
      ? []
      : await lib.db
          .select({ clip: sql<string>`${photos.motion}->>'clipId'`, still: photos.id })
          .from(photos)
          .where(and(owns(lib, photos), sql`${photos.motion}->>'source' = 'live'`, inArray(sql`${photos.motion}->>'clipId'`, gone)));
  return { states, joined: Object.fromEntries(joined.map((row) => [row.clip, row.still])) };
}
