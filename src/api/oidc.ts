// Single sign-on with OpenID Connect: the admin's settings, and the sign-in round trip through the provider.
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { finishSignIn, safeReturnPath, startSignIn, type PendingSignIn } from '../auth/oidc-client.js';
import { OIDC_CALLBACK_PATH, readOidcConfig, viewOf, writeOidcConfig } from '../auth/oidc-config.js';
import { userForClaims } from '../library/accounts/index.js';
import { UserError } from '../base/errors.js';
import type { Resources } from '../library/library.js';
import { startSession } from './auth.js';
import { errorBody } from './schemas.js';

const PENDING_COOKIE = 'shoebox_oidc';
const PENDING_PATH = '/api/auth/oidc';

export const configView = z.object({
  enabled: z.boolean(),
  issuer: z.string(),
  clientId: z.string(),
  hasClientSecret: z.boolean().describe('the secret itself is never sent back'),
  scope: z.string(),
  buttonLabel: z.string(),
  autoRegister: z.boolean(),
  roleClaim: z.string().nullable(),
  adminValue: z.string(),
  quotaClaim: z.string().nullable(),
  callbackPath: z.string().describe("register this path on your server's address as the client's redirect URI"),
});

const configChanges = z
  .object({
    enabled: z.boolean(),
    issuer: z.string().max(2000),
    clientId: z.string().max(500),
    clientSecret: z.string().max(2000).nullable().describe('null removes it (a public client); left out: kept'),
    scope: z.string().max(500),
    buttonLabel: z.string().min(1).max(100),
    autoRegister: z.boolean(),
    roleClaim: z.string().max(200).nullable(),
    adminValue: z.string().min(1).max(200),
    quotaClaim: z.string().max(200).nullable(),
  })
  .partial();

const ownOrigin = (request: FastifyRequest) => `${request.protocol}://${request.headers.host ?? ''}`;

export function oidcRoutes(app: FastifyInstance, context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db } = context;

  api.get('/api/admin/oidc', {
    config: { access: 'admin' },
    schema: { tags: ['admin'], summary: 'Single sign-on (OpenID Connect) settings', response: { 200: configView } },
    handler: async () => viewOf(await readOidcConfig(db)),
  });

  api.put('/api/admin/oidc', {
    config: { access: 'admin' },
    schema: {
      tags: ['admin'],
      summary: 'Change the single sign-on settings (issuer, client, claims for role and quota, auto-registration)',
      body: configChanges,
      response: { 200: configView, 400: errorBody },
    },
    handler: async (request) => viewOf(await writeOidcConfig(db, request.body)),
  });

  api.get('/api/auth/oidc/start', {
    config: { access: 'public' },
    schema: {
      tags: ['accounts'],
      summary: 'Sign in with the single sign-on provider: redirects there (authorization code flow with PKCE)',
      querystring: z.object({ returnTo: z.string().max(2000).optional().describe('a path on this server to land on afterwards') }),
      response: { 302: z.null(), 409: errorBody },
    },
    handler: async (request, reply) => {
      const settings = await readOidcConfig(db);
      if (!settings.enabled) throw new UserError('conflict', 'single sign-on is not set up on this server: an admin sets it at PUT /api/admin/oidc');
      const { url, pending } = await startSignIn(settings, `${ownOrigin(request)}${OIDC_CALLBACK_PATH}`, safeReturnPath(request.query.returnTo));
      reply.setCookie(PENDING_COOKIE, Buffer.from(JSON.stringify(pending)).toString('base64url'), {
        path: PENDING_PATH,
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        maxAge: 600,
      });
      return reply.redirect(url.href, 302);
    },
  });

  api.get(OIDC_CALLBACK_PATH, {
    config: { access: 'public' },
    schema: {
      tags: ['accounts'],
      summary: 'The provider sends the browser back here; signs in and lands on the page it started from (errors: /?signInError=…)',
      querystring: z.record(z.string(), z.string()),
      response: { 302: z.null() },
    },
    handler: async (request, reply) => {
      reply.clearCookie(PENDING_COOKIE, { path: PENDING_PATH });
      try {
        const pending = readPending(request.cookies[PENDING_COOKIE]);
        const settings = await readOidcConfig(db);
        if (!settings.enabled) throw new UserError('conflict', 'single sign-on was switched off');
        const { issuer, claims } = await finishSignIn(settings, new URL(`${ownOrigin(request)}${request.url}`), pending);
        const userId = await userForClaims(db, issuer, claims, settings);
        await startSession(context, request, reply, userId);
        // checked again: the cookie comes back from the browser, and a forged one must not lead elsewhere
        return reply.redirect(safeReturnPath(pending.returnTo), 302);
      } catch (error) {
        if (!(error instanceof UserError)) request.log.error({ err: error }, 'single sign-on failed');
        const message = error instanceof UserError ? error.message : 'single sign-on failed: see the server log';
        return reply.redirect(`/?signInError=${encodeURIComponent(message)}`, 302);
      }
    },
  });
}

function readPending(cookie: string | undefined): PendingSignIn {
  if (!cookie) throw new UserError('invalid', 'the sign-in took too long or started elsewhere: try again');
  try {
    const value = JSON.parse(Buffer.from(cookie, 'base64url').toString()) as PendingSignIn;
    if (typeof value.state === 'string' && typeof value.nonce === 'string' && typeof value.verifier === 'string') return value;
  } catch {
    // falls through
  }
  throw new UserError('invalid', 'the sign-in could not be finished: try again');
}
