import { and, eq, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { photoSteps } from '../db/schema.js';
import type { PhotoQueue } from '../queue/photo-queue.js';

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

/** Resets the steps whose lease ran out and puts their photos back on the queue; returns how many. */
export async function recoverExpiredLeases(db: Db, queue: PhotoQueue, leaseMs: number): Promise<number> {
  const photoIds = await resetExpiredLeases(db, leaseMs);
  for (const id of photoIds) await queue.add(id);
  return photoIds.length;
}
