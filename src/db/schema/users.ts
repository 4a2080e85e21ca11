// Everyone who can sign in: the table every user-owned row points at.
import { bigint, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Everyone who can sign in. A library made before accounts has one row named `local` with no email: set-up turns
 * it into the admin, so its photos, people and albums stay where they are.
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** Lower-cased; null only for the pre-accounts `local` owner until set-up claims it. */
    email: text('email'),
    /** Argon2id (PHC string); null for users who only sign in through single sign-on. */
    passwordHash: text('password_hash'),
    /** admin | user */
    role: text('role').notNull().default('user'),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /** Bytes of originals this user may keep; null: no limit. */
    quotaBytes: bigint('quota_bytes', { mode: 'number' }),
    /** Where this user's new photos are stored: a named storage location (storage/locations.ts); null: the main store. */
    storageLocation: text('storage_location'),
    /** Images this user may generate per day (a provider costs money); null: the server's SHOEBOX_GENERATION_IMAGES_PER_DAY. */
    generationImagesPerDay: integer('generation_images_per_day'),
    /** When this user got the starting product types (null: at their first use, library/create/product-types.ts). */
    productTypesSeededAt: timestamp('product_types_seeded_at', { withTimezone: true }),
    /** When this user got the seed categories (null: at the next start, see seedCategories). */
    categoriesSeededAt: timestamp('categories_seeded_at', { withTimezone: true }),
    /** Single sign-on identity: the provider's issuer and subject (`sub`), set on the first OIDC sign-in. */
    oidcIssuer: text('oidc_issuer'),
    oidcSubject: text('oidc_subject'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_uq').on(t.email), uniqueIndex('users_oidc_uq').on(t.oidcIssuer, t.oidcSubject)],
);
