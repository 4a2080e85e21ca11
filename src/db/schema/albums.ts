// Albums and the photos in them (sharing them is sharing.ts).
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
    /**
     * Its photos and videos outside the trash, kept by triggers (migration 0045) as changes in album_count_deltas
     * that a fold adds here (library/albums/counts.ts): readers add the two. Computed by a target of
     * migrate/backup, never copied.
     */
    photoCount: integer('photo_count').notNull().default(0),
    videoCount: integer('video_count').notNull().default(0),
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
    /**
     * The photo's place in the timeline's order (its taken_local and created_at), copied by triggers (migration
     * 0045) when the row is made and whenever the photo's date changes or it is trashed or restored: an album's page
     * walks album_photos_order_idx instead of sorting all of the album's photos. Whatever an insert gives is
     * replaced; never copied by migrate.
     */
    takenLocal: timestamp('taken_local'),
    photoCreatedAt: timestamp('photo_created_at', { withTimezone: true }),
    /** Whether the photo is in the trash, copied likewise: a deep page skips entries without reading the photos. */
    trashed: boolean('trashed').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.albumId, t.photoId] }),
    index('album_photos_photo_idx').on(t.photoId),
    // the timeline's order (library/photos/filter.ts TIMELINE_ORDER) within one album, the trash left out
    index('album_photos_order_idx')
      .on(t.albumId, t.takenLocal.desc().nullsLast(), t.photoCreatedAt.desc().nullsLast(), t.photoId.desc().nullsLast())
      .where(sql`not ${t.trashed}`),
  ],
);

/**
 * Changes to each album's counts (albums.photo_count / video_count) that triggers on album_photos and photos insert
 * (migration 0045), as people_count_deltas are for people: adding 5,000 photos or trashing 30,000 writes no album's
 * row per photo. Insert-only; a fold (library/albums/counts.ts) moves them into the columns.
 */
export const albumCountDeltas = pgTable(
  'album_count_deltas',
  {
    // no reference: a change for an album deleted meanwhile (its rows cascade away) is left for the fold
    albumId: uuid('album_id').notNull(),
    photos: integer('photos').notNull(),
    videos: integer('videos').notNull(),
  },
  (t) => [index('album_count_deltas_album_idx').on(t.albumId)],
);
