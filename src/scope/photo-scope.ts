// Whose photos a query may return: the pure half of the access module (access.ts loads the sets).
import { sql, type SQL } from 'drizzle-orm';
import { uuidArray } from '../db/arrays.js';
import { ownedByAnySql, ownsSql } from './rows.js';

/**
 * The photos a user may see in a listing or a search: their own, every photo of the partners who share their
 * library with them, and the photos of the albums shared with them. Trashed photos of others are never seen.
 */
export interface PhotoScope {
  /** The user the query is for. */
  userId: string;
  /** Owners whose whole library is in scope besides the user's own (partners). */
  partnerIds: readonly string[];
  /** Albums whose photos are in scope (shared with the user). */
  albumIds: readonly string[];
  /** Leave the user's own photos out (a partner's library on its own). */
  othersOnly?: boolean;
}

/** A scope of the user's own photos only: the common case, and the one every query is tuned for. */
export const ownScope = (userId: string): PhotoScope => ({ userId, partnerIds: [], albumIds: [] });

export const isOwnOnly = (scope: PhotoScope): boolean => !scope.othersOnly && scope.partnerIds.length === 0 && scope.albumIds.length === 0;

/** Every owner whose terms (suggestions, typo alternatives) a scope may read. */
export const scopeOwners = (scope: PhotoScope): string[] => [...(scope.othersOnly ? [] : [scope.userId]), ...scope.partnerIds];

/**
 * The scope as a condition on the photos row `alias` (which must expose owner_id, id and deleted_at). Own only:
 * exactly the owner equality the indexes are built for, so that the access check costs nothing there.
 */
export function scopeCondition(scope: PhotoScope, alias = 'p'): SQL {
  const p = sql.raw(alias);
  const own = ownsSql(scope.userId, alias);
  if (isOwnOnly(scope)) return own;
  const others: SQL[] = [];
  if (scope.partnerIds.length > 0) others.push(ownedByAnySql(scope.partnerIds, alias));
  if (scope.albumIds.length > 0) {
    others.push(sql`exists (select 1 from album_photos sap where sap.photo_id = ${p}.id and sap.album_id = any(${uuidArray([...scope.albumIds])}))`);
  }
  const shared = others.length > 0 ? sql`(${p}.deleted_at is null and (${sql.join(others, sql` or `)}))` : sql`false`;
  return scope.othersOnly ? shared : sql`(${own} or ${shared})`;
}

/**
 * The search terms (search_terms as `alias`) a scope may read: its owners', and the names of the albums shared with
 * the user (they belong to their owners). For suggestions and query understanding.
 */
export function termsCondition(scope: PhotoScope, alias = 'st'): SQL {
  const st = sql.raw(alias);
  const owners = ownedByAnySql(scopeOwners(scope), alias);
  if (scope.albumIds.length === 0) return owners;
  return sql`(${owners} or (${st}.kind = 'album' and ${st}.key = any(${uuidArray([...scope.albumIds])}::text[])))`;
}
