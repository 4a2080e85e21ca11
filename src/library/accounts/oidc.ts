// Who an OpenID Connect sign-in is: the user linked to the provider's subject, else the user with the same
// verified email (then linked), else a new user when auto-registration is on. Roles and quotas follow the claims.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { users } from '../../db/schema.js';
import { UserError } from '../../base/errors.js';
import type { Role } from '../../auth/actor.js';
import type { OidcConfig } from '../../auth/oidc-config.js';
import { normaliseEmail, updateUser } from '../../auth/users.js';
import { createAccount } from './accounts.js';

export type Claims = Record<string, unknown>;

/** The role a claim gives: admin when it is (or lists) the admin value; null when the claim is absent. */
export function roleFromClaims(claims: Claims, config: Pick<OidcConfig, 'roleClaim' | 'adminValue'>): Role | null {
  if (!config.roleClaim) return null;
  const value = claims[config.roleClaim];
  if (value === undefined || value === null) return null;
  const values = Array.isArray(value) ? value.map(String) : [String(value)];
  return values.includes(config.adminValue) ? 'admin' : 'user';
}

const UNITS: Record<string, number> = { '': 1, B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 1024, MIB: 1024 ** 2, GIB: 1024 ** 3, TIB: 1024 ** 4 };

/** The quota a claim gives, in bytes ("50GB", "1.5 TiB", 1073741824; 0 or "" means no limit); undefined when absent or unreadable. */
export function quotaFromClaims(claims: Claims, config: Pick<OidcConfig, 'quotaClaim'>): number | null | undefined {
  if (!config.quotaClaim) return undefined;
  const value = claims[config.quotaClaim];
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value === 0 ? null : Math.floor(value);
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = match ? UNITS[match[2]!.toUpperCase()] : undefined;
  if (!match || unit === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]) * unit);
  return bytes === 0 ? null : bytes;
}

/** The Shoebox user for a provider's verified claims; 403 with the reason when there is none to be had. */
export async function userForClaims(db: Db, issuer: string, claims: Claims, config: OidcConfig): Promise<string> {
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  if (!subject) throw new UserError('forbidden', 'the provider sent no subject (sub) for this account');
  const email = typeof claims.email === 'string' && claims.email.includes('@') ? normaliseEmail(claims.email) : null;
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  const role = roleFromClaims(claims, config);
  const quota = quotaFromClaims(claims, config);

  let [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.oidcIssuer, issuer), eq(users.oidcSubject, subject)));
  if (!user && email) {
    if (!verified) throw new UserError('forbidden', `the provider has not verified ${email}: Shoebox links accounts by verified email only`);
    [user] = await db.select().from(users).where(eq(users.email, email));
    if (user?.oidcSubject && user.oidcIssuer === issuer) throw new UserError('forbidden', `${email} is linked to another account of this provider`);
    if (user) await db.update(users).set({ oidcIssuer: issuer, oidcSubject: subject, updatedAt: new Date() }).where(eq(users.id, user.id));
  }
  if (!user) {
    if (!config.autoRegister) throw new UserError('forbidden', 'no Shoebox account for this sign-in: ask an admin to create one with your email');
    if (!email || !verified) throw new UserError('forbidden', 'the provider gave no verified email: Shoebox needs one to create an account');
    const name = [claims.name, claims.preferred_username, email.split('@')[0]].find((v): v is string => typeof v === 'string' && v.trim() !== '')!;
    const created = await createAccount(db, { name: name.slice(0, 200), email, role: role ?? 'user', quotaBytes: quota ?? null });
    await db.update(users).set({ oidcIssuer: issuer, oidcSubject: subject }).where(eq(users.id, created.id));
    return created.id;
  }
  if (user.disabledAt) throw new UserError('forbidden', 'this account is disabled: ask an admin');
  // the provider stays the truth for role and quota when it sends them (the last admin is never demoted)
  const changes = { ...(role && role !== user.role ? { role } : {}), ...(quota !== undefined && quota !== user.quotaBytes ? { quotaBytes: quota } : {}) };
  if (Object.keys(changes).length > 0) await updateUser(db, user.id, changes).catch(() => undefined);
  return user.id;
}
