// QR codes and barcodes read on each photo (the codes step): what they say, for search and the photo page.
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { photos } from './photos.js';
import { users } from './users.js';

/**
 * One row per code found: its format (QRCode, EAN-13, DataMatrix…), its text as decoded (control characters out:
 * PostgreSQL's text refuses NUL), the words search finds it by (a URL's host and path words), and its box in the
 * photo's upright pixels (the edited image's for an edited photo), as faces' and OCR words' boxes are.
 */
export const photoCodes = pgTable(
  'photo_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    photoId: uuid('photo_id')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    format: text('format').notNull(),
    text: text('text').notNull(),
    words: text('words').notNull().default(''),
    x: integer('x').notNull(),
    y: integer('y').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('photo_codes_photo_idx').on(t.photoId), index('photo_codes_owner_idx').on(t.ownerId)],
);
