import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  computeMemoriesOnce,
  getMemory,
  hideMemory,
  homeOf,
  listMemories,
  MEMORY_KINDS,
  memoryAsAlbum,
  readMemorySettings,
  serverToday,
  showHiddenMemories,
  writeMemorySettings,
} from '../library/memories/index.js';
import { homeChanged } from '../library/photo-search/index.js';
import { albumSummary } from './albums.js';
import { errorBody, photoListItem, todayParam } from './schemas.js';

const idParams = z.object({ id: z.uuid({ message: 'memory id must be a UUID' }) });

export const memorySummary = z.object({
  id: z.uuid(),
  kind: z.enum(MEMORY_KINDS).describe('on-this-day (this date in an earlier year), trip (days away from home), person-years (a named person over the years)'),
  title: z.string().describe('"On this day", "Porto and Lisbon, May 2024", "Marie, 2015–2025"'),
  subtitle: z.string(),
  from: z.string().describe('YYYY-MM-DD, the first day it covers'),
  to: z.string().describe('YYYY-MM-DD, the last'),
  count: z.number().int().describe('items, near-copies folded'),
  coverId: z.uuid().describe('its best item'),
  previewIds: z.array(z.uuid()).describe('its first items, best first'),
});
export const memoryList = z.object({ items: z.array(memorySummary), computedFor: z.string().describe('the day (YYYY-MM-DD) they are for') });
const memoryDetail = memorySummary.extend({ items: z.array(photoListItem).describe('in the order they were taken') });

const position = z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) });
export const memorySettingsView = z.object({
  kindsOff: z.array(z.enum(MEMORY_KINDS)).describe('kinds of memory turned off'),
  home: position.nullable().describe('home as the user set it; null: learned'),
  learnedHome: position.nullable().describe('where your geotagged items were taken on the most days: home unless you set one'),
});
const memoryRun = z.object({
  today: z.string(),
  home: position.nullable(),
  homeLearned: z.boolean(),
  written: z.record(z.enum(MEMORY_KINDS), z.number().int()),
});

export function memoryRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/memories', {
    config: { access: 'read' },
    schema: {
      tags: ['memories'],
      summary: 'Your memories: on this day, trips and people over the years, best first',
      description:
        "Computed from your own timeline (no trash, no archive; a stack is its cover, no copy a duplicate group's suggestion would trash, a " +
        "burst one photo) for `today`, your date (default: the server's), when they were not yet for that day; a " +
        'periodic job keeps them current too. On this day: items of this date in earlier years. Trips: runs of two days ' +
        'or more away from home (over 100 km; home is where items were taken on the most days unless set), named after the places ' +
        'visited. People over the years: named people with photos from three years or more.',
      querystring: z.object({ today: todayParam.optional() }),
      response: { 200: memoryList, 400: errorBody },
    },
    handler: async (request) => listMemories(request.lib, request.query.today ?? serverToday()),
  });

  api.get('/api/memories/settings', {
    config: { access: 'read' },
    schema: { tags: ['memories'], summary: 'Which kinds of memory you want, and home', response: { 200: memorySettingsView } },
    handler: async (request) => settingsView(request.lib),
  });

  api.put('/api/memories/settings', {
    config: { access: 'write' },
    schema: {
      tags: ['memories'],
      summary: 'Turn kinds of memory off or on, set home (null: learned again)',
      description: 'The memories are computed again the next time they are asked for.',
      body: z.object({ kindsOff: z.array(z.enum(MEMORY_KINDS)).max(MEMORY_KINDS.length).optional(), home: position.nullable().optional() }),
      response: { 200: memorySettingsView, 400: errorBody },
    },
    handler: async (request) => {
      await writeMemorySettings(request.lib, { kindsOff: request.body.kindsOff ? [...new Set(request.body.kindsOff)] : undefined, home: request.body.home });
      if (request.body.home !== undefined) homeChanged(request.lib); // "at home" in searches follows
      return settingsView(request.lib);
    },
  });

  api.post('/api/memories/refresh', {
    config: { access: 'write' },
    schema: {
      tags: ['memories'],
      summary: 'Compute your memories now, for a day',
      body: z.object({ today: todayParam.optional() }).default({}),
      response: { 200: memoryRun, 400: errorBody },
    },
    handler: async (request) => computeMemoriesOnce(request.lib, request.body.today ?? serverToday(), true),
  });

  api.delete('/api/memories/hidden', {
    config: { access: 'write' },
    schema: {
      tags: ['memories'],
      summary: 'Show the memories you hid again',
      response: { 200: z.object({ restored: z.number().int() }) },
    },
    handler: async (request) => ({ restored: await showHiddenMemories(request.lib) }),
  });

  api.get('/api/memories/:id', {
    config: { access: 'read' },
    schema: {
      tags: ['memories'],
      summary: 'A memory with its items, in the order they were taken',
      params: idParams,
      response: { 200: memoryDetail, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => getMemory(request.lib, request.params.id),
  });

  api.post('/api/memories/:id/hide', {
    config: { access: 'write' },
    schema: { tags: ['memories'], summary: 'Hide a memory for good', params: idParams, response: { 204: z.null(), 400: errorBody, 404: errorBody } },
    handler: async (request, reply) => {
      await hideMemory(request.lib, request.params.id);
      return reply.code(204).send(null);
    },
  });

  api.post('/api/memories/:id/album', {
    config: { access: 'write' },
    schema: {
      tags: ['memories'],
      summary: 'Keep a memory as an album (then share it as any album)',
      params: idParams,
      body: z.object({ name: z.string().trim().min(1).max(200).optional() }).default({}),
      response: { 201: albumSummary, 400: errorBody, 404: errorBody },
    },
    handler: async (request, reply) => reply.code(201).send(await memoryAsAlbum(request.lib, request.params.id, request.body.name)),
  });
}

async function settingsView(lib: Parameters<typeof readMemorySettings>[0]) {
  const settings = await readMemorySettings(lib);
  const learned = await homeOf(lib, null);
  return { kindsOff: settings.kindsOff, home: settings.home, learnedHome: learned.home };
}
