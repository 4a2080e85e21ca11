import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Resources } from '../library/library.js';
import { getTimeline } from '../library/photos/index.js';
import { errorBody, timelineQuery, timelineResult } from './schemas.js';

export function timelineRoutes(app: FastifyInstance, _context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/timeline', {
    config: { access: 'read' },
    schema: {
      tags: ['photos'],
      summary: 'How many photos each day or month holds, newest first, for laying out the whole library at once',
      description:
        "Buckets keyed by the date taken as the camera's clock wrote it (the date GET /api/photos shows; a photo " +
        'without one counts by its file date in UTC), newest first, with `undated` last. Each bucket is one ' +
        'unbroken stretch of GET /api/photos with the same filters: its photos are `offset` … `offset + count - 1` ' +
        'there. Takes the filters GET /api/photos takes; the trash is left out.',
      querystring: timelineQuery,
      response: { 200: timelineResult, 400: errorBody },
    },
    handler: async (request) => {
      const { groupBy, ...filter } = request.query;
      return getTimeline(request.lib, groupBy, filter);
    },
  });
}
