// Who is asking, and may they: every /api route declares its access (config.access) or the server does not start;
// this plugin resolves the actor from an API key or the session cookie, refuses cross-site state changes and
// foreign Host names, and applies the rules table (src/auth/permissions.ts).
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { withTimeout } from '../../app/engine-health.js';
import { apiKeyActor, sessionActor, type Actor } from '../../auth/actor.js';
import { findApiKey } from '../../auth/api-keys.js';
import { checkAccess, type Access } from '../../auth/permissions.js';
import { findSession } from '../../auth/sessions.js';
import type { Library, Resources } from '../../library/library.js';
import { forUser } from '../../library/actors.js';
import { ServiceUnavailableError } from '../../base/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route (src/auth/permissions.ts). Required for every /api route. */
    access?: Access;
    /**
     * What this route does only for an admin (an admin's session, or an admin's key with the `admin` scope): `when`
     * says whether a request asks for it (its body, query and parameters are validated by then); such a request
     * must also pass the `admin` rule, checked here, before the handler runs.
     */
    admin?: { what: string; when: (request: FastifyRequest) => boolean };
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** The library as the actor sees it; set on every route that is not public. */
    lib: Library;
  }
}

export const SESSION_COOKIE = 'shoebox_session';

/** Routes other plugins register under /api (the OpenAPI viewer): public, and not part of the API itself. */
const FOREIGN_API_ROUTES = /^\/api\/docs(\/|$)/;
/** Any of these signs a request in (components.securitySchemes in app.ts). */
const SECURITY_SCHEMES: { [scheme: string]: string[] }[] = [{ sessionCookie: [] }, { apiKey: [] }, { bearer: [] }];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1', '[::1]'];

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** The host name of a Host header, without its port (`[::1]:3210` → `[::1]`). */
export function hostName(header: string | undefined): string {
  if (!header) return '';
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  return value.split(':')[0]!;
}

export function authPlugin(app: FastifyInstance, context: Resources): void {
  const { settings, db } = context;
  const guardHosts = settings.allowedHosts.length > 0 || isLoopbackHost(settings.host);
  const allowedHosts = new Set([...LOOPBACK_NAMES, ...settings.allowedHosts.map((h) => h.toLowerCase())]);
  const anyHost = settings.allowedHosts.includes('*');

  app.decorateRequest('actor', null);
  app.decorateRequest('lib', null as unknown as Library);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api') || FOREIGN_API_ROUTES.test(route.url)) return;
    const access = route.config?.access;
    if (!access) throw new Error(`route ${route.method} ${route.url} declares no access (config.access): every API route must`);
    // the OpenAPI document says it too: how to sign in, and what the route needs (x-access)
    route.schema = {
      ...route.schema,
      security: access === 'public' || access === 'link' ? [] : SECURITY_SCHEMES,
      'x-access': access,
      ...(route.config?.admin ? { 'x-admin-only': route.config.admin.what } : {}),
    } as typeof route.schema;
    const admin = route.config?.admin;
    if (admin) {
      // after validation: the capability may depend on the body
      const asked = async (request: FastifyRequest, reply: FastifyReply) => {
        if (!admin.when(request)) return;
        const decision = checkAccess(request.actor, 'admin');
        if (!decision.ok) return refuse(reply, decision.status, `${decision.message} (${admin.what})`);
      };
      route.preHandler = [...(route.preHandler ? [route.preHandler].flat() : []), asked];
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    // DNS rebinding: a page on evil.example resolved to 127.0.0.1 sends Host: evil.example.
    if (guardHosts && !anyHost && !allowedHosts.has(hostName(request.headers.host))) {
      return refuse(
        reply,
        403,
        `this server does not answer to the host name ${JSON.stringify(hostName(request.headers.host))}: add it to SHOEBOX_ALLOWED_HOSTS`,
      );
    }
    const url = request.url.split('?')[0]!;
    const access: Access = request.routeOptions.config?.access ?? 'public';
    const fromCookie = !headerKey(request) && Boolean(request.cookies[SESSION_COOKIE]);
    // A cookie rides along with any page's request; keys and passwords do not. Public state changes (login,
    // set-up) are checked too: a foreign page must not sign the browser in as someone else.
    if (!SAFE_METHODS.has(request.method) && (fromCookie || access === 'public' || access === 'link') && url.startsWith('/api/')) {
      const problem = crossSiteProblem(request);
      if (problem) return refuse(reply, 403, problem);
    }
    let actor: Actor | null | 'bad-key';
    try {
      // a public route (health, sign-in page) answers with the database gone: as to no one, within PUBLIC_WAIT_MS
      actor = access === 'public' ? await withTimeout(resolveActor(request), PUBLIC_WAIT_MS, 'the database') : await resolveActor(request);
    } catch (error) {
      // the lookups are the database's: failing, it is unreachable (or went between two probes)
      if (access !== 'public') throw new ServiceUnavailableError(`the database does not answer: try again in a moment`, { cause: error });
      actor = null;
    }
    if (actor === 'bad-key') {
      return refuse(reply, 401, 'this API key is not valid (revoked, mistyped, or its user is disabled)');
    }
    request.actor = actor;
    if (actor) request.lib = forUser(context, actor);
    const decision = checkAccess(actor, access);
    if (!decision.ok) return refuse(reply, decision.status, decision.message);
  });

  async function resolveActor(request: FastifyRequest): Promise<Actor | null | 'bad-key'> {
    const key = headerKey(request);
    if (key) {
      const found = await findApiKey(db, key);
      return found ? apiKeyActor({ id: found.userId, role: found.role }, found) : 'bad-key';
    }
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return null;
    const session = await findSession(db, token, settings.sessionDays);
    return session ? sessionActor({ id: session.userId, role: session.role }, session.id) : null;
  }
}

/** How long a public route waits to know who asks before answering as to no one (the database slow or gone). */
const PUBLIC_WAIT_MS = 400;

function headerKey(request: FastifyRequest): string | null {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  const authorization = request.headers.authorization;
  const bearer = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  return bearer ? bearer[1]! : null;
}

/** Why a state-changing browser request is not from Shoebox's own pages, or null when it is (or is no browser's). */
export function crossSiteProblem(request: FastifyRequest): string | null {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
    return `a ${site} request may not change anything here: use Shoebox's own pages, or an API key`;
  }
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    const own = `${request.protocol}://${request.headers.host ?? ''}`.toLowerCase();
    if (origin.toLowerCase() !== own) return `a request from ${origin} may not change anything here: use Shoebox's own pages, or an API key`;
  } else if (origin === 'null') {
    return 'a request from an opaque origin may not change anything here';
  }
  return null;
}

function refuse(reply: FastifyReply, statusCode: 401 | 403, message: string) {
  const error = statusCode === 401 ? 'Unauthorized' : 'Forbidden';
  return reply.code(statusCode).header('cache-control', 'no-store').send({ statusCode, error, message });
}
