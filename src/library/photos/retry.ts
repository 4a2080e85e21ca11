// Steps run again: a photo's failed and skipped ones, or one step over the whole library (and what depends on it).
import { and, asc, eq, inArray, isNotNull, isNull, like, or, type SQL } from 'drizzle-orm';
import { photos, photoSteps } from '../../db/schema.js';
import { stepsToRetry, withDependents, type StepName, type StepStatus } from '../../model/photo-state.js';
import { stepApplies, VIDEO_ONLY_STEPS } from '../../model/video.js';
import { UserError } from '../../base/errors.js';
import type { Library } from '../library.js';
import { queuePhotos } from './door.js';
import { findPhoto } from './photos.js';
import { owns } from '../../scope/rows.js';
import { mayChange } from '../actors.js';

/** Puts a photo's failed and skipped steps back to pending and queues it. Returns the steps reset, or null. */
export async function retryPhoto(lib: Library, id: string): Promise<StepName[] | null> {
  mayChange(lib);
  const photo = await findPhoto(lib, id);
  if (!photo) return null;
  const stepRows = await lib.db.select().from(photoSteps).where(eq(photoSteps.photoId, id));
  const statuses = Object.fromEntries(stepRows.map((r) => [r.step, r.status])) as Partial<Record<StepName, StepStatus>>;
  // a photo's video-only steps stay skipped: they have nothing to do for it; and so do steps a setting turned off, and
  // those the library leaves out (a product's catalogue step waiting for the creation tools)
  const leftOut = await lib.stepsLeftOut();
  const reset = stepsToRetry(statuses).filter(
    (step) => stepApplies(step, { mime: photo.mime, hasMotion: photo.motion !== null }) && !lib.ml.turnedOff(step) && !(step in leftOut),
  );
  if (reset.length > 0) {
    await lib.db
      .update(photoSteps)
      .set({ status: 'pending', error: null })
      .where(and(eq(photoSteps.photoId, id), inArray(photoSteps.step, reset)));
    await lib.db.update(photos).set({ state: 'pending', updatedAt: new Date() }).where(eq(photos.id, id));
    await queuePhotos(lib, [id]);
  }
  return reset;
}

/**
 * Runs a step again over the library: by default where it failed or was skipped, with `all` everywhere.
 * Steps that depend on it run again too. Returns how many photos were queued.
 */
export async function reprocessStep(lib: Library, step: StepName, options: { all?: boolean } = {}): Promise<number> {
  mayChange(lib);
  // every photo would only skip it again; turned on, the photos it skipped are looked at by themselves (reconcile.ts)
  const off = lib.ml.turnedOff(step);
  if (off) throw new UserError('conflict', `${off}: turn it on to run it again`);
  // left out, it has no rows to run again (the creation tools switched on make the catalogue's)
  const leftOut = (await lib.stepsLeftOut())[step];
  if (leftOut) throw new UserError('conflict', leftOut);
  // `all` includes a step running now: what it finds is not recorded over the reset (runner.ts); it runs again.
  const statuses = options.all ? ['pending', 'running', 'done', 'failed', 'skipped'] : ['failed', 'skipped'];
  const targets = await lib.db
    .select({ id: photos.id })
    .from(photos)
    .innerJoin(photoSteps, eq(photoSteps.photoId, photos.id))
    .where(and(owns(lib, photos), isNull(photos.deletedAt), eq(photoSteps.step, step), inArray(photoSteps.status, statuses), videosOnly(step)))
    .orderBy(asc(photos.createdAt));
  const ids = targets.map((t) => t.id);
  const steps = withDependents(step);
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await lib.db
      .update(photoSteps)
      .set({ status: 'pending', error: null })
      .where(and(inArray(photoSteps.photoId, chunk), inArray(photoSteps.step, steps)));
    await lib.db.update(photos).set({ state: 'pending', updatedAt: new Date() }).where(inArray(photos.id, chunk));
  }
  await queuePhotos(lib, ids);
  return ids.length;
}

/** A video-only step runs again over the videos and motion photos alone. */
const videosOnly = (step: StepName): SQL | undefined =>
  VIDEO_ONLY_STEPS.includes(step) ? or(like(photos.mime, 'video/%'), isNotNull(photos.motion)) : undefined;
