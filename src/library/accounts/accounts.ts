// Accounts as the library sees them: a new account starts with the seed categories. auth/users.ts stores users and
// knows nothing of the library; every account made at run time is made here (admin API, CLI, set-up, OIDC).
import type { Db } from '../../db/connection.js';
import { createUser, setUpAdmin, type UserInfo } from '../../auth/users.js';
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
