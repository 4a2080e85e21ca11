import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { countByState, libraryStats, reprocessStep } from '../library/photos.js';
import type { Library, LibraryContext } from '../library/library.js';
import { version } from '../version.js';
import { errorBody, healthResult, reprocessBody, reprocessResult, statsResult } from './schemas.js';

export function systemRoutes(app: FastifyInstance, context: LibraryContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/health', {
    config: { access: 'public' },
    schema: {
      tags: ['system'],
      summary: "Database and queue health; signed in, also the caller's photo counts",
      description: 'Public (for load balancers and monitors): without credentials it says no more than whether the server works.',
      response: { 200: healthResult, 503: healthResult },
    },
    handler: async (request, reply) => {
      let database: { ok: boolean; kind: string; error?: string } = { ok: true, kind: context.database.kind };
      let photos: Record<string, number> = {};
      try {
        await context.db.execute(sql`select 1`);
        if (request.actor) photos = await countByState(request.lib);
      } catch (error) {
        const detail = request.actor ? `: ${error instanceof Error ? error.message : String(error)}` : '';
        database = { ok: false, kind: context.database.kind, error: `the database does not answer${detail}` };
      }
      const body = {
        status: database.ok ? ('ok' as const) : ('degraded' as const),
        database,
        queue: { depth: await context.queue.depth() },
        photos,
        uptimeSeconds: Math.round(process.uptime()),
        version,
      };
      return reply.code(database.ok ? 200 : 503).send(body);
    },
  });

  api.get('/api/stats', {
    config: { access: 'read' },
    schema: { tags: ['system'], summary: 'Counts per state and per step, average step durations', response: { 200: statsResult } },
    handler: async (request) => libraryStats(request.lib),
  });

  api.post('/api/reprocess', {
    config: { access: 'write' },
    schema: {
      tags: ['system'],
      summary: 'Run a step again over the library (where it failed or was skipped, or everywhere with all)',
      body: reprocessBody,
      response: { 202: reprocessResult, 400: errorBody },
    },
    handler: async (request, reply) => {
      const queued = await reprocessStep(request.lib, request.body.step, { all: request.body.all });
      return reply.code(202).send({ step: request.body.step, queued });
    },
  });
}
