// Imports from other services sent from the web app (library/imports/): a Google Takeout's or an iCloud export's
// archives uploaded resumably (tus), then imported on the server, with their progress and report.
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.js';

/** Where an import's runs stopped: its progress then, and how many crashes in a row left it there. */
export interface ImportStops {
  done: number;
  total: number;
  crashes: number;
  orderly: boolean;
}

export const imports = pgTable(
  'imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** google-takeout | icloud */
    source: text('source').notNull(),
    /** uploading → importing → done | failed (a failed one may be started again: an import is idempotent) */
    status: text('status').notNull().default('uploading'),
    /** Items imported so far, of how many (while importing). */
    progress: jsonb('progress').$type<{ done: number; total: number }>(),
    /** The counts of the finished import (library/takeout/import.ts TakeoutOutcome, its lists left out). */
    outcome: jsonb('outcome').$type<Record<string, number>>(),
    /** The report as the CLI prints it: counts, files without a sidecar, sidecars without a file, refusals. */
    report: text('report'),
    error: text('error'),
    /**
     * How its last runs ended before their end (library/imports/stops.ts): where the last crash left it, how many
     * crashes in a row there, and whether the last stop was the server's own (orderly: not a crash).
     */
    stops: jsonb('stops').$type<ImportStops>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('imports_owner_idx').on(t.ownerId)],
);

export type ImportRow = typeof imports.$inferSelect;
