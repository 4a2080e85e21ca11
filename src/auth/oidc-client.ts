// The OpenID Connect authorization code flow with PKCE, through openid-client (a certified relying party).
import * as oidc from 'openid-client';
import { UserError } from '../base/errors.js';
import { redact } from '../net/redact.js';
import { isLoopbackUrl, type OidcConfig } from './oidc-config.js';

/** What the browser keeps (in an httpOnly cookie) between leaving for the provider and coming back. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  /** Where to land after signing in: a path on this server. */
  returnTo: string;
}

interface Discovered {
  key: string;
  config: oidc.Configuration;
  at: number;
}

/** Discovery documents change rarely: kept for ten minutes per issuer and client. */
const DISCOVERY_TTL_MS = 10 * 60 * 1000;
let discovered: Discovered | null = null;

async function configurationFor(settings: OidcConfig): Promise<oidc.Configuration> {
  const key = JSON.stringify([settings.issuer, settings.clientId, settings.clientSecret]);
  if (discovered && discovered.key === key && Date.now() - discovered.at < DISCOVERY_TTL_MS) return discovered.config;
  const issuer = new URL(settings.issuer);
  try {
    const config = await oidc.discovery(
      issuer,
      settings.clientId,
      settings.clientSecret ?? undefined,
      settings.clientSecret ? undefined : oidc.None(),
      // plain http only for a provider on this machine (tests, a provider beside Shoebox); never over a network
      isLoopbackUrl(issuer) ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
    );
    discovered = { key, config, at: Date.now() };
    return config;
  } catch (error) {
    const cause = redact((error as Error).message, [settings.clientSecret]);
    throw new UserError('conflict', `the single sign-on provider at ${redact(settings.issuer)} could not be reached: ${cause}`);
  }
}

/** An origin no request has: a path that resolves against it to another origin leads off this server. */
const SENTINEL_ORIGIN = 'http://shoebox.invalid';

/**
 * Only paths on this server: an open redirect would let a link send people anywhere after signing in. Refused
 * (answered `/`): anything but one leading slash, control characters and whitespace (browsers drop a tab or a
 * newline: `/\t/evil.example` becomes `//evil.example`), backslashes (read as slashes), and anything that resolves
 * to another origin. The answer is the path as resolved (`/a/../b` → `/b`).
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000 || !value.startsWith('/') || value.startsWith('//')) return '/';
  if (/[\s\u0000-\u001f\u007f-\u009f\\\u200b-\u200f\u2028\u2029\ufeff]/u.test(value)) return '/';
  let resolved: URL;
  try {
    resolved = new URL(value, SENTINEL_ORIGIN);
  } catch {
    return '/';
  }
  // `/.//evil.example` resolves to the path `//evil.example`, which a Location header reads as another host
  if (resolved.origin !== SENTINEL_ORIGIN || resolved.pathname.startsWith('//')) return '/';
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}

export async function startSignIn(settings: OidcConfig, redirectUri: string, returnTo: string): Promise<{ url: URL; pending: PendingSignIn }> {
  const config = await configurationFor(settings);
  const pending: PendingSignIn = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier: oidc.randomPKCECodeVerifier(),
    returnTo: safeReturnPath(returnTo),
  };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: ['openid', ...settings.scope.split(/\s+/).filter((s) => s && s !== 'openid')].join(' '),
    code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  });
  return { url, pending };
}

/** Checks the provider's answer (state, PKCE, nonce, the ID token's signature) and answers the claims, userinfo merged in. */
export async function finishSignIn(
  settings: OidcConfig,
  callbackUrl: URL,
  pending: PendingSignIn,
): Promise<{ issuer: string; claims: Record<string, unknown> }> {
  const config = await configurationFor(settings);
  let tokens;
  try {
    tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    const problem =
      error instanceof oidc.AuthorizationResponseError
        ? `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`
        : (error as Error).message;
    throw new UserError('forbidden', `single sign-on did not succeed (${redact(problem, [settings.clientSecret])})`);
  }
  const idClaims = tokens.claims()!;
  let userinfo: Record<string, unknown> = {};
  try {
    userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
  } catch {
    // some providers put everything in the ID token and have no userinfo endpoint
  }
  return { issuer: config.serverMetadata().issuer, claims: { ...userinfo, ...idClaims } };
}
