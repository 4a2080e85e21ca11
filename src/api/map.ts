import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentMapSource, mapClusters, MAX_CLUSTERS, PMTILES_NAME, pmtilesFile, pmtilesFiles, writeMapConfig } from '../library/map/index.js';
import type { Db } from '../db/connection.js';
import { UserError } from '../base/errors.js';
import { requestedRange } from './byte-range.js';
import { basemap, BASEMAP_DETAILS, type Basemap } from '../media/basemap.js';
import { countryName } from '../media/places.js';
import { towns } from '../media/towns.js';
import { errorBody, libraryFilterQuery } from './schemas.js';

const mapPointsQuery = libraryFilterQuery
  .extend({ zoom: z.coerce.number().int().min(0).max(22).default(2).describe("the map's zoom: 0 shows the world in one 256 px tile") })
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

export const townsFound = z.object({
  items: z.array(
    z.object({
      name: z.string().describe("the town's own name in the gazetteer"),
      matched: z.string().nullable().describe('the other name of it that the text matched ("Lissabon" for Lisbon); null: its own'),
      country: z.string().nullable(),
      countryCode: z.string(),
      latitude: z.number(),
      longitude: z.number(),
    }),
  ),
});

export const mapSource = z.object({
  kind: z
    .enum(['builtin', 'tiles', 'style', 'pmtiles'])
    .describe(
      'builtin: the world map Shoebox serves alone; tiles: a tile server an admin named; style: a MapLibre style an admin named; pmtiles: a PMTiles file Shoebox serves',
    ),
  tileUrl: z.string().optional().describe('for tiles: the XYZ template browsers ask'),
  styleUrl: z.string().optional().describe("for style: the MapLibre style JSON browsers read (tiles, glyphs and sprites from the style's host)"),
  pmtilesUrl: z.string().optional().describe('for pmtiles: where Shoebox serves it, with byte ranges'),
  format: z
    .enum(['raster', 'vector'])
    .optional()
    .describe("for pmtiles: its tiles, images or vector tiles (MVT, drawn in the browser with Protomaps' basemap style)"),
  attribution: z.string(),
  maxZoom: z.number().int().optional(),
});

export const mapConfigView = z.object({
  tileUrl: z.string().nullable(),
  styleUrl: z.string().nullable(),
  pmtiles: z.string().nullable(),
  attribution: z.string().nullable(),
  maxZoom: z.number().int(),
  source: mapSource.describe('what the map draws with these settings'),
  problem: z.string().nullable().describe('why the map does not draw what the settings name (a PMTiles file gone): null when it does'),
  pmtilesFiles: z
    .array(z.object({ name: z.string(), sizeBytes: z.number().int() }))
    .describe("PMTiles files in the data folder's maps/ (drop one there to offer it)"),
});

export function mapRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/map/source', {
    config: { access: 'read' },
    schema: {
      tags: ['map'],
      summary: 'What the map draws: the built-in world map, a tile server, a map style, or a PMTiles file',
      response: { 200: mapSource },
    },
    handler: async (request) => (await currentMapSource(request.lib.db, request.lib.settings.dataDir)).source,
  });

  api.get('/api/admin/map', {
    config: { access: 'admin' },
    schema: { tags: ['admin'], summary: "The map's source settings", response: { 200: mapConfigView } },
    handler: async (request) => configView(request.lib.db, request.lib.settings.dataDir),
  });

  api.put('/api/admin/map', {
    config: { access: 'admin' },
    schema: {
      tags: ['admin'],
      summary: "Set the map's source: a tile server's URL, a map style's URL or a PMTiles file (null: none)",
      description:
        'With none, the map is the built-in world map alone and nothing leaves the server or the browsers. A tile ' +
        "URL makes every browser showing the map ask that server for tiles (it is allowed in the web app's image " +
        'policy); a style URL (a MapLibre style JSON) makes them read the style and its tiles, glyphs and sprites ' +
        "from the style's host (allowed in the policy; other hosts the style names are refused) and wins over a tile " +
        "URL; a PMTiles file in the data folder's maps/ (raster tiles, or vector tiles such as a Protomaps basemap) " +
        'is served by Shoebox itself and wins over both. A tile or style URL, a key in it included, is sent to every ' +
        "signed-in user's browser (GET /api/map/source): use a key the provider restricts to this site's origin.",
      body: z
        .object({
          tileUrl: z.string().max(2000).nullable().optional(),
          styleUrl: z.string().max(2000).nullable().optional(),
          pmtiles: z.string().max(200).nullable().optional(),
          attribution: z.string().max(500).nullable().optional(),
          maxZoom: z.number().int().min(1).max(22).optional(),
        })
        .strict(),
      response: { 200: mapConfigView, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => {
      await writeMapConfig(request.lib.db, request.lib.settings.dataDir, request.body);
      return configView(request.lib.db, request.lib.settings.dataDir);
    },
  });

  api.get('/api/map/pmtiles/:name', {
    config: { access: 'read' },
    schema: {
      tags: ['map'],
      summary: "A PMTiles map file from the data folder's maps/, with byte ranges (the map reads it piece by piece)",
      params: z.object({ name: z.string().max(200) }),
      response: { 400: errorBody, 404: errorBody, 416: errorBody },
    },
    handler: async (request, reply) => {
      // a name no map file can have is not there (as another user's id would not be)
      if (!PMTILES_NAME.test(request.params.name)) throw new UserError('not-found', `no map file ${request.params.name.slice(0, 120)}`);
      return sendPmtiles(reply as FastifyReply, await pmtilesFile(request.lib.settings.dataDir, request.params.name));
    },
  });

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

  api.get('/api/map/towns', {
    config: { access: 'read' },
    schema: {
      tags: ['map'],
      summary: 'Towns whose name starts with the text, with where they are: to set home by name',
      description:
        "GeoNames' towns over 15,000 people, by their own names and their other names (Lissabon, Lisbonne, Lisboa), " +
        'most populous first; read from the data Shoebox ships, with no request to any other host.',
      querystring: z.object({ q: z.string().trim().min(1).max(100), limit: z.coerce.number().int().min(1).max(20).default(8) }),
      response: { 200: townsFound, 400: errorBody },
    },
    handler: async (request) => ({
      items: (await towns()).find(request.query.q, request.query.limit).map((t) => ({ ...t, country: countryName(t.countryCode) })),
    }),
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

async function configView(db: Db, dataDir: string) {
  const { config, source, problem } = await currentMapSource(db, dataDir);
  return { ...config, source, problem, pmtilesFiles: await pmtilesFiles(dataDir) };
}

/** The file, or the range of it asked for (what a PMTiles reader does). */
async function sendPmtiles(reply: FastifyReply, file: { path: string; size: number }): Promise<FastifyReply> {
  reply.header('Accept-Ranges', 'bytes');
  reply.header('Cache-Control', 'private, max-age=3600');
  reply.header('Content-Type', 'application/vnd.pmtiles');
  const range = requestedRange(reply.request.headers.range, file.size);
  if (range === 'unsatisfiable') {
    reply.header('Content-Range', `bytes */${file.size}`);
    throw new UserError('range-not-satisfiable', `the range asked for is outside the file (${file.size} bytes)`);
  }
  if (range) {
    reply.code(206);
    reply.header('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
    reply.header('Content-Length', range.end - range.start + 1);
    return reply.send(createReadStream(file.path, { start: range.start, end: range.end }));
  }
  reply.header('Content-Length', file.size);
  return reply.send(createReadStream(file.path));
}
