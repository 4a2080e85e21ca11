// A model installed while the server runs (Settings → Models, SHOEBOX_MODELS_INSTALL): the steps that were
// skipped for want of it, or ran with another, are pending again with everything that reads their results, and
// their photos go back on the queue — what a restart does (reconcile.ts), without one.
import { asc, eq } from 'drizzle-orm';
import { photos } from '../db/schema.js';
import type { Resources } from '../library/library.js';
import type { MlServices } from '../ml/services.js';
import { STEP_NAMES, type StepName } from '../model/photo-state.js';
import { reconcileSteps } from '../pipeline/reconcile.js';
import { currentStepVersion } from '../pipeline/step.js';
import { PIPELINE_STEPS } from '../pipeline/steps/index.js';

/** Each step's version with the code and models of this process (a model's version is in it). */
export async function currentStepVersions(ml: MlServices): Promise<Record<StepName, string>> {
  return Object.fromEntries(await Promise.all(STEP_NAMES.map(async (name) => [name, await currentStepVersion(PIPELINE_STEPS[name], ml)] as const))) as Record<
    StepName,
    string
  >;
}

/** Reopens the steps a new model changes and queues their photos; returns how many photos have work again. */
export async function stepsForNewModel(lib: Pick<Resources, 'db' | 'ml' | 'queue' | 'logger' | 'stepsLeftOut'>): Promise<number> {
  const reopened = await reconcileSteps(lib.db, await currentStepVersions(lib.ml), await lib.stepsLeftOut());
  const pending = await lib.db.select({ id: photos.id }).from(photos).where(eq(photos.state, 'pending')).orderBy(asc(photos.createdAt));
  for (const { id } of pending) await lib.queue.add(id);
  if (reopened > 0) lib.logger.info({ photos: reopened }, 'photos with steps to do with the new model');
  return reopened;
}
