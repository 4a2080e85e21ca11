// Rate limits on the expensive routes, per user (or per share link): a token bucket per key that refills
// evenly, so that a burst is allowed and a steady flood is not. Per process: each server of a cluster counts its own.

interface Bucket {
  tokens: number;
  at: number;
}

/** Keys kept at most: the oldest go first (a forgotten key starts with a full bucket, which errs on the kind side). */
const MAX_KEYS = 50_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** `capacity` tokens per `periodMs`; capacity 0 means no limit. */
  constructor(
    private readonly capacity: number,
    private readonly periodMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes `cost` tokens for the key; answers 0 when it may go on, else the milliseconds until it may. */
  take(key: string, cost = 1): number {
    if (this.capacity === 0) return 0;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    const refilled = Math.min(this.capacity, bucket.tokens + ((now - bucket.at) * this.capacity) / this.periodMs);
    this.buckets.delete(key); // re-inserted last: the map's order is the least recently used first
    if (refilled < cost) {
      this.buckets.set(key, { tokens: refilled, at: now });
      return Math.ceil(((cost - refilled) * this.periodMs) / this.capacity);
    }
    this.buckets.set(key, { tokens: refilled - cost, at: now });
    if (this.buckets.size > MAX_KEYS) this.buckets.delete(this.buckets.keys().next().value!);
    return 0;
  }
}
