// A running step's watch (runner.ts): its lease renewed while it works, so that no other process takes it, and a look
// every second whether it is still this attempt's — a reset, a trash or a deletion in any process of a cluster (the
// CLI too) stops it within about that. Either finding the attempt gone aborts the step.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { photoSteps } from '../db/schema.js';
import type { StepName } from '../model/photo-state.js';

/** A step's lease is renewed at least this often. */
const RENEW_AT_MOST_EVERY_MS = 15_000;

/**
 * How often a running step looks whether it is still this run's: a reset, a trash or a deletion in any process of a
 * cluster stops its ffmpeg within about this (a read of one row; steps shorter than it never look).
 */
const STILL_THIS_RUN_EVERY_MS = 1_000;

/**
 * Watches the step's attempt while it runs, every third of `leaseMs` (at most 15 s) renewing its lease and every
 * second looking at its row; aborts `controller` once the attempt is no longer this run's. Returns the end of the watch.
 */
export function watchStep(db: Db, photoId: string, step: StepName, attempt: number, leaseMs: number, controller: AbortController): () => void {
  const renew = () =>
    void renewLease(db, photoId, step, attempt)
      .then((held) => held || controller.abort(new Error('the step was reset or its item deleted')))
      .catch(() => undefined);
  const renewal = setInterval(renew, Math.min(leaseMs / 3, RENEW_AT_MOST_EVERY_MS));
  let checking = false;
  const check = setInterval(() => {
    if (checking) return; // a slow database: one look at a time
    checking = true;
    void isThisRun(db, photoId, step, attempt)
      .then((current) => current || controller.abort(new Error('the step was reset, or its item trashed or deleted')))
      .catch(() => undefined)
      .finally(() => (checking = false));
  }, STILL_THIS_RUN_EVERY_MS);
  return () => {
    clearInterval(renewal);
    clearInterval(check);
  };
}

/** Whether the step is still this attempt's: not reset, not skipped by the trash (library/trash/trash.ts), its item not deleted. */
async function isThisRun(db: Db, photoId: string, step: StepName, attempt: number): Promise<boolean> {
  const [row] = await db
    .select({ step: photoSteps.step })
    .from(photoSteps)
    .where(and(eq(photoSteps.photoId, photoId), eq(photoSteps.step, step), eq(photoSteps.status, 'running'), eq(photoSteps.attempts, attempt)));
  return row !== undefined;
}

/**
 * Keeps a running step's lease: its start time is the lease's, renewed while the same attempt runs. False when the
 * step is no longer this attempt's (reset, or its item gone).
 */
async function renewLease(db: Db, photoId: string, step: StepName, attempt: number): Promise<boolean> {
  const renewed = await db
    .update(photoSteps)
    .set({ startedAt: new Date() })
    .where(and(eq(photoSteps.photoId, photoId), eq(photoSteps.step, step), eq(photoSteps.status, 'running'), eq(photoSteps.attempts, attempt)))
    .returning({ step: photoSteps.step });
  return renewed.length > 0;
}
