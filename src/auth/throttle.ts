// Password attempts counted in the database (auth_failures), under the rules of login-limiter.ts: every server of
// a cluster sees the same counts, and a restart forgets none. An attempt is counted as a failure before the
// password is checked and taken back when it was right, so that a burst of parallel guesses cannot all slip
// through before the first failure is written.
import { createHash } from 'node:crypto';
import { inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { authFailures } from '../db/schema.js';
import { clientOf, currentFailures, FORGET_AFTER_MS, waitMs, type Count, type Counts } from './login-limiter.js';

export interface Attempt {
  /** Milliseconds to wait before trying again; 0: the password may be checked. */
  waitMs: number;
  /** The password was right: the attempt is not a failure, and this client's count on the target starts over. */
  succeeded(): Promise<void>;
}

type Kind = keyof Counts;

const hashed = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 40);

export class PasswordThrottle {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Starts an attempt by the client at `address` on `target` (`account:<email>`, `link:<id>`): refused with a wait,
   * or counted as a failure until `succeeded()`.
   */
  async begin(target: string, address: string | undefined): Promise<Attempt> {
    const client = clientOf(address);
    const keys: Record<Kind, string> = { client: `client:${hashed(client)}`, pair: `pair:${hashed(`${target}\n${client}`)}`, target: `target:${hashed(target)}` };
    const now = this.now();
    const before = await this.read(keys);
    const wait = waitMs(before, now);
    if (wait > 0) return refused(wait);

    const at = new Date(now).toISOString();
    const forgetBefore = new Date(now - FORGET_AFTER_MS).toISOString();
    const charged = await this.db
      .insert(authFailures)
      .values(Object.values(keys).map((key) => ({ key, failures: 1, lastFailureAt: new Date(now) })))
      .onConflictDoUpdate({
        target: authFailures.key,
        set: {
          failures: sql`case when "auth_failures"."last_failure_at" < ${forgetBefore}::timestamptz then 1 else "auth_failures"."failures" + 1 end`,
          lastFailureAt: sql`${at}::timestamptz`,
        },
      })
      .returning({ key: authFailures.key, failures: authFailures.failures });
    // Another attempt of this client was counted between the read and now: judge by what it left.
    const after = (kind: Kind) => charged.find((row) => row.key === keys[kind])?.failures ?? 0;
    const raced = (['client', 'pair'] as const).some((kind) => after(kind) > currentFailures(before[kind], now) + 1);
    if (raced) {
      const left = (kind: Kind): Count => ({ failures: after(kind) - 1, lastFailureAt: now });
      const raceWait = waitMs({ client: left('client'), pair: left('pair'), target: left('target') }, now);
      if (raceWait > 0) return refused(raceWait);
    }
    return {
      waitMs: 0,
      succeeded: async () => {
        await this.db.delete(authFailures).where(inArray(authFailures.key, [keys.pair]));
        await this.db
          .update(authFailures)
          .set({ failures: sql`greatest("auth_failures"."failures" - 1, 0)` })
          .where(inArray(authFailures.key, [keys.client, keys.target]));
      },
    };
  }

  private async read(keys: Record<Kind, string>): Promise<Counts> {
    const found = await this.db.select().from(authFailures).where(inArray(authFailures.key, Object.values(keys)));
    const counts: Counts = {};
    for (const kind of Object.keys(keys) as Kind[]) {
      const row = found.find((r) => r.key === keys[kind]);
      if (row) counts[kind] = { failures: row.failures, lastFailureAt: row.lastFailureAt.getTime() };
    }
    return counts;
  }
}

function refused(wait: number): Attempt {
  return { waitMs: wait, succeeded: async () => {} };
}

/** Forgets counts without a failure for FORGET_AFTER_MS (the periodic upkeep); answers how many. */
export async function forgetOldFailures(db: Db, now = Date.now()): Promise<number> {
  const removed = await db
    .delete(authFailures)
    .where(lt(authFailures.lastFailureAt, new Date(now - FORGET_AFTER_MS)))
    .returning({ key: authFailures.key });
  return removed.length;
}
