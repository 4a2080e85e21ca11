// Sign-in sessions: a random token in a cookie, its hash in the database, an expiry that slides while used.
import { and, eq, gt, isNull, lt, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { sessions, users } from '../db/schema.js';
import { newToken, tokenHash } from './secrets.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Moving the expiry costs a write: do it at most this often per session. */
const TOUCH_EVERY_MS = 60 * 60 * 1000;

export interface SessionInfo {
  id: string;
  userAgent: string | null;
  address: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

export async function createSession(
  db: Db,
  userId: string,
  days: number,
  client: { userAgent?: string; address?: string },
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = newToken('sbs_');
  const expiresAt = new Date(Date.now() + days * DAY_MS);
  const [row] = await db
    .insert(sessions)
    .values({ userId, tokenHash: tokenHash(token), expiresAt, userAgent: client.userAgent?.slice(0, 300) ?? null, address: client.address ?? null })
    .returning({ id: sessions.id });
  return { id: row!.id, token, expiresAt };
}

/** The session and its user for a cookie's token; null when unknown, expired, or the user is disabled. */
export async function findSession(db: Db, token: string, days: number) {
  const now = new Date();
  const [found] = await db
    .select({ id: sessions.id, lastSeenAt: sessions.lastSeenAt, userId: users.id, role: users.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash(token)), gt(sessions.expiresAt, now), isNull(users.disabledAt)));
  if (!found) return null;
  if (now.getTime() - found.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db
      .update(sessions)
      .set({ lastSeenAt: now, expiresAt: new Date(now.getTime() + days * DAY_MS) })
      .where(eq(sessions.id, found.id));
  }
  return found;
}

export async function listSessions(db: Db, userId: string, currentId: string | undefined): Promise<SessionInfo[]> {
  const found = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, new Date())))
    .orderBy(sql`${sessions.lastSeenAt} desc`);
  return found.map((s) => ({
    id: s.id,
    userAgent: s.userAgent,
    address: s.address,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    current: s.id === currentId,
  }));
}

/** Ends one of the user's sessions; false when it is not theirs. */
export async function revokeSession(db: Db, userId: string, id: string): Promise<boolean> {
  const removed = await db
    .delete(sessions)
    .where(and(eq(sessions.id, id), eq(sessions.userId, userId)))
    .returning({ id: sessions.id });
  return removed.length > 0;
}

/** Ends every session of the user but `keep` (all of them without). */
export async function revokeOtherSessions(db: Db, userId: string, keep?: string): Promise<number> {
  const condition = keep ? and(eq(sessions.userId, userId), ne(sessions.id, keep)) : eq(sessions.userId, userId);
  return (await db.delete(sessions).where(condition).returning({ id: sessions.id })).length;
}

export async function removeExpiredSessions(db: Db): Promise<number> {
  return (await db.delete(sessions).where(lt(sessions.expiresAt, new Date())).returning({ id: sessions.id })).length;
}
