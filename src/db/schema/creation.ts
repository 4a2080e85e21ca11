// What Shoebox makes rather than keeps: image-generation jobs and the provenance of each image they stored.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { photos } from './photos.js';
import type { ShotType } from './provenance.js';
import { users } from './users.js';

// Their home is provenance.ts; exported here too, where web/ and the API have always found them.
export { SHOT_TYPES, type Provenance, type ShotType } from './provenance.js';

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
    /** `generate` (text-to-image or image-to-image from a photo) or `product-shots`. */
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
    /** A product-shots job: the album of each product's set, by product photo id (made when the job starts). */
    albums: jsonb('albums')
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
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

/** What a product type's shots are asked for with: a prompt per shot type, `{product}` standing for its name. */
export type ShotTemplates = Record<ShotType, string>;

/**
 * Kinds of product (earring, ring, watch…) with the prompt of each shot type, per user: seeded with a set to
 * start from, then theirs to edit (api/products.ts).
 */
export const productTypes = pgTable(
  'product_types',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** lower-case, as requests name it: `earring` */
    name: text('name').notNull(),
    /** How prompts call it: `a drop earring`. */
    label: text('label').notNull(),
    templates: jsonb('templates').$type<ShotTemplates>().notNull(),
    negativePrompt: text('negative_prompt'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('product_types_owner_name_uq').on(t.ownerId, t.name)],
);

export type ProductTypeRow = typeof productTypes.$inferSelect;

/** Catalogue fields a user edited by hand: kept when the catalogue step runs again. */
export const CATALOGUE_FIELDS = ['name', 'description', 'attributes', 'mainColour', 'qualityGrade', 'qualityReason'] as const;
export type CatalogueField = (typeof CATALOGUE_FIELDS)[number];

/**
 * A photo of something for sale: its product type and catalogue fields (the catalogue step fills them from the
 * caption endpoint; the user's edits win), and its measured size for the dimensions shot.
 */
export const products = pgTable(
  'products',
  {
    photoId: uuid('photo_id')
      .primaryKey()
      .references(() => photos.id, { onDelete: 'cascade' }),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    productType: text('product_type').notNull(),
    name: text('name'),
    description: text('description'),
    attributes: jsonb('attributes')
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** A colour name (`rose gold`), and the hex the palette gives the product (not its background). */
    mainColour: text('main_colour'),
    mainColourHex: text('main_colour_hex'),
    /** A, B or C, with why. */
    qualityGrade: text('quality_grade'),
    qualityReason: text('quality_reason'),
    /** `provider`, `fallback` (no caption endpoint: from the caption and palette), or null before the step ran. */
    fieldsSource: text('fields_source'),
    fieldsModel: text('fields_model'),
    editedFields: text('edited_fields')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The product's size as the user measured it, for the dimensions shot. */
    heightMm: real('height_mm'),
    widthMm: real('width_mm'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('products_owner_idx').on(t.ownerId, t.createdAt.desc())],
);

export type ProductRow = typeof products.$inferSelect;
