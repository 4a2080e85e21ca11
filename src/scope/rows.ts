// Whose rows a query reaches: every condition on an owner column is written here (and the sharing rules that widen
// it in photo-scope.ts and access.ts beside it), never by hand in a query. A view of a library (`lib`, made in
// library/actors.ts for who acts) is the usual owner; background work over every user names the owner it is at.
// The fitness test test/unit/owner-ratchet.test.ts fails when a condition on an owner column is written elsewhere.
import { eq, sql, type Column, type SQL } from 'drizzle-orm';
import { uuidArray } from '../db/arrays.js';
import { rows, type Db } from '../db/connection.js';

/** A view of a library as the scope reads it (library/library.ts's `Library` is one): its database and owner. */
export interface OwnerView {
  readonly db: Db;
  readonly ownerId: string;
  /** One object per library and owner, whoever acts: the key of what is kept for the owner's view. */
  readonly ownerCache: object;
}

/** Whose rows: a view of a library (its owner) or, for work done for each user in turn, a user's id. */
export type Owner = string | { readonly ownerId: string };

/** A table whose rows are each one user's. */
export interface OwnedTable {
  ownerId: Column;
}

const idOf = (owner: Owner): string => (typeof owner === 'string' ? owner : owner.ownerId);

/** The owner's rows of a table that is one user's (a Drizzle condition). */
export function owns(owner: Owner, table: OwnedTable): SQL {
  return eq(table.ownerId, idOf(owner));
}

/** The owner's rows, for the row `alias` (or the table's own name) of SQL text. */
export function ownsSql(owner: Owner, alias: string): SQL {
  return sql`${sql.raw(alias)}.owner_id = ${idOf(owner)}::uuid`;
}

/** Rows of any of these owners (the user and the partners whose photos they see), for the row `alias`. */
export function ownedByAnySql(owners: readonly string[], alias: string): SQL {
  return sql`${sql.raw(alias)}.owner_id = any(${uuidArray(owners)})`;
}

/** Rows whose owner is another: written as two ranges, which an index on the owner answers (`<>` reads every row). */
export function notOwnedSql(owner: Owner, alias: string): SQL {
  const id = idOf(owner);
  return sql`(${sql.raw(alias)}.owner_id < ${id}::uuid or ${sql.raw(alias)}.owner_id > ${id}::uuid)`;
}

/**
 * Whether anyone but the owner has photos here: the lowest and the highest owner, each the first row of the owner
 * index from one end. Written without the owner in the probes so that every plan reads one row: a plan made for
 * any owner (PGlite's kept statements, after five runs) served `exists (… owner_id < $1)` by reading the photos
 * through, twice, when the owner was alone (44 of a keyword search's 58 ms at 100k photos).
 */
export function othersHavePhotosSql(owner: Owner): SQL {
  const id = idOf(owner);
  return sql`coalesce((select o.owner_id from photos o order by o.owner_id limit 1) < ${id}::uuid
    or (select o.owner_id from photos o order by o.owner_id desc limit 1) > ${id}::uuid, false)`;
}

/** The name of the user who owns row `alias`, for lists that show other users' rows (a shared album's owner). */
export function ownerNameSql(alias: string): SQL {
  return sql.raw(`(select u.name from users u where u.id = ${alias}.owner_id)`);
}

/** Two rows (by their aliases) of the same owner: an item's parts, a photo and its user's albums, are one user's. */
export function sameOwnerSql(a: string, b: string): SQL {
  return sql.raw(`${a}.owner_id = ${b}.owner_id`);
}

/** Whether a row read already is the owner's (its `ownerId`, or a user's id). */
export function isOwner(owner: Owner, row: { readonly ownerId: string } | string): boolean {
  return idOf(owner) === (typeof row === 'string' ? row : row.ownerId);
}

/**
 * Whose row `id` of `table` is (null: none), for work taken in turn or serialised per user (a library's scans, a
 * clip's share of the video lane, a user's duplicate groups changed under one lock).
 */
export async function rowOwner(db: Db, table: 'libraries' | 'photos' | 'duplicate_groups', id: string): Promise<string | null> {
  const [row] = await rows<{ owner_id: string }>(db, sql`select owner_id from ${sql.raw(table)} where id = ${id}::uuid`);
  return row?.owner_id ?? null;
}
