// The people a user can share with: the server's other active users, by name and email.
import { and, asc, eq, isNull, ne } from 'drizzle-orm';
import { users } from '../../db/schema.js';
import { UserError } from '../../base/errors.js';
import type { Library } from '../library.js';
import { isOwner } from '../../scope/rows.js';

export interface UserCard {
  id: string;
  name: string;
  email: string | null;
}

/** Every other active user who can sign in (the pre-accounts placeholder has no email and is left out). */
export async function listOtherUsers(lib: Library): Promise<UserCard[]> {
  return lib.db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(ne(users.id, lib.ownerId), isNull(users.disabledAt)))
    .orderBy(asc(users.name), asc(users.id))
    .then((found) => found.filter((user) => user.email !== null));
}

/** The user to share with: another active user, else a 400 that says why. */
export async function requireOtherUser(lib: Library, userId: string): Promise<UserCard> {
  if (isOwner(lib, userId)) throw new UserError('invalid', 'you cannot share with yourself');
  const [user] = await lib.db
    .select({ id: users.id, name: users.name, email: users.email, disabledAt: users.disabledAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!user || user.disabledAt || user.email === null) throw new UserError('invalid', `no active user with id ${userId}`);
  return { id: user.id, name: user.name, email: user.email };
}
