import { and, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { rows, type Db } from '../db/connection.js';
import { photos, photoSteps } from '../db/schema.js';
import { withDependents, type StepName } from '../model/photo-state.js';
import type { PhotoQueue } from '../queue/photo-queue.js';
import { resetDeadWorkersSteps } from '../pipeline/heartbeat.js';

/**
 * Steps left `running` whose lease ran out (their runner died: a crash, SIGKILL, a lost machine) go back to
 * pending. Returns their photos. A lease of 0 takes every running step (the embedded mode at start, the only
 * process).
 */
export async function resetExpiredLeases(db: Db, leaseMs: number, now: Date = new Date()): Promise<string[]> {
  const expired = new Date(now.getTime() - leaseMs);
  const reset = await db
    .update(photoSteps)
    .set({ status: 'pending' })
    .where(and(eq(photoSteps.status, 'running'), or(isNull(photoSteps.startedAt), lte(photoSteps.startedAt, expired))))
    .returning({ photoId: photoSteps.photoId });
  return [...new Set(reset.map((row) => row.photoId))];
}

/**
 * Resets the steps whose lease ran out and puts their photos back on the queue; also queues photos left unfinished
 * with no step running and nothing changed for a whole lease (a queue entry lost, a state not settled after its
 * last step: the dispatcher settles it or runs what is left). Returns how many.
 */
export async function recoverExpiredLeases(db: Db, queue: PhotoQueue, leaseMs: number, now: Date = new Date()): Promise<number> {
  const photoIds = await resetExpiredLeases(db, leaseMs, now);
  const quiet = await rows<{ id: string }>(
    db,
    sql`select p.id from photos p
        where p.state in ('pending', 'processing') and p.updated_at < ${new Date(now.getTime() - leaseMs).toISOString()}::timestamptz
          and not exists (select 1 from photo_steps s where s.photo_id = p.id and (s.status = 'running' or (s.status = 'failed' and s.retry_at is not null)))
        limit 1000`,
  );
  const ids = [...new Set([...photoIds, ...quiet.map((row) => row.id)])];
  for (const id of ids) await queue.add(id);
  return ids.length;
}

/** Resets the steps of workers whose heartbeat stopped (pipeline/heartbeat.ts) and puts their photos back on the queue. */
export async function recoverDeadWorkers(db: Db, queue: PhotoQueue, heartbeatMs: number): Promise<number> {
  const ids = await resetDeadWorkersSteps(db, heartbeatMs);
  for (const id of ids) await queue.add(id);
  return ids.length;
}

/**
 * Steps that failed for want of a service and whose time to try again has come (pipeline/retry.ts) go back to
 * pending, with the steps skipped because they needed them, and their photos back on the queue. Returns how many.
 */
export async function retryDueSteps(db: Db, queue: PhotoQueue, now: Date = new Date()): Promise<number> {
  const due = await db
    .update(photoSteps)
    .set({ status: 'pending', error: null, retryAt: null })
    .where(and(eq(photoSteps.status, 'failed'), lte(photoSteps.retryAt, now)))
    .returning({ photoId: photoSteps.photoId, step: photoSteps.step });
  const byPhoto = new Map<string, StepName[]>();
  for (const { photoId, step } of due) byPhoto.set(photoId, [...(byPhoto.get(photoId) ?? []), step as StepName]);
  for (const [photoId, steps] of byPhoto) {
    const dependents = [...new Set(steps.flatMap((step) => withDependents(step)))];
    await db
      .update(photoSteps)
      .set({ status: 'pending', error: null })
      .where(and(eq(photoSteps.photoId, photoId), inArray(photoSteps.step, dependents), eq(photoSteps.status, 'skipped')));
    await db.update(photos).set({ state: 'pending', updatedAt: now }).where(eq(photos.id, photoId));
    await queue.add(photoId);
  }
  return byPhoto.size;
}
