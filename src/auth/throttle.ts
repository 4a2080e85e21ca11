// Password attempts counted in the database (auth_failures), under the rules of login-limiter.ts: every server of
// a cluster sees the same counts, and a restart forgets none. An attempt is counted as a failure before the
// password is checked and taken back when it was right, so that a burst of parallel guesses cannot all slip
// through before the first failure is written. What is counted is failures, not attempts: an attempt that would
// be refused only for the attempts of the same client still being checked in this process waits for them to end
// (they may well be right: a burst of right passwords all got in), and one refused is not counted at all.
import { createHash } from 'node:crypto';
import { eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { authFailures } from '../db/schema.js';
import { clientOf, currentFailures, FORGET_AFTER_MS, waitMs, type Count, type Counts } from './login-limiter.js';

type Kind = keyof Counts;
type Keys = Record<Kind, string>;

const hashed = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 40);

/** How long an attempt waits for another one's end before it looks again (one of another process's, which sends no word). */
const LOOK_AGAIN_MS = 1000;

export class PasswordThrottle {
  /** Attempts of this process whose passwords are being checked, by key (the failures they were counted as). */
  private readonly checking = new Map<string, number>();
  /** Per client: the end of its last attempt's start (its counts are read and charged one attempt at a time). */
  private readonly turns = new Map<string, Promise<unknown>>();
  /** Per client: what its waiting attempts are woken by when one of its attempts ends. */
  private readonly ended = new Map<string, Set<() => void>>();

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The client at `address` tries a password on `target` (`account:<email>`, `link:<id>`): `check` says whether it is
   * right. Answers the milliseconds to wait when the client is refused (its password not checked), else 0: the
   * check ran, and it counted as a failure when it was wrong.
   */
  async attempt(target: string, address: string | undefined, check: () => Promise<boolean>): Promise<number> {
    const client = clientOf(address);
    const keys: Keys = { client: `client:${hashed(client)}`, pair: `pair:${hashed(`${target}\n${client}`)}`, target: `target:${hashed(target)}` };
    for (;;) {
      const started = await this.inTurn(keys.client, () => this.start(keys));
      if (typeof started === 'number') {
        if (started > 0) return started;
        break;
      }
      await started.wake;
    }
    let right = false;
    try {
      right = await check();
    } finally {
      await this.end(keys, right);
    }
    return 0;
  }

  /** Runs `step` after the client's earlier ones: one attempt's counts are read and charged at a time. */
  private inTurn<T>(client: string, step: () => Promise<T>): Promise<T> {
    const turn = (this.turns.get(client) ?? Promise.resolve()).then(step, step);
    const tail = turn.catch(() => undefined);
    this.turns.set(client, tail);
    void tail.then(() => {
      if (this.turns.get(client) === tail) this.turns.delete(client);
    });
    return turn;
  }

  /**
   * Charges the attempt as a failure and answers 0; or answers the wait of a refused client; or, when it is refused
   * only for attempts still being checked, what wakes it to look again.
   */
  private async start(keys: Keys): Promise<number | { wake: Promise<void> }> {
    const now = this.now();
    const before = await this.read(keys);
    const wait = waitMs(before, now);
    if (wait > 0) {
      if (this.beingChecked(keys.client) > 0 && waitMs(this.settled(before, keys), now) === 0) return { wake: this.nextEnd(keys.client) };
      return wait;
    }
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
    // Another server counted an attempt of this client between the read and now: judge by what it left.
    const after = (kind: Kind) => charged.find((row) => row.key === keys[kind])?.failures ?? 0;
    const raced = (['client', 'pair'] as const).some((kind) => after(kind) > currentFailures(before[kind], now) + 1);
    if (raced) {
      const left = (kind: Kind): Count => ({ failures: after(kind) - 1, lastFailureAt: now });
      const raceWait = waitMs({ client: left('client'), pair: left('pair'), target: left('target') }, now);
      if (raceWait > 0) {
        await this.takeBack(Object.values(keys));
        return raceWait;
      }
    }
    for (const key of Object.values(keys)) this.checking.set(key, (this.checking.get(key) ?? 0) + 1);
    return 0;
  }

  /** The attempt's password was checked: a right one is no failure, and this client's count on the target starts over. */
  private async end(keys: Keys, right: boolean): Promise<void> {
    try {
      if (right) {
        await this.db.delete(authFailures).where(eq(authFailures.key, keys.pair));
        await this.takeBack([keys.client, keys.target]);
      }
    } finally {
      for (const key of Object.values(keys)) {
        const left = (this.checking.get(key) ?? 1) - 1;
        if (left > 0) this.checking.set(key, left);
        else this.checking.delete(key);
      }
      const waiting = this.ended.get(keys.client);
      this.ended.delete(keys.client);
      for (const wake of waiting ?? []) wake();
    }
  }

  /**
   * One row at a time: a statement that holds one row's lock and waits for none cannot deadlock. One update of several
   * rows locked them in the table's order, while the next attempt's charge held the client's row and waited for the
   * target's: PostgreSQL broke the cycle by failing one (a 500 in a burst of 100 right sign-ins).
   */
  private async takeBack(keys: string[]): Promise<void> {
    for (const key of keys) {
      await this.db
        .update(authFailures)
        .set({ failures: sql`greatest("auth_failures"."failures" - 1, 0)` })
        .where(eq(authFailures.key, key));
    }
  }

  private beingChecked(key: string): number {
    return this.checking.get(key) ?? 0;
  }

  /** The counts without this process's attempts still being checked: the failures known to be failures. */
  private settled(counts: Counts, keys: Keys): Counts {
    const settled: Counts = {};
    for (const kind of Object.keys(counts) as Kind[]) {
      const count = counts[kind]!;
      settled[kind] = { ...count, failures: Math.max(0, count.failures - this.beingChecked(keys[kind])) };
    }
    return settled;
  }

  /** Resolves when an attempt of the client ends, or after LOOK_AGAIN_MS. */
  private nextEnd(client: string): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, LOOK_AGAIN_MS);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      let waiting = this.ended.get(client);
      if (!waiting) this.ended.set(client, (waiting = new Set()));
      waiting.add(wake);
    });
  }

  private async read(keys: Record<Kind, string>): Promise<Counts> {
    const found = await this.db
      .select()
      .from(authFailures)
      .where(inArray(authFailures.key, Object.values(keys)));
    const counts: Counts = {};
    for (const kind of Object.keys(keys) as Kind[]) {
      const row = found.find((r) => r.key === keys[kind]);
      if (row) counts[kind] = { failures: row.failures, lastFailureAt: row.lastFailureAt.getTime() };
    }
    return counts;
  }
}

const throttles = new WeakMap<Db, PasswordThrottle>();

/** The process's throttle on this database: one, so that sign-ins, password changes and links' passwords see each other's attempts. */
export function passwordThrottle(db: Db): PasswordThrottle {
  let throttle = throttles.get(db);
  if (!throttle) throttles.set(db, (throttle = new PasswordThrottle(db)));
  return throttle;
}

/**
 * Forgets counts without a failure for FORGET_AFTER_MS (the periodic upkeep); answers how many. A row an attempt is
 * charging now is skipped, not waited for: waiting while holding the rows deleted before it could close a deadlock
 * with that attempt (see takeBack), and the row is not old once charged.
 */
export async function forgetOldFailures(db: Db, now = Date.now()): Promise<number> {
  const old = db
    .select({ key: authFailures.key })
    .from(authFailures)
    .where(lt(authFailures.lastFailureAt, new Date(now - FORGET_AFTER_MS)))
    .for('update', { skipLocked: true });
  const removed = await db.delete(authFailures).where(inArray(authFailures.key, old)).returning({ key: authFailures.key });
  return removed.length;
}
