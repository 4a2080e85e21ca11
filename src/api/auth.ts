// Set-up, sign-in and the signed-in account: /api/auth/*.
import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { revokeUserApiKeys } from '../auth/api-keys.js';
import { createSession, listSessions, revokeOtherSessions, revokeSession } from '../auth/sessions.js';
import { passwordThrottle } from '../auth/throttle.js';
import { verifyPassword } from '../auth/secrets.js';
import { checkCredentials, findUser, hasAccounts, normaliseEmail, updateUser, usedBytes, userInfo as toUserInfo } from '../auth/users.js';
import { photosBeforeAccounts, setUpFirstAdmin } from '../library/accounts/index.js';
import { creationForPurpose, LIBRARY_PURPOSES, setCreationTools } from '../library/create/index.js';
import { forSystem } from '../library/actors.js';
import { readOidcConfig } from '../auth/oidc-config.js';
import { UserError } from '../base/errors.js';
import type { Resources } from '../library/library.js';
import { authStatus, email, me, password, personName, sessionInfo, userInfo } from './auth-schemas.js';
import { checkDownloadable, modelName, modelsToOffer } from './models.js';
import { SESSION_COOKIE } from './plugins/auth.js';
import { errorBody } from './schemas.js';

/** Starts a session for the user and gives the browser its cookie (password sign-in, set-up, single sign-on). */
export async function startSession(context: Resources, request: FastifyRequest, reply: FastifyReply, userId: string): Promise<void> {
  const session = await createSession(context.db, userId, context.settings.sessionDays, { userAgent: request.headers['user-agent'], address: request.ip });
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    expires: session.expiresAt,
  });
}

/** A 429 that says when to try again (a client that guessed wrong too often). */
export function tooManyGuesses(reply: FastifyReply, waitMs: number, what: string): UserError {
  const seconds = Math.ceil(waitMs / 1000);
  reply.header('retry-after', String(seconds));
  return new UserError('too-many-requests', `too many ${what} from here: try again in ${seconds} s`);
}

export function authRoutes(app: FastifyInstance, context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db } = context;
  const throttle = passwordThrottle(db);
  const signIn = (request: FastifyRequest, reply: FastifyReply, userId: string) => startSession(context, request, reply, userId);

  api.get('/api/auth/status', {
    config: { access: 'public' },
    schema: {
      tags: ['accounts'],
      summary: 'Whether the server still needs its first admin (the web app shows set-up or sign-in)',
      response: { 200: authStatus },
    },
    handler: async (request) => {
      const oidc = await readOidcConfig(db);
      const setupRequired = !(await hasAccounts(db));
      return {
        setupRequired,
        signedIn: request.actor !== null,
        singleSignOn: { enabled: oidc.enabled, buttonLabel: oidc.buttonLabel },
        offeredModels: setupRequired ? await modelsToOffer(context) : [],
        photosBeforeSetUp: setupRequired ? await photosBeforeAccounts(db) : 0,
      };
    },
  });

  api.post('/api/auth/setup', {
    config: { access: 'public' },
    schema: {
      tags: ['accounts'],
      summary: 'Create the first admin and sign in (409 once anyone has an account)',
      description:
        "A library from before accounts keeps everything: its photos, people and albums become the admin's. " +
        "installModels: models to download now, on the new admin's word (the set-up form offers those GET /api/auth/status lists); " +
        'their progress shows in GET /api/models. purpose: what the library is for; `products` or `both` switch the creation ' +
        'tools on (Create, product shots, the catalogue), `family` leaves them off; without it, they stay off.',
      body: z.object({
        name: personName,
        email,
        password,
        installModels: z.array(modelName).max(8).default([]),
        purpose: z.enum(LIBRARY_PURPOSES, { message: `purpose must be one of ${LIBRARY_PURPOSES.join(', ')}` }).optional(),
      }),
      response: { 201: z.object({ user: userInfo }), 400: errorBody, 409: errorBody },
    },
    handler: async (request, reply) => {
      const { installModels, purpose, ...account } = request.body;
      checkDownloadable(installModels);
      const user = await setUpFirstAdmin(db, account);
      if (purpose) await setCreationTools(forSystem(context, user.id, 'set-up'), creationForPurpose(purpose));
      await signIn(request, reply, user.id);
      for (const name of new Set(installModels)) {
        try {
          context.models.start(name);
        } catch (error) {
          // the admin exists and is signed in: a download that cannot start now is offered again on the gallery
          request.log.warn({ model: name, err: error }, 'the model asked for at set-up could not start downloading');
        }
      }
      return reply.code(201).send({ user });
    },
  });

  api.post('/api/auth/login', {
    config: { access: 'public' },
    schema: {
      tags: ['accounts'],
      summary: 'Sign in with email and password: sets the session cookie',
      description:
        'A wrong email and a wrong password get the same answer. Repeated failures slow down the client that made them ' +
        '(per address, and per account from that address): 429 with Retry-After. An account is never locked for everyone.',
      body: z.object({ email: z.string().max(320), password }),
      response: { 200: z.object({ user: userInfo }), 400: errorBody, 401: errorBody, 429: errorBody },
    },
    handler: async (request, reply) => {
      let user = null as Awaited<ReturnType<typeof checkCredentials>>;
      const wait = await throttle.attempt(`account:${normaliseEmail(request.body.email)}`, request.ip, async () => {
        user = await checkCredentials(db, request.body.email, request.body.password);
        return user !== null;
      });
      if (wait > 0) throw tooManyGuesses(reply, wait, 'failed sign-ins');
      if (!user) throw new UserError('unauthenticated', 'the email or the password is wrong (or the account is disabled)');
      await signIn(request, reply, user.id);
      return { user: toUserInfo(user) };
    },
  });

  api.post('/api/auth/logout', {
    config: { access: 'public' },
    schema: { tags: ['accounts'], summary: 'Sign out: ends this session and clears its cookie', response: { 204: z.null() } },
    handler: async (request, reply) => {
      const actor = request.actor;
      if (actor?.sessionId) await revokeSession(db, actor.userId, actor.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  });

  api.get('/api/auth/me', {
    config: { access: 'read' },
    schema: { tags: ['accounts'], summary: 'Who this request is signed in as', response: { 200: me, 401: errorBody } },
    handler: async (request) => {
      const actor = request.actor!;
      const user = await findUser(db, actor.userId);
      if (!user) throw new UserError('unauthenticated', 'this account no longer exists');
      return { ...toUserInfo(user), usedBytes: await usedBytes(db, user.id), via: actor.via, scopes: [...actor.scopes] };
    },
  });

  api.post('/api/auth/password', {
    config: { access: 'account' },
    schema: {
      tags: ['accounts'],
      summary: "Change this account's password; every other session of it ends, and its API keys are revoked",
      description:
        'Wrong current passwords are slowed down like failed sign-ins (429 with Retry-After). The server’s own key for ' +
        'the CLI on its machine is not revoked.',
      body: z.object({ current: password, new: password }),
      response: {
        200: z.object({ revokedApiKeys: z.number().int(), endedSessions: z.number().int().describe('other sessions of this account') }),
        400: errorBody,
        401: errorBody,
        429: errorBody,
      },
    },
    handler: async (request, reply) => {
      const actor = request.actor!;
      const user = await findUser(db, actor.userId);
      if (!user) throw new UserError('unauthenticated', 'this account no longer exists');
      let right = false;
      const wait = await throttle.attempt(
        `account:${user.email ?? user.id}`,
        request.ip,
        async () => (right = await verifyPassword(user.passwordHash, request.body.current)),
      );
      if (wait > 0) throw tooManyGuesses(reply, wait, 'wrong passwords');
      if (!right) throw new UserError('invalid', 'the current password is wrong');
      await updateUser(db, user.id, { password: request.body.new });
      const endedSessions = await revokeOtherSessions(db, user.id, actor.sessionId);
      return { revokedApiKeys: await revokeUserApiKeys(db, user.id), endedSessions };
    },
  });

  api.get('/api/auth/sessions', {
    config: { access: 'account' },
    schema: { tags: ['accounts'], summary: "This account's sessions, most recently used first", response: { 200: z.object({ items: z.array(sessionInfo) }) } },
    handler: async (request) => ({ items: await listSessions(db, request.actor!.userId, request.actor!.sessionId) }),
  });

  api.delete('/api/auth/sessions/:id', {
    config: { access: 'account' },
    schema: {
      tags: ['accounts'],
      summary: 'End one session of this account (the current one signs this browser out)',
      params: z.object({ id: z.uuid({ message: 'must be a session id (UUID)' }) }),
      response: { 204: z.null(), 404: errorBody },
    },
    handler: async (request, reply) => {
      if (!(await revokeSession(db, request.actor!.userId, request.params.id))) throw new UserError('not-found', `no session with id ${request.params.id}`);
      if (request.params.id === request.actor!.sessionId) reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  });

  api.post('/api/auth/sessions/revoke-others', {
    config: { access: 'account' },
    schema: { tags: ['accounts'], summary: 'End every session of this account but this one', response: { 200: z.object({ revoked: z.number().int() }) } },
    handler: async (request) => ({ revoked: await revokeOtherSessions(db, request.actor!.userId, request.actor!.sessionId) }),
  });
}
