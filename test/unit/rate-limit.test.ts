import { describe, expect, it } from 'vitest';
import { visitorKey } from '../../src/api/visitor-copy.js';
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

  it("counts a share link's visitor by address, an IPv6 one by its /64 (one host has all of it)", () => {
    const key = (address: string, linkId = 'link-a') => visitorKey({ linkId, address });
    expect(key('2001:db8:1:2::1')).toBe(key('2001:db8:1:2:ffff:ffff:ffff:fffe'));
    expect(key('2001:db8:1:2::1')).not.toBe(key('2001:db8:1:3::1'));
    expect(key('::ffff:192.0.2.7')).toBe(key('192.0.2.7'));
    expect(key('192.0.2.7')).not.toBe(key('192.0.2.8'));
    expect(key('192.0.2.7')).not.toBe(key('192.0.2.7', 'link-b'));
  });
});
