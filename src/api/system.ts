import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { countByState, libraryStats, reprocessStep } from '../library/photos.js';
import type { Library } from '../library/library.js';
import { version } from '../version.js';
import { errorBody, healthResult, reprocessBody, reprocessResult, statsResult } from './schemas.js';

export function systemRoutes(app: FastifyInstance, lib: Library): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/health', {
    schema: { tags: ['system'], summary: 'Database, queue and photo counts', response: { 200: healthResult, 503: healthResult } },
    handler: async (_request, reply) => {
      let database: { ok: boolean; kind: string; error?: string } = { ok: true, kind: lib.database.kind };
      let photos: Record<string, number> = {};
      try {
        await lib.db.execute(sql`select 1`);
        photos = await countByState(lib);
      } catch (error) {
        database = { ok: false, kind: lib.database.kind, error: error instanceof Error ? error.message : String(error) };
      }
      const body = {
        status: database.ok ? ('ok' as const) : ('degraded' as const),
        database,
        queue: { depth: await lib.queue.depth() },
        photos,
        uptimeSeconds: Math.round(process.uptime()),
        version,
      };
      return reply.code(database.ok ? 200 : 503).send(body);
    },
  });

  api.get('/api/stats', {
    schema: { tags: ['system'], summary: 'Counts per state and per step, average step durations', response: { 200: statsResult } },
    handler: async () => libraryStats(lib),
  });

  api.post('/api/reprocess', {
    schema: {
      tags: ['system'],
      summary: 'Run a step again over the library (where it failed or was skipped, or everywhere with all)',
      body: reprocessBody,
      response: { 202: reprocessResult, 400: errorBody },
    },
    handler: async (request, reply) => {
      const queued = await reprocessStep(lib, request.body.step, { all: request.body.all });
      return reply.code(202).send({ step: request.body.step, queued });
    },
  });
}
