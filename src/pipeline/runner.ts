import path from 'node:path';
import sharp from 'sharp';
import { and, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { isVideoMime, NOT_A_VIDEO, stepApplies, VIDEO_ONLY_STEPS } from '../model/video.js';
import type { Metrics } from '../metrics/metrics.js';
import { isWorthRetrying, retryDelayMs, retryNote } from './retry.js';
import type { AddOptions } from '../queue/photo-queue.js';
import type { Db } from '../db/connection.js';
import { photos, photoSteps } from '../db/schema.js';
import { assignToAutoAlbums } from '../library/albums/index.js';
import type { MlServices } from '../ml/services.js';
import { redact } from '../net/redact.js';
import { rowOwner } from '../scope/rows.js';
import { refreshSearchDocuments } from '../search/documents.js';
import type { BlobStore, LocalFile } from '../storage/blob-store.js';
import { deferredStore, type StorageLocations } from '../storage/locations.js';
import { derivedPrefix } from '../storage/keys.js';
import { startWork } from '../base/running-work.js';
import { IN_TRASH, LANE_STEPS, readyLanes, RUNS_IN_TRASH, STOPPED_IN_TRASH, type LaneName } from '../model/lanes.js';
import { decideStep, derivePhotoState, isTerminal, skipsNow, withDependents, type PhotoState, type StepName, type StepStatus } from '../model/photo-state.js';
import { currentStepVersion, type PipelineStep, type StepContext, type StepResult } from './step.js';
import { watchStep } from './step-watch.js';

export interface RunnerDeps {
  db: Db;
  /**
   * How long a `running` step is left to its runner before another process may take it (settings'
   * stepLeaseSeconds): the runner renews the lease every third of it while the step works, so a long step keeps it.
   */
  leaseMs: number;
  /** This process's heartbeat id (pipeline/heartbeat.ts): the steps it runs carry it, and are taken again when it stops. */
  workerId?: string;
  /** The first wait before a step that failed for want of a service is tried again (pipeline/retry.ts). */
  retryBaseMs: number;
  /** The photo's files are in `storage.at(photo.storageLocation)`. */
  storage: StorageLocations;
  /** Step durations and failures for /metrics. */
  metrics?: Pick<Metrics, 'stepFinished'>;
  steps: Readonly<Record<StepName, PipelineStep>>;
  ml: MlServices;
  logger: Logger;
  video: StepContext['video'];
  /** Aborted when the process stops: a running step is stopped and left to the next start (or another worker). */
  closing?: AbortSignal;
  /** Puts another photo on the queue (a step's `others`). */
  queue?: { add(photoId: string): Promise<void> };
}

type Statuses = Partial<Record<StepName, StepStatus>>;

/**
 * Messages stay readable in the API and the web page: they name the photo as the user knows it, not the
 * content-addressed file it is stored as.
 */
function errorText(error: unknown, storedPath: string, filename: string): string {
  // every photo's errors are read in the web app: no credential of a provider or store may be in them
  let text = redact(error instanceof Error ? error.message : String(error));
  for (const name of [storedPath, path.basename(storedPath)]) text = text.split(name).join(filename);
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

async function loadStatuses(db: Db, photoId: string): Promise<Statuses> {
  const rows = await db.select({ step: photoSteps.step, status: photoSteps.status }).from(photoSteps).where(eq(photoSteps.photoId, photoId));
  return Object.fromEntries(rows.map((row) => [row.step, row.status])) as Statuses;
}

/** The photo's step statuses as one JSON object, read in the same statement as its row (one query, not two). */
const stepStatusesJson = sql<Statuses | null>`(select json_object_agg(s.step, s.status) from ${photoSteps} s where s.photo_id = ${photos.id})`;

/** Whether a step of the photo failed for want of a service and will be tried again (pipeline/retry.ts). */
const retryingSql = sql<boolean>`exists (select 1 from ${photoSteps} s where s.photo_id = ${photos.id} and s.status = 'failed' and s.retry_at is not null)`;

/**
 * Runs the photo's steps of one lane that can run now, in order, recording each outcome; then settles the
 * photo's state and returns the lanes that have work for it next. Safe to call again at any time: finished
 * steps are not redone. A step reset while it ran (a retry, a reprocess) keeps its reset: its result is not
 * recorded over it, and the lane comes back for it.
 */
export async function runLane(deps: RunnerDeps, photoId: string, lane: LaneName, giveWay: () => Promise<void> = async () => {}): Promise<LaneName[]> {
  const { db } = deps;
  // A photo's renditions are rewritten in place (an edit, a reprocess) and read again by path: libvips' operation
  // cache would hand back the old pixels (the palette of the uncropped image). Off before every run, because each
  // load of sharp (its ESM and CommonJS builds, a worker thread's copy) turns the process-wide cache back on.
  sharp.cache(false);
  const [found] = await db
    .select({ photo: getTableColumns(photos), statuses: stepStatusesJson })
    .from(photos)
    .where(eq(photos.id, photoId));
  if (!found) return []; // deleted meanwhile
  const { photo } = found;
  const storage = deferredStore(() => deps.storage.at(photo.storageLocation));
  const statuses: Statuses = { ...found.statuses };
  const lent = new Map<string, Promise<LocalFile>>();
  const paths = new Map<string, string>();
  const localFile = async (key: string) => {
    let file = lent.get(key);
    if (!file) lent.set(key, (file = storage.localFile(key)));
    const { path } = await file;
    paths.set(key, path);
    return path;
  };
  const ctx: StepContext = {
    photo,
    db,
    storage,
    ml: deps.ml,
    logger: deps.logger,
    localFile,
    original: () => localFile(photo.storageKey),
    sidecar: async () => (photo.sidecarKey ? localFile(photo.sidecarKey) : null),
    video: deps.video,
    shared: new Map(),
    signal: new AbortController().signal,
    giveWay: async () => {
      const started = performance.now();
      await untilAborted(giveWay(), ctx.signal);
      waited += performance.now() - started;
    },
  };
  let waited = 0;
  try {
    // an error names the original by the path it was lent as, if it was: replaced by the photo's file name
    const lentAs = () => paths.get(photo.storageKey) ?? photo.storageKey;
    // the time given way to other work since last asked: not counted in a step's duration
    const takeWaited = () => {
      const ms = waited;
      waited = 0;
      return ms;
    };
    return await runSteps(deps, ctx, lane, statuses, lentAs, takeWaited);
  } finally {
    for (const file of lent.values()) await file.then((local) => local.release()).catch(() => undefined);
  }
}

async function runSteps(
  deps: RunnerDeps,
  ctx: StepContext,
  lane: LaneName,
  statuses: Statuses,
  originalPath: () => string,
  /** Milliseconds the step given way waited since last asked (not counted in its duration). */
  takeWaited: () => number,
): Promise<LaneName[]> {
  const { db, logger } = deps;
  const photoId = ctx.photo.id;

  let ranSomething = false;
  for (const name of LANE_STEPS[lane]) {
    const decision = decideStep(name, statuses);
    if (decision.action === 'none' || decision.action === 'wait') continue;
    if (decision.action === 'skip') {
      await recordStep(db, photoId, name, null, { status: 'skipped', error: decision.reason, durationMs: 0, retryAt: null });
      statuses[name] = 'skipped';
      logger.info({ photoId, step: name, durationMs: 0, outcome: 'skipped', reason: decision.reason }, 'step skipped');
      continue;
    }
    const attempt = await markRunning(db, photoId, name, ctx.photo.state !== 'processing', deps.workerId);
    if (attempt === null) continue; // finished or reset by someone else meanwhile
    ranSomething = true;
    ctx.photo = { ...ctx.photo, state: 'processing' };
    // stopped when the process stops, when the item is trashed or deleted here, or when the step is no longer this
    // run's (reset, its item trashed or deleted by another process: seen within a second)
    const controller = new AbortController();
    const onClosing = () => controller.abort(new Error('the server is stopping'));
    deps.closing?.addEventListener('abort', onClosing, { once: true });
    const unregister = startWork(photoId, controller, name);
    ctx.signal = controller.signal;
    const unwatch = watchStep(db, photoId, name, attempt, deps.leaseMs, controller);
    takeWaited();
    const { redo, others, ...outcome } = await runStep(deps, ctx, deps.steps[name], originalPath, attempt, takeWaited).finally(() => {
      unwatch();
      unregister();
      deps.closing?.removeEventListener('abort', onClosing);
    });
    if (deps.closing?.aborted && outcome.status === 'failed') {
      // stopped by the shutdown, not by the item: left running, taken again at the next start (or by another worker)
      logger.info({ photoId, step: name }, 'step stopped by the shutdown: it runs again at the next start');
      return [];
    }
    const recorded = await recordStep(db, photoId, name, attempt, outcome);
    for (const other of others) await deps.queue?.add(other);
    const failure = outcome.status === 'failed' ? (outcome.retryAt ? 'service' : 'photo') : undefined;
    deps.metrics?.stepFinished(name, outcome.status, outcome.durationMs / 1000, failure);
    statuses[name] = recorded ? outcome.status : 'pending';
    if (recorded && redo.length > 0) for (const step of await resetSteps(db, photoId, redo)) statuses[step] = 'pending';
    const line = { photoId, step: name, durationMs: outcome.durationMs, outcome: outcome.status, ...(outcome.error ? { error: outcome.error } : {}) };
    if (!recorded) logger.info(line, 'step reset while it ran: its result is dropped');
    else if (outcome.status === 'failed') logger.warn(line, 'step failed');
    else logger.info(line, `step ${outcome.status}`);
  }
  // The quick lane makes the photo show, with its date, place and camera: it is found by them at once. What the
  // slower lanes add (tags, names, text, captions) is indexed together when the photo is finished.
  return settle(deps, photoId, { searchChanged: ranSomething && lane === 'quick', wroteTo: ctx.storage });
}

/**
 * How an item's lanes take it: a video after the others, as its frames, faces and transcode are minutes of work that
 * must not hold a photo import up (`background`), in its owner's share, so that one user's backlog of clips (or an
 * upload link's, whose clips are the link owner's) takes turns with another user's clip (`share`). Remembered: an
 * item's type and owner do not change.
 */
export function itemPlacement(db: Db): (photoId: string) => Promise<AddOptions> {
  const known = new Map<string, AddOptions>();
  return async (photoId) => {
    const cached = known.get(photoId);
    if (cached !== undefined) return cached;
    const [row] = await db.select({ mime: photos.mime }).from(photos).where(eq(photos.id, photoId));
    const share = row && isVideoMime(row.mime) ? await rowOwner(db, 'photos', photoId) : null;
    const placement = share !== null ? { background: true, share } : {};
    if (known.size >= 10_000) known.delete(known.keys().next().value!);
    known.set(photoId, placement);
    return placement;
  };
}

/** The dispatcher's look at a photo: the lanes it has work in, and its state settled when it has none. */
export async function routePhoto(deps: RunnerDeps, photoId: string): Promise<LaneName[]> {
  const statuses = await loadStatuses(deps.db, photoId);
  const lanes = readyLanes(statuses);
  // Skips are recorded at once (after a restart, a recovery, a reprocess of a step whose requirement failed);
  // nothing to run: a photo whose last step ended just before a crash, or a retry with nothing to redo.
  if (lanes.length === 0 || skipsNow(statuses).length > 0) return settle(deps, photoId, { searchChanged: false });
  return lanes;
}

interface Outcome {
  status: StepStatus;
  error: string | null;
  durationMs: number;
  version?: string;
  /** A failure for want of a service: when the step is tried again (null: not by itself). */
  retryAt: Date | null;
}

async function runStep(
  deps: RunnerDeps,
  ctx: StepContext,
  step: PipelineStep,
  originalPath: () => string,
  attempt: number,
  takeWaited: () => number,
): Promise<Outcome & { redo: StepName[]; others: string[] }> {
  const started = performance.now();
  let result: StepResult | null = null;
  let failure: string | null = null;
  let retryAt: Date | null = null;
  let version = step.version;
  try {
    // Read before running: the version names the model the step is about to use.
    version = await currentStepVersion(step, deps.ml);
    result = await step.run(ctx);
  } catch (error) {
    failure = errorText(error, originalPath(), ctx.photo.filename);
    const delayMs = isWorthRetrying(error) ? retryDelayMs(attempt, deps.retryBaseMs) : null;
    if (delayMs !== null) {
      retryAt = new Date(Date.now() + delayMs);
      failure += retryNote(attempt, delayMs);
    }
  }
  const durationMs = Math.round(performance.now() - started - takeWaited());
  const status: StepStatus = failure ? 'failed' : result!.status;
  const error = failure ?? (result?.status === 'skipped' ? result.reason : (result?.note ?? null));
  const done = result?.status === 'done' ? result : null;
  return { status, error, durationMs, version, retryAt, redo: done?.redo ?? [], others: done?.others ?? [] };
}

/** The promise, or a rejection with the signal's reason once it aborts. */
function untilAborted(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Puts steps a result made stale, and what depends on them, back to pending; returns those reset. */
async function resetSteps(db: Db, photoId: string, steps: readonly StepName[]): Promise<StepName[]> {
  const all = [...new Set(steps.flatMap((step) => withDependents(step)))];
  const reset = await db
    .update(photoSteps)
    .set({ status: 'pending', error: null })
    .where(and(eq(photoSteps.photoId, photoId), inArray(photoSteps.step, all), sql`${photoSteps.status} <> 'pending'`))
    .returning({ step: photoSteps.step });
  return reset.map((row) => row.step as StepName);
}

/**
 * Marks the step running (one attempt more) and, when asked, the photo processing; null when the step is not to do
 * any more, or its item is in the trash and the step is not one it runs there (RUNS_IN_TRASH: settle skips it).
 */
async function markRunning(db: Db, photoId: string, step: StepName, markPhoto: boolean, workerId?: string): Promise<number | null> {
  const mayRun = RUNS_IN_TRASH.includes(step)
    ? undefined
    : sql`exists (select 1 from ${photos} where ${photos.id} = ${photoId} and ${photos.deletedAt} is null)`;
  const [row] = await db
    .update(photoSteps)
    .set({ status: 'running', startedAt: new Date(), attempts: sql`${photoSteps.attempts} + 1`, workerId: workerId ?? null })
    .where(and(eq(photoSteps.photoId, photoId), eq(photoSteps.step, step), inArray(photoSteps.status, ['pending', 'running']), mayRun))
    .returning({ attempts: photoSteps.attempts });
  if (!row) return null;
  if (markPhoto) {
    await db
      .update(photos)
      .set({ state: 'processing' })
      .where(and(eq(photos.id, photoId), sql`${photos.state} <> 'processing'`));
  }
  return row.attempts;
}

/**
 * Records a step's outcome; with an attempt, only over that same attempt still running (a reset meanwhile wins).
 * Returns whether it was recorded.
 */
async function recordStep(db: Db, photoId: string, step: StepName, attempt: number | null, outcome: Outcome): Promise<boolean> {
  const conditions = [eq(photoSteps.photoId, photoId), eq(photoSteps.step, step)];
  if (attempt !== null) conditions.push(eq(photoSteps.status, 'running'), eq(photoSteps.attempts, attempt));
  const updated = await db
    .update(photoSteps)
    .set({ ...outcome, finishedAt: new Date() })
    .where(and(...conditions))
    .returning({ step: photoSteps.step });
  return updated.length > 0;
}

/**
 * Derives the photo's state from its steps under a lock on its row, so that of two lanes ending at once the
 * later one sees both outcomes; then does what follows a change of state, and returns the lanes with work next.
 * Steps that can only be skipped now are recorded here, not sent to their lanes to wait behind other photos.
 */
async function settle(deps: RunnerDeps, photoId: string, options: { searchChanged: boolean; wroteTo?: BlobStore }): Promise<LaneName[]> {
  const { db } = deps;
  const settled = await db.transaction(async (tx) => {
    // Lock first, then read in a statement of its own: on PostgreSQL a statement that waited for the lock reads as of
    // before it waited, and would miss the skips the settle it waited for wrote.
    const [locked] = await tx.select({ id: photos.id }).from(photos).where(eq(photos.id, photoId)).for('update');
    if (!locked) return null;
    const [row] = await tx
      .select({
        state: photos.state,
        statuses: stepStatusesJson,
        retrying: retryingSql,
        mime: photos.mime,
        motion: sql<boolean>`${photos.motion} is not null`,
        trashed: sql<boolean>`${photos.deletedAt} is not null`,
      })
      .from(photos)
      .where(eq(photos.id, photoId));
    if (!row) return null;
    const statuses: Statuses = { ...row.statuses };
    // a still has no clip: its video-only steps, reopened with what they follow (an edit, a reprocess), end here
    const item = { mime: row.mime, hasMotion: row.motion };
    const notHere = VIDEO_ONLY_STEPS.filter((step) => (statuses[step] ?? 'pending') === 'pending' && !stepApplies(step, item)).map((step) => ({
      step,
      reason: NOT_A_VIDEO,
    }));
    // in the trash: what it does not run there waits for its restore (reopened since: a new model, a reprocess)
    const inTrash = row.trashed ? STOPPED_IN_TRASH.filter((step) => statuses[step] === 'pending').map((step) => ({ step, reason: IN_TRASH })) : [];
    const reasons = new Map([...notHere, ...inTrash].map(({ step, reason }) => [step, reason] as const));
    for (const { step, reason } of skipsNow({ ...statuses, ...Object.fromEntries([...reasons.keys()].map((step) => [step, 'skipped'])) }))
      reasons.set(step, reason);
    for (const [step, reason] of reasons) {
      const skipped = await tx
        .update(photoSteps)
        .set({ status: 'skipped', error: reason, durationMs: 0, retryAt: null, finishedAt: new Date() })
        .where(and(eq(photoSteps.photoId, photoId), eq(photoSteps.step, step), eq(photoSteps.status, 'pending')))
        .returning({ step: photoSteps.step });
      if (skipped.length === 0) break; // taken or finished by a lane meanwhile: the skips after it may have counted on it
      statuses[step] = 'skipped';
      deps.logger.info({ photoId, step, durationMs: 0, outcome: 'skipped', reason }, 'step skipped');
    }
    const state: PhotoState = derivePhotoState(statuses, { retrying: row.retrying });
    if (state !== row.state) await tx.update(photos).set({ state, updatedAt: new Date() }).where(eq(photos.id, photoId));
    return { state, previous: row.state, statuses };
  });
  if (!settled) {
    // Deleted while its steps ran: drop what they wrote.
    await options.wroteTo?.removePrefix(derivedPrefix(photoId));
    return [];
  }
  const finished = isTerminal(settled.state) && !isTerminal(settled.previous);
  if (finished) await joinAutoAlbums(deps, photoId);
  // Tags, names, places, captions, text and albums: the photo is found by what it has now.
  if (options.searchChanged || finished) await refreshSearchDocuments(db, [photoId]);
  return readyLanes(settled.statuses);
}

/** A photo with an embedding joins the automatic album it fits; a failure there is logged, never the photo's. */
async function joinAutoAlbums(deps: RunnerDeps, photoId: string): Promise<void> {
  try {
    await assignToAutoAlbums(deps, [photoId], { refreshSearch: false });
  } catch (error) {
    deps.logger.warn({ photoId, err: error }, 'joining automatic albums failed');
  }
}
