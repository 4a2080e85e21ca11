// Single sign-on settings, set by an admin and kept in the database (library_meta 'oidc'), so that every server
// of a cluster reads the same. The client secret never leaves the server: reads say only whether there is one.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { libraryMeta } from '../db/schema.js';
import { UserError } from '../base/errors.js';

export interface OidcConfig {
  enabled: boolean;
  /** The provider's issuer URL (its discovery document is at /.well-known/openid-configuration). */
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  /** Scopes asked for besides `openid`. */
  scope: string;
  /** The sign-in button's words. */
  buttonLabel: string;
  /** New users may be created at their first sign-in (else an admin creates them first, with the same email). */
  autoRegister: boolean;
  /** A claim that gives the role: "admin" (or a list holding `adminValue`) makes an admin, anything else a user. */
  roleClaim: string | null;
  adminValue: string;
  /** A claim that gives the storage quota in bytes (a number, or a string like "50GB"). */
  quotaClaim: string | null;
}

export type OidcConfigView = Omit<OidcConfig, 'clientSecret'> & { hasClientSecret: boolean; callbackPath: string };

export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';
const KEY = 'oidc';

const DEFAULTS: OidcConfig = {
  enabled: false,
  issuer: '',
  clientId: '',
  clientSecret: null,
  scope: 'email profile',
  buttonLabel: 'Sign in with single sign-on',
  autoRegister: true,
  roleClaim: null,
  adminValue: 'admin',
  quotaClaim: null,
};

export async function readOidcConfig(db: Db): Promise<OidcConfig> {
  const [row] = await db.select().from(libraryMeta).where(eq(libraryMeta.key, KEY));
  return { ...DEFAULTS, ...((row?.value as Partial<OidcConfig> | undefined) ?? {}) };
}

export function viewOf(config: OidcConfig): OidcConfigView {
  const { clientSecret, ...rest } = config;
  return { ...rest, hasClientSecret: Boolean(clientSecret), callbackPath: OIDC_CALLBACK_PATH };
}

/** Changes the settings; `clientSecret` undefined keeps the stored one, null removes it. */
export async function writeOidcConfig(db: Db, changes: Partial<OidcConfig>): Promise<OidcConfig> {
  const next = { ...(await readOidcConfig(db)), ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) } as OidcConfig;
  if (next.enabled) {
    let issuer: URL;
    try {
      issuer = new URL(next.issuer);
    } catch {
      throw new UserError('invalid', "issuer must be the provider's URL, e.g. https://auth.example.org/realms/home");
    }
    if (issuer.protocol !== 'https:' && !isLoopbackUrl(issuer))
      throw new UserError('invalid', 'the issuer must be an https URL (plain http only on this machine)');
    if (!next.clientId.trim()) throw new UserError('invalid', 'clientId is needed to sign in with the provider');
  }
  await db
    .insert(libraryMeta)
    .values({ key: KEY, value: next })
    .onConflictDoUpdate({ target: libraryMeta.key, set: { value: next, updatedAt: new Date() } });
  return next;
}

export function isLoopbackUrl(url: URL): boolean {
  return url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\./.test(url.hostname);
}
