import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import { photos, photoSteps } from '../db/schema.js';
import { assignToAutoAlbums } from '../library/albums/auto.js';
import type { MlServices } from '../ml/services.js';
import { refreshSearchDocuments } from '../search/documents.js';
import type { LocalStorage } from '../storage/local.js';
import { decideStep, derivePhotoState, STEP_NAMES, type StepName, type StepStatus } from './state.js';
import { currentStepVersion, type PipelineStep, type StepResult } from './step.js';

export interface RunnerDeps {
  db: Db;
  storage: LocalStorage;
  steps: Readonly<Record<StepName, PipelineStep>>;
  ml: MlServices;
  logger: Logger;
}

/**
 * Messages stay readable in the API and the web page: they name the photo as the user knows it, not the
 * content-addressed file it is stored as.
 */
function errorText(error: unknown, storedPath: string, filename: string): string {
  let text = error instanceof Error ? error.message : String(error);
  for (const name of [storedPath, path.basename(storedPath)]) text = text.split(name).join(filename);
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

/**
 * Runs every step of a photo that is still to do, in order, recording each outcome, then settles the photo's
 * state. Safe to call again at any time: finished steps are not redone.
 */
export async function processPhoto(deps: RunnerDeps, photoId: string): Promise<void> {
  const { db, storage, logger } = deps;
  const [photo] = await db.select().from(photos).where(eq(photos.id, photoId));
  if (!photo) return; // deleted meanwhile
  const stepRows = await db.select().from(photoSteps).where(eq(photoSteps.photoId, photoId));
  const statuses: Partial<Record<StepName, StepStatus>> = {};
  for (const row of stepRows) statuses[row.step as StepName] = row.status as StepStatus;

  const ctx = {
    photo,
    db,
    storage,
    ml: deps.ml,
    logger,
    originalPath: storage.absolute(photo.storageKey),
    sidecarPath: photo.sidecarKey ? storage.absolute(photo.sidecarKey) : null,
  };

  let marked = false; // the photo shows `processing` from its first step that runs
  for (const name of STEP_NAMES) {
    const decision = decideStep(name, statuses);
    if (decision.action === 'none' || decision.action === 'wait') continue;
    if (decision.action === 'skip') {
      await recordStep(db, photoId, name, { status: 'skipped', error: decision.reason, durationMs: 0 });
      statuses[name] = 'skipped';
      logger.info({ photoId, step: name, durationMs: 0, outcome: 'skipped', reason: decision.reason }, 'step skipped');
      continue;
    }
    const step = deps.steps[name];
    // Earlier steps of this run wrote columns (dimensions, dates) that later ones read.
    if (marked) {
      const [fresh] = await db.select().from(photos).where(eq(photos.id, photoId));
      if (!fresh) break; // deleted meanwhile: the end of this function drops what was written
      ctx.photo = fresh;
    }
    await db
      .update(photoSteps)
      .set({ status: 'running', startedAt: new Date(), attempts: sql`${photoSteps.attempts} + 1` })
      .where(and(eq(photoSteps.photoId, photoId), eq(photoSteps.step, name)));
    if (!marked) {
      await db.update(photos).set({ state: 'processing' }).where(eq(photos.id, photoId));
      marked = true;
    }
    const started = performance.now();
    let result: StepResult | null = null;
    let failure: string | null = null;
    let version = step.version;
    try {
      // Read before running: the version names the model the step is about to use.
      version = await currentStepVersion(step, deps.ml);
      result = await step.run(ctx);
    } catch (error) {
      failure = errorText(error, ctx.originalPath, photo.filename);
    }
    const durationMs = Math.round(performance.now() - started);
    const status: StepStatus = failure ? 'failed' : result!.status;
    const error = failure ?? (result?.status === 'skipped' ? result.reason : null);
    await recordStep(db, photoId, name, { status, error, durationMs, version });
    statuses[name] = status;
    const line = { photoId, step: name, durationMs, outcome: status, ...(error ? { error } : {}) };
    if (status === 'failed') logger.warn(line, 'step failed');
    else logger.info(line, `step ${status}`);
  }

  const state = derivePhotoState(statuses);
  const updated = await db
    .update(photos)
    .set({ state, updatedAt: new Date() })
    .where(eq(photos.id, photoId))
    .returning({ id: photos.id });
  // Deleted while its steps ran: drop what they wrote.
  if (updated.length === 0) await storage.removeDerived(photoId);
  else if (marked) {
    await joinAutoAlbums(deps, photoId);
    // Tags, names, places, captions, text and albums are in: the photo is found by them from now on.
    await refreshSearchDocuments(db, [photoId]);
  }
}

/** A photo with an embedding joins the automatic album it fits; a failure there is logged, never the photo's. */
async function joinAutoAlbums(deps: RunnerDeps, photoId: string): Promise<void> {
  try {
    await assignToAutoAlbums(deps, [photoId], { refreshSearch: false });
  } catch (error) {
    deps.logger.warn({ photoId, err: error }, 'joining automatic albums failed');
  }
}

async function recordStep(
  db: Db,
  photoId: string,
  step: StepName,
  outcome: { status: StepStatus; error: string | null; durationMs: number; version?: string },
): Promise<void> {
  await db
    .update(photoSteps)
    .set({ ...outcome, finishedAt: new Date() })
    .where(and(eq(photoSteps.photoId, photoId), eq(photoSteps.step, step)));
}
