// Imports from other services through the web app (library/imports/): make an import, upload its archives with the
// tus resumable-upload protocol (@tus/server, the files in library/imports/sessions.ts's store), start it, follow
// it. The tus requests are routes of their own, so that each declares its access and reaches only the caller's
// import; the protocol itself is the library's.
import { statfs } from 'node:fs/promises';
import { Server as TusServer } from '@tus/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UserError } from '../base/errors.js';
import type { LibraryContext } from '../library/library.js';
import { resumeImports, runImportInBackground } from '../library/imports/run.js';
import {
  acceptsUploads,
  createImport,
  findImport,
  getImport,
  IMPORT_SOURCES,
  importOfUpload,
  importUploads,
  listImports,
  markImporting,
  MAX_ARCHIVE_BYTES,
  newUploadId,
  removeImport,
} from '../library/imports/sessions.js';
import { errorBody } from './schemas.js';

/** Room left on the disk beyond an archive: the photos it holds are copied into the library too. */
const DISK_MARGIN_BYTES = 1024 ** 3;
const UPLOADS_PATH = '/api/imports/uploads';

const idParams = z.object({ id: z.uuid({ message: 'import id must be a UUID' }) });

export const importView = z.object({
  id: z.string(),
  source: z.enum(IMPORT_SOURCES),
  status: z.enum(['uploading', 'importing', 'done', 'failed']).describe('uploading → importing → done, or failed (start it again: nothing is added twice)'),
  files: z
    .array(z.object({ uploadId: z.string(), name: z.string(), size: z.number().int().nullable(), received: z.number().int().describe('bytes the server has') }))
    .describe('the archives uploaded into it (gone once it is done)'),
  progress: z.object({ done: z.number().int(), total: z.number().int() }).nullable().describe('items imported so far, of how many'),
  outcome: z.record(z.string(), z.number()).nullable().describe('counts: added, alreadyThere, copies, failed, favourites, trashed, archived, albums, withPeople'),
  report: z.string().nullable().describe('the report, as `shoebox import --from …` prints it'),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

/** The `Upload-Metadata` header's pairs (`key base64value`, comma-separated), as tus sends them. */
export function uploadMetadata(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (header ?? '').split(',')) {
    const [key, value] = pair.trim().split(' ');
    if (key) out[key] = value ? Buffer.from(value, 'base64').toString('utf8') : '';
  }
  return out;
}

function uploadServer(context: LibraryContext): TusServer {
  const store = importUploads(context);
  return new TusServer({
    path: UPLOADS_PATH,
    datastore: store,
    relativeLocation: true,
    maxSize: MAX_ARCHIVE_BYTES,
    // same origin only: no CORS headers for anyone
    allowedOrigins: () => false,
    // the route checked the import is the caller's and takes archives
    namingFunction: (_req, metadata) => newUploadId(metadata?.importId ?? ''),
    async onUploadCreate(_req, upload) {
      const { bavail, bsize } = await statfs(store.directory);
      const free = Number(bavail) * Number(bsize);
      if ((upload.size ?? 0) + DISK_MARGIN_BYTES > free) {
        throw { status_code: 507, body: `not enough disk space for ${upload.metadata?.filename ?? 'the archive'}: ${upload.size} bytes, ${free} free\n` };
      }
      return {};
    },
  });
}

export function importRoutes(app: FastifyInstance, context: LibraryContext): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tus = uploadServer(context);
  // an import a stop cut short goes on (what went in is not added twice)
  app.addHook('onReady', async () => {
    const resumed = await resumeImports(context);
    if (resumed > 0) context.logger.info({ imports: resumed }, 'imports started again');
  });
  /** Hands the request to tus as it came (its body unread). */
  const toTus = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    await tus.handle(request.raw, reply.raw);
  };

  api.get('/api/imports', {
    config: { access: 'read' },
    schema: { tags: ['imports'], summary: 'Your imports from other services, newest first', response: { 200: z.object({ items: z.array(importView) }) } },
    handler: async (request) => ({ items: await listImports(request.lib) }),
  });

  api.post('/api/imports', {
    config: { access: 'upload' },
    schema: {
      tags: ['imports'],
      summary: 'Make an import: then upload its archives (tus) and start it',
      description:
        `Upload each archive (a Google Takeout zip, an iCloud Photos part) to \`${UPLOADS_PATH}\` with the tus 1.0 protocol ` +
        '(creation): `Upload-Metadata` carries `importId` (this import) and `filename`. An upload cut off goes on from the ' +
        `offset a HEAD answers. At most ${MAX_ARCHIVE_BYTES / 1024 ** 3} GiB an archive; 507 when the disk has no room for it.`,
      body: z.object({ source: z.enum(IMPORT_SOURCES).describe('`google-takeout` or `icloud`') }).strict(),
      response: { 201: importView, 400: errorBody },
    },
    handler: async (request, reply) => {
      reply.code(201);
      return createImport(request.lib, request.body.source);
    },
  });

  api.get('/api/imports/:id', {
    config: { access: 'read' },
    schema: { tags: ['imports'], summary: 'One import: its archives, progress and report', params: idParams, response: { 200: importView, 400: errorBody, 404: errorBody } },
    handler: async (request) => getImport(request.lib, request.params.id),
  });

  api.post('/api/imports/:id/start', {
    config: { access: 'upload' },
    schema: {
      tags: ['imports'],
      summary: 'Import the uploaded archives, on the server (follow it with GET /api/imports/{id})',
      description: '409 while an archive is not whole yet, while it runs, or once it is done. A failed import may be started again.',
      params: idParams,
      response: { 202: importView, 400: errorBody, 404: errorBody, 409: errorBody },
    },
    handler: async (request, reply) => {
      await markImporting(request.lib, request.params.id);
      void runImportInBackground(request.lib, request.params.id);
      reply.code(202);
      return getImport(request.lib, request.params.id);
    },
  });

  api.delete('/api/imports/:id', {
    config: { access: 'upload' },
    schema: {
      tags: ['imports'],
      summary: 'Remove an import and its uploaded archives (what it imported stays)',
      params: idParams,
      response: { 204: z.null(), 400: errorBody, 404: errorBody, 409: errorBody },
    },
    handler: async (request, reply) => {
      await removeImport(request.lib, request.params.id);
      return reply.code(204).send(null);
    },
  });

  // The tus protocol's requests, their bodies read by tus alone.
  app.register(async (uploads) => {
    uploads.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));
    uploads.post(UPLOADS_PATH, { schema: { hide: true }, config: { access: 'upload' } }, async (request, reply) => {
      const importId = uploadMetadata(request.headers['upload-metadata'] as string | undefined).importId ?? '';
      if (!/^[0-9a-f-]{36}$/u.test(importId) || !(await acceptsUploads(request.lib, importId))) {
        throw new UserError('not-found', 'no import takes archives under that importId: make one with POST /api/imports');
      }
      return toTus(request, reply);
    });
    uploads.route({
      method: ['HEAD', 'PATCH', 'DELETE'],
      url: `${UPLOADS_PATH}/:uploadId`,
      schema: { hide: true },
      config: { access: 'upload' },
      handler: async (request, reply) => {
        const importId = importOfUpload((request.params as { uploadId: string }).uploadId);
        const found = importId ? await findImport(request.lib, importId).catch(() => null) : null;
        if (!found) throw new UserError('not-found', 'no such upload');
        if (request.method !== 'HEAD' && found.status !== 'uploading') throw new UserError('conflict', `the import is ${found.status}: its archives may not change`);
        return toTus(request, reply);
      },
    });
  });
}
