// Imports from other services through the web app (library/imports/): make an import, upload its archives with the
// tus resumable-upload protocol (@tus/server, the files in library/imports/sessions.ts's store), start it, follow
// it. The tus requests are routes of their own, so that each declares its access and reaches only the caller's
// import; the protocol itself is the library's.
import { statfs } from 'node:fs/promises';
import { Server as TusServer } from '@tus/server';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UserError } from '../base/errors.js';
import type { Resources } from '../library/library.js';
import {
  acceptsUploads,
  checkStagingRoom,
  createImport,
  deleteImport,
  findImport,
  getImport,
  IMPORT_SOURCES,
  importOfUpload,
  importUploads,
  listImports,
  markImporting,
  MAX_ARCHIVE_BYTES,
  newUploadId,
  resumeImports,
  runImportInBackground,
  stopImports,
} from '../library/imports/index.js';
import { errorBody } from './schemas.js';
import { registerTusRoutes, tusMetadata, uploadLength } from './tus-routes.js';

/** Room left on the disk beyond an archive: the photos it holds are copied into the library too. */
const DISK_MARGIN_BYTES = 1024 ** 3;
const UPLOADS_PATH = '/api/imports/uploads';

const idParams = z.object({ id: z.uuid({ message: 'import id must be a UUID' }) });

export const importView = z.object({
  id: z.string(),
  source: z.enum(IMPORT_SOURCES),
  status: z
    .enum(['uploading', 'importing', 'done', 'failed'])
    .describe('uploading → importing → done, or failed (start it again: nothing is added twice; it fails when it crashed the server twice at the same place)'),
  files: z
    .array(z.object({ uploadId: z.string(), name: z.string(), size: z.number().int().nullable(), received: z.number().int().describe('bytes the server has') }))
    .describe('the archives uploaded into it (gone once it is done)'),
  progress: z.object({ done: z.number().int(), total: z.number().int() }).nullable().describe('items imported so far (from the first), of how many'),
  outcome: z
    .record(z.string(), z.number())
    .nullable()
    .describe('counts: added, alreadyThere, copies, failed, favourites, trashed, archived, albums, withPeople'),
  report: z.string().nullable().describe('the report, as `shoebox import --from …` prints it'),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u;

/**
 * The import a creation request names in `Upload-Metadata`, read exactly as tus reads it (a header that tus would
 * read otherwise than this check cannot slip an upload into another import), or null.
 */
export function importIdOf(header: string | undefined): string | null {
  const id = tusMetadata(header)?.importId ?? '';
  return UUID.test(id) ? id : null;
}

function uploadServer(context: Resources): TusServer {
  const store = importUploads(context);
  return new TusServer({
    path: UPLOADS_PATH,
    datastore: store,
    relativeLocation: true,
    maxSize: MAX_ARCHIVE_BYTES,
    // same origin only: no CORS headers for anyone
    allowedOrigins: () => false,
    // the route checked the import (read as importIdOf reads it) is the caller's and takes archives
    namingFunction: (_req, metadata) => {
      const importId = metadata?.importId ?? '';
      if (!UUID.test(importId)) throw { status_code: 404, body: 'no such import\n' };
      return newUploadId(importId);
    },
    // the upload is the last part of the path alone (the route checked it is the caller's), never of a query
    getFileIdFromRequest: (req) => decodeURIComponent(new URL(req.url).pathname.split('/').pop() ?? ''),
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

export function importRoutes(app: FastifyInstance, context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tus = uploadServer(context);
  // an import a stop cut short goes on (what went in is not added twice); archives given up are removed daily
  app.addHook('onReady', async () => {
    try {
      const resumed = await resumeImports(context);
      if (resumed > 0) context.logger.info({ imports: resumed }, 'imports started again');
    } catch (error) {
      context.logger.error({ err: error }, 'imports cut short could not be started again');
    }
  });
  // imports under way stop between items, to run again at the next start (a stop in order, not counted as a crash)
  app.addHook('onClose', async () => {
    await stopImports(context).catch((error: unknown) => context.logger.warn({ err: error }, 'imports under way could not be stopped in order'));
  });

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
    schema: {
      tags: ['imports'],
      summary: 'One import: its archives, progress and report',
      params: idParams,
      response: { 200: importView, 400: errorBody, 404: errorBody },
    },
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
      const files = await markImporting(request.lib, request.params.id);
      void runImportInBackground(request.lib, request.params.id, files);
      reply.code(202);
      return getImport(request.lib, request.params.id);
    },
  });

  api.delete('/api/imports/:id', {
    config: { access: 'upload' },
    schema: {
      tags: ['imports'],
      summary: 'Remove an import and its uploaded archives, in any state (a run of it stops; what it imported stays)',
      params: idParams,
      response: { 204: z.null(), 400: errorBody, 404: errorBody },
    },
    handler: async (request, reply) => {
      await deleteImport(request.lib, request.params.id);
      return reply.code(204).send(null);
    },
  });

  // The tus protocol's requests: archives given up are removed daily
  registerTusRoutes(app, {
    path: UPLOADS_PATH,
    tus,
    cleanUp: { everyMs: 24 * 3600 * 1000, run: () => tus.cleanUpExpiredUploads(), what: 'import uploads' },
    logger: context.logger,
    async onCreate(request) {
      const importId = importIdOf(request.headers['upload-metadata'] as string | undefined);
      if (!importId || !(await acceptsUploads(request.lib, importId))) {
        throw new UserError('not-found', 'no import takes archives under that importId: make one with POST /api/imports');
      }
      await checkStagingRoom(request.lib, uploadLength(request, 'archive'));
    },
    async onUpload(request, _reply, uploadId) {
      const importId = importOfUpload(uploadId);
      const found = importId ? await findImport(request.lib, importId).catch(() => null) : null;
      if (!found) throw new UserError('not-found', 'no such upload');
      // archives are added while uploading; one may be taken out then, or after a failed run
      const open = found.status === 'uploading' || (request.method === 'DELETE' && found.status === 'failed');
      if (request.method !== 'HEAD' && !open) throw new UserError('conflict', `the import is ${found.status}: its archives may not change`);
    },
  });
}
