import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_CLUSTERS } from '../library/map-grid.js';
import { mapClusters } from '../library/map-points.js';
import { basemap, BASEMAP_DETAILS, type Basemap } from '../media/basemap.js';
import { errorBody, libraryFilterQuery } from './schemas.js';

const mapPointsQuery = libraryFilterQuery
  .extend({ zoom: z.coerce.number().int().min(0).max(22).default(2).describe('the map\'s zoom: 0 shows the world in one 256 px tile') })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '`from` must not be after `to`', path: ['from'] });

export const mapPointsResult = z.object({
  zoom: z.number().int(),
  total: z.number().int().describe('geotagged items the filters keep'),
  clusters: z.array(
    z.object({
      latitude: z.number().describe('the mean position of its items'),
      longitude: z.number(),
      count: z.number().int(),
      photoId: z.uuid().describe('its newest item: the thumbnail that stands for it; the item itself for a cluster of one'),
      bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).describe('west, south, east, north of its items: where the map zooms to'),
    }),
  ),
  truncated: z.boolean().describe(`more than ${MAX_CLUSTERS} clusters: the most crowded are sent`),
});

export function mapRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/map/points', {
    config: { access: 'read' },
    schema: {
      tags: ['map'],
      summary: "The map's geotagged items, gathered into clusters for a zoom",
      description:
        'Every geotagged photo and video of your timeline (yours and the partners you show in it; with `album`, that ' +
        "album's, shared with you or not) that the filters keep, gathered on a grid of the Web Mercator plane whose " +
        'cells are 64 px wide at `zoom`: one entry per non-empty cell with its count, mean position, extent and newest ' +
        'item. Give `bbox` (the visible area; west > east crosses the antimeridian) to cluster only what is seen. ' +
        'Takes the filters GET /api/photos takes; a stack is one item, its cover.',
      querystring: mapPointsQuery,
      response: { 200: mapPointsResult, 400: errorBody },
    },
    handler: async (request) => mapClusters(request.lib, request.query),
  });

  api.get('/api/map/basemap', {
    config: { access: 'read' },
    schema: {
      tags: ['map'],
      summary: 'The built-in world map: countries, coastlines, borders and capitals, served by Shoebox itself',
      description:
        "Natural Earth's countries as TopoJSON (`topology`, world-atlas; `110m` for the world, `50m` closer in) and the " +
        'capitals with their positions (`cities`). The map is drawn from this with no request to any other host.',
      querystring: z.object({ detail: z.enum(BASEMAP_DETAILS).default('110m') }),
      response: { 400: errorBody },
    },
    handler: async (request, reply) => sendBasemap(reply as FastifyReply, await basemap(request.query.detail)),
  });
}

/** The map's bytes as made once, or a 304 for a client that has them. */
function sendBasemap(reply: FastifyReply, map: Basemap): FastifyReply {
  reply.header('ETag', map.etag);
  reply.header('Cache-Control', 'private, max-age=86400');
  const ifNoneMatch = reply.request.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === map.etag)) return reply.code(304).send();
  return reply.type('application/json').send(map.body);
}
