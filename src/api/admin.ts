// Server administration: users, their roles, quotas and storage locations. Admins only.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { and, eq, sql } from 'drizzle-orm';
import { revokeUserApiKeys } from '../auth/api-keys.js';
import { revokeOtherSessions } from '../auth/sessions.js';
import { activeAdmins, findUser, listUsers, updateUser } from '../auth/users.js';
import { createAccount } from '../library/accounts/index.js';
import { photos, users } from '../db/schema.js';
import { UserError } from '../base/errors.js';
import type { Resources } from '../library/library.js';
import { forAdminOf } from '../library/actors.js';
import { deletePhoto } from '../library/trash/index.js';
import { moveToOwnerLocation, storageOverview } from '../library/storage-locations/index.js';
import { email, password, personName, role, userInfo, userWithUsage } from './auth-schemas.js';
import { errorBody } from './schemas.js';
import { owns } from '../scope/rows.js';

const quota = z
  .number()
  .int()
  .min(0)
  .max(2 ** 53 - 1)
  .nullable()
  .describe('bytes of originals; null: no limit');
const generationImagesPerDay = z
  .number()
  .int()
  .min(0)
  .max(1_000_000)
  .nullable()
  .describe("images the user may generate per 24 hours (0: none); null: the server's SHOEBOX_GENERATION_IMAGES_PER_DAY");
const userParams = z.object({ id: z.uuid({ message: 'must be a user id (UUID)' }) });
const storageLocation = z
  .string()
  .max(40)
  .nullable()
  .describe("a storage location set up on the server (GET /api/admin/storage) for the user's new photos; null: the main store");
export const locationInfo = z.object({
  name: z.string().nullable().describe('null: the main store (the data folder or SHOEBOX_STORAGE)'),
  kind: z.enum(['local', 's3']).nullable().describe('null: not set up on this server'),
  address: z.string().nullable().describe('s3://bucket/prefix or the folder'),
  configured: z.boolean().describe('false: photos or users name it, but this server has no such location (SHOEBOX_STORAGE_LOCATIONS)'),
  users: z.number().int().describe('users whose new photos go there'),
  photos: z.number().int(),
  bytes: z.number().describe('bytes of originals kept there'),
});

export function adminRoutes(app: FastifyInstance, context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db } = context;
  /** Moves between storage locations under way in this process, by user. */
  const moves = new Map<string, Promise<void>>();
  let closing = false;
  app.addHook('onClose', async () => {
    closing = true; // each move stops after its current photo; a later request picks up where it stopped
    await Promise.all(moves.values());
  });

  api.get('/api/admin/users', {
    config: { access: 'admin' },
    schema: { tags: ['admin'], summary: 'Every user, with the space their originals take', response: { 200: z.object({ items: z.array(userWithUsage) }) } },
    handler: async () => ({ items: await listUsers(db) }),
  });

  /** A location name the admin gave, checked against the server's settings. */
  const checkedLocation = (location: string | null | undefined) => {
    if (location == null || context.storage.has(location)) return location;
    const known = context.storage.names;
    throw new UserError(
      'invalid',
      `no storage location named ${location} on this server: ${known.length > 0 ? `it has ${known.join(', ')}` : 'it has none besides the main store'} (SHOEBOX_STORAGE_LOCATIONS)`,
    );
  };

  api.get('/api/admin/storage', {
    config: { access: 'admin' },
    schema: {
      tags: ['admin'],
      summary: 'The storage locations: the main store and those users can be given, with what each holds',
      response: { 200: z.object({ items: z.array(locationInfo) }) },
    },
    handler: async () => ({ items: await storageOverview(db, context.storage) }),
  });

  api.post('/api/admin/users/:id/storage/move', {
    config: { access: 'admin' },
    schema: {
      tags: ['admin'],
      summary: "Move the user's photos into their storage location, in the background",
      description:
        'Each photo is copied (the original checked by its SHA-256), then switched over, then removed from where it was; ' +
        'a photo with a step running stays for the next run. Progress: GET /api/admin/storage (photos per location). Safe to ask again.',
      params: userParams,
      response: {
        202: z.object({ photos: z.number().int().describe('photos not yet in the location'), to: z.string().nullable() }),
        404: errorBody,
        409: errorBody,
      },
    },
    handler: async (request, reply) => {
      const user = await findUser(db, request.params.id);
      if (!user) throw new UserError('not-found', `no user with id ${request.params.id}`);
      if (moves.has(user.id)) throw new UserError('conflict', `${user.name}'s photos are being moved already`);
      const to = user.storageLocation;
      const [pending] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(photos)
        .where(and(owns(user.id, photos), sql`${photos.storageLocation} is distinct from ${to}`));
      const lib = forAdminOf(context, request.actor!, user.id);
      const run = moveToOwnerLocation(lib, { stop: () => closing })
        .then((report) => context.logger.info({ userId: user.id, ...report, failed: report.failed.length }, 'photos moved to their storage location'))
        .catch((error: unknown) => context.logger.error({ userId: user.id, err: error }, 'moving photos to their storage location failed'))
        .finally(() => moves.delete(user.id));
      moves.set(user.id, run);
      return reply.code(202).send({ photos: pending?.n ?? 0, to });
    },
  });

  api.post('/api/admin/users', {
    config: { access: 'admin' },
    schema: {
      tags: ['admin'],
      summary: 'Create a user',
      body: z.object({
        name: personName,
        email,
        password,
        role: role.default('user'),
        quotaBytes: quota.optional(),
        storageLocation: storageLocation.optional(),
      }),
      response: { 201: userInfo, 400: errorBody, 409: errorBody },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await createAccount(db, { ...request.body, storageLocation: checkedLocation(request.body.storageLocation) })),
  });

  api.patch('/api/admin/users/:id', {
    config: { access: 'admin' },
    schema: {
      tags: ['admin'],
      summary:
        'Change a user: name, email, role, disabled, quota, daily generated images, storage location (their new photos go there; what they have stays where it is), or reset the password (their sessions end and their API keys are revoked)',
      params: userParams,
      body: z
        .object({ name: personName, email, role, disabled: z.boolean(), quotaBytes: quota, storageLocation, generationImagesPerDay, password })
        .partial()
        .refine((b) => Object.keys(b).length > 0, { message: 'name at least one change' }),
      response: {
        200: userInfo.extend({
          revokedApiKeys: z.number().int().optional().describe("with a password reset: the user's API keys revoked"),
          endedSessions: z.number().int().optional().describe('with a password reset or disabling: their sessions ended'),
        }),
        400: errorBody,
        404: errorBody,
        409: errorBody,
      },
    },
    handler: async (request) => {
      const updated = await updateUser(db, request.params.id, { ...request.body, storageLocation: checkedLocation(request.body.storageLocation) });
      if (!updated) throw new UserError('not-found', `no user with id ${request.params.id}`);
      const reset = request.body.password !== undefined;
      const endedSessions = reset || request.body.disabled ? await revokeOtherSessions(db, updated.id) : undefined;
      // whoever knew the old password may have made keys; the server's own key for its CLI stays (api-keys.ts)
      const revokedApiKeys = reset ? await revokeUserApiKeys(db, updated.id) : undefined;
      return { ...updated, ...(endedSessions !== undefined ? { endedSessions } : {}), ...(revokedApiKeys !== undefined ? { revokedApiKeys } : {}) };
    },
  });

  api.delete('/api/admin/users/:id', {
    config: { access: 'admin' },
    schema: {
      tags: ['admin'],
      summary: 'Delete a user with their photos, people and albums (originals another user also has stay)',
      params: userParams,
      response: { 200: z.object({ deletedPhotos: z.number().int() }), 404: errorBody, 409: errorBody },
    },
    handler: async (request) => {
      const user = await findUser(db, request.params.id);
      if (!user) throw new UserError('not-found', `no user with id ${request.params.id}`);
      if (user.id === request.actor!.userId) throw new UserError('conflict', 'you cannot delete your own account: ask another admin');
      if (user.role === 'admin' && !user.disabledAt && (await activeAdmins(db)) <= 1) throw new UserError('conflict', 'this is the last active admin');
      // Sign them out first, so nothing of theirs is added while their photos go.
      await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id));
      await revokeOtherSessions(db, user.id);
      const lib = forAdminOf(context, request.actor!, user.id);
      const owned = await db.select({ id: photos.id }).from(photos).where(owns(user.id, photos));
      let deleted = 0;
      for (const { id } of owned) if (await deletePhoto(lib, id)) deleted++;
      await db.delete(users).where(eq(users.id, user.id));
      return { deletedPhotos: deleted };
    },
  });
}
