import { sql } from 'drizzle-orm';
import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** Every photo has an owner from day one; the embedded mode has one local user. */
export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const photos = pgTable(
  'photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    sha256: text('sha256').notNull(),
    filename: text('filename').notNull(),
    /** Where an imported file came from (absolute path); null for uploads. */
    sourcePath: text('source_path'),
    /** The original, relative to the data folder (content-addressed, may be shared by several owners). */
    storageKey: text('storage_key').notNull(),
    /** An XMP sidecar that came with the file, relative to the data folder. */
    sidecarKey: text('sidecar_key'),
    mime: text('mime').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    state: text('state').notNull().default('pending'),
    width: integer('width'),
    height: integer('height'),
    /** The instant, for sorting and filtering; a date without a known offset is read as UTC. */
    takenAt: timestamp('taken_at', { withTimezone: true }),
    /** The date as the camera wrote it, ISO 8601 with offset when known: what the API shows. */
    takenAtText: text('taken_at_text'),
    timeZone: text('time_zone'),
    fileModifiedAt: timestamp('file_modified_at', { withTimezone: true }),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    orientation: integer('orientation'),
    make: text('make'),
    model: text('model'),
    lens: text('lens'),
    rating: integer('rating'),
    keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
    description: text('description'),
    pdqHash: text('pdq_hash'),
    pdqQuality: integer('pdq_quality'),
    palette: jsonb('palette').$type<{ hex: string; share: number }[]>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('photos_owner_sha256_uq').on(t.ownerId, t.sha256),
    index('photos_owner_sort_idx').on(t.ownerId, sql`coalesce(${t.takenAt}, ${t.createdAt}) desc`, t.id),
    index('photos_state_idx').on(t.state),
    index('photos_storage_key_idx').on(t.storageKey),
  ],
);

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
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.photoId, t.step] }), index('photo_steps_step_status_idx').on(t.step, t.status)],
);

export type PhotoRow = typeof photos.$inferSelect;
export type StepRow = typeof photoSteps.$inferSelect;
