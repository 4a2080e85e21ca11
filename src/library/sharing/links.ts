// Share links: an album, or a chosen set of photos, shown to anyone who has the link — read-only, optionally
// behind a password and until a date, with or without downloads and uploads. Revoking a link deletes it.
import { createHmac } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { shareLinkPhotos, shareLinks, type ShareLinkRow } from '../../db/schema.js';
import { checkPasswordRules, hashPassword, newToken, sameSecret } from '../../auth/secrets.js';
import { requireAlbumRole } from '../../scope/access.js';
import { ALBUM_IDS_MAX, requireOwnPhotos } from '../albums/manual.js';
import { UserError } from '../../base/errors.js';
import type { Library } from '../library.js';
import { owns, ownsSql } from '../../scope/rows.js';
import { mayChange } from '../actors.js';
import { removeCopiesNoLinkShows } from '../photos/visitor-copies.js';

/** Photos one link may name (an album's link has no limit: it follows the album); as many as an album request. */
export const LINK_PHOTOS_MAX = ALBUM_IDS_MAX;
export const LINK_DESCRIPTION_MAX = 2000;

export interface LinkSettings {
  description?: string | null;
  /** A new password; null removes it. */
  password?: string | null;
  /** null: never expires. */
  expiresAt?: Date | null;
  /** Off by default: an original says where it was taken and with which camera. */
  allowDownload?: boolean;
  allowUpload?: boolean;
  /** Visitors' originals keep their location and serial numbers; off by default (removed from their copy). */
  keepMetadata?: boolean;
}

export interface LinkSummary {
  id: string;
  token: string;
  /** The visitor's page, relative to the server's address. */
  path: string;
  albumId: string | null;
  albumName: string | null;
  photoCount: number;
  /** Of them, videos (the owner's list says "3 photos and 1 video"). */
  videoCount: number;
  description: string | null;
  hasPassword: boolean;
  expiresAt: string | null;
  expired: boolean;
  allowDownload: boolean;
  allowUpload: boolean;
  keepMetadata: boolean;
  viewCount: number;
  lastViewedAt: string | null;
  createdAt: string;
}

interface LinkListRow {
  id: string;
  token: string;
  album_id: string | null;
  album_name: string | null;
  photo_count: number;
  video_count: number;
  description: string | null;
  has_password: boolean;
  expires_at: string | Date | null;
  allow_download: boolean;
  allow_upload: boolean;
  keep_metadata: boolean;
  view_count: number;
  last_viewed_at: string | Date | null;
  created_at: string | Date;
}

const iso = (value: string | Date | null) => (value === null ? null : new Date(value).toISOString());

function toSummary(row: LinkListRow): LinkSummary {
  const expiresAt = iso(row.expires_at);
  return {
    id: row.id,
    token: row.token,
    path: `/s/${row.token}`,
    albumId: row.album_id,
    albumName: row.album_name,
    photoCount: row.photo_count,
    videoCount: row.video_count,
    description: row.description,
    hasPassword: row.has_password,
    expiresAt,
    expired: expiresAt !== null && Date.parse(expiresAt) <= Date.now(),
    allowDownload: row.allow_download,
    allowUpload: row.allow_upload,
    keepMetadata: row.keep_metadata,
    viewCount: row.view_count,
    lastViewedAt: iso(row.last_viewed_at),
    createdAt: iso(row.created_at)!,
  };
}

/** The photos a link shows, as a condition on `p`: its album's or its own list; never a trashed one. */
export function linkPhotosSql(link: Pick<ShareLinkRow, 'id' | 'albumId'>) {
  return sql`(${linkMemberSql(link)} and p.deleted_at is null)`;
}

/** The photos `p` the link names, those in the trash too. */
function linkMemberSql(link: Pick<ShareLinkRow, 'id' | 'albumId'>) {
  return link.albumId
    ? sql`exists (select 1 from album_photos ap where ap.photo_id = p.id and ap.album_id = ${link.albumId}::uuid)`
    : sql`exists (select 1 from share_link_photos lp where lp.photo_id = p.id and lp.link_id = ${link.id}::uuid)`;
}

/** The user's links (or one album's), newest first. */
export async function listLinks(lib: Library, options: { albumId?: string; id?: string } = {}): Promise<LinkSummary[]> {
  const found = await rows<LinkListRow>(
    lib.db,
    sql`select l.id, l.token, l.album_id, a.name as album_name, l.description, l.password_hash is not null as has_password,
          l.expires_at, l.allow_download, l.allow_upload, l.keep_metadata, l.view_count, l.last_viewed_at, l.created_at,
          counts.photo_count, counts.video_count
        from share_links l left join albums a on a.id = l.album_id
        cross join lateral (
          select count(*)::int as photo_count, count(*) filter (where p.mime like 'video/%')::int as video_count
          from photos p
          where p.deleted_at is null and p.id in (
            select lp.photo_id from share_link_photos lp where l.album_id is null and lp.link_id = l.id
            union all
            select ap.photo_id from album_photos ap where ap.album_id = l.album_id)
        ) counts
        where ${ownsSql(lib, 'l')}
          ${options.albumId ? sql`and l.album_id = ${options.albumId}::uuid` : sql``}
          ${options.id ? sql`and l.id = ${options.id}::uuid` : sql``}
        order by l.created_at desc, l.id`,
  );
  return found.map(toSummary);
}

async function requireLink(lib: Library, id: string): Promise<LinkSummary> {
  const [link] = await listLinks(lib, { id });
  if (!link) throw new UserError('not-found', `no share link with id ${id}`);
  return link;
}

function cleanSettings(settings: LinkSettings) {
  const description = settings.description === undefined ? undefined : settings.description?.trim() || null;
  if (description && description.length > LINK_DESCRIPTION_MAX)
    throw new UserError('invalid', `a link description has at most ${LINK_DESCRIPTION_MAX} characters`);
  if (settings.password) checkPasswordRules(settings.password);
  if (settings.expiresAt && Number.isNaN(settings.expiresAt.getTime())) throw new UserError('invalid', 'expiresAt must be a date');
  return { description };
}

async function settingsColumns(settings: LinkSettings) {
  const { description } = cleanSettings(settings);
  return {
    ...(description !== undefined ? { description } : {}),
    ...(settings.password !== undefined ? { passwordHash: settings.password === null ? null : await hashPassword(settings.password) } : {}),
    ...(settings.expiresAt !== undefined ? { expiresAt: settings.expiresAt } : {}),
    ...(settings.allowDownload !== undefined ? { allowDownload: settings.allowDownload } : {}),
    ...(settings.allowUpload !== undefined ? { allowUpload: settings.allowUpload } : {}),
    ...(settings.keepMetadata !== undefined ? { keepMetadata: settings.keepMetadata } : {}),
  };
}

/** A link to one of the user's albums, or to some of their photos (exactly one of the two). */
export async function createLink(lib: Library, input: LinkSettings & { albumId?: string; photoIds?: string[] }): Promise<LinkSummary> {
  mayChange(lib);
  if ((input.albumId === undefined) === (input.photoIds === undefined)) throw new UserError('invalid', 'give either albumId or photoIds');
  if (input.albumId) await requireAlbumRole(lib, input.albumId, ['owner']);
  // the chosen photos: the user's own, not in the trash (the albums' check, same bound of ids)
  const photoIds = input.photoIds ? await requireOwnPhotos(lib, input.photoIds, { allowTrashed: false }) : [];
  if (input.photoIds && photoIds.length === 0) throw new UserError('invalid', 'give at least one photo id');
  const columns = await settingsColumns(input);
  const id = await lib.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(shareLinks)
      .values({ ownerId: lib.ownerId, token: newToken(''), albumId: input.albumId ?? null, ...columns })
      .returning({ id: shareLinks.id });
    if (photoIds.length > 0) await tx.insert(shareLinkPhotos).values(photoIds.map((photoId) => ({ linkId: row!.id, photoId })));
    return row!.id;
  });
  return requireLink(lib, id);
}

export async function updateLink(lib: Library, id: string, settings: LinkSettings): Promise<LinkSummary> {
  mayChange(lib);
  await requireLink(lib, id);
  const columns = await settingsColumns(settings);
  if (Object.keys(columns).length > 0) await lib.db.update(shareLinks).set(columns).where(eq(shareLinks.id, id));
  return requireLink(lib, id);
}

/** Revokes the link: it answers 404 from now on, and the copies its visitors got of photos no other link shows go. */
export async function deleteLink(lib: Library, id: string): Promise<void> {
  mayChange(lib);
  const [link] = await lib.db
    .select()
    .from(shareLinks)
    .where(and(eq(shareLinks.id, id), owns(lib, shareLinks)));
  if (!link) throw new UserError('not-found', `no share link with id ${id}`);
  const shown = await rows<{ id: string }>(lib.db, sql`select p.id from photos p where ${linkMemberSql(link)} and ${ownsSql(lib, 'p')}`);
  const removed = await lib.db.delete(shareLinks).where(eq(shareLinks.id, id)).returning({ id: shareLinks.id });
  if (removed.length === 0) throw new UserError('not-found', `no share link with id ${id}`);
  await removeCopiesNoLinkShows(
    lib,
    shown.map((photo) => photo.id),
    'its link was revoked',
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The visitor's side

export type VisitedLink = ShareLinkRow & { ownerName: string; albumName: string | null };

/** The link behind a token: 404 for an unknown or revoked one, 410 once it expired. */
export async function linkForToken(db: Library['db'], token: string): Promise<VisitedLink> {
  const [link] = await db.select().from(shareLinks).where(eq(shareLinks.token, token));
  if (!link) throw new UserError('not-found', 'this link does not exist, or its owner revoked it');
  if (link.expiresAt && link.expiresAt.getTime() <= Date.now()) {
    throw new UserError('gone', `this link expired on ${link.expiresAt.toISOString().slice(0, 10)}`);
  }
  const [names] = await rows<{ owner_name: string; album_name: string | null }>(
    db,
    sql`select (select name from users where id = ${link.ownerId}::uuid) as owner_name,
               (select name from albums where id = ${link.albumId}::uuid) as album_name`,
  );
  return { ...link, ownerName: names!.owner_name, albumName: names!.album_name };
}

/**
 * What the visitor's cookie holds once they gave the password: a MAC of the token under the password's hash, so
 * it stops working when the password changes, and a copy of the database cannot make one without the hash.
 */
export function unlockProof(link: Pick<ShareLinkRow, 'token' | 'passwordHash'>): string {
  return createHmac('sha256', link.passwordHash ?? '')
    .update(`shoebox-link:${link.token}`)
    .digest('base64url');
}

export function isUnlocked(link: Pick<ShareLinkRow, 'token' | 'passwordHash'>, proof: string | undefined): boolean {
  if (!link.passwordHash) return true;
  return proof !== undefined && sameSecret(proof, unlockProof(link));
}

export async function countView(db: Library['db'], linkId: string): Promise<void> {
  await db
    .update(shareLinks)
    .set({ viewCount: sql`${shareLinks.viewCount} + 1`, lastViewedAt: new Date() })
    .where(eq(shareLinks.id, linkId));
}

/** After a visitor's upload: an album's link puts the photos in the album, a photo link adds them to itself. */
export async function addUploadsToLink(db: Library['db'], link: VisitedLink, photoIds: string[]): Promise<void> {
  if (photoIds.length === 0) return;
  const values = sql.join(
    photoIds.map((id) => (link.albumId ? sql`(${link.albumId}::uuid, ${id}::uuid)` : sql`(${link.id}::uuid, ${id}::uuid)`)),
    sql`, `,
  );
  if (link.albumId) await db.execute(sql`insert into album_photos (album_id, photo_id) values ${values} on conflict do nothing`);
  else await db.execute(sql`insert into share_link_photos (link_id, photo_id) values ${values} on conflict do nothing`);
}
