import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../db/connection.js';
import { photoSteps, workers } from '../db/schema.js';

/** Beats missed before a worker counts as dead and the steps it ran are taken again. */
export const MISSED_BEATS = 3;

/** A worker gone this long (stopped, or dead and its steps taken) is forgotten. */
const FORGET_AFTER = '1 hour';

/**
 * This process's heartbeat: a row in `workers` whose `last_seen` it writes every `everyMs`. The steps it runs carry
 * its id (pipeline/runner.ts), so that when the beats stop (SIGKILL, a lost machine) another worker takes them within
 * a few beats instead of waiting out the step lease, which stays long for live workers doing slow steps.
 */
export class WorkerHeartbeat {
  readonly id = randomUUID();
  private timer: NodeJS.Timeout | null = null;
  private beating: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    readonly everyMs: number,
    private readonly logger: Logger,
  ) {}

  /** Writes the first beat (so the row is there before a step names it), then beats on a timer. */
  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => {
      if (this.beating) return; // the database is slow or down: one beat in flight at a time
      this.beating = this.beat()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'worker heartbeat not written'))
        .finally(() => (this.beating = null));
    }, this.everyMs);
    this.timer.unref();
  }

  private async beat(): Promise<void> {
    // upsert: a row removed by another worker's clean-up (after the database was away a long while) comes back
    await this.db
      .insert(workers)
      .values({ id: this.id, host: os.hostname(), pid: process.pid })
      .onConflictDoUpdate({ target: workers.id, set: { lastSeen: sql`now()` } });
  }

  /** Stops beating and removes the row (the steps it ran have finished or are dropped); bounded by `timeoutMs`. */
  async stop(timeoutMs = 2000): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const remove = (async () => {
      await this.beating;
      await this.db.delete(workers).where(eq(workers.id, this.id));
    })();
    await Promise.race([remove.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }
}

/**
 * Steps left `running` by a worker whose heartbeat stopped (older than `MISSED_BEATS` beats, or its row gone) go
 * back to pending at once; workers long gone are forgotten. Returns the steps' photos. The database's clock judges
 * both the beat and the age, so machines' clocks need not agree.
 */
export async function resetDeadWorkersSteps(db: Db, heartbeatMs: number): Promise<string[]> {
  const deadAfter = `${Math.round(heartbeatMs * MISSED_BEATS)} milliseconds`;
  const reset = await db
    .update(photoSteps)
    .set({ status: 'pending' })
    .where(
      and(
        eq(photoSteps.status, 'running'),
        isNotNull(photoSteps.workerId),
        sql`not exists (select 1 from ${workers} w where w.id = ${photoSteps.workerId} and w.last_seen > now() - ${deadAfter}::interval)`,
      ),
    )
    .returning({ photoId: photoSteps.photoId });
  await forgetGoneWorkers(db);
  return [...new Set(reset.map((row) => row.photoId))];
}

/** Forgets workers not seen for an hour (killed, or an embedded server that was not stopped): answers how many. */
export async function forgetGoneWorkers(db: Db): Promise<number> {
  return (
    await db
      .delete(workers)
      .where(sql`${workers.lastSeen} < now() - ${FORGET_AFTER}::interval`)
      .returning({ id: workers.id })
  ).length;
}
