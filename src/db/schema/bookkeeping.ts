// The library's own bookkeeping rather than anyone's photos: facts about the library, and change counters.
import { bigint, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Small facts about the library itself (seed versions, the embedding model in use). */
export const libraryMeta = pgTable('library_meta', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Counters that triggers bump when what they watch changes (migration 0007), so that a server may keep a result
 * computed from many rows until its inputs move, checking one row instead of recounting. `photo_order`: a photo
 * arrived, left, moved in the timeline's order or changed a column the library's own filters read (owner, trash,
 * dates, camera, position, favourite). Bumped inside the writing transaction, so that a reader never sees the
 * new count with the old rows.
 */
export const changeMarks = pgTable('change_marks', {
  name: text('name').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
});

/**
 * Which photos each bump of `photo_order` was for (triggers of migration 0036): a server that kept a result at mark N
 * reads the photos changed up to the mark now and mends it, instead of reading everything again (the map's
 * positions, library/map/points.ts). Stacks' members and covers are logged as changes of their photos (the map shows a
 * stack as its cover); a bump for no one photo (a truncate) leaves its version out: a reader finding a version missing
 * reads everything. No reference to photos: a deleted photo's row stays. The upkeep keeps the newest versions only
 * (library/photos/order-changes.ts).
 */
export const photoOrderChanges = pgTable(
  'photo_order_changes',
  {
    version: bigint('version', { mode: 'number' }).notNull(),
    photoId: uuid('photo_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.version, t.photoId] })],
);
