// Albums and the photos in them (sharing them is sharing.ts).
import { sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { photos } from './photos.js';
import { users } from './users.js';

/**
 * Albums: `manual` ones the user made (or kept), `auto` ones from clustering the CLIP embeddings; a dismissed
 * auto album stays (so regenerating does not bring it back) but is not listed.
 */
export const albums = pgTable(
  'albums',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    /** manual | auto */
    kind: text('kind').notNull().default('manual'),
    /** active | dismissed */
    status: text('status').notNull().default('active'),
    coverPhotoId: uuid('cover_photo_id').references(() => photos.id, { onDelete: 'set null' }),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    primaryCategory: text('primary_category'),
    /** Where an auto album's name came from: provider | fallback; user once renamed. */
    nameSource: text('name_source'),
    /** An auto album's centre (normalised CLIP embedding), for adding new photos to it incrementally. */
    centroid: real('centroid').array(),
    /** The photos an auto album was made from, sorted: regenerating recognises the same cluster. */
    signature: text('signature'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('albums_owner_idx').on(t.ownerId, t.kind, t.status)],
);

export const albumPhotos = pgTable(
  'album_photos',
  {
    albumId: uuid('album_id')
      .notNull()
      .references(() => albums.id, { onDelete: 'cascade' }),
    photoId: uuid('photo_id')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.albumId, t.photoId] }), index('album_photos_photo_idx').on(t.photoId)],
);
