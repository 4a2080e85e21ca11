// The tus 1.0 resumable-upload protocol's requests as routes of their own (an import's archives, api/imports.ts; a
// backup's photos, api/uploads.ts): each declares its access and checks that the upload is the caller's before
// @tus/server reads a byte, bodies are cut only when idle (body-deadlines.ts), and uploads given up are removed.
import type { Server as TusServer } from '@tus/server';
import { Metadata } from '@tus/utils';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { UserError } from '../base/errors.js';
import { receiveAsUpload } from './body-deadlines.js';

export interface TusRoutes {
  /** Where uploads are made (`POST`); an upload is `${path}/:uploadId`. */
  path: string;
  tus: TusServer;
  /** Checks a creation (metadata, length, room) before tus makes the upload; throws a UserError to refuse it. */
  onCreate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /**
   * Checks a request on one upload (HEAD, PATCH, DELETE): that it is the caller's and may change; throws to refuse.
   * Answers true when it answered the request itself (an upload tus no longer holds).
   */
  onUpload: (request: FastifyRequest, reply: FastifyReply, uploadId: string) => Promise<boolean | void>;
  /** Answers `OPTIONS ${path}` (tus's discovery: version, extensions, largest size). */
  discovery?: boolean;
  /** Removes uploads given up, this often. */
  cleanUp: { everyMs: number; run: () => Promise<unknown>; what: string };
  logger: Logger;
}

/** The `Upload-Metadata` header read exactly as tus reads it (a header read otherwise could say one thing to a check and another to tus), or null. */
export function tusMetadata(header: string | undefined): Record<string, string | null> | null {
  try {
    return Metadata.parse(header);
  } catch {
    return null;
  }
}

/** The upload's size said up front (no deferred length): what it stages is known before a byte comes. */
export function uploadLength(request: FastifyRequest, what: string): number {
  const length = Number(request.headers['upload-length']);
  if (request.headers['upload-length'] === undefined || !Number.isSafeInteger(length) || length < 0) {
    throw new UserError('invalid', `say the ${what}'s size in Upload-Length`);
  }
  return length;
}

export function registerTusRoutes(app: FastifyInstance, options: TusRoutes): void {
  const { path, tus } = options;
  const cleanUp = setInterval(() => {
    options.cleanUp.run().catch((error: unknown) => options.logger.warn({ err: error }, `removing expired ${options.cleanUp.what} failed`));
  }, options.cleanUp.everyMs);
  cleanUp.unref();
  app.addHook('onClose', async () => clearInterval(cleanUp));
  /** Hands the request to tus as it came (its body unread): an upload, cut only when idle (body-deadlines.ts). */
  const toTus = async (request: FastifyRequest, reply: FastifyReply) => {
    receiveAsUpload(request.raw);
    reply.hijack();
    await tus.handle(request.raw, reply.raw);
  };
  // the upload is the last part of the path alone (the route checked it is the caller's), never of a query
  const noQuery = (request: FastifyRequest) => {
    if (request.url.includes('?')) throw new UserError('invalid', 'the upload address takes no query');
  };

  // The protocol's requests, their bodies read by tus alone.
  app.register(async (uploads) => {
    uploads.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));
    if (options.discovery) {
      uploads.options(path, { schema: { hide: true }, config: { access: 'upload' } }, async (request, reply) => {
        noQuery(request);
        return toTus(request, reply);
      });
    }
    uploads.post(path, { schema: { hide: true }, config: { access: 'upload' } }, async (request, reply) => {
      noQuery(request);
      await options.onCreate(request, reply);
      return toTus(request, reply);
    });
    uploads.route({
      method: ['HEAD', 'PATCH', 'DELETE'],
      url: `${path}/:uploadId`,
      schema: { hide: true },
      config: { access: 'upload' },
      handler: async (request, reply) => {
        noQuery(request);
        if (await options.onUpload(request, reply, (request.params as { uploadId: string }).uploadId)) return reply;
        return toTus(request, reply);
      },
    });
  });
}
