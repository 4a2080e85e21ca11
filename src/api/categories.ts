import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createCategory, deleteCategory, listCategories, updateCategory } from '../library/categories/index.js';
import type { Resources } from '../library/library.js';
import { errorBody } from './schemas.js';

const idParams = z.object({ id: z.uuid({ message: 'category id must be a UUID' }) });
const tagList = z.array(z.string().min(1).max(100)).max(5000);

export const category = z.object({
  id: z.string(),
  name: z.string(),
  label: z.string(),
  tags: z.array(z.string()).describe('photos with any of these tags are in the category'),
  photoCount: z.number().int(),
});

export const categoryList = z.object({ items: z.array(category) });

export function categoryRoutes(app: FastifyInstance, _context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/categories', {
    config: { access: 'read' },
    schema: { tags: ['categories'], summary: 'Categories with their tags and photo counts', response: { 200: categoryList } },
    handler: async (request) => ({ items: await listCategories(request.lib) }),
  });

  api.post('/api/categories', {
    config: { access: 'write' },
    schema: {
      tags: ['categories'],
      summary: 'Create a category',
      body: z.object({ name: z.string().min(1).max(63), label: z.string().min(1).max(200).optional(), tags: tagList.optional() }),
      response: { 201: category, 400: errorBody, 409: errorBody },
    },
    handler: async (request, reply) => reply.code(201).send(await createCategory(request.lib, request.body)),
  });

  api.patch('/api/categories/:id', {
    config: { access: 'write' },
    schema: {
      tags: ['categories'],
      summary: 'Rename or relabel a category, or change which tags map to it (photos are re-categorised at once)',
      params: idParams,
      body: z
        .object({
          name: z.string().min(1).max(63).optional(),
          label: z.string().min(1).max(200).optional(),
          tags: tagList.optional().describe('replaces the whole mapping'),
          addTags: tagList.optional(),
          removeTags: tagList.optional(),
        })
        .refine((b) => Object.keys(b).length > 0, { message: 'give name, label, tags, addTags or removeTags' }),
      response: { 200: category, 400: errorBody, 404: errorBody, 409: errorBody },
    },
    handler: async (request) => updateCategory(request.lib, request.params.id, request.body),
  });

  api.delete('/api/categories/:id', {
    config: { access: 'write' },
    schema: {
      tags: ['categories'],
      summary: 'Delete a category (tags and photos stay)',
      params: idParams,
      response: { 204: z.null(), 400: errorBody, 404: errorBody },
    },
    handler: async (request, reply) => {
      await deleteCategory(request.lib, request.params.id);
      return reply.code(204).send(null);
    },
  });
}
