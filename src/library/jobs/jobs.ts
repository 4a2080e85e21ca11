// The pipeline's progress as one snapshot: photos per state, per step and status, the queue, how fast photos
// finish lately and when the rest will be done, and the latest failures. GET /api/jobs answers one; the event
// stream (api/jobs.ts) sends one whenever it changes.
import { sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { STEP_NAMES, TERMINAL_STATES, type StepName } from '../../model/photo-state.js';
import type { Library } from '../library.js';
import { countByState, countSteps } from '../photos/counts.js';
import { listGenerationJobs, type GenerationJobInfo } from '../create/jobs.js';
import { estimateSeconds, RATE_WINDOW_SECONDS, stepRates } from './eta.js';
import { ownsSql } from '../../scope/rows.js';

/** The shortest stretch the photo rate is measured over: the first photos of an import would promise too much. */
const MIN_RATE_SECONDS = 10;
export const FAILURES_SHOWN = 50;

export interface StepProgress {
  pending: number;
  running: number;
  done: number;
  skipped: number;
  failed: number;
}

export interface JobFailure {
  photoId: string;
  filename: string;
  step: string;
  error: string;
  /** ISO 8601 */
  at: string;
}

/** The pipeline's progress as GET /api/jobs and the event stream send it (the web app reads this type too). */
export interface JobsSnapshot {
  /** Photos per state: pending, processing, completed, partial, failed. */
  states: Record<string, number>;
  /** Per pipeline step, in pipeline order. */
  steps: Record<string, StepProgress>;
  queue: { depth: number };
  /** The current run of work (null when idle): its photos done, and in all (done + still waiting or processing). */
  run: RunProgress | null;
  /** Photos finished per minute over the last `windowSeconds`. */
  rate: { photosPerMinute: number; windowSeconds: number };
  /**
   * Seconds until the waiting and running steps are done, each step at its own pace over the window (jobs-eta.ts);
   * null when idle, or while a step with work left has no steady pace yet.
   */
  etaSeconds: number | null;
  /** Newest failed steps first. */
  failures: JobFailure[];
  failuresTotal: number;
  /** The user's generation jobs still open or ended in the last GENERATION_SHOWN_MINUTES, newest first. */
  generation: GenerationJobInfo[];
  /** ISO 8601, when the snapshot was taken. */
  at: string;
}

export const GENERATION_SHOWN_MINUTES = 10;
const GENERATION_SHOWN = 20;

/** Generation jobs for the snapshot: few, from the owner index; read at every poll (they move image by image). */
function recentGenerations(lib: Library, now: Date): Promise<GenerationJobInfo[]> {
  return listGenerationJobs(lib, { limit: GENERATION_SHOWN, since: new Date(now.getTime() - GENERATION_SHOWN_MINUTES * 60_000) });
}

export interface RunProgress {
  done: number;
  total: number;
}

/** The counts that move only when the pipeline or the user changes something (see `jobsChangeMark`). */
export interface JobsCounts {
  states: Record<string, number>;
  run: RunProgress | null;
  /** The steps the library runs (none it leaves out). */
  steps: Partial<Record<StepName, StepProgress>>;
  failures: JobFailure[];
  failuresTotal: number;
}

export async function jobsCounts(lib: Library): Promise<JobsCounts> {
  const [states, stepCounts, failures, run] = await Promise.all([countByState(lib), countSteps(lib), latestFailures(lib), runProgress(lib)]);
  const steps = Object.fromEntries(
    STEP_NAMES.flatMap((name) => {
      const counted = stepCounts[name];
      if (!counted) return [];
      const { pending, running, done, skipped, failed } = counted;
      return [[name, { pending, running, done, skipped, failed }]];
    }),
  ) as Partial<Record<StepName, StepProgress>>;
  const failuresTotal = Object.values(steps).reduce((sum, progress) => sum + progress.failed, 0);
  return { states, run, steps, failures, failuresTotal };
}

/**
 * The run of work under way, as the server knows it (a page opened in its middle counted from its own first look:
 * "0 of 34 done" while 33 were complete). The run began when the earliest of the photos still waiting or processing
 * joined it (admitted, retried, reopened: `run_joined_at`, set by a trigger), and the photos that finished since are
 * its done ones (their state's change stamps updated_at). Not the working photos' updated_at: every step writes it,
 * so near the end the last photo's step moved the start past the photos finished before it ("0 of 1" after 33).
 */
async function runProgress(lib: Library): Promise<RunProgress | null> {
  const terminal = sql.join(
    TERMINAL_STATES.map((state) => sql`${state}`),
    sql`, `,
  );
  const [found] = await rows<{ done: number; working: number }>(
    lib.db,
    sql`with began as (
          select min(p.run_joined_at) as at from photos p
          where ${ownsSql(lib, 'p')} and p.deleted_at is null and p.state in ('pending', 'processing'))
        select (count(*) filter (where p.state in (${terminal})))::int as done,
               (count(*) filter (where p.state in ('pending', 'processing')))::int as working
        from photos p, began
        where ${ownsSql(lib, 'p')} and p.deleted_at is null and (p.state in ('pending', 'processing') or p.updated_at >= began.at)`,
  );
  if (!found || found.working === 0) return null;
  return { done: found.done, total: found.done + found.working };
}

/** Failed steps, newest first (the trash left out). */
async function latestFailures(lib: Library): Promise<JobFailure[]> {
  const found = await rows<{ photo_id: string; filename: string; step: string; error: string | null; finished_at: string | Date | null }>(
    lib.db,
    sql`select s.photo_id, p.filename, s.step, s.error, s.finished_at
        from photo_steps s join photos p on p.id = s.photo_id
        where s.status = 'failed' and ${ownsSql(lib, 'p')} and p.deleted_at is null
        order by s.finished_at desc nulls last, s.photo_id, s.step
        limit ${FAILURES_SHOWN}`,
  );
  return found.map((row) => ({
    photoId: row.photo_id,
    filename: row.filename,
    step: row.step,
    error: row.error ?? 'failed without a message',
    at: row.finished_at === null ? new Date(0).toISOString() : new Date(row.finished_at).toISOString(),
  }));
}

/**
 * Photos that reached a terminal state lately, per minute. A photo's last step finishing is when it got there, so
 * these are the terminal photos with a step finished in the window (an index range on finished_at, not a scan of
 * the library). The window starts at the earliest such step when that is later than five minutes ago: an import
 * that began a minute ago is measured over that minute.
 */
async function finishingRate(lib: Library, now: Date): Promise<{ photosPerMinute: number; windowSeconds: number }> {
  const since = new Date(now.getTime() - RATE_WINDOW_SECONDS * 1000);
  const terminal = sql.join(
    TERMINAL_STATES.map((state) => sql`${state}`),
    sql`, `,
  );
  const [found] = await rows<{ photos: number; first: string | Date | null }>(
    lib.db,
    // The photo is looked up per recent step (a sub-plan on its key), not joined: a join would have the planner
    // read every photo once a few thousand steps are recent.
    sql`with recent as (
          select photo_id, min(finished_at) as first from photo_steps
          where finished_at >= ${since.toISOString()}::timestamptz group by photo_id),
        judged as (
          select recent.first, exists (select 1 from photos p where p.id = recent.photo_id and ${ownsSql(lib, 'p')}
                                       and p.deleted_at is null and p.state in (${terminal})) as finished
          from recent)
        select (count(*) filter (where finished))::int as photos, min(first) filter (where finished) as first from judged`,
  );
  const count = found?.photos ?? 0;
  if (count === 0 || !found?.first) return { photosPerMinute: 0, windowSeconds: RATE_WINDOW_SECONDS };
  const elapsed = (now.getTime() - new Date(found.first).getTime()) / 1000;
  const windowSeconds = Math.round(Math.min(RATE_WINDOW_SECONDS, Math.max(MIN_RATE_SECONDS, elapsed)));
  return { photosPerMinute: Math.round((count / windowSeconds) * 60 * 10) / 10, windowSeconds };
}

/**
 * The snapshot: the counts (read now, or the feed's last ones) with the rates, the queue and the generation jobs,
 * which are read fresh every time.
 */
export async function snapshotWith(lib: Library, counts: JobsCounts | Promise<JobsCounts>, now: Date): Promise<JobsSnapshot> {
  const [counted, rate, rates, queueDepth, generation, leftOut] = await Promise.all([
    counts,
    finishingRate(lib, now),
    stepRates(lib, now),
    lib.queue.depth(),
    recentGenerations(lib, now),
    lib.stepsLeftOut(),
  ]);
  // the feed's counts may be from before the library left a step out (the creation tools switched off)
  const steps = Object.fromEntries(Object.entries(counted.steps).filter(([step]) => !(step in leftOut)));
  return {
    states: counted.states,
    run: counted.run,
    steps,
    queue: { depth: queueDepth },
    rate,
    etaSeconds: estimateSeconds(Object.fromEntries(Object.entries(steps).map(([step, progress]) => [step, progress.pending + progress.running])), rates, now),
    failures: counted.failures,
    failuresTotal: counted.failuresTotal,
    generation,
    at: now.toISOString(),
  };
}

export function jobsSnapshot(lib: Library, now: Date = new Date()): Promise<JobsSnapshot> {
  return snapshotWith(lib, jobsCounts(lib), now);
}

/**
 * A cheap fingerprint of what the counts are made of, read from the ends of three indexes: the latest step start,
 * step finish and photo change (an upload, a retry, the trash, a reprocess all touch updated_at). While it stays
 * the same, the counts (every step row counted: ~0.3 s at 100k photos) need not be read again.
 * A photo deleted for good leaves no trace here; the feed recounts now and then for that.
 */
export async function jobsChangeMark(lib: Library): Promise<string> {
  const [mark] = await rows<{ started: string | null; finished: string | null; changed: string | null }>(
    lib.db,
    sql`select (select max(started_at) from photo_steps)::text as started,
               (select max(finished_at) from photo_steps)::text as finished,
               (select max(updated_at) from photos)::text as changed`,
  );
  return `${mark?.started}|${mark?.finished}|${mark?.changed}`;
}
