// The sharing rules: what a user may read or change beyond their own library, in one place. Queries take the
// sets it loads (a PhotoScope, photo-scope.ts) or ask it about one photo or album; none re-invents sharing.
import { sql } from 'drizzle-orm';
import { rows } from '../db/connection.js';
import { ownScope, scopeCondition, type PhotoScope } from './photo-scope.js';
import { UserError } from '../base/errors.js';
import { isOwner, ownsSql, type OwnerView } from './rows.js';

export type AlbumRole = 'owner' | 'editor' | 'viewer';

/** The user's own photos (of the photos row `alias`): what the pipeline's progress and similar own-only counts read. */
export function ownPhotoSql(lib: OwnerView, alias = 'p') {
  return scopeCondition(ownScope(lib.ownerId), alias);
}

export { sameOwnerSql } from './rows.js';

/**
 * The sharing rule for albums, the only place it is written: the albums (of the albums row `alias`) the user may
 * open — their own, or one its owner shared with them (`sharing`: only one of the two).
 */
export function albumVisible(lib: OwnerView, alias = 'a', sharing?: 'mine' | 'shared') {
  const own = ownsSql(lib, alias);
  const shared = sql`exists (select 1 from album_shares s where s.album_id = ${sql.raw(alias)}.id and s.user_id = ${lib.ownerId}::uuid)`;
  if (sharing === 'mine') return own;
  if (sharing === 'shared') return shared;
  return sql`(${own} or ${shared})`;
}

/** The role album `alias` was shared with the user with (`editor`, `viewer`), null when it was not shared with them. */
export function shareRole(lib: OwnerView, alias = 'a') {
  return sql`(select s.role from album_shares s where s.album_id = ${sql.raw(alias)}.id and s.user_id = ${lib.ownerId}::uuid)`;
}

/** How many users album `alias` is shared with. */
export function shareCount(alias = 'a') {
  return sql`(select count(*)::int from album_shares s where s.album_id = ${sql.raw(alias)}.id)`;
}

/**
 * Photos (of the photos row `alias`) the user may see one by one: their own, a partner's, or in an album they may
 * open (albumVisible).
 */
export function visiblePhotoSql(lib: OwnerView, alias = 'p') {
  const me = sql`${lib.ownerId}::uuid`;
  const p = sql.raw(alias);
  return sql`(${ownsSql(lib, alias)} or (${p}.deleted_at is null and (
      exists (select 1 from partners pa where pa.sharer_id = ${p}.owner_id and pa.partner_id = ${me})
      or exists (select 1 from album_photos ap join albums a on a.id = ap.album_id
                 where ap.photo_id = ${p}.id and ${albumVisible(lib, 'a')}))))`;
}

export interface PhotoAccess {
  ownerId: string;
  ownerName: string;
  /** The user's own photo: every route may change it; otherwise it is read-only. */
  own: boolean;
}

/** How the user may reach one photo; null when they may not (the route answers 404). */
export async function photoAccess(lib: OwnerView, photoId: string): Promise<PhotoAccess | null> {
  const [row] = await rows<{ owner_id: string; owner_name: string }>(
    lib.db,
    sql`select p.owner_id, u.name as owner_name from photos p join users u on u.id = p.owner_id
        where p.id = ${photoId}::uuid and ${visiblePhotoSql(lib)}`,
  );
  return row ? { ownerId: row.owner_id, ownerName: row.owner_name, own: row.owner_id === lib.ownerId } : null;
}

/** The user's role on an album: its owner, or the role it was shared with; null (a 404) otherwise. */
export async function albumRole(lib: OwnerView, albumId: string): Promise<AlbumRole | null> {
  const [row] = await rows<{ owner_id: string; role: string | null }>(
    lib.db,
    sql`select a.owner_id, ${shareRole(lib, 'a')} as role from albums a where a.id = ${albumId}::uuid`,
  );
  return row ? albumRoleOf(lib, row.owner_id, row.role) : null;
}

/** The user's role on an album read already (its owner, and the role it was shared with them with): null for none. */
export function albumRoleOf(lib: OwnerView, albumOwner: string, sharedAs: string | null): AlbumRole | null {
  if (isOwner(lib, albumOwner)) return 'owner';
  return sharedAs === 'editor' || sharedAs === 'viewer' ? sharedAs : null;
}

/** Throws the album's 404 unless the user has one of the roles. */
export async function requireAlbumRole(lib: OwnerView, albumId: string, allowed: readonly AlbumRole[]): Promise<AlbumRole> {
  const role = await albumRole(lib, albumId);
  if (role === null) throw new UserError('not-found', `no album with id ${albumId}`);
  if (!allowed.includes(role)) {
    throw new UserError(
      'forbidden',
      role === 'viewer' ? 'this album is shared with you to view: only its owner or an editor may change it' : "only the album's owner may do this",
    );
  }
  return role;
}

/** What is shared with a user: partners' libraries (and whether they chose them for the timeline), albums. */
interface SharedWithUser {
  partners: { id: string; inTimeline: boolean }[];
  albumIds: string[];
}

/**
 * What is shared with each user, kept for a moment: every gallery page and search asks, and a query costs about
 * as much as the page itself saves elsewhere (bench/README.md). Changes made through this process clear it at
 * once (sharingChanged); another server of a cluster sees them within SHARED_TTL_MS.
 */
const SHARED_TTL_MS = 2000;
const sharedCache = new WeakMap<object, { at: number; generation: number; value: SharedWithUser }>();
let generation = 0;

/** Call after any change to partners or album shares. */
export function sharingChanged(): void {
  generation++;
}

async function sharedWith(lib: OwnerView): Promise<SharedWithUser> {
  const cached = sharedCache.get(lib.ownerCache);
  if (cached && cached.generation === generation && performance.now() - cached.at < SHARED_TTL_MS) return cached.value;
  const started = generation;
  const found = await rows<{ kind: 'partner' | 'album'; id: string; in_timeline: boolean }>(
    lib.db,
    sql`select 'partner' as kind, sharer_id as id, in_timeline from partners where partner_id = ${lib.ownerId}::uuid
        union all select 'album', album_id, false from album_shares where user_id = ${lib.ownerId}::uuid`,
  );
  const value = {
    partners: found
      .filter((row) => row.kind === 'partner')
      .map((row) => ({ id: row.id, inTimeline: row.in_timeline }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    albumIds: found
      .filter((row) => row.kind === 'album')
      .map((row) => row.id)
      .sort(),
  };
  if (started === generation) sharedCache.set(lib.ownerCache, { at: performance.now(), generation, value });
  return value;
}

/**
 * The photos a search may return: the user's, their partners', and those of the albums shared with them. With
 * nothing shared it is the own-only scope, and the search runs exactly as before.
 */
export async function searchScope(lib: OwnerView): Promise<PhotoScope> {
  const shared = await sharedWith(lib);
  if (shared.partners.length === 0 && shared.albumIds.length === 0) return ownScope(lib.ownerId);
  return { userId: lib.ownerId, partnerIds: shared.partners.map((p) => p.id), albumIds: shared.albumIds };
}

/** The user's own photos only (no partner's, no shared album's): what an export takes out. */
export function ownPhotosScope(lib: OwnerView): PhotoScope {
  return ownScope(lib.ownerId);
}

/**
 * The photos the timeline shows: the user's own and those of the partners they put in it; with `owner`, one
 * partner's library alone (404 unless that partner shares it with the user); with `album`, an album the user may
 * open, whoever's photos are in it (an editor's in the owner's album, the owner's in a shared one).
 */
export async function timelineScope(lib: OwnerView, owner?: string, album?: string): Promise<PhotoScope> {
  if (album !== undefined && owner === undefined && (await albumRole(lib, album)) !== null) {
    return { userId: lib.ownerId, partnerIds: [], albumIds: [album] };
  }
  const shared = await sharedWith(lib);
  if (owner !== undefined && owner !== lib.ownerId) {
    if (!shared.partners.some((p) => p.id === owner)) throw new UserError('not-found', `no library of user ${owner} is shared with you`);
    return { userId: lib.ownerId, partnerIds: [owner], albumIds: [], othersOnly: true };
  }
  const partnerIds = owner === lib.ownerId ? [] : shared.partners.filter((p) => p.inTimeline).map((p) => p.id);
  return partnerIds.length === 0 ? ownScope(lib.ownerId) : { userId: lib.ownerId, partnerIds, albumIds: [] };
}
