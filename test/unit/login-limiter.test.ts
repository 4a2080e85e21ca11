import { describe, expect, it } from 'vitest';
import {
  clientOf,
  FORGET_AFTER_MS,
  FREE_PER_CLIENT,
  FREE_PER_PAIR,
  MAX_WAIT_MS,
  UNDER_ATTACK,
  waitAfter,
  waitMs,
  type Counts,
} from '../../src/auth/login-limiter.js';

const at = (failures: number, lastFailureAt = 0) => ({ failures, lastFailureAt });

describe('password guessing rules', () => {
  it('lets a few failures through, then doubles the wait, up to a cap', () => {
    expect(waitAfter(FREE_PER_PAIR, FREE_PER_PAIR)).toBe(0);
    expect(waitAfter(FREE_PER_PAIR + 1, FREE_PER_PAIR)).toBe(1000);
    expect(waitAfter(FREE_PER_PAIR + 2, FREE_PER_PAIR)).toBe(2000);
    expect(waitAfter(FREE_PER_PAIR + 40, FREE_PER_PAIR)).toBe(MAX_WAIT_MS);
    expect(waitAfter(1e9, FREE_PER_PAIR)).toBe(MAX_WAIT_MS);
  });

  it('slows the client by its own failures on one account, and on all accounts together', () => {
    expect(waitMs({ pair: at(FREE_PER_PAIR) }, 0)).toBe(0);
    expect(waitMs({ pair: at(FREE_PER_PAIR + 1) }, 0)).toBe(1000);
    expect(waitMs({ pair: at(FREE_PER_PAIR + 1) }, 400)).toBe(600);
    expect(waitMs({ client: at(FREE_PER_CLIENT) }, 0)).toBe(0);
    expect(waitMs({ client: at(FREE_PER_CLIENT + 3), pair: at(1) }, 0)).toBe(4000);
  });

  it("never refuses a client for the account's failures alone: under attack it only gets fewer free ones", () => {
    const attacked: Counts = { target: at(UNDER_ATTACK * 100) };
    expect(waitMs(attacked, 0)).toBe(0);
    expect(waitMs({ ...attacked, pair: at(1) }, 0)).toBe(0);
    expect(waitMs({ ...attacked, pair: at(2) }, 0)).toBe(1000);
    expect(waitMs({ target: at(UNDER_ATTACK - 1), pair: at(2) }, 0)).toBe(0);
  });

  it('forgets a count an hour after its last failure', () => {
    const counts: Counts = { client: at(FREE_PER_CLIENT + 30), pair: at(FREE_PER_PAIR + 30) };
    expect(waitMs(counts, FORGET_AFTER_MS)).toBe(0);
    expect(waitMs(counts, 10)).toBe(MAX_WAIT_MS - 10);
    expect(waitMs({ target: at(UNDER_ATTACK), pair: at(3) }, FORGET_AFTER_MS + 1)).toBe(0);
  });

  it('knows a client by its IPv4 address, or by the /64 of its IPv6 address', () => {
    expect(clientOf('203.0.113.7')).toBe('203.0.113.7');
    expect(clientOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientOf('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(clientOf('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(clientOf('2001:0DB8:0001:0002:0000:0000:0000:0009')).toBe('2001:db8:1:2::/64');
    expect(clientOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientOf('::1')).toBe('0:0:0:0::/64');
    expect(clientOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientOf(undefined)).toBe('unknown');
  });
});
