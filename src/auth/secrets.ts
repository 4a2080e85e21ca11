// Passwords (Argon2id) and random tokens (sessions, API keys, share links), hashed before they are stored.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { UserError } from '../base/errors.js';

export const MIN_PASSWORD_LENGTH = 8;
/** Argon2 hashes whatever it is given: a megabyte password would be a cheap way to burn the CPU. */
export const MAX_PASSWORD_LENGTH = 256;

/** OWASP's Argon2id settings (19 MiB, 2 passes): ~50 ms here. `algorithm: 2` is Argon2id (the package's const enum). */
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Throws a 400 that says what a password needs. */
export function checkPasswordRules(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new UserError('invalid', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new UserError('invalid', `a password has at most ${MAX_PASSWORD_LENGTH} characters`);
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  // Without a stored hash, hash anyway: the answer takes as long as for a real account.
  if (!stored) {
    await hash(password, ARGON2);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A new secret: 32 random bytes, base64url, with a prefix that says what it is (`sbx_` keys, `sbs_` sessions). */
export function newToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** What is stored of a token: 256-bit random values need no slow hash. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
