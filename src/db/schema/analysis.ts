// What the models made of each photo: its CLIP embedding, tags, OCR text and caption.
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, primaryKey, real, text, timestamp, uuid, vector } from 'drizzle-orm/pg-core';
import { photos } from './photos.js';

/**
 * Graph parameters of the photos' HNSW index: ef_construction 128 instead of pgvector's 64 lifts recall@20 at
 * 100k photos from 0.966 to 0.999 for a build that takes 1.7× as long (bench/README.md).
 */
export const PHOTO_EMBEDDINGS_HNSW = { m: 16, ef_construction: 128 } as const;

/**
 * One CLIP image embedding per photo. The column's dimension follows the configured model: when a model with
 * another size is configured, the library re-creates the column (and its index) and re-embeds every photo.
 */
export const photoEmbeddings = pgTable(
  'photo_embeddings',
  {
    photoId: uuid('photo_id')
      .primaryKey()
      .references(() => photos.id, { onDelete: 'cascade' }),
    /** The model version that produced it; a different one means it must be redone. */
    model: text('model').notNull(),
    embedding: vector('embedding', { dimensions: 512 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('photo_embeddings_hnsw_idx').using('hnsw', t.embedding.op('vector_cosine_ops')).with(PHOTO_EMBEDDINGS_HNSW)],
);

/** Zero-shot CLIP tags with their confidence. */
export const photoTags = pgTable(
  'photo_tags',
  {
    photoId: uuid('photo_id')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    tag: text('tag').notNull(),
    confidence: real('confidence').notNull(),
    source: text('source').notNull().default('clip'),
  },
  (t) => [primaryKey({ columns: [t.photoId, t.tag] }), index('photo_tags_tag_idx').on(t.tag)],
);

export const photoOcr = pgTable('photo_ocr', {
  photoId: uuid('photo_id')
    .primaryKey()
    .references(() => photos.id, { onDelete: 'cascade' }),
  text: text('text').notNull(),
  confidence: real('confidence'),
  words: jsonb('words').$type<{ text: string; confidence: number; box: { x: number; y: number; width: number; height: number } }[]>(),
  languages: text('languages').array().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const photoCaptions = pgTable('photo_captions', {
  photoId: uuid('photo_id')
    .primaryKey()
    .references(() => photos.id, { onDelete: 'cascade' }),
  caption: text('caption').notNull(),
  description: text('description'),
  primaryCategory: text('primary_category'),
  tags: text('tags')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  detectedObjects: jsonb('detected_objects').$type<{ name: string; confidence: number }[]>().notNull().default([]),
  sceneType: text('scene_type'),
  suggestedClusterName: text('suggested_cluster_name'),
  qualityGrade: text('quality_grade'),
  qualityReason: text('quality_reason'),
  /** provider | two-stage | fallback */
  source: text('source').notNull(),
  model: text('model').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Objects the detector found (ml/objects: COCO's 80 classes), one row each: class, score and box in upright pixels of
 * the original. Their classes are tags too: search rows, the photo's tags and the tag filter read them beside
 * CLIP's (photo_tags), one tag a name whichever model found it.
 */
export const photoObjects = pgTable(
  'photo_objects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    photoId: uuid('photo_id')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    /** The class, as model/object-classes.ts names it (`dog`, `cell phone`). */
    label: text('label').notNull(),
    confidence: real('confidence').notNull(),
    x: real('x').notNull(),
    y: real('y').notNull(),
    width: real('width').notNull(),
    height: real('height').notNull(),
    /** The detector and its cut (`centernet@0.2`). */
    model: text('model').notNull(),
  },
  (t) => [index('photo_objects_photo_idx').on(t.photoId), index('photo_objects_label_idx').on(t.label)],
);
