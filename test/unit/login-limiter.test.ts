import { describe, expect, it } from 'vitest';
import { FREE_FAILURES, FREE_FAILURES_PER_ADDRESS, LoginLimiter, MAX_WAIT_MS } from '../../src/auth/login-limiter.js';

describe('login backoff', () => {
  it('lets a few failures through, then doubles the wait, up to a cap; a success forgets', () => {
    let now = 0;
    const limiter = new LoginLimiter(() => now);
    const keys = ['account:a@example.org'];
    for (let i = 0; i < FREE_FAILURES; i++) {
      expect(limiter.waitMs(keys)).toBe(0);
      limiter.failed(keys);
    }
    expect(limiter.waitMs(keys)).toBe(0);
    limiter.failed(keys);
    expect(limiter.waitMs(keys)).toBe(1000);
    limiter.failed(keys);
    expect(limiter.waitMs(keys)).toBe(2000);
    for (let i = 0; i < 30; i++) limiter.failed(keys);
    expect(limiter.waitMs(keys)).toBe(MAX_WAIT_MS);
    now += MAX_WAIT_MS;
    expect(limiter.waitMs(keys)).toBe(0);
    limiter.succeeded(keys);
    limiter.failed(keys);
    expect(limiter.waitMs(keys)).toBe(0);
  });

  it('gives an address more room than an account, and waits for the strictest key', () => {
    const limiter = new LoginLimiter(() => 0);
    const address = 'address:10.0.0.1';
    for (let i = 0; i < FREE_FAILURES_PER_ADDRESS; i++) limiter.failed([`account:${i}@example.org`, address]);
    expect(limiter.waitMs([address])).toBe(0);
    limiter.failed(['account:x@example.org', address]);
    expect(limiter.waitMs(['account:new@example.org', address])).toBe(1000);
  });
});
