// What Shoebox makes rather than keeps: image-generation jobs and the provenance of each image they stored.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../schema.js';

/** How a generated image was made (photos.provenance). */
export interface Provenance {
  prompt: string;
  negativePrompt: string | null;
  /** The prompt as the provider rewrote it, where it says so (DALL·E 3 does). */
  revisedPrompt: string | null;
  /** The provider's name in the settings (`default`, or one of SHOEBOX_IMAGE_PROVIDERS) and its kind. */
  provider: string;
  providerKind: string;
  model: string | null;
  /** The seed asked for (null: the provider chose one and did not say) or the one the provider reported. */
  seed: number | null;
  /** WIDTHxHEIGHT as asked. */
  size: string;
  /** `text` (text-to-image) or `edit` (image-to-image from the source photo). */
  mode: 'text' | 'edit';
  sourcePhotoId: string | null;
  jobId: string;
  /** The image's place in its job (0-based). */
  index: number;
  /** ISO 8601 */
  generatedAt: string;
}

/** One failed image of a job (generation_jobs.failures). */
export interface GenerationFailure {
  index: number;
  error: string;
  /** The provider refused the prompt or image under its content policy (not worth retrying as is). */
  refused: boolean;
}

/**
 * A request to make images: queued by the API, run by a worker (src/library/create), one image at a time so that
 * each is stored as it comes. The images it made are the photos with its id in generation_job_id (the truth a
 * resumed job counts from); failures are listed here.
 */
export const generationJobs = pgTable(
  'generation_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** `generate` (text-to-image or image-to-image from a photo). */
    kind: text('kind').notNull(),
    /** queued | running | completed | partial | failed | cancelled */
    state: text('state').notNull().default('queued'),
    /** The request as validated (prompt, size, n, seed, source photo…). */
    request: jsonb('request').$type<Record<string, unknown>>().notNull(),
    /** The provider's name in the settings. */
    provider: text('provider').notNull(),
    /** Images asked for: what the daily quota counts until the job ends. */
    imagesRequested: integer('images_requested').notNull(),
    imagesMade: integer('images_made').notNull().default(0),
    failures: jsonb('failures')
      .$type<GenerationFailure[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** Why the job as a whole failed or stopped (a provider without a key, every image refused…). */
    error: text('error'),
    cancelRequestedAt: timestamp('cancel_requested_at', { withTimezone: true }),
    /** A running job's lease: renewed while it runs; another worker takes a job whose lease ran out. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('generation_jobs_owner_idx').on(t.ownerId, t.createdAt.desc()),
    index('generation_jobs_open_idx')
      .on(t.state)
      .where(sql`${t.state} in ('queued', 'running')`),
    index('generation_jobs_updated_idx').on(t.updatedAt),
  ],
);

export type GenerationJobRow = typeof generationJobs.$inferSelect;
