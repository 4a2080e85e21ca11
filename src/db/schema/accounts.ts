// Sign-in sessions and API keys. Only hashes of their secrets are stored: a copy of the database signs no one in.
import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users.js';

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** SHA-256 of the cookie's token (hex). */
    tokenHash: text('token_hash').notNull().unique(),
    userAgent: text('user_agent'),
    address: text('address'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** Slides forward as the session is used. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** SHA-256 of the key (hex): keys are 32 random bytes, so a fast hash is enough. */
    keyHash: text('key_hash').notNull().unique(),
    /** The key's first characters, to recognise it in a list. */
    prefix: text('prefix').notNull(),
    scopes: text('scopes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** user: made by its owner | local: the server's own key for the CLI on this machine (in the data folder). */
    kind: text('kind').notNull().default('user'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [index('api_keys_user_idx').on(t.userId)],
);

/**
 * Failed password attempts (sign-in, the current password of a change, share-link passwords), counted per client,
 * per account or link from one client, and per account or link (src/auth/throttle.ts). In the database, so that
 * every server of a cluster sees the same counts and a restart forgets nothing. Keys are hashed: no addresses or
 * email addresses are kept. Rows an hour old are purged by the periodic upkeep.
 */
export const authFailures = pgTable(
  'auth_failures',
  {
    /** `<kind>:<SHA-256 of what is counted>` (kind: client, pair or target). */
    key: text('key').primaryKey(),
    failures: integer('failures').notNull().default(0),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('auth_failures_last_idx').on(t.lastFailureAt)],
);
