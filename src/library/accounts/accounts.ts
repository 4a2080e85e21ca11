// Accounts as the library sees them: a new account starts with the seed categories. auth/users.ts stores users and
// knows nothing of the library; every account made at run time is made here (admin API, CLI, set-up, OIDC).
import { and, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { createUser, placeholderOwner, setUpAdmin, type UserInfo } from '../../auth/users.js';
import { photos } from '../../db/schema.js';
import { owns } from '../../scope/rows.js';
import { forSystemRows } from '../actors.js';
import { seedCategories } from '../categories/categories.js';

export async function createAccount(db: Db, input: Parameters<typeof createUser>[1]): Promise<UserInfo> {
  const user = await createUser(db, input);
  await seedCategories(db);
  return user;
}

/** The first admin (auth/users.ts `setUpAdmin`), with the seed categories. */
export async function setUpFirstAdmin(db: Db, input: Parameters<typeof setUpAdmin>[1]): Promise<UserInfo> {
  const admin = await setUpAdmin(db, input);
  await seedCategories(db);
  return admin;
}

/** Photos a library from before accounts holds, which become the first admin's at set-up (0 for a new library). */
export async function photosBeforeAccounts(db: Db): Promise<number> {
  const owner = await placeholderOwner(db);
  if (!owner) return 0;
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(photos)
    .where(and(owns(forSystemRows(db, owner), photos), isNull(photos.deletedAt)));
  return row?.count ?? 0;
}
