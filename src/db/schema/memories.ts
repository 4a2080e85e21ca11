// Memories: moments of the library brought back (on this day, trips, people over the years), computed by a
// periodic job per user (library/memories), with what the user hid and how they want them.
import { sql } from 'drizzle-orm';
import { bigint, doublePrecision, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.js';

export const memories = pgTable(
  'memories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** on-this-day | trip | person-years */
    kind: text('kind').notNull(),
    /** What the memory is of, stable between runs ("trip:2024-05-03", "person-years:<id>"): what hiding remembers. */
    key: text('key').notNull(),
    title: text('title').notNull(),
    subtitle: text('subtitle').notNull(),
    dateFrom: timestamp('date_from', { withTimezone: true }).notNull(),
    dateTo: timestamp('date_to', { withTimezone: true }).notNull(),
    /** Best first, near-copies folded (a stack is its cover, a burst one photo). */
    photoIds: uuid('photo_ids').array().notNull(),
    /** How high it shows: today's first, then by size and how recent. */
    rank: doublePrecision('rank').notNull(),
    /** The day (the user's) it was computed for. */
    computedFor: text('computed_for').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('memories_owner_key_uq').on(t.ownerId, t.key), index('memories_owner_rank_idx').on(t.ownerId, t.rank)],
);

/** Memories the user hid: kept hidden when they are computed again. */
export const hiddenMemories = pgTable(
  'hidden_memories',
  {
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    hiddenAt: timestamp('hidden_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.key] })],
);

/** How a user wants memories: kinds turned off, and home when they set it (else learned from the photos). */
export const memorySettings = pgTable('memory_settings', {
  ownerId: uuid('owner_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  kindsOff: text('kinds_off')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  homeLatitude: doublePrecision('home_latitude'),
  homeLongitude: doublePrecision('home_longitude'),
  /** The day (the user's) the memories were last computed for: a day not yet computed is computed when asked. */
  computedFor: text('computed_for'),
  /** The photo_order mark read as they were computed: an item added, moved, re-dated or removed since moves it on. */
  computedMark: bigint('computed_mark', { mode: 'number' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
