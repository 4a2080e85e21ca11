// What keyword search and its suggestions read: one search row per photo, and the terms with their counts.
import { sql } from 'drizzle-orm';
import { customType, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { photos } from './photos.js';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * What keyword search reads: one row per photo with the words of every field it can be found by, written by
 * `refreshSearchDocuments` whenever one of its sources changes. `document` weighs the fields (A: tags, people,
 * places, albums, keywords; B: caption and description; C: OCR text and codes' text; D: file name and camera); `terms` lists the
 * suggestion terms the photo counts towards (kept so that a refresh can move the counts by the difference).
 */
export const photoSearch = pgTable(
  'photo_search',
  {
    photoId: uuid('photo_id')
      .primaryKey()
      .references(() => photos.id, { onDelete: 'cascade' }),
    ownerId: uuid('owner_id').notNull(),
    tags: text('tags').notNull().default(''),
    people: text('people').notNull().default(''),
    places: text('places').notNull().default(''),
    albums: text('albums').notNull().default(''),
    keywords: text('keywords').notNull().default(''),
    caption: text('caption').notNull().default(''),
    ocr: text('ocr').notNull().default(''),
    filename: text('filename').notNull().default(''),
    camera: text('camera').notNull().default(''),
    terms: text('terms')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    document: tsvector('document').generatedAlwaysAs(
      sql`setweight(to_tsvector('shoebox', tags || ' ' || people || ' ' || places || ' ' || albums || ' ' || keywords), 'A') || setweight(to_tsvector('shoebox', caption), 'B') || setweight(to_tsvector('shoebox', ocr), 'C') || setweight(to_tsvector('shoebox', filename || ' ' || camera), 'D')`,
    ),
    /**
     * The A fields alone, with their own index: the first keyword pass ("the words are in a tag, a name, a
     * place…") is then an index lookup instead of a weight recheck of every photo the words occur in.
     */
    strong: tsvector('strong').generatedAlwaysAs(sql`to_tsvector('shoebox', tags || ' ' || people || ' ' || places || ' ' || albums || ' ' || keywords)`),
  },
  (t) => [index('photo_search_document_idx').using('gin', t.document), index('photo_search_strong_idx').using('gin', t.strong)],
);

/**
 * Suggestion terms with the number of photos each one finds: tags, people, places, cameras, albums. Counts move
 * with each refresh of a photo's search row; a term at zero is kept (cheap) but never suggested.
 */
export const searchTerms = pgTable(
  'search_terms',
  {
    ownerId: uuid('owner_id').notNull(),
    /** tag | person | place | camera | album */
    kind: text('kind').notNull(),
    /** The value as lower-case text, or the person's/album's id. */
    key: text('key').notNull(),
    /** What the user sees and what the search box receives. */
    label: text('label').notNull(),
    normalized: text('normalized').notNull(),
    photos: integer('photos').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.ownerId, t.kind, t.key] }),
    index('search_terms_normalized_trgm_idx').using('gin', t.normalized.op('gin_trgm_ops')),
    index('search_terms_prefix_idx').on(t.ownerId, t.normalized.op('text_pattern_ops')),
  ],
);
