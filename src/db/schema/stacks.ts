// Stacks: photos that are one moment or one picture in several files — a raw file and its JPEG, a HEIC and its JPEG,
// the frames of a burst, an original and its edited versions — shown as one tile (the cover) with a count.
import { boolean, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { photos } from './photos.js';
import { users } from './users.js';

export const stacks = pgTable(
  'stacks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** raw-jpeg | heic-jpeg | burst | edits | by-user | mixed: what put the photos together (mixed: more than one reason). */
    kind: text('kind').notNull(),
    /** The photo the tile shows: the user's pick, else the best shot (library/best-shot). */
    coverId: uuid('cover_id').references(() => photos.id, { onDelete: 'set null' }),
    coverByUser: boolean('cover_by_user').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('stacks_owner_idx').on(t.ownerId)],
);

/** A photo in a stack (at most one), with what put it there. */
export const stackMembers = pgTable(
  'stack_members',
  {
    stackId: uuid('stack_id')
      .notNull()
      .references(() => stacks.id, { onDelete: 'cascade' }),
    photoId: uuid('photo_id')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    /** raw-jpeg | heic-jpeg | burst-id | burst-name | burst-time | edited | by-user (stacked by hand) */
    reason: text('reason').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.stackId, t.photoId] }), uniqueIndex('stack_members_photo_uq').on(t.photoId)],
);

/** "Not one stack": pairs the user took apart (photo_a < photo_b), never stacked together again by the rules. */
export const stackSeparations = pgTable(
  'stack_separations',
  {
    photoA: uuid('photo_a')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    photoB: uuid('photo_b')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.photoA, t.photoB] }), index('stack_separations_b_idx').on(t.photoB)],
);
