import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  addPhotos,
  ALBUM_IDS_MAX,
  ALBUM_KINDS,
  ALBUM_STATUSES,
  albumZip,
  createAlbum,
  deleteAlbum,
  dismissAlbum,
  getAlbum,
  keepAlbum,
  listAlbums,
  removePhotos,
  updateAlbum,
} from '../library/albums/index.js';
import type { Resources } from '../library/library.js';
import { errorBody, photoList } from './schemas.js';

const idParams = z.object({ id: z.uuid({ message: 'album id must be a UUID' }) });

export const albumSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  kind: z.enum(ALBUM_KINDS).describe('`manual` (made or kept by the user) or `auto` (from clustering the photos)'),
  status: z.enum(ALBUM_STATUSES).describe('`dismissed` automatic albums are not listed nor searched by'),
  photoCount: z.number().int().describe('photos in it, those in the trash left out'),
  videoCount: z.number().int().describe('how many of them are videos'),
  coverPhotoId: z
    .string()
    .nullable()
    .describe('the chosen cover, else the most recent photo (thumbnail at /api/photos/{coverPhotoId}/thumbnail); null when empty'),
  coverChosen: z.boolean().describe('whether the user chose the cover'),
  tags: z.array(z.string()).describe("an automatic album's tags"),
  primaryCategory: z.string().nullable(),
  nameSource: z.string().nullable().describe('`user`, or where an automatic name came from (`provider`, `fallback`)'),
  owner: z.object({ id: z.string(), name: z.string(), you: z.boolean() }).describe('whose album it is'),
  access: z.enum(['owner', 'editor', 'viewer']).describe("your role: the owner's, or the one it was shared with you as (editors add and remove photos)"),
  sharedWith: z.number().int().describe('how many users it is shared with (0 unless it is yours)'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const albumList = z.object({ items: z.array(albumSummary), total: z.number().int(), page: z.number().int(), limit: z.number().int() });

export const albumDetail = albumSummary.extend({ photos: photoList.describe('one page of its photos, newest taken first') });

const page = {
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(500).default(100),
};

const idList = z.array(z.uuid({ message: 'photo ids must be UUIDs' })).max(ALBUM_IDS_MAX);
const photoIds = z.object({ ids: idList.min(1).describe("the owner's photo ids") });

const name = z.string().max(1000).describe('1 to 200 characters once trimmed');
const description = z.string().max(10_000).nullable().describe('null or "" removes it');

export function albumRoutes(app: FastifyInstance, _context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/albums', {
    config: { access: 'read' },
    schema: {
      tags: ['albums'],
      summary: 'Albums (manual and automatic, not dismissed) with their photo counts and covers, manual first, newest first',
      description: 'Your albums and those other users shared with you (`owner` and `access` say which).',
      querystring: z.object({
        ...page,
        kind: z.enum(ALBUM_KINDS).optional().describe('only manual or only automatic albums'),
        sharing: z.enum(['mine', 'shared']).optional().describe('only your albums, or only those shared with you'),
      }),
      response: { 200: albumList, 400: errorBody },
    },
    handler: async (request) => listAlbums(request.lib, request.query),
  });

  api.get('/api/albums/:id/zip', {
    config: { access: 'read' },
    schema: {
      tags: ['albums'],
      summary: "The album's originals as a ZIP, streamed, with a manifest (JSON and CSV) naming each file, its origin and a product set's shot types",
      params: idParams,
      produces: ['application/zip'],
      response: { 404: errorBody },
    },
    handler: async (request, reply) => {
      const zip = await albumZip(request.lib, request.params.id, (error) =>
        request.log.error({ err: error, albumId: request.params.id }, 'album ZIP cut short'),
      );
      return (reply as FastifyReply)
        .type('application/zip')
        .header(
          'content-disposition',
          `attachment; filename="${zip.filename.replace(/["\\]/g, '_').replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(zip.filename)}`,
        )
        .header('cache-control', 'no-store')
        .send(zip.stream);
    },
  });

  api.post('/api/albums', {
    config: { access: 'write' },
    schema: {
      tags: ['albums'],
      summary: 'Create an album, optionally with photos',
      body: z.object({
        name,
        description: description.optional(),
        photoIds: idList.optional().describe('photos to put in it at once'),
      }),
      response: { 201: albumSummary, 400: errorBody },
    },
    handler: async (request, reply) => reply.code(201).send(await createAlbum(request.lib, request.body)),
  });

  api.get('/api/albums/:id', {
    config: { access: 'read' },
    schema: {
      tags: ['albums'],
      summary: 'An album with one page of its photos, newest taken first',
      params: idParams,
      querystring: z.object({ ...page, limit: z.coerce.number().int().min(1).max(500).default(50) }),
      response: { 200: albumDetail, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => getAlbum(request.lib, request.params.id, request.query),
  });

  api.patch('/api/albums/:id', {
    config: { access: 'write' },
    schema: {
      tags: ['albums'],
      summary: 'Rename or describe an album, or choose its cover (renaming or describing an automatic album keeps it: it becomes manual)',
      params: idParams,
      body: z
        .object({
          name: name.optional(),
          description: description.optional(),
          coverPhotoId: z.uuid().nullable().optional().describe('a photo in the album; null: the most recent photo again'),
        })
        .refine((b) => Object.keys(b).length > 0, { message: 'give name, description or coverPhotoId' }),
      response: { 200: albumSummary, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => updateAlbum(request.lib, request.params.id, request.body),
  });

  api.delete('/api/albums/:id', {
    config: { access: 'write' },
    schema: {
      tags: ['albums'],
      summary: 'Delete an album; its photos stay in the library',
      params: idParams,
      response: { 204: z.null(), 400: errorBody, 404: errorBody },
    },
    handler: async (request, reply) => {
      await deleteAlbum(request.lib, request.params.id);
      return reply.code(204).send(null);
    },
  });

  const added = z.object({ album: albumSummary, added: z.number().int().describe('photos that were not in it yet') });
  const removed = z.object({ album: albumSummary, removed: z.number().int().describe('photos that were in it') });

  api.post('/api/albums/:id/photos', {
    config: { access: 'write' },
    schema: {
      tags: ['albums'],
      summary: 'Add photos to an album (an automatic album becomes manual)',
      description: 'Photos already in it are left alone. Every id must be a photo of the library, not in the trash (400 lists those that are not).',
      params: idParams,
      body: photoIds,
      response: { 200: added, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => addPhotos(request.lib, request.params.id, request.body.ids),
  });

  const removeSchema = {
    tags: ['albums'],
    summary: 'Take photos out of an album; they stay in the library (an automatic album becomes manual)',
    description: 'Every id must be a photo of the library (400 lists those that are not); photos not in the album are ignored.',
    params: idParams,
    body: photoIds,
    response: { 200: removed, 400: errorBody, 404: errorBody },
  };
  api.delete('/api/albums/:id/photos', {
    config: { access: 'write' },
    schema: removeSchema,
    handler: async (request) => removePhotos(request.lib, request.params.id, request.body.ids),
  });
  api.post('/api/albums/:id/photos/remove', {
    config: { access: 'write' },
    schema: { ...removeSchema, summary: `${removeSchema.summary}; the same as DELETE /api/albums/{id}/photos, for clients that send no DELETE body` },
    handler: async (request) => removePhotos(request.lib, request.params.id, request.body.ids),
  });

  api.post('/api/albums/:id/keep', {
    config: { access: 'write' },
    schema: {
      tags: ['albums'],
      summary: 'Keep an automatic album: it becomes manual (and listed again if it was dismissed)',
      params: idParams,
      response: { 200: albumSummary, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => keepAlbum(request.lib, request.params.id),
  });

  api.post('/api/albums/:id/dismiss', {
    config: { access: 'write' },
    schema: {
      tags: ['albums'],
      summary: 'Dismiss an automatic album: it is no longer listed nor searched by, and regenerating does not bring it back (409 for a manual album)',
      params: idParams,
      response: { 200: albumSummary, 400: errorBody, 404: errorBody, 409: errorBody },
    },
    handler: async (request) => dismissAlbum(request.lib, request.params.id),
  });
}
