// The one rules table: what each kind of route needs from whoever asks. Every route declares one of these
// (src/api/plugins/auth.ts refuses to register a route without), and the route-table test walks them all. A route
// that does more for an admin (acts for another user) declares that too (config.admin), and the same rule applies:
// handlers never look at the role themselves.
import type { Actor, Scope } from './actor.js';

/**
 * public: anyone (set-up, login, health, the web app's files).
 * link: anyone who has a share link's token (the route checks the token, its password and expiry itself).
 * read | upload | write: a signed-in user, or an API key with that scope, acting on their own library.
 * account: a signed-in session only (password, sessions, API keys: a leaked key cannot make itself more keys).
 * admin: an admin's session, or an admin's key with the `admin` scope.
 */
export type Access = 'public' | 'link' | 'read' | 'upload' | 'write' | 'account' | 'admin';

export const ACCESS_LEVELS: readonly Access[] = ['public', 'link', 'read', 'upload', 'write', 'account', 'admin'];

export type AccessDecision = { ok: true } | { ok: false; status: 401 | 403; message: string };

export function checkAccess(actor: Actor | null, access: Access): AccessDecision {
  if (access === 'public' || access === 'link') return { ok: true };
  if (!actor) return { ok: false, status: 401, message: 'sign in first (a session cookie, or an API key in x-api-key or Authorization: Bearer)' };
  if (access === 'account') {
    return actor.via === 'session' ? { ok: true } : { ok: false, status: 403, message: 'API keys cannot manage the account: sign in with a password' };
  }
  if (access === 'admin' && actor.role !== 'admin') return { ok: false, status: 403, message: 'only an admin may do this' };
  const scope: Scope = access;
  if (!actor.scopes.has(scope)) return { ok: false, status: 403, message: `this API key has no \`${scope}\` scope` };
  return { ok: true };
}

/** Whether the actor may do what `access` allows (an admin capability: an admin, and a key with the `admin` scope). */
export function mayDo(actor: Actor | null, access: Access): boolean {
  return checkAccess(actor, access).ok;
}
