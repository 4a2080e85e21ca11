// What follows a photo once it is in: the state of each of its steps, and the worker processes that run them.
import { sql } from 'drizzle-orm';
import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { photos } from './photos.js';

export const photoSteps = pgTable(
  'photo_steps',
  {
    photoId: uuid('photo_id')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    step: text('step').notNull(),
    status: text('status').notNull().default('pending'),
    error: text('error'),
    durationMs: integer('duration_ms'),
    version: text('version'),
    attempts: integer('attempts').notNull().default(0),
    /** When the running attempt started, renewed while it runs: its lease (settings' stepLeaseSeconds, pipeline/runner.ts). */
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** A step failed for want of a service (object storage down): when it is tried again (pipeline/retry.ts). */
    retryAt: timestamp('retry_at', { withTimezone: true }),
    /** The worker process running the step (`workers`): when its heartbeat stops, the step is taken again at once. */
    workerId: uuid('worker_id'),
  },
  (t) => [
    primaryKey({ columns: [t.photoId, t.step] }),
    index('photo_steps_retry_idx')
      .on(t.retryAt)
      .where(sql`${t.retryAt} is not null`),
    index('photo_steps_step_status_idx').on(t.step, t.status),
    // the steps running now, a handful among millions: the checks every few seconds for a dead worker's or an
    // expired lease's steps read only these (a whole index of 2.4M entries at 200k photos: 50-145 ms a check)
    index('photo_steps_running_idx')
      .on(t.photoId)
      .where(sql`${t.status} = 'running'`),
    // the jobs page: the latest step started and finished (has anything changed?), steps finished lately (the
    // rate), and failures newest first
    index('photo_steps_started_idx').on(t.startedAt),
    index('photo_steps_finished_idx').on(t.finishedAt),
    index('photo_steps_failed_idx')
      .on(t.finishedAt.desc())
      .where(sql`${t.status} = 'failed'`),
  ],
);

/**
 * The cluster's worker processes, each beating its `last_seen` every SHOEBOX_WORKER_HEARTBEAT_SECONDS
 * (pipeline/heartbeat.ts): a worker that missed three beats is dead, and the steps it ran are taken again.
 */
export const workers = pgTable('workers', {
  id: uuid('id').primaryKey(),
  host: text('host').notNull(),
  pid: integer('pid').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  lastSeen: timestamp('last_seen', { withTimezone: true }).notNull().defaultNow(),
});

export type StepRow = typeof photoSteps.$inferSelect;
