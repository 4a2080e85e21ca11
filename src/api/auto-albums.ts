import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DEFAULT_AUTO_CLUSTERING_PARAMS, regenerateAutoAlbums } from '../library/albums/index.js';
import type { Resources } from '../library/library.js';
import { errorBody } from './schemas.js';

const regenerateBody = z
  .object({
    minSize: z.number().int().min(2).max(100_000).optional().describe(`smallest album, in photos (default ${DEFAULT_AUTO_CLUSTERING_PARAMS.minSize})`),
    minSimilarity: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .describe(`cosine similarity of CLIP embeddings at which two photos count as alike (default ${DEFAULT_AUTO_CLUSTERING_PARAMS.minSimilarity})`),
    timeGapDays: z
      .number()
      .positive()
      .max(36_500)
      .nullable()
      .optional()
      .describe('split albums into events where photos are more than this many days apart (default: no split)'),
  })
  .strict()
  // Sent without a body (no content-type), the request has a null one: the defaults then.
  .nullish();

export const autoAlbumResult = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  tags: z.array(z.string()),
  primaryCategory: z.string().nullable(),
  nameSource: z.string().nullable().describe('provider (the caption endpoint named it), fallback (tags, dates, places) or user'),
  photoCount: z.number().int().describe('photos this run put in it'),
  representativeIds: z.array(z.uuid()).describe('its most central photos, most central first'),
  start: z.iso.datetime().nullable().describe('earliest date taken'),
  end: z.iso.datetime().nullable().describe('latest date taken'),
  place: z.string().nullable().describe('where most of its photos were taken, when one place dominates'),
  change: z.enum(['created', 'updated', 'unchanged']),
});

export const regenerateResult = z.object({
  created: z.number().int(),
  updated: z.number().int().describe('albums whose photos or name changed'),
  unchanged: z.number().int(),
  removed: z.number().int().describe('automatic albums that no longer match a group of photos, deleted'),
  skipped: z.number().int().describe('groups not made into albums because they match a dismissed or kept album'),
  photos: z.number().int().describe('photos clustered (not in the trash, with an embedding of the CLIP model in use)'),
  pending: z.number().int().describe('photos left out because they have no embedding of that model yet'),
  model: z.string(),
  params: z.object({ minSize: z.number().int(), minSimilarity: z.number(), timeGapDays: z.number().nullable() }),
  albums: z.array(autoAlbumResult).describe('every active automatic album after the run, largest first'),
});

export function autoAlbumRoutes(app: FastifyInstance, _context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/api/albums/auto/regenerate', {
    config: { access: 'write' },
    schema: {
      tags: ['albums'],
      summary: 'Group alike photos into automatic albums again, now',
      description:
        'Clusters the CLIP embeddings of the photos (density-based: a photo with at least minSize − 1 others at ' +
        'cosine ≥ minSimilarity seeds an album), optionally split into events by timeGapDays, and reconciles the ' +
        'result with the automatic albums there are: an album whose photos are the same group (same members, or a ' +
        'Jaccard overlap ≥ 0.5) is updated in place and keeps its id and, unless it was named from tags, its name; ' +
        'new groups become albums; automatic albums that match no group are deleted. A group that matches a ' +
        'dismissed album, or one the user kept, is skipped. Manual albums are never touched. Names come from the ' +
        'caption endpoint (captions of up to 5 representative photos) when one is configured, else from tags, ' +
        'dates and places. Runs in the request; 409 while another regeneration runs, or without a CLIP model.',
      body: regenerateBody,
      response: { 200: regenerateResult, 400: errorBody, 409: errorBody },
    },
    handler: async (request) => {
      const summary = await regenerateAutoAlbums(request.lib, request.body ?? {});
      return {
        ...summary,
        albums: summary.albums.map((album) => ({
          ...album,
          start: album.start?.toISOString() ?? null,
          end: album.end?.toISOString() ?? null,
        })),
      };
    },
  });
}
