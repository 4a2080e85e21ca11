// Login backoff, per account and per client address: a few free tries, then each failure doubles the wait.
// In memory: one server's view (a cluster's servers each keep their own, which still bounds guessing per server).

/** Free failures per account; an address (a household behind one router, a guesser trying many accounts) gets more. */
export const FREE_FAILURES = 5;
export const FREE_FAILURES_PER_ADDRESS = 20;
const FIRST_WAIT_MS = 1000;
export const MAX_WAIT_MS = 15 * 60 * 1000;
/** A key forgets its failures after this long without one. */
const FORGET_AFTER_MS = 60 * 60 * 1000;
const MAX_KEYS = 100_000;

interface Failures {
  count: number;
  last: number;
  blockedUntil: number;
}

export class LoginLimiter {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds to wait before any of these keys may try again; 0: go ahead. */
  waitMs(keys: readonly string[]): number {
    const now = this.now();
    let wait = 0;
    for (const key of keys) {
      const entry = this.failures.get(key);
      if (!entry) continue;
      if (now - entry.last > FORGET_AFTER_MS) {
        this.failures.delete(key);
        continue;
      }
      wait = Math.max(wait, entry.blockedUntil - now);
    }
    return Math.max(0, wait);
  }

  failed(keys: readonly string[]): void {
    const now = this.now();
    if (this.failures.size > MAX_KEYS) this.prune(now);
    for (const key of keys) {
      const entry = this.failures.get(key) ?? { count: 0, last: now, blockedUntil: 0 };
      entry.count++;
      entry.last = now;
      const over = entry.count - (key.startsWith('address:') ? FREE_FAILURES_PER_ADDRESS : FREE_FAILURES);
      if (over > 0) entry.blockedUntil = now + Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (over - 1));
      this.failures.set(key, entry);
    }
  }

  succeeded(keys: readonly string[]): void {
    for (const key of keys) this.failures.delete(key);
  }

  private prune(now: number): void {
    for (const [key, entry] of this.failures) if (now - entry.last > FORGET_AFTER_MS || entry.blockedUntil < now) this.failures.delete(key);
  }
}
