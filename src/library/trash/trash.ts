// The trash: deleting from the web or the API moves photos here (restorable); they are removed for good when
// the trash is emptied, by hand or once they have been in it for `trashDays` (SHOEBOX_TRASH_DAYS).
// A photo in the trash keeps its files and rows but is listed, counted and searched nowhere except here. It still
// gets its thumbnail, date and place (the quick lane: what shows it here); the rest of its work is skipped, stopped
// where it runs (a clip's transcode frees the video lane at once), and runs when it is restored.
import { and, desc, eq, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import { uuidArray } from '../../db/arrays.js';
import { rows, type Db } from '../../db/connection.js';
import { photos, photoSearch, photoSteps } from '../../db/schema.js';
import { stopWork } from '../../base/running-work.js';
import { IN_TRASH, STOPPED_IN_TRASH } from '../../model/lanes.js';
import { queuePhotos } from '../photos/door.js';
import { forgetSearchDocuments, refreshSearchDocuments } from '../../search/documents.js';
import { UserError } from '../../base/errors.js';
import { detectDuplicates, thresholdsFrom } from '../duplicates/detect.js';
import { leaveStacks, placeInStack } from '../stacks/place.js';
import { leaveGroups } from '../duplicates/groups.js';
import type { Library, Resources } from '../library.js';
import { forSystem, mayChange } from '../actors.js';
import { deletePhoto } from './delete.js';
import { photoListItem } from '../photos/list.js';
import { owns, ownsSql } from '../../scope/rows.js';

export const DAY_MS = 24 * 60 * 60 * 1000;
/** How often the server looks for photos whose time in the trash is up. */
export const TRASH_PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** The ids once each; a 404 naming the ones that are not the owner's photos (then nothing is done). */
async function requirePhotos(lib: Library, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return unique;
  const found = await rows<{ id: string }>(lib.db, sql`select id from photos where ${ownsSql(lib, 'photos')} and id = any(${uuidArray(unique)})`);
  if (found.length < unique.length) {
    const known = new Set(found.map((row) => row.id));
    const missing = unique.filter((id) => !known.has(id));
    const shown = missing.slice(0, 10).join(', ') + (missing.length > 10 ? ` and ${missing.length - 10} more` : '');
    throw new UserError('not-found', missing.length === 1 ? `no photo with id ${shown}` : `no photos with ids ${shown}`);
  }
  return unique;
}

/**
 * Moves photos to the trash. They leave the search (rows and suggestion counts) at once; what is left of their work
 * but their quick lane is skipped (IN_TRASH), and stops where it runs: here at once, on a cluster's worker within a
 * second (pipeline/runner.ts). Photos already in the trash stay as they are (their time there keeps running).
 * Returns how many were moved.
 */
export async function trashPhotos(lib: Library, ids: readonly string[], now: Date = new Date()): Promise<number> {
  mayChange(lib);
  const unique = await requirePhotos(lib, ids);
  if (unique.length === 0) return 0;
  let unfinished: string[] = [];
  return lib.db
    .transaction(async (tx) => {
      const moved = await tx
        .update(photos)
        .set({ deletedAt: now, updatedAt: now })
        .where(and(owns(lib, photos), inArray(photos.id, unique), isNull(photos.deletedAt)))
        .returning({ id: photos.id });
      const movedIds = moved.map((row) => row.id);
      if (movedIds.length === 0) return [];
      const skipped = await tx
        .update(photoSteps)
        .set({ status: 'skipped', error: IN_TRASH, durationMs: 0, retryAt: null, finishedAt: now })
        .where(and(inArray(photoSteps.photoId, movedIds), inArray(photoSteps.step, [...STOPPED_IN_TRASH]), inArray(photoSteps.status, ['pending', 'running'])))
        .returning({ photoId: photoSteps.photoId });
      unfinished = [...new Set(skipped.map((row) => row.photoId))];
      // A refresh of these photos running elsewhere finishes first; one starting later sees them trashed and skips them.
      await tx.execute(sql`select 1 from photo_search where photo_id = any(${uuidArray(movedIds)}) order by photo_id for update`);
      await forgetSearchDocuments(tx as unknown as Db, movedIds);
      // Without its row a restored photo counts again in full when its row is rebuilt.
      await tx.delete(photoSearch).where(inArray(photoSearch.photoId, movedIds));
      return movedIds;
    })
    .then(async (movedIds) => {
      for (const id of unfinished) stopWork(id, 'the item was moved to the trash', STOPPED_IN_TRASH);
      await queuePhotos(lib, unfinished); // their state settled by the pipeline's dispatcher, their quick lane run if it was not
      // a trashed photo is no one's copy any more (its group may dissolve), and leaves its stack (another takes the cover)
      await leaveGroups(lib.db, movedIds);
      await leaveStacks(lib.db, movedIds);
      return movedIds.length;
    });
}

/**
 * Takes photos out of the trash and back into the search; the work the trash skipped is queued again. Photos not in
 * the trash are left alone.
 */
export async function restorePhotos(lib: Library, ids: readonly string[]): Promise<number> {
  mayChange(lib);
  const unique = await requirePhotos(lib, ids);
  if (unique.length === 0) return 0;
  const restored = await lib.db
    .update(photos)
    .set({ deletedAt: null, updatedAt: new Date() })
    .where(and(owns(lib, photos), inArray(photos.id, unique), isNotNull(photos.deletedAt)))
    .returning({ id: photos.id });
  const restoredIds = restored.map((row) => row.id);
  await refreshSearchDocuments(lib.db, restoredIds);
  await resumeWorkSkippedInTrash(lib, restoredIds);
  // back among the others: find its copies again, and its stack
  const thresholds = thresholdsFrom(lib.ml.settings);
  const model = await lib.ml.clipVersion();
  for (const id of restoredIds) {
    await detectDuplicates(lib.db, id, thresholds, model === 'none' ? null : model);
    await placeInStack(lib.db, id);
  }
  return restoredIds.length;
}

/**
 * Puts back to pending, and queues, the work the trash skipped (IN_TRASH) of photos that have left it: restored here,
 * or back by themselves (a library in place's file that came back, in-place/file-photos.ts).
 */
export async function resumeWorkSkippedInTrash(lib: Library, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const reopened = await lib.db
    .update(photoSteps)
    .set({ status: 'pending', error: null })
    .where(and(inArray(photoSteps.photoId, [...ids]), eq(photoSteps.status, 'skipped'), eq(photoSteps.error, IN_TRASH)))
    .returning({ photoId: photoSteps.photoId });
  const queued = [...new Set(reopened.map((row) => row.photoId))];
  if (queued.length === 0) return;
  await lib.db.update(photos).set({ state: 'pending' }).where(inArray(photos.id, queued));
  await queuePhotos(lib, queued);
}

/** When a photo trashed at `deletedAt` is removed for good; null when the trash is never emptied by itself. */
export function trashExpiry(deletedAt: Date, days: number): Date | null {
  return days > 0 ? new Date(deletedAt.getTime() + days * DAY_MS) : null;
}

/** The trash, most recently deleted first, each photo with when it was deleted and when it will be removed. */
export async function listTrash(lib: Library, query: { page: number; limit: number }) {
  const days = lib.settings.trashDays;
  const where = and(owns(lib, photos), isNotNull(photos.deletedAt));
  const [items, [count]] = await Promise.all([
    lib.db
      .select()
      .from(photos)
      .where(where)
      .orderBy(desc(photos.deletedAt), desc(photos.id))
      .limit(query.limit)
      .offset((query.page - 1) * query.limit),
    lib.db
      .select({ total: sql<number>`count(*)::int`, videos: sql<number>`count(*) filter (where ${photos.mime} like 'video/%')::int` })
      .from(photos)
      .where(where),
  ]);
  return {
    items: items.map((photo) => ({
      ...photoListItem(photo),
      deletedAt: photo.deletedAt!.toISOString(),
      expiresAt: trashExpiry(photo.deletedAt!, days)?.toISOString() ?? null,
    })),
    total: count?.total ?? 0,
    videos: count?.videos ?? 0,
    page: query.page,
    limit: query.limit,
    retentionDays: days,
  };
}

/**
 * Removes photos in the trash for good (files and every derived row, see deletePhoto): all of them, only
 * `ids` (a 404 for ids that are not the owner's photos; photos not in the trash are left alone), and/or only
 * those deleted at least `olderThanDays` before `now`. Returns how many were removed.
 */
export async function emptyTrash(lib: Library, options: { ids?: readonly string[]; olderThanDays?: number; now?: Date } = {}): Promise<number> {
  mayChange(lib);
  const conditions = [owns(lib, photos), isNotNull(photos.deletedAt)];
  if (options.ids) {
    const unique = await requirePhotos(lib, options.ids);
    if (unique.length === 0) return 0;
    conditions.push(inArray(photos.id, unique));
  }
  if (options.olderThanDays !== undefined) {
    const cutoff = new Date((options.now ?? new Date()).getTime() - options.olderThanDays * DAY_MS);
    conditions.push(lte(photos.deletedAt, cutoff));
  }
  const targets = await lib.db
    .select({ id: photos.id })
    .from(photos)
    .where(and(...conditions))
    .orderBy(photos.deletedAt, photos.id);
  let deleted = 0;
  // One at a time: a photo restored meanwhile is skipped.
  for (const { id } of targets) if (await deletePhoto(lib, id, { onlyFromTrash: true })) deleted++;
  return deleted;
}

/** Removes photos for good whether they are in the trash or not (a 404 for unknown ids, then nothing is done). */
export async function deletePhotos(lib: Library, ids: readonly string[]): Promise<number> {
  const unique = await requirePhotos(lib, ids);
  let deleted = 0;
  for (const id of unique) if (await deletePhoto(lib, id)) deleted++;
  return deleted;
}

/** Empties what has been in every user's trash for `days` days or more; nothing when `days` is 0 (never). */
export async function purgeExpiredTrash(context: Resources, days: number = context.settings.trashDays, now: Date = new Date()): Promise<number> {
  if (!(days > 0)) return 0;
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  const owners = await context.db
    .selectDistinct({ ownerId: photos.ownerId })
    .from(photos)
    .where(and(isNotNull(photos.deletedAt), lte(photos.deletedAt, cutoff)));
  let removed = 0;
  for (const { ownerId } of owners) removed += await emptyTrash(forSystem(context, ownerId, 'trash expiry'), { olderThanDays: days, now });
  return removed;
}

/**
 * Purges the expired trash now and then every `intervalMs` (one run at a time), until stopped. The timer
 * does not keep the process alive; `stop` waits for a run in progress. Nothing runs when `trashDays` is 0.
 */
export function scheduleTrashPurge(lib: Resources, intervalMs: number = TRASH_PURGE_INTERVAL_MS): { stop(): Promise<void> } {
  if (!(lib.settings.trashDays > 0)) return { stop: async () => {} };
  let running: Promise<void> | null = null;
  let stopped = false;
  const run = () => {
    if (stopped || running) return;
    running = purgeExpiredTrash(lib)
      .then((removed) => {
        if (removed > 0) lib.logger.info({ photos: removed, days: lib.settings.trashDays }, 'expired photos removed from the trash');
      })
      .catch((error: unknown) => lib.logger.error({ err: error }, 'emptying the expired trash failed'))
      .finally(() => {
        running = null;
      });
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
