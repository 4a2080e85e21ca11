// API keys of the signed-in user: /api/api-keys.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createApiKey, deleteApiKey, listApiKeys } from '../auth/api-keys.js';
import { mayDo } from '../auth/permissions.js';
import { UserError } from '../base/errors.js';
import type { Resources } from '../library/library.js';
import { apiKeyInfo, scopes } from './auth-schemas.js';
import { errorBody } from './schemas.js';

export function apiKeyRoutes(app: FastifyInstance, context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db } = context;

  api.post('/api/api-keys', {
    config: { access: 'account' },
    schema: {
      tags: ['accounts'],
      summary: 'Make an API key; the key is in this answer only',
      description:
        'Scopes: `read` (lists, search, files), `upload` (POST /api/photos), `write` (every other change), `admin` ' +
        "(server administration; only an admin's key has it). A key never does more than its scopes or its owner.",
      body: z.object({ name: z.string().trim().min(1).max(100), scopes }),
      response: { 201: z.object({ id: z.uuid(), key: z.string(), name: z.string(), scopes: z.array(z.string()) }), 400: errorBody },
    },
    handler: async (request, reply) => {
      const actor = request.actor!;
      if (request.body.scopes.includes('admin') && !mayDo(actor, 'admin'))
        throw new UserError('invalid', 'only an admin may make a key with the `admin` scope');
      const created = await createApiKey(db, actor.userId, request.body.name, request.body.scopes);
      return reply.code(201).send({ ...created, name: request.body.name, scopes: [...new Set(request.body.scopes)] });
    },
  });

  api.get('/api/api-keys', {
    config: { access: 'account' },
    schema: { tags: ['accounts'], summary: "This account's API keys (never the keys themselves)", response: { 200: z.object({ items: z.array(apiKeyInfo) }) } },
    handler: async (request) => ({ items: await listApiKeys(db, request.actor!.userId) }),
  });

  api.delete('/api/api-keys/:id', {
    config: { access: 'account' },
    schema: {
      tags: ['accounts'],
      summary: 'Revoke an API key',
      params: z.object({ id: z.uuid({ message: 'must be an API key id (UUID)' }) }),
      response: { 204: z.null(), 404: errorBody },
    },
    handler: async (request, reply) => {
      if (!(await deleteApiKey(db, request.actor!.userId, request.params.id))) throw new UserError('not-found', `no API key with id ${request.params.id}`);
      return reply.code(204).send(null);
    },
  });
}
