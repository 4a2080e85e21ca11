// Storage quota reservations: the bytes of uploads under way, counted against their owner's quota with the photos
// kept, so that concurrent uploads (on any server of a cluster) cannot together take the owner past it.
import { bigint, index, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.js';

export const uploadReservations = pgTable(
  'upload_reservations',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    /** Pushed forward while the upload goes on: a reservation left by a process that died counts no more after it. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('upload_reservations_user_idx').on(t.userId)],
);
