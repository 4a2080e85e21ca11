// Duplicates and bursts: the PDQ lookup keys that find them, the groups awaiting review, and the pairs dismissed.
import { boolean, customType, index, integer, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { photos } from './photos.js';
import { users } from './users.js';

const bit256 = customType<{ data: string }>({ dataType: () => 'bit(256)' });

/**
 * Multi-index lookup keys of a photo's PDQ hash (pdq-index.ts): 16 words of 16 bits, key = word index × 65536 +
 * word; two hashes within 31 bits share a key up to one bit, so a check probes 16 × 17 keys, not every photo.
 * Keys are stored for the photo's own hash and for its mirror image's, so a mirrored copy is found by the same
 * probe. The hash rides in the index (INCLUDE, see migration 0005): a probe confirms the distance without
 * reading the photos (~400 key hits per check at 100k photos, 0–2 of them real).
 */
export const photoPdqKeys = pgTable(
  'photo_pdq_keys',
  {
    photoId: uuid('photo_id')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    key: integer('key').notNull(),
    /** The hash the key came from: the photo's own, or its mirror image's. */
    hash: bit256('hash').notNull(),
    mirrored: boolean('mirrored').notNull(),
  },
  (t) => [index('photo_pdq_keys_lookup_idx').on(t.key), index('photo_pdq_keys_photo_idx').on(t.photoId)],
);

/**
 * A group of photos that are the same picture (`duplicate`: review, keep some, trash the rest) or a burst (same
 * camera within seconds, different frames: shown stacked, never offered for deletion). A group lives while it
 * waits for review: resolving or dismissing it remembers the pairs the user separated and removes the group.
 */
export const duplicateGroups = pgTable(
  'duplicate_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** duplicate | burst */
    kind: text('kind').notNull(),
    /** The member suggested to keep: the best shot among the originals that are no edit of another member (library/duplicates/provenance.ts). */
    keeperId: uuid('keeper_id').references(() => photos.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('duplicate_groups_owner_idx').on(t.ownerId, t.kind)],
);

/** A photo in a group, with the evidence that put it there (which tier, matched to which photo, how close). */
export const duplicateMembers = pgTable(
  'duplicate_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => duplicateGroups.id, { onDelete: 'cascade' }),
    photoId: uuid('photo_id')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    /** duplicate | burst (the group's kind; a photo is in at most one group of each kind) */
    kind: text('kind').notNull(),
    /** first (started the group) | pdq | clip | burst */
    tier: text('tier').notNull(),
    matchedPhotoId: uuid('matched_photo_id').references(() => photos.id, { onDelete: 'set null' }),
    /** PDQ Hamming distance to the matched photo (bits), when PDQ was compared. */
    pdqDistance: integer('pdq_distance'),
    /** Whether the PDQ match was with a rotated or mirrored orientation. */
    pdqOrientation: text('pdq_orientation'),
    /** CLIP cosine similarity to the matched photo, when compared. */
    similarity: real('similarity'),
    /**
     * Keeping the group's suggested keeper makes it redundant (library/duplicates/provenance.ts): what the automatic
     * choice proposes for the trash, and what hiding duplicates hides. Never a RAW, another version of the keeper's
     * shot, or a photo with more than the keeper; false in a burst. Null: not chosen since the rules changed (a group
     * from before: chosen again at start, library/duplicates/groups.ts).
     */
    redundant: boolean('redundant'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.photoId] }), uniqueIndex('duplicate_members_photo_kind_uq').on(t.photoId, t.kind)],
);

/** "Not duplicates": pairs the user separated, never grouped again (photo_a < photo_b). */
export const duplicateDismissals = pgTable(
  'duplicate_dismissals',
  {
    photoA: uuid('photo_a')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    photoB: uuid('photo_b')
      .notNull()
      .references(() => photos.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.photoA, t.photoB] }), index('duplicate_dismissals_b_idx').on(t.photoB)],
);
