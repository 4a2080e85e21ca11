// API keys for scripts and the CLI: named, scoped, shown once, stored as a hash, revocable.
import { and, desc, eq, isNull, ne } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { apiKeys, users } from '../db/schema.js';
import type { Scope } from './actor.js';
import { newToken, tokenHash } from './secrets.js';

/** How often last_used_at is written: a script calling in a loop should not write a row per request. */
const MARK_USED_EVERY_MS = 60 * 1000;

export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  kind: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export async function createApiKey(
  db: Db,
  userId: string,
  name: string,
  scopes: readonly Scope[],
  kind: 'user' | 'local' = 'user',
): Promise<{ id: string; key: string }> {
  const key = newToken('sbx_');
  const [row] = await db
    .insert(apiKeys)
    .values({ userId, name, scopes: [...new Set(scopes)], kind, keyHash: tokenHash(key), prefix: key.slice(0, 10) })
    .returning({ id: apiKeys.id });
  return { id: row!.id, key };
}

/** The key and its owner for a presented key; null when unknown or the owner is disabled. */
export async function findApiKey(db: Db, key: string) {
  const [found] = await db
    .select({ id: apiKeys.id, scopes: apiKeys.scopes, lastUsedAt: apiKeys.lastUsedAt, userId: users.id, role: users.role })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.keyHash, tokenHash(key)), isNull(users.disabledAt)));
  if (!found) return null;
  const now = new Date();
  if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() > MARK_USED_EVERY_MS) {
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, found.id));
  }
  return found;
}

export async function listApiKeys(db: Db, userId: string): Promise<ApiKeyInfo[]> {
  const found = await db.select().from(apiKeys).where(eq(apiKeys.userId, userId)).orderBy(desc(apiKeys.createdAt));
  return found.map((k) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    kind: k.kind,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  }));
}

export async function deleteApiKey(db: Db, userId: string, id: string): Promise<boolean> {
  const removed = await db
    .delete(apiKeys)
    .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId)))
    .returning({ id: apiKeys.id });
  return removed.length > 0;
}

/**
 * Revokes the keys a user made (a password change or reset: whoever knew the old password may have made some);
 * answers how many. The server's own key for the CLI on this machine (kind `local`, src/auth/local-key.ts) stays:
 * it was never handed out, it lives in the data folder readable only by the server's system user, and revoking
 * it would only break `shoebox` commands on the server until its next start.
 */
export async function revokeUserApiKeys(db: Db, userId: string): Promise<number> {
  const removed = await db
    .delete(apiKeys)
    .where(and(eq(apiKeys.userId, userId), ne(apiKeys.kind, 'local')))
    .returning({ id: apiKeys.id });
  return removed.length;
}
