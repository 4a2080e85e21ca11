// Albums as the user opens them: the list with each one's counts and cover, one album with a page of its photos.
import { eq, sql, type SQL } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { photos } from '../../db/schema.js';
import { UserError } from '../../base/errors.js';
import type { Library } from '../library.js';
import { albumRoleOf, albumVisible, shareCount, shareRole, type AlbumRole } from '../../scope/access.js';
import { ALBUM_ORDER_AP, albumCountsSql, albumPageIds, foldAlbumIfMany } from '../photos/album-order.js';
import { TIMELINE_ORDER } from '../photos/filter.js';
import { listColumns, photoListItem } from '../photos/list.js';
import { isOwner, ownerNameSql } from '../../scope/rows.js';
import { foldAlbumCountsIfMany } from './counts.js';

export const ALBUM_KINDS = ['manual', 'auto'] as const;
export type AlbumKind = (typeof ALBUM_KINDS)[number];
export const ALBUM_STATUSES = ['active', 'dismissed'] as const;
export type AlbumStatus = (typeof ALBUM_STATUSES)[number];

export interface AlbumSummary {
  id: string;
  name: string;
  description: string | null;
  kind: AlbumKind;
  status: AlbumStatus;
  /** Photos in it, those in the trash left out. */
  photoCount: number;
  /** How many of them are videos: its card says "12 photos and 2 videos". */
  videoCount: number;
  /** The chosen cover, else the most recent photo; null for an empty album. */
  coverPhotoId: string | null;
  /** Whether the cover was chosen by the user (else it follows the most recent photo). */
  coverChosen: boolean;
  tags: string[];
  primaryCategory: string | null;
  nameSource: string | null;
  /** Whose album it is; `you` when the user's own. */
  owner: { id: string; name: string; you: boolean };
  /** The user's role: owner, or how it was shared with them (editor: may add and remove photos). */
  access: AlbumRole;
  /** How many users it is shared with (the owner's view; 0 for others). */
  sharedWith: number;
  createdAt: string;
  updatedAt: string;
}

interface AlbumRow {
  id: string;
  name: string;
  description: string | null;
  kind: AlbumKind;
  status: AlbumStatus;
  tags: string[] | null;
  primary_category: string | null;
  name_source: string | null;
  created_at: string | Date;
  updated_at: string | Date;
  owner_id: string;
  owner_name: string;
  share_role: string | null;
  shared_with: number;
  /** Photos and videos outside the trash, as kept. */
  counts: [number, number];
  chosen_cover_id: string | null;
  latest_photo_id: string | null;
}

const toSummary = (lib: Library, row: AlbumRow): AlbumSummary => ({
  id: row.id,
  name: row.name,
  description: row.description,
  kind: row.kind,
  status: row.status,
  photoCount: row.counts[0],
  videoCount: row.counts[1],
  coverPhotoId: row.chosen_cover_id ?? row.latest_photo_id,
  coverChosen: row.chosen_cover_id !== null,
  tags: row.tags ?? [],
  primaryCategory: row.primary_category,
  nameSource: row.name_source,
  owner: { id: row.owner_id, name: row.owner_name, you: isOwner(lib, row.owner_id) },
  // a listed album is the user's own or shared with them (albumVisible): a role is always there
  access: albumRoleOf(lib, row.owner_id, row.share_role) ?? 'viewer',
  sharedWith: isOwner(lib, row.owner_id) ? row.shared_with : 0,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

/** The photos of album `a` that are not in the trash. */
const livePhotosOf = sql`album_photos ap join photos p on p.id = ap.photo_id where ap.album_id = a.id and not ap.trashed and p.deleted_at is null`;

/**
 * Albums the user may open, with their counts (kept, migration 0045) and covers (the chosen one while it is still
 * in the album, else the first along album_photos_order_idx); `latest` false leaves the most recent photo to a
 * caller that reads the album's first page anyway.
 */
function albumQuery(lib: Library, where: SQL, sharing?: 'mine' | 'shared', latest = true): SQL {
  const latestPhoto = latest ? sql`(select ap.photo_id from ${livePhotosOf} order by ${ALBUM_ORDER_AP} limit 1)` : sql`null::uuid`;
  return sql`
    select a.id, a.name, a.description, a.kind, a.status, a.tags, a.primary_category, a.name_source, a.created_at, a.updated_at,
      a.owner_id, ${ownerNameSql('a')} as owner_name,
      ${shareRole(lib, 'a')} as share_role,
      ${shareCount('a')} as shared_with,
      ${albumCountsSql} as counts,
      (select p.id from ${livePhotosOf} and p.id = a.cover_photo_id) as chosen_cover_id,
      ${latestPhoto} as latest_photo_id
    from albums a
    where ${albumVisible(lib, 'a', sharing)} and ${where}`;
}

/** Active albums of both kinds (or one), the user's and those shared with them (or one side), manual ones first, newest first. */
export async function listAlbums(
  lib: Library,
  options: { kind?: AlbumKind; page?: number; limit?: number; sharing?: 'mine' | 'shared' } = {},
): Promise<{ items: AlbumSummary[]; total: number; page: number; limit: number }> {
  const page = options.page ?? 1;
  const limit = options.limit ?? 100;
  const where = options.kind ? sql`a.status = 'active' and a.kind = ${options.kind}` : sql`a.status = 'active'`;
  await foldAlbumCountsIfMany(lib.db); // every album listed adds its waiting changes: kept few
  const [items, counted] = await Promise.all([
    rows<AlbumRow>(
      lib.db,
      sql`${albumQuery(lib, where, options.sharing)} order by (a.kind <> 'manual'), a.created_at desc, a.id limit ${limit} offset ${(page - 1) * limit}`,
    ),
    rows<{ total: number }>(lib.db, sql`select count(*)::int as total from albums a where ${albumVisible(lib, 'a', options.sharing)} and ${where}`),
  ]);
  return { items: items.map((row) => toSummary(lib, row)), total: counted[0]?.total ?? 0, page, limit };
}

/** One album the user may open (a dismissed one too: its status says so), or a 404. */
export async function getAlbumSummary(lib: Library, id: string, latest = true): Promise<AlbumSummary> {
  requireUuid(id, 'album id');
  const [row] = await rows<AlbumRow>(lib.db, albumQuery(lib, sql`a.id = ${id}::uuid`, undefined, latest));
  if (!row) throw new UserError('not-found', `no album with id ${id}`);
  return toSummary(lib, row);
}

/** An album with one page of its photos in the timeline's order (photos in the trash left out). */
export async function getAlbum(lib: Library, id: string, options: { page: number; limit: number }) {
  const offset = (options.page - 1) * options.limit;
  requireUuid(id, 'album id');
  await foldAlbumIfMany(lib.db, id); // its counts add its waiting changes: kept few after a big import into it
  // the first page starts with the most recent photo, the cover when none was chosen: not looked for twice
  const album = await getAlbumSummary(lib, id, offset > 0);
  const page = albumPageIds(lib.db, id, options.limit, offset);
  const items = await lib.db
    .select(listColumns)
    .from(photos)
    .innerJoin(page, eq(page.id, photos.id))
    .where(sql`${photos.deletedAt} is null`)
    .orderBy(...TIMELINE_ORDER);
  const coverPhotoId = album.coverPhotoId ?? items[0]?.id ?? null;
  return {
    ...album,
    coverPhotoId,
    photos: { items: items.map(photoListItem), total: album.photoCount, page: options.page, limit: options.limit, offset },
  };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requireUuid(id: string, what: string): void {
  if (!UUID.test(id)) throw new UserError('invalid', `${what} must be a UUID: ${id}`);
}
