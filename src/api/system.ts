import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { countByState, libraryStats, reprocessStep } from '../library/photos/index.js';
import type { Resources } from '../library/library.js';
import { version } from '../config/version.js';
import { videoTools } from '../media/video/tools.js';
import { withTimeout, type EngineMonitor } from '../app/engine-health.js';
import type { LibrarySize } from '../app/library-size.js';
import { errorBody, reprocessBody, reprocessResult } from './schemas.js';
import { healthResult, statsResult } from './status-schemas.js';

/** How long /api/health waits for a live figure (photo counts, queue depth) before answering with what it has. */
const LIVE_WAIT_MS = 700;

export function systemRoutes(app: FastifyInstance, context: Resources, monitor: EngineMonitor, size: LibrarySize): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  let lastDepth = 0;

  api.get('/api/health', {
    config: { access: 'public' },
    schema: {
      tags: ['system'],
      summary: "Health of the database, queue and storage; signed in, also the caller's photo counts",
      description:
        'Public (for load balancers and monitors): without credentials it says no more than whether the server works. ' +
        'To an admin, also `embeddedSize`: whether the embedded library has outgrown its database.',
      response: { 200: healthResult, 503: healthResult },
    },
    handler: async (request, reply) => {
      const engines = monitor.engines();
      const databaseDown = engines.find((engine) => engine.name === 'database' && !engine.ok);
      const queueDown = engines.some((engine) => engine.name === 'queue' && !engine.ok);
      // the live figures only from engines that answer, and never waited for past LIVE_WAIT_MS: the cached ones stand
      const counts = request.actor && !databaseDown ? withTimeout(countByState(request.lib), LIVE_WAIT_MS, 'counts').catch(() => ({})) : Promise.resolve({});
      // to an admin, the size notice on the same clock: their own count moving (an import) has the library counted
      // again; a count not done in time says nothing this time (it goes on, and the next look has it)
      const admin = request.actor?.scopes.has('admin') && !databaseDown ? request.actor.userId : null;
      const sizeNotice = admin
        ? withTimeout(
            counts.then((photos) => {
              const own = Object.values(photos as Record<string, number>);
              return size.notice(own.length > 0 ? { who: admin, photos: own.reduce((sum, n) => sum + n, 0) } : undefined);
            }),
            LIVE_WAIT_MS,
            'size',
          ).catch(() => null)
        : Promise.resolve(undefined);
      const [photos, depth, embeddedSize] = await Promise.all([
        counts,
        queueDown ? lastDepth : withTimeout(context.queue.depth(), LIVE_WAIT_MS, 'depth').catch(() => lastDepth),
        sizeNotice,
      ]);
      lastDepth = depth;
      const said = (error: string | null) => (error === null ? null : request.actor ? error : 'does not answer');
      const database = databaseDown
        ? { ok: false, kind: context.database.kind, error: `the database does not answer${request.actor ? `: ${databaseDown.error}` : ''}` }
        : { ok: true, kind: context.database.kind };
      const tools = request.actor ? await videoTools(context.settings.video) : null;
      const { hwaccel } = context.settings.video;
      const video = tools
        ? 'problem' in tools
          ? { ffmpeg: null, source: null, problem: tools.problem, hwaccel }
          : { ffmpeg: tools.version, source: tools.source, problem: null, hwaccel }
        : undefined;
      const body = {
        status: engines.every((engine) => engine.ok) ? ('ok' as const) : ('degraded' as const),
        database,
        queue: { depth },
        photos: photos as Record<string, number>,
        uptimeSeconds: Math.round(process.uptime()),
        version,
        engines: engines.map((engine) => ({ ...engine, error: said(engine.error) })),
        ...(video ? { video } : {}),
        ...(embeddedSize === undefined ? {} : { embeddedSize }),
      };
      // 503 when nothing can be served (the database); degraded but serving with another engine down
      return reply.code(databaseDown ? 503 : 200).send(body);
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
      summary:
        'Run a step again over the library (where it failed or was skipped, or everywhere with all); 409 while a setting turns it off, or the library leaves it out (the catalogue without the creation tools)',
      body: reprocessBody,
      response: { 202: reprocessResult, 400: errorBody, 409: errorBody },
    },
    handler: async (request, reply) => {
      const queued = await reprocessStep(request.lib, request.body.step, { all: request.body.all });
      return reply.code(202).send({ step: request.body.step, queued });
    },
  });
}
