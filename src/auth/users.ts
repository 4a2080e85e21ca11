// Accounts: set-up of the first admin (claiming a pre-accounts library), users an admin manages, sign-in checks.
import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { rows, type Db } from '../db/connection.js';
import { users } from '../db/schema.js';
import { UserError } from '../base/errors.js';
import { asRole, type Role } from './actor.js';
import { checkPasswordRules, hashPassword, verifyPassword } from './secrets.js';
import { ownsSql } from '../scope/rows.js';

export interface UserInfo {
  id: string;
  name: string;
  email: string | null;
  role: Role;
  disabled: boolean;
  quotaBytes: number | null;
  /** The storage location their new photos go to (an admin's choice); null: the main store. */
  storageLocation: string | null;
  /** Images they may generate per 24 hours (an admin's figure; 0: none); null: the server's SHOEBOX_GENERATION_IMAGES_PER_DAY. */
  generationImagesPerDay: number | null;
  createdAt: string;
}

export interface UserWithUsage extends UserInfo {
  /** Bytes of this user's originals (the trash included: it still takes the space). */
  usedBytes: number;
  photos: number;
}

type UserRow = typeof users.$inferSelect;

export function userInfo(row: UserRow): UserInfo {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: asRole(row.role),
    disabled: row.disabledAt !== null,
    quotaBytes: row.quotaBytes,
    storageLocation: row.storageLocation,
    generationImagesPerDay: row.generationImagesPerDay,
    createdAt: row.createdAt.toISOString(),
  };
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Whether anyone can sign in yet (set-up has been done). */
export async function hasAccounts(db: Db): Promise<boolean> {
  const [found] = await db.select({ id: users.id }).from(users).where(isNotNull(users.email)).limit(1);
  return Boolean(found);
}

/** The owner of a library from before accounts (`local`, no email), whom the first admin becomes; null if none. */
export async function placeholderOwner(db: Db): Promise<string | null> {
  const [placeholder] = await db.select({ id: users.id }).from(users).where(isNull(users.email)).orderBy(asc(users.createdAt)).limit(1);
  return placeholder?.id ?? null;
}

/**
 * Creates the first admin. A library from before accounts has its `local` owner (no email): that row becomes the
 * admin, so every photo, person and album it owns stays put. 409 once anyone can sign in.
 */
export async function setUpAdmin(db: Db, input: { name: string; email: string; password: string }): Promise<UserInfo> {
  checkPasswordRules(input.password);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    // two set-ups at once: the second waits and then finds the first's admin
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('shoebox:setup'))`);
    if (await hasAccounts(tx)) throw new UserError('conflict', 'Shoebox is already set up: sign in, or ask an admin for an account');
    const values = { name: input.name.trim(), email: normaliseEmail(input.email), passwordHash, role: 'admin', updatedAt: new Date() };
    const placeholder = await placeholderOwner(tx);
    const [row] = placeholder
      ? await tx.update(users).set(values).where(eq(users.id, placeholder)).returning()
      : await tx.insert(users).values(values).returning();
    return userInfo(row!);
  });
}

export async function createUser(
  db: Db,
  input: { name: string; email: string; password?: string; role: Role; quotaBytes?: number | null; storageLocation?: string | null },
): Promise<UserInfo> {
  if (input.password !== undefined) checkPasswordRules(input.password);
  const email = normaliseEmail(input.email);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (taken) throw new UserError('conflict', `${email} already has an account`);
  const [row] = await db
    .insert(users)
    .values({
      name: input.name.trim(),
      email,
      passwordHash,
      role: input.role,
      quotaBytes: input.quotaBytes ?? null,
      storageLocation: input.storageLocation ?? null,
    })
    .returning();
  return userInfo(row!);
}

/** The user for an email and password; null for a wrong pair, an unknown email or a disabled account alike. */
export async function checkCredentials(db: Db, email: string, password: string): Promise<UserRow | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(users.email, normaliseEmail(email)));
  const ok = await verifyPassword(row?.passwordHash ?? null, password);
  return ok && row && !row.disabledAt ? row : null;
}

export async function findUser(db: Db, id: string): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(users.email, normaliseEmail(email)));
  return row ?? null;
}

export async function listUsers(db: Db): Promise<UserWithUsage[]> {
  const usage = await rows<{ owner_id: string; bytes: number; photos: number }>(
    db,
    sql`select owner_id, coalesce(sum(size_bytes), 0)::float8 as bytes, count(*)::int as photos from photos group by owner_id`,
  );
  const byOwner = new Map(usage.map((u) => [u.owner_id, u]));
  const found = await db.select().from(users).orderBy(asc(users.createdAt));
  return found.map((row) => ({ ...userInfo(row), usedBytes: Number(byOwner.get(row.id)?.bytes ?? 0), photos: byOwner.get(row.id)?.photos ?? 0 }));
}

/** Bytes of originals the user keeps (for quotas). */
export async function usedBytes(db: Db, userId: string): Promise<number> {
  const [row] = await rows<{ bytes: number }>(
    db,
    sql`select coalesce(sum(size_bytes), 0)::float8 as bytes from photos where ${ownsSql(userId, 'photos')} and library_id is null`,
  );
  return Number(row?.bytes ?? 0);
}

export interface UserChanges {
  name?: string;
  email?: string;
  role?: Role;
  disabled?: boolean;
  quotaBytes?: number | null;
  /** A location the caller has checked is set up (storage/locations.ts); null: the main store. */
  storageLocation?: string | null;
  generationImagesPerDay?: number | null;
  password?: string;
}

/** An admin's changes to a user; refuses to leave the server without an active admin. */
export async function updateUser(db: Db, id: string, changes: UserChanges): Promise<UserInfo | null> {
  const current = await findUser(db, id);
  if (!current) return null;
  const set: Partial<typeof users.$inferInsert> = { updatedAt: new Date() };
  if (changes.name !== undefined) set.name = changes.name.trim();
  if (changes.email !== undefined) {
    const email = normaliseEmail(changes.email);
    const other = await findUserByEmail(db, email);
    if (other && other.id !== id) throw new UserError('conflict', `${email} already has an account`);
    set.email = email;
  }
  if (changes.role !== undefined) set.role = changes.role;
  if (changes.disabled !== undefined) set.disabledAt = changes.disabled ? (current.disabledAt ?? new Date()) : null;
  if (changes.quotaBytes !== undefined) set.quotaBytes = changes.quotaBytes;
  if (changes.storageLocation !== undefined) set.storageLocation = changes.storageLocation;
  if (changes.generationImagesPerDay !== undefined) set.generationImagesPerDay = changes.generationImagesPerDay;
  if (changes.password !== undefined) {
    checkPasswordRules(changes.password);
    set.passwordHash = await hashPassword(changes.password);
  }
  const losesAdmin = current.role === 'admin' && !current.disabledAt && (set.role === 'user' || set.disabledAt);
  if (losesAdmin && (await activeAdmins(db)) <= 1) throw new UserError('conflict', 'this is the last active admin: make another admin first');
  const [row] = await db.update(users).set(set).where(eq(users.id, id)).returning();
  return userInfo(row!);
}

export async function activeAdmins(db: Db): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt)));
  return row?.count ?? 0;
}

/**
 * Whose library a process acts on when no one signs in (the CLI on the library folder, the server's local key):
 * the first active admin, else the pre-accounts `local` owner.
 */
export async function libraryOwnerId(db: Db): Promise<string> {
  const [admin] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt)))
    .orderBy(sql`${users.email} is null`, asc(users.createdAt))
    .limit(1);
  if (admin) return admin.id;
  const [any] = await db.select({ id: users.id }).from(users).orderBy(asc(users.createdAt)).limit(1);
  if (!any) throw new Error('the library has no users');
  return any.id;
}
