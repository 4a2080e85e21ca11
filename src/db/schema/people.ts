// The people in each user's photos: the faces found, who they are, and the matches the user turned down.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uuid, vector } from 'drizzle-orm/pg-core';
import { photos } from './photos.js';
import { users } from './users.js';

export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name'),
    hidden: boolean('hidden').notNull().default(false),
    /** A face chosen by the user; otherwise the best face is picked when listing. */
    coverFaceId: uuid('cover_face_id'),
    /**
     * The person's faces and photos outside the trash, as of the last fold of people_count_deltas (the count is this
     * plus their deltas): the people page sorts and counts without reading every face. Checked with photo_people by
     * the hourly upkeep; computed by a target of migrate/backup, never copied.
     */
    faceCount: integer('face_count').notNull().default(0),
    photoCount: integer('photo_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('people_owner_idx').on(t.ownerId)],
);

export const faces = pgTable(
  'faces',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    photoId: uuid('photo_id')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    personId: uuid('person_id').references(() => people.id, { onDelete: 'set null' }),
    /** `auto` (clustering) or `user`; user decisions are never undone by clustering. */
    assignedBy: text('assigned_by'),
    /** Box in upright pixel coordinates of the original. */
    x: real('x').notNull(),
    y: real('y').notNull(),
    width: real('width').notNull(),
    height: real('height').notNull(),
    score: real('score').notNull(),
    landmarks: jsonb('landmarks').$type<{ x: number; y: number }[]>(),
    /** RMS Laplacian of the inner face on the preview (grey levels): whether the face is in focus; null before measured. */
    sharpness: real('sharpness'),
    /** How open the eyes are (ml/faces/eyes.ts: lids' gap over the eye's width); null when not measured. */
    eyesOpen: real('eyes_open'),
    embedding: vector('embedding', { dimensions: 1024 }).notNull(),
    detector: text('detector').notNull(),
    /**
     * The name a face region of the file gave this face, while its person comes from there; null when the user
     * (or clustering) decided. A changed region may move such a face; a user's decision stays.
     */
    regionName: text('region_name'),
    thumbnailKey: text('thumbnail_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('faces_photo_idx').on(t.photoId),
    index('faces_person_idx').on(t.personId),
    // a person's best face first (the people page's cover when the user chose none: people.ts writes the same expression)
    index('faces_cover_idx').on(t.personId, sql`(${t.score} * sqrt(${t.width} * ${t.height})) desc`, t.id),
    index('faces_embedding_hnsw_idx').using('hnsw', t.embedding.op('vector_cosine_ops')),
  ],
);

/** "Not this person": remembered so that clustering never puts the face back. */
export const faceRejections = pgTable(
  'face_rejections',
  {
    faceId: uuid('face_id')
      .notNull()
      .references(() => faces.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.faceId, t.personId] })],
);

export type FaceRow = typeof faces.$inferSelect;
export type PersonRow = typeof people.$inferSelect;

/**
 * Each person's photos in date order (the date lists and searches sort by: taken, else arrived), with how many of
 * the person's faces are on the photo, kept by triggers on faces and photos (migration 0035) and checked by the
 * hourly upkeep (app/upkeep.ts): a search for a name lists that person's photos newest first by walking this index
 * instead of the whole library (search/listing.ts). Derived: never written by the code.
 */
export const photoPeople = pgTable(
  'photo_people',
  {
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    photoId: uuid('photo_id')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    /** The person's faces on the photo: a counter, so that two transactions moving faces at once stay exact. */
    faces: integer('faces').notNull(),
    sortDate: timestamp('sort_date', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.personId, t.photoId] }),
    index('photo_people_order_idx').on(t.personId, t.sortDate.desc(), t.photoId),
    index('photo_people_photo_idx').on(t.photoId),
  ],
);

/**
 * Changes to each person's counts (people.face_count / photo_count) that triggers on photo_people and photos insert
 * (migration 0044) instead of updating the person's row per face: a merge of 10,000 faces or trashing 30,000 photos
 * would otherwise write one hot row that many times in one transaction, and lock people rows in photo order against
 * the faces' order. Insert-only; a fold (library/people/counts.ts) moves them into the columns.
 */
export const peopleCountDeltas = pgTable(
  'people_count_deltas',
  {
    // no reference: a change for a person deleted meanwhile is left for the fold (migration 0044)
    personId: uuid('person_id').notNull(),
    faces: integer('faces').notNull(),
    photos: integer('photos').notNull(),
  },
  (t) => [index('people_count_deltas_person_idx').on(t.personId)],
);
