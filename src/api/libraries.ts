// Libraries in place: folders indexed where they are (library/in-place/). A user manages their own; an admin may
// add one for another user and decides which folders may be added at all (the allowed roots).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { findUser } from '../auth/users.js';
import { inPlaceRoots, SCAN_STATES, WATCH_MODES } from '../db/schema.js';
import { UserError } from '../base/errors.js';
import type { Resources } from '../library/library.js';
import { forAdminOf } from '../library/actors.js';
import {
  createInPlaceLibrary,
  getInPlaceLibrary,
  listInPlaceLibraries,
  listInPlaceFiles,
  removeInPlaceLibrary,
  requestScan,
  updateInPlaceLibrary,
} from '../library/in-place/index.js';
import { addAllowedRoot, cleanFolderPath, listAllowedRoots } from '../library/write-back/index.js';
import { DEFAULT_IN_PLACE_EXCLUDES } from '../model/in-place-excludes.js';
import { errorBody } from './schemas.js';
import { isOwner } from '../scope/rows.js';

const folder = z.string().min(1).max(4096).describe('an absolute folder path on the server, inside an allowed root');
const pattern = z.string().min(1).max(500);
const libraryParams = z.object({ id: z.uuid({ message: 'must be a library id (UUID)' }) });
const notFound = (id: string) => new UserError('not-found', `no library with id ${id}`);
const isForAnother = (self: string | undefined, owner: string | undefined): owner is string => Boolean(owner && (self === undefined || !isOwner(self, owner)));

const scanProgress = z
  .object({
    phase: z.enum(['listing', 'reading', 'done']),
    seen: z.number().int().describe('files with a photo’s extension listed so far'),
    total: z.number().int().nullable().describe('files listed in all (known once the listing is done)'),
    read: z.number().int().describe('new and changed files read so far'),
    toRead: z.number().int().nullable(),
    new: z.number().int(),
    changed: z.number().int().describe('edited files (new bytes: analysed again) and sidecars written by other tools'),
    moved: z.number().int().describe('renamed or moved files: their photos kept'),
    gone: z.number().int().describe('files no longer there: their photos offline'),
    duplicates: z.number().int().describe('files whose photo was already in Shoebox (same bytes: an upload, another copy)'),
    unchanged: z.number().int(),
    returned: z.number().int().describe('files back after their folder was away: their photos back, nothing redone'),
    failed: z.number().int().describe('files refused (see the files with problems=true for why)'),
    settling: z.number().int().describe('files still being written: read by the next scan'),
    rate: z.number().describe('files a second'),
    etaSeconds: z.number().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    missingRoots: z.array(z.string()).describe('folders that were not there (an unmounted disk) or are no longer allowed'),
  })
  .nullable();

export const inPlaceLibraryInfo = z.object({
  id: z.string(),
  ownerId: z.string(),
  name: z.string(),
  paths: z.array(z.string()).describe('the folders, as real paths'),
  exclude: z.array(z.string()),
  writeBack: z.boolean().describe('ratings, favourites, tags, descriptions and people are written to XMP sidecars beside the files'),
  watch: z.enum(WATCH_MODES),
  scanState: z.enum(SCAN_STATES),
  scan: scanProgress.describe('the last or running scan'),
  scanError: z.string().nullable(),
  lastScanAt: z.string().nullable(),
  createdAt: z.string(),
  counts: z.object({
    photos: z.number().int().describe('photos its files are (also those uploaded before: same bytes), offline ones included'),
    videos: z.number().int().describe('of the photos, how many are videos'),
    offline: z.number().int(),
    files: z.number().int().describe('files that are photos (several may be one photo: same bytes)'),
    refused: z.number().int(),
  }),
});

const libraryBody = z.object({
  name: z.string().min(1).max(200),
  paths: z.array(folder).min(1).max(50),
  exclude: z
    .array(pattern)
    .max(100)
    .optional()
    .describe(
      `globs of files and folders left out, inside each folder (hidden ones always are); left out of the request: ${DEFAULT_IN_PLACE_EXCLUDES.map((g) => `\`${g}\``).join(', ')}`,
    ),
  writeBack: z.boolean().default(false),
  watch: z
    .enum(WATCH_MODES)
    .optional()
    .describe('`auto`: file-system events; `poll`: look every SHOEBOX_LIBRARY_POLL_SECONDS (network shares); `off`: scans only'),
});

export const inPlaceFileInfo = z.object({
  path: z.string(),
  sizeBytes: z.number().int(),
  photoId: z.string().nullable().describe('null: refused (see error), or hidden (its photo was deleted in Shoebox)'),
  error: z.string().nullable(),
  missingSince: z.string().nullable(),
});

export const rootInfo = z.object({ path: z.string(), source: z.enum(['settings', 'admin']), present: z.boolean() });

export function inPlaceLibraryRoutes(app: FastifyInstance, context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/libraries', {
    config: { access: 'read' },
    schema: { tags: ['libraries'], summary: 'Your libraries in place', response: { 200: z.object({ items: z.array(inPlaceLibraryInfo) }) } },
    handler: async (request) => ({ items: await listInPlaceLibraries(request.lib) }),
  });

  api.get('/api/libraries/roots', {
    config: { access: 'read' },
    schema: {
      tags: ['libraries'],
      summary: 'The folders libraries in place may be added under (SHOEBOX_LIBRARY_ROOTS and those an admin added)',
      response: { 200: z.object({ items: z.array(rootInfo) }) },
    },
    handler: async () => ({ items: await listAllowedRoots(context) }),
  });

  api.post('/api/libraries', {
    config: {
      access: 'write',
      admin: {
        what: 'adding a library for another user',
        when: (request) => isForAnother(request.actor?.userId, (request.body as { ownerId?: string }).ownerId),
      },
    },
    schema: {
      tags: ['libraries'],
      summary: 'Index folders in place: every photo under them, read where it is (never copied, moved or changed)',
      description:
        'Each folder must lie inside an allowed root (checked on its real path: `..` and links leading out are refused ' +
        'with a 403). A folder that is, holds or lies inside a folder of another library (another user’s, or one of yours) ' +
        'is refused with a 409. Exclusion patterns: at most 100, 256 characters and 16 wildcards each, else a 400. ' +
        'A scan starts at once; follow it with GET /api/libraries/{id}. An admin may add a library for another user with `ownerId`.',
      body: libraryBody.extend({ ownerId: z.uuid().optional().describe('admins only: the user the library is for') }),
      response: { 201: inPlaceLibraryInfo, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
    },
    handler: async (request, reply) => {
      const { ownerId, ...input } = request.body;
      let lib = request.lib;
      if (isForAnother(lib.ownerId, ownerId)) {
        // an admin (with the `admin` scope when by key): checked before the handler (config.admin above)
        if (!(await findUser(context.db, ownerId))) throw new UserError('not-found', `no user with id ${ownerId}`);
        lib = forAdminOf(context, request.actor!, ownerId);
      }
      reply.code(201);
      return createInPlaceLibrary(lib, input);
    },
  });

  api.get('/api/libraries/:id', {
    config: { access: 'read' },
    schema: {
      tags: ['libraries'],
      summary: 'A library in place: its folders, scan state and counts',
      params: libraryParams,
      response: { 200: inPlaceLibraryInfo, 404: errorBody },
    },
    handler: async (request) => (await getInPlaceLibrary(request.lib, request.params.id)) ?? Promise.reject(notFound(request.params.id)),
  });

  api.patch('/api/libraries/:id', {
    config: { access: 'write' },
    schema: {
      tags: ['libraries'],
      summary: 'Change a library in place (new folders or patterns start a scan)',
      params: libraryParams,
      body: libraryBody.partial().extend({ exclude: z.array(pattern).max(100).optional() }),
      response: { 200: inPlaceLibraryInfo, 400: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
    },
    handler: async (request) => (await updateInPlaceLibrary(request.lib, request.params.id, request.body)) ?? Promise.reject(notFound(request.params.id)),
  });

  api.delete('/api/libraries/:id', {
    config: { access: 'write' },
    schema: {
      tags: ['libraries'],
      summary: 'Remove a library in place from Shoebox: its photos go, its files stay where they are, untouched',
      params: libraryParams,
      response: { 200: z.object({ removedPhotos: z.number().int() }), 404: errorBody },
    },
    handler: async (request) => {
      const removed = await removeInPlaceLibrary(request.lib, request.params.id);
      if (removed === null) throw notFound(request.params.id);
      return { removedPhotos: removed };
    },
  });

  api.post('/api/libraries/:id/scan', {
    config: { access: 'write' },
    schema: {
      tags: ['libraries'],
      summary: 'Scan now (only new and changed files are read)',
      params: libraryParams,
      response: { 202: z.object({ queued: z.boolean() }), 404: errorBody },
    },
    handler: async (request, reply) => {
      if (!(await requestScan(request.lib, request.params.id))) throw notFound(request.params.id);
      reply.code(202);
      return { queued: true };
    },
  });

  api.get('/api/libraries/:id/files', {
    config: { access: 'read' },
    schema: {
      tags: ['libraries'],
      summary: "A library's files by path; with problems=true only those refused (with why) or gone",
      params: libraryParams,
      querystring: z.object({
        problems: z
          .enum(['true', 'false'])
          .optional()
          .transform((value) => value === 'true'),
        page: z.coerce.number().int().min(1).default(1),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
      response: {
        200: z.object({ items: z.array(inPlaceFileInfo), total: z.number().int() }),
        400: errorBody,
        404: errorBody,
      },
    },
    handler: async (request) => (await listInPlaceFiles(request.lib, request.params.id, request.query)) ?? Promise.reject(notFound(request.params.id)),
  });

  api.get('/api/admin/library-roots', {
    config: { access: 'admin' },
    schema: { tags: ['admin'], summary: 'Folders libraries in place may be added under', response: { 200: z.object({ items: z.array(rootInfo) }) } },
    handler: async () => ({ items: await listAllowedRoots(context) }),
  });

  api.post('/api/admin/library-roots', {
    config: { access: 'admin' },
    schema: {
      tags: ['admin'],
      summary: 'Allow a folder (and everything under it) for libraries in place',
      body: z.object({ path: folder }),
      response: { 201: z.object({ items: z.array(rootInfo) }), 400: errorBody },
    },
    handler: async (request, reply) => {
      await addAllowedRoot(context.db, request.body.path, request.actor!.userId);
      reply.code(201);
      return { items: await listAllowedRoots(context) };
    },
  });

  api.delete('/api/admin/library-roots', {
    config: { access: 'admin' },
    schema: {
      tags: ['admin'],
      summary: 'Stop allowing a folder an admin added (libraries under it are no longer scanned: their photos go offline)',
      querystring: z.object({ path: folder }),
      response: { 200: z.object({ items: z.array(rootInfo) }), 400: errorBody, 404: errorBody },
    },
    handler: async (request) => {
      const clean = cleanFolderPath(request.query.path);
      const removed = await context.db.delete(inPlaceRoots).where(eq(inPlaceRoots.path, clean)).returning({ path: inPlaceRoots.path });
      if (removed.length === 0)
        throw new UserError('not-found', `${clean} is not a root an admin added (those of SHOEBOX_LIBRARY_ROOTS change in the settings)`);
      return { items: await listAllowedRoots(context) };
    },
  });
}
