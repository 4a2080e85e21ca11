// Partner sharing: a user lets another see their whole library, read-only; the partner may show those photos in
// their own timeline. Either side can end it.
import { and, asc, eq } from 'drizzle-orm';
import { partners, users } from '../../db/schema.js';
import { UserError } from '../../base/errors.js';
import type { Library } from '../library.js';
import { sharingChanged } from '../../scope/access.js';
import { requireOtherUser, type UserCard } from './users.js';
import { mayChange } from '../actors.js';

export interface Partnerships {
  /** Users who see the user's library. */
  sharingWith: (UserCard & { since: string })[];
  /** Users whose library the user sees; `inTimeline`: shown in the user's timeline. */
  sharedWithMe: (UserCard & { since: string; inTimeline: boolean })[];
}

export async function listPartners(lib: Library): Promise<Partnerships> {
  const columns = { id: users.id, name: users.name, email: users.email, createdAt: partners.createdAt, inTimeline: partners.inTimeline };
  const [outgoing, incoming] = await Promise.all([
    lib.db.select(columns).from(partners).innerJoin(users, eq(users.id, partners.partnerId)).where(eq(partners.sharerId, lib.ownerId)).orderBy(asc(users.name)),
    lib.db.select(columns).from(partners).innerJoin(users, eq(users.id, partners.sharerId)).where(eq(partners.partnerId, lib.ownerId)).orderBy(asc(users.name)),
  ]);
  const card = (row: (typeof outgoing)[number]) => ({ id: row.id, name: row.name, email: row.email, since: row.createdAt.toISOString() });
  return {
    sharingWith: outgoing.map(card),
    sharedWithMe: incoming.map((row) => ({ ...card(row), inTimeline: row.inTimeline })),
  };
}

/** Lets `partnerId` see the user's whole library (read-only). Sharing again changes nothing. */
export async function addPartner(lib: Library, partnerId: string): Promise<void> {
  mayChange(lib);
  await requireOtherUser(lib, partnerId);
  await lib.db.insert(partners).values({ sharerId: lib.ownerId, partnerId }).onConflictDoNothing();
  sharingChanged();
}

/**
 * Ends a partnership from either side: `outgoing` stops sharing the user's library with `userId`; `incoming`
 * stops seeing the library `userId` shares with the user.
 */
export async function removePartner(lib: Library, userId: string, side: 'outgoing' | 'incoming'): Promise<void> {
  mayChange(lib);
  const [sharerId, partnerId] = side === 'outgoing' ? [lib.ownerId, userId] : [userId, lib.ownerId];
  const removed = await lib.db
    .delete(partners)
    .where(and(eq(partners.sharerId, sharerId), eq(partners.partnerId, partnerId)))
    .returning({ id: partners.partnerId });
  sharingChanged();
  if (removed.length === 0) {
    throw new UserError(
      'not-found',
      side === 'outgoing' ? `your library is not shared with user ${userId}` : `user ${userId} does not share their library with you`,
    );
  }
}

/** The partner's choice: whether a library shared with them shows in their own timeline. */
export async function setPartnerInTimeline(lib: Library, sharerId: string, inTimeline: boolean): Promise<void> {
  mayChange(lib);
  const updated = await lib.db
    .update(partners)
    .set({ inTimeline })
    .where(and(eq(partners.sharerId, sharerId), eq(partners.partnerId, lib.ownerId)))
    .returning({ id: partners.sharerId });
  sharingChanged();
  if (updated.length === 0) throw new UserError('not-found', `user ${sharerId} does not share their library with you`);
}
