// The rules for password guessing (sign-in, the current password of a change, share-link passwords): failures slow
// down the client that made them, never lock an account or a link. Pure: the counts are kept in the database
// (throttle.ts), so that every server of a cluster applies the same rules to the same counts.
//
// Three counts per attempt: the client's failures (on any account or link), its failures on this account or link
// (the pair), and the account's or link's failures from everyone (the target). The client and the pair each get a
// few free failures, then every further failure doubles that client's wait, up to a cap. The target count never
// refuses anyone by itself: past UNDER_ATTACK it only gives each client fewer free failures on it (a soft cap),
// so that the rightful user, with the right password, from a client that has not failed, still gets in.
import net from 'node:net';

/** Failures from one client, on any accounts and links, before it waits (a household behind one router shares it). */
export const FREE_PER_CLIENT = 20;
/** Failures on one account or link from one client before that client waits. */
export const FREE_PER_PAIR = 5;
/** The same, while the account or link is under attack. */
export const FREE_PER_PAIR_UNDER_ATTACK = 1;
/** Failures on one account or link, from all clients together, that make it under attack. */
export const UNDER_ATTACK = 50;
export const FIRST_WAIT_MS = 1000;
export const MAX_WAIT_MS = 15 * 60 * 1000;
/** A count is forgotten after this long without a failure (longer than the longest wait: a patient guesser is not). */
export const FORGET_AFTER_MS = 60 * 60 * 1000;

export interface Count {
  failures: number;
  /** Milliseconds since the epoch. */
  lastFailureAt: number;
}

export interface Counts {
  client?: Count;
  pair?: Count;
  target?: Count;
}

/** The failures a count still holds at `now` (none once forgotten). */
export function currentFailures(count: Count | undefined, now: number): number {
  return count && now - count.lastFailureAt <= FORGET_AFTER_MS ? count.failures : 0;
}

/** How long the last of `failures` makes a client wait, with `free` of them free. */
export function waitAfter(failures: number, free: number): number {
  const over = failures - free;
  return over <= 0 ? 0 : Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** Math.min(over - 1, 30));
}

export function freePerPair(counts: Counts, now: number): number {
  return currentFailures(counts.target, now) >= UNDER_ATTACK ? FREE_PER_PAIR_UNDER_ATTACK : FREE_PER_PAIR;
}

/** Milliseconds the client waits before it may try this account or link again; 0: go ahead. */
export function waitMs(counts: Counts, now: number): number {
  const waits = [0];
  if (counts.client) waits.push(counts.client.lastFailureAt + waitAfter(currentFailures(counts.client, now), FREE_PER_CLIENT) - now);
  if (counts.pair) waits.push(counts.pair.lastFailureAt + waitAfter(currentFailures(counts.pair, now), freePerPair(counts, now)) - now);
  return Math.max(...waits);
}

/**
 * Who a client is: its address, an IPv6 address by its /64 (one home or host gets a whole /64, and would else
 * have 2^64 fresh addresses to guess from); an IPv4 address written as IPv6 (::ffff:a.b.c.d) as IPv4.
 */
export function clientOf(address: string | undefined): string {
  if (!address) return 'unknown';
  const plain = address.split('%')[0]!.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  if (mapped) return mapped[1]!;
  if (!net.isIPv6(plain)) return plain;
  const [head, tail] = plain.includes('::') ? plain.split('::') : [plain, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // an embedded IPv4 tail (a.b.c.d) takes two groups; only the first four groups matter here
  const rightGroups = right.flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - rightGroups.length)).fill('0'), ...rightGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
