// Albums shared with other users of the server: viewers see the album and its photos, editors also add their own
// photos and take any out. Only the album's owner shares, changes roles or deletes; a recipient may leave.
import { and, asc, eq } from 'drizzle-orm';
import { albumShares, users } from '../../db/schema.js';
import { requireAlbumRole, sharingChanged } from '../../scope/access.js';
import { UserError } from '../../base/errors.js';
import type { Library } from '../library.js';
import { requireOtherUser } from './users.js';
import { isOwner } from '../../scope/rows.js';
import { mayChange } from '../actors.js';

export const SHARE_ROLES = ['viewer', 'editor'] as const;
export type ShareRole = (typeof SHARE_ROLES)[number];

export interface AlbumShare {
  userId: string;
  name: string;
  email: string | null;
  role: ShareRole;
  createdAt: string;
}

/** Who the album is shared with (its owner's view). */
export async function listAlbumShares(lib: Library, albumId: string): Promise<AlbumShare[]> {
  await requireAlbumRole(lib, albumId, ['owner']);
  const found = await lib.db
    .select({ userId: albumShares.userId, name: users.name, email: users.email, role: albumShares.role, createdAt: albumShares.createdAt })
    .from(albumShares)
    .innerJoin(users, eq(users.id, albumShares.userId))
    .where(eq(albumShares.albumId, albumId))
    .orderBy(asc(users.name), asc(users.id));
  return found.map((row) => ({ ...row, role: row.role as ShareRole, createdAt: row.createdAt.toISOString() }));
}

/** Shares the album with a user, or changes their role. */
export async function shareAlbum(lib: Library, albumId: string, userId: string, role: ShareRole): Promise<AlbumShare> {
  mayChange(lib);
  await requireAlbumRole(lib, albumId, ['owner']);
  await requireOtherUser(lib, userId);
  await lib.db
    .insert(albumShares)
    .values({ albumId, userId, role })
    .onConflictDoUpdate({ target: [albumShares.albumId, albumShares.userId], set: { role } });
  sharingChanged();
  return (await listAlbumShares(lib, albumId)).find((share) => share.userId === userId)!;
}

/** Stops sharing: the owner with anyone, or a recipient leaving an album shared with them. */
export async function unshareAlbum(lib: Library, albumId: string, userId: string): Promise<void> {
  mayChange(lib);
  const role = await requireAlbumRole(lib, albumId, ['owner', 'editor', 'viewer']);
  if (role !== 'owner' && !isOwner(lib, userId)) throw new UserError('forbidden', "only the album's owner may stop sharing it with someone else");
  const removed = await lib.db
    .delete(albumShares)
    .where(and(eq(albumShares.albumId, albumId), eq(albumShares.userId, userId)))
    .returning({ userId: albumShares.userId });
  sharingChanged();
  if (removed.length === 0) throw new UserError('not-found', `album ${albumId} is not shared with user ${userId}`);
}
