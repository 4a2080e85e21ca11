import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/auth/rate-limit.js';

describe('rate limiter', () => {
  it('lets a burst through, then refills evenly, per key', () => {
    let now = 0;
    const limiter = new RateLimiter(3, 60_000, () => now);
    expect([limiter.take('ann'), limiter.take('ann'), limiter.take('ann')]).toEqual([0, 0, 0]);
    expect(limiter.take('ann')).toBe(20_000);
    expect(limiter.take('bob')).toBe(0);
    now = 20_000;
    expect(limiter.take('ann')).toBe(0);
    expect(limiter.take('ann')).toBeGreaterThan(0);
  });

  it('charges a cost (files of an upload) and never limits at capacity 0', () => {
    let now = 0;
    const limiter = new RateLimiter(10, 3_600_000, () => now);
    expect(limiter.take('ann', 8)).toBe(0);
    expect(limiter.take('ann', 3)).toBe(360_000);
    now = 360_000;
    expect(limiter.take('ann', 3)).toBe(0);
    const open = new RateLimiter(0, 1000);
    for (let i = 0; i < 100; i++) expect(open.take('x')).toBe(0);
  });
});
