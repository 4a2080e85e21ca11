import { and, eq, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { photoSteps } from '../db/schema.js';
import type { PhotoQueue } from '../queue/photo-queue.js';

/**
 * Steps left `running` whose lease ran out (their runner died: a crash, SIGKILL, a lost machine) go back to
 * pending, and their photos back on the queue. Returns how many photos were queued. A lease of 0 takes every
 * running step (the embedded mode at start, the only process).
 */
export async function recoverExpiredLeases(db: Db, queue: PhotoQueue, leaseMs: number, now: Date = new Date()): Promise<number> {
  const expired = new Date(now.getTime() - leaseMs);
  const reset = await db
    .update(photoSteps)
    .set({ status: 'pending' })
    .where(and(eq(photoSteps.status, 'running'), or(isNull(photoSteps.startedAt), lte(photoSteps.startedAt, expired))))
    .returning({ photoId: photoSteps.photoId });
  const photoIds = [...new Set(reset.map((row) => row.photoId))];
  for (const id of photoIds) await queue.add(id);
  return photoIds.length;
}
