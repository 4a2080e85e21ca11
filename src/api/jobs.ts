import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FAILURES_SHOWN, GENERATION_SHOWN_MINUTES, JobsFeed, type JobsSnapshot, RATE_WINDOW_SECONDS } from '../library/jobs/index.js';
import { jobInfo } from './create.js';
import type { Library, Resources } from '../library/library.js';
import { PHOTO_STATES, STEP_NAMES } from '../model/photo-state.js';

/** A comment line now and then keeps proxies and browsers from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000;

const count = z.number().int();

export const jobsSnapshotSchema = z.object({
  states: z.record(z.string(), count).describe(`photos per state (${PHOTO_STATES.join(', ')}); the trash is not counted`),
  run: z
    .object({ done: count, total: count })
    .nullable()
    .describe(
      'the run of work under way: photos finished since the earliest photo still waiting or processing joined it, of those and the ones left; null when idle',
    ),
  steps: z
    .record(z.string(), z.object({ pending: count, running: count, done: count, skipped: count, failed: count }))
    .describe(`photos per status of each step, in pipeline order: ${STEP_NAMES.join(', ')}`),
  queue: z.object({ depth: count.describe('photos waiting or being processed by this server') }),
  rate: z.object({
    photosPerMinute: z.number().describe('photos that reached a terminal state (completed, partial, failed), per minute'),
    windowSeconds: count.describe(
      `over the last ${RATE_WINDOW_SECONDS} s, or since the first of them started when that is later (an import that began a minute ago)`,
    ),
  }),
  etaSeconds: count
    .nullable()
    .describe(
      'seconds until the waiting and running steps are done, each at its own pace lately; null when idle, or while a step with work left has no steady pace yet',
    ),
  failures: z
    .array(
      z.object({
        photoId: z.string(),
        filename: z.string(),
        step: z.string(),
        error: z.string(),
        at: z.string().describe('ISO 8601, when the step failed'),
      }),
    )
    .describe(`failed steps, newest first (at most ${FAILURES_SHOWN}); retry with POST /api/photos/{id}/retry`),
  failuresTotal: count.describe('failed steps in all'),
  generation: z
    .array(jobInfo)
    .describe(
      `your image-generation jobs still open or ended in the last ${GENERATION_SHOWN_MINUTES} minutes, newest first (as GET /api/generate/jobs/{id} answers each)`,
    ),
  at: z.string().describe('ISO 8601, when the snapshot was taken'),
});

export function jobsRoutes(app: FastifyInstance, _context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  // one poller per user (each sees their own photos' progress), made when they first ask
  const feeds = new Map<string, JobsFeed>();
  const feedOf = (lib: Library) => {
    let feed = feeds.get(lib.ownerId);
    if (!feed) feeds.set(lib.ownerId, (feed = new JobsFeed(lib)));
    return feed;
  };
  const streams = new Set<() => void>();

  api.get('/api/jobs', {
    config: { access: 'read' },
    schema: {
      tags: ['system'],
      summary: "The pipeline's progress: photos per state and per step, queue, rate, ETA, failures",
      description:
        'The same snapshot the event stream (/api/jobs/events) sends. While a stream is open it is at most a ' +
        'second old; counts at 100k photos are read from the database at most every few seconds while work goes on.',
      response: { 200: jobsSnapshotSchema },
    },
    handler: async (request) => feedOf(request.lib).snapshot(),
  });

  api.get('/api/jobs/events', {
    config: { access: 'read' },
    schema: {
      tags: ['system'],
      summary: "The pipeline's progress as server-sent events",
      description:
        'text/event-stream: `event: jobs` with a snapshot (as GET /api/jobs answers) as `data`, at once and then ' +
        'whenever it changes; a comment line every 15 s keeps the connection open. The server reads the database ' +
        'about once a second however many clients listen (and not at all while none do). Use EventSource; it ' +
        'reconnects by itself after `retry` ms.',
      produces: ['text/event-stream'],
    },
    handler: (request, reply) => {
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no', // nginx: pass events on as they come
      });
      response.write('retry: 3000\n\n');
      let unsubscribe: (() => void) | null = null;
      const heartbeat = setInterval(() => write(response, ': heartbeat\n\n'), HEARTBEAT_MS);
      const end = () => {
        if (!streams.delete(end)) return;
        clearInterval(heartbeat);
        unsubscribe?.();
        if (!response.writableEnded) response.end();
      };
      streams.add(end);
      // the client went away (tab closed, navigated, EventSource closed), or the response ended
      response.once('close', end);
      unsubscribe = feedOf(request.lib).subscribe((snapshot: JobsSnapshot) => write(response, `event: jobs\ndata: ${JSON.stringify(snapshot)}\n\n`));
    },
  });

  // Open streams would keep server.close() waiting for ever: they end first, then the poller stops.
  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
    await Promise.all([...feeds.values()].map((feed) => feed.close()));
  });
}

function write(response: ServerResponse, text: string): void {
  if (!response.writableEnded && !response.destroyed) response.write(text);
}
