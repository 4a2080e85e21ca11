// What users share: albums with other users, links for visitors without an account, whole libraries with a partner.
import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { albums } from './albums.js';
import { photos } from './photos.js';
import { users } from './users.js';

/** An album shared with another user: viewers see it, editors also add and remove photos. */
export const albumShares = pgTable(
  'album_shares',
  {
    albumId: uuid('album_id')
      .notNull()
      .references(() => albums.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** viewer | editor */
    role: text('role').notNull().default('viewer'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.albumId, t.userId] }), index('album_shares_user_idx').on(t.userId)],
);

/**
 * A link that shows an album, or a chosen set of photos, to anyone who has it. The token is the link's address,
 * kept so that its owner can copy the link again (like any share URL); its password is stored as an Argon2 hash.
 */
export const shareLinks = pgTable(
  'share_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    token: text('token').notNull().unique(),
    /** Set for an album's link; null for a link to the photos in share_link_photos. */
    albumId: uuid('album_id').references(() => albums.id, { onDelete: 'cascade' }),
    description: text('description'),
    passwordHash: text('password_hash'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** Off unless the owner switches it on: an original says where it was taken and with which camera. */
    allowDownload: boolean('allow_download').notNull().default(false),
    allowUpload: boolean('allow_upload').notNull().default(false),
    /** Visitors' originals keep their location and serial numbers (else removed from the copy they get). */
    keepMetadata: boolean('keep_metadata').notNull().default(false),
    viewCount: integer('view_count').notNull().default(0),
    lastViewedAt: timestamp('last_viewed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('share_links_owner_idx').on(t.ownerId)],
);

export const shareLinkPhotos = pgTable(
  'share_link_photos',
  {
    linkId: uuid('link_id')
      .notNull()
      .references(() => shareLinks.id, { onDelete: 'cascade' }),
    photoId: uuid('photo_id')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.linkId, t.photoId] })],
);

/** A user (`sharerId`) lets another (`partnerId`) see their whole library, read-only. */
export const partners = pgTable(
  'partners',
  {
    sharerId: uuid('sharer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The partner's choice: show these photos in their own timeline too. */
    inTimeline: boolean('in_timeline').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sharerId, t.partnerId] }), index('partners_partner_idx').on(t.partnerId)],
);

export type ShareLinkRow = typeof shareLinks.$inferSelect;
