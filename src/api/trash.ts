import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Resources } from '../library/library.js';
import { emptyTrash, listTrash, restorePhotos } from '../library/trash/index.js';
import { errorBody, photoListItem } from './schemas.js';

const ids = z
  .array(z.uuid({ message: 'photo ids must be UUIDs' }))
  .min(1)
  .max(5000);

const trashItem = photoListItem.extend({
  deletedAt: z.string().describe('when it was moved to the trash (ISO 8601)'),
  expiresAt: z.string().nullable().describe('when it will be removed for good (ISO 8601); null when the trash is only emptied by hand (SHOEBOX_TRASH_DAYS=0)'),
});

export const trashList = z.object({
  items: z.array(trashItem),
  total: z.number().int(),
  videos: z.number().int().describe('how many of the total are videos'),
  page: z.number().int(),
  limit: z.number().int(),
  retentionDays: z.number().int().describe('days a photo stays in the trash (SHOEBOX_TRASH_DAYS); 0: until emptied'),
});

export function trashRoutes(app: FastifyInstance, _context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/trash', {
    config: { access: 'read' },
    schema: {
      tags: ['photos'],
      summary: 'Photos in the trash, most recently deleted first',
      querystring: z.object({
        page: z.coerce.number().int().min(1).default(1),
        limit: z.coerce.number().int().min(1).max(500).default(50),
      }),
      response: { 200: trashList, 400: errorBody },
    },
    handler: async (request) => listTrash(request.lib, request.query),
  });

  api.post('/api/trash/restore', {
    config: { access: 'write' },
    schema: {
      tags: ['photos'],
      summary: 'Take photos out of the trash (back in lists and search)',
      description: 'All or nothing: an id that is not a photo of the library is a 404 naming it. Photos not in the trash ' + 'are left alone and not counted.',
      body: z.object({ ids: ids.describe('photo ids') }),
      response: { 200: z.object({ restored: z.number().int() }), 400: errorBody, 404: errorBody },
    },
    handler: async (request) => ({ restored: await restorePhotos(request.lib, request.body.ids) }),
  });

  api.post('/api/trash/empty', {
    config: { access: 'write' },
    schema: {
      tags: ['photos'],
      summary: 'Delete photos in the trash for good: all of them, or only those given',
      description:
        'Removes their files and every derived row (the original when no other photo has the same bytes). With ' +
        '`ids`, only those: an id that is not a photo of the library is a 404 naming it (nothing is deleted), and ' +
        'a photo not in the trash is left alone.',
      // no body at all reads as null: the whole trash
      body: z.object({ ids: ids.optional().describe('only these photos (default: the whole trash)') }).nullish(),
      response: { 200: z.object({ deleted: z.number().int() }), 400: errorBody, 404: errorBody },
    },
    handler: async (request) => ({ deleted: await emptyTrash(request.lib, { ids: request.body?.ids }) }),
  });
}
