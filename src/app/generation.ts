// The generation jobs' queue and its recovery: which job a worker looks at next (in process, or BullMQ on Redis in
// a cluster); the generation_jobs rows stay the truth, so a queue lost with Redis or a crash is refilled from them.
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import { rows, type Db } from '../db/connection.js';
import { LocalQueue } from '../pipeline/queue.js';
import type { PhotoQueue } from '../queue/photo-queue.js';
import type { RedisEngines } from './redis-engines.js';

export type GenerationQueue = PhotoQueue & { start(handler: (jobId: string) => Promise<void>): void };

export function generationQueue(settings: Settings, logger: Logger, redis: RedisEngines | null): GenerationQueue {
  const crashed = (jobId: string, error: unknown) => logger.error({ jobId, err: error }, 'generation job crashed');
  // jobs at once per worker process; their images share the process's slots (settings.images.concurrency)
  const concurrency = settings.images.concurrency;
  return redis
    ? new redis.BullPhotoQueue('generation', redis.url, { concurrency, onError: crashed, leaseMs: settings.stepLeaseSeconds * 1000 })
    : new LocalQueue(concurrency, crashed);
}

/**
 * Queues every job not yet ended: queued ones, and running ones whose lease ran out (their worker died). A lease of
 * 0 takes every running one (the embedded mode at start: the only process).
 */
export async function queueOpenGenerations(db: Db, queue: PhotoQueue, leaseMs: number): Promise<number> {
  if (leaseMs === 0) await db.execute(sql`update generation_jobs set lease_until = now() - interval '1 second' where state = 'running'`);
  const open = await rows<{ id: string }>(
    db,
    sql`select id from generation_jobs
        where state = 'queued' or (state = 'running' and (lease_until is null or lease_until < now()))
        order by created_at`,
  );
  for (const { id } of open) await queue.add(id);
  return open.length;
}
