import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isInPlaceKey } from '../storage/in-place.js';
import { UserError } from '../base/errors.js';
import { uploadPhotos } from './upload.js';
import {
  findPhoto,
  findPhotoSummary,
  findVisiblePhoto,
  listPhotos,
  photoStates,
  playableVideo,
  retryPhoto,
  updatePhoto,
  updatePhotos,
} from '../library/photos/index.js';
import { getPhotoDetail } from '../library/photo-detail/index.js';
import { deletePhoto, deletePhotos, trashPhotos } from '../library/trash/index.js';
import type { Library, Resources } from '../library/library.js';
import { derivedKey, derivedMotionKey, type DerivedName } from '../storage/keys.js';
import { requestedRange } from './byte-range.js';
import {
  booleanParam,
  errorBody,
  photoDetail,
  photoIdParams,
  photoList,
  photoListQuery,
  photoPatchBody,
  photosPatchBody,
  photosPatchResult,
  retryResult,
} from './schemas.js';
import { uploadRefused, uploadResult } from './upload-schemas.js';
import { statesBody, statesResult } from './status-schemas.js';

const notFound = (id: string) => new UserError('not-found', `no photo with id ${id}`);

const deleteBody = z.object({
  ids: z
    .array(z.uuid({ message: 'photo ids must be UUIDs' }))
    .min(1)
    .max(5000)
    .describe('photo ids'),
  force: z.boolean().default(false).describe('delete for good instead of moving to the trash'),
});
const trashedResult = z.object({ trashed: z.number().int().describe('photos moved to the trash') });
const deletedResult = z.object({ deleted: z.number().int().describe('photos removed for good') });

export function photoRoutes(app: FastifyInstance, _context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/api/photos', {
    config: { access: 'upload' },
    schema: {
      tags: ['photos'],
      summary: 'Upload photos',
      description:
        'multipart/form-data with one or more `file` fields, streamed to disk. Identical bytes are stored once: ' +
        'the item names the existing photo with `duplicate: true`. An XMP sidecar (`name.ext.xmp` or `name.xmp`) ' +
        'sent in the same request is attached to its photo, and so is a Google Takeout JSON sidecar (`name.ext.json`, ' +
        'at most 1 MB, checked: its date, place and description fill what the file does not say). A `lastModified` field (ms since epoch or ISO 8601) ' +
        "before a file gives that file's date. 413: over the size limit; 415: not an image. When some files are " +
        'refused and others accepted, the refused ones are items with `error`. With `checkDuplicate=true` (query, ' +
        'or a form field before the files) a file whose near-copy is already in the library (PDQ or CLIP tier) is ' +
        'not stored: its item names the existing photo with `duplicate: true` and `existing` (tier, distance, URL). ' +
        "A RAW file, a version of a stored photo's shot (its edit, the JPEG of a stored RAW), and the original of a stored copy (with the camera's make and model, capture time or unedited name the copy lost) are always stored. " +
        'Without it, near-copies are stored and grouped for review (`/api/duplicates`).',
      consumes: ['multipart/form-data'],
      querystring: z.object({ checkDuplicate: booleanParam.optional().describe('refuse near-copies of photos already in the library') }),
      response: {
        200: uploadResult,
        201: uploadResult,
        400: uploadRefused,
        408: uploadRefused,
        413: uploadRefused,
        415: uploadRefused,
        429: uploadRefused,
        503: uploadRefused,
      },
    },
    handler: async (request, reply) => uploadPhotos(request.lib, request, reply, { checkDuplicate: request.query.checkDuplicate }),
  });

  api.get('/api/photos', {
    config: { access: 'read' },
    schema: {
      tags: ['photos'],
      summary: 'List photos, newest taken first',
      description:
        "The timeline's order (GET /api/timeline): by the date taken on the camera's clock (else the file date), " +
        'newest first; photos without a date last, newest upload first; the id breaks ties, so pages never overlap. ' +
        "Page with `page`, or with `offset` (any index, e.g. a timeline bucket's) — both with `limit` ≤ 500. " +
        'Photos in the trash are left out.',
      querystring: photoListQuery,
      response: { 200: photoList, 400: errorBody },
    },
    handler: async (request) => listPhotos(request.lib, request.query),
  });

  api.patch('/api/photos', {
    config: { access: 'write' },
    schema: {
      tags: ['photos'],
      summary: 'Favourite and/or rate many photos at once',
      description:
        'Sets `favorite` and/or `rating` (0–5, or null to clear it) on up to 5,000 photos in one statement. A rating ' +
        "set here is the user's: processing the photo again keeps it instead of the file's EXIF/XMP rating. Ids " +
        'that are not photos of the library, and photos in the trash, are passed over; `updated` counts the rest.',
      body: photosPatchBody,
      response: { 200: photosPatchResult, 400: errorBody },
    },
    handler: async (request) => {
      const { ids, ...changes } = request.body;
      return { updated: await updatePhotos(request.lib, ids, changes) };
    },
  });

  api.post('/api/photos/states', {
    config: { access: 'read' },
    schema: {
      tags: ['photos'],
      summary: 'The states of many photos at once (for waiting on an import)',
      body: statesBody,
      response: { 200: statesResult, 400: errorBody },
    },
    handler: async (request) => photoStates(request.lib, request.body.ids),
  });

  api.get('/api/photos/:id', {
    config: { access: 'read' },
    schema: {
      tags: ['photos'],
      summary: 'A photo with its metadata and step statuses',
      params: photoIdParams,
      response: { 200: photoDetail, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => {
      const detail = await getPhotoDetail(request.lib, request.params.id);
      if (!detail) throw notFound(request.params.id);
      return detail;
    },
  });

  api.patch('/api/photos/:id', {
    config: { access: 'write' },
    schema: {
      tags: ['photos'],
      summary: 'Mark a photo as a favourite (or not), rate it',
      description:
        "`rating`: 0–5 stars, or null to clear it. It is the user's from then on: processing the photo again keeps " +
        "it instead of the file's EXIF/XMP rating. Answers the photo as GET does.",
      params: photoIdParams,
      body: photoPatchBody,
      response: { 200: photoDetail, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => {
      if (!(await updatePhoto(request.lib, request.params.id, request.body))) throw notFound(request.params.id);
      return (await getPhotoDetail(request.lib, request.params.id))!;
    },
  });

  api.delete('/api/photos/:id', {
    config: { access: 'write' },
    schema: {
      tags: ['photos'],
      summary: 'Move a photo to the trash, or with force=true delete it for good',
      description:
        'Without `force` the photo goes to the trash (see /api/trash): out of every list and search, restorable ' +
        'until the trash is emptied. With `force=true` (also for a photo already in the trash) its rows and every ' +
        'file derived from it are removed, and the original when no other photo has the same bytes.',
      params: photoIdParams,
      querystring: z.object({ force: booleanParam.optional().describe('delete for good instead of moving to the trash') }),
      response: { 204: z.null().describe('moved to the trash, or deleted'), 400: errorBody, 404: errorBody },
    },
    handler: async (request, reply) => {
      if (request.query.force) {
        if (!(await deletePhoto(request.lib, request.params.id))) throw notFound(request.params.id);
      } else {
        await trashPhotos(request.lib, [request.params.id]);
      }
      return reply.code(204).send(null);
    },
  });

  api.post('/api/photos/delete', {
    config: { access: 'write' },
    schema: {
      tags: ['photos'],
      summary: 'Move many photos to the trash, or with force delete them for good',
      description:
        'All or nothing: an id that is not a photo of the library is a 404 naming it, and nothing is changed. ' +
        '`trashed` counts the photos moved (those already in the trash stay there); `deleted` those removed for good.',
      body: deleteBody,
      response: { 200: z.union([trashedResult, deletedResult]), 400: errorBody, 404: errorBody },
    },
    handler: async (request) =>
      request.body.force ? { deleted: await deletePhotos(request.lib, request.body.ids) } : { trashed: await trashPhotos(request.lib, request.body.ids) },
  });

  api.post('/api/photos/:id/retry', {
    config: { access: 'write' },
    schema: {
      tags: ['photos'],
      summary: 'Run failed and skipped steps again',
      params: photoIdParams,
      response: { 202: retryResult, 400: errorBody, 404: errorBody },
    },
    handler: async (request, reply) => {
      const reset = await retryPhoto(request.lib, request.params.id);
      if (!reset) throw notFound(request.params.id);
      const photo = await findPhoto(request.lib, request.params.id);
      return reply.code(202).send({ id: request.params.id, state: photo?.state ?? 'pending', reset });
    },
  });

  api.get('/api/photos/:id/video', {
    config: { access: 'read' },
    schema: {
      tags: ['photos'],
      summary: 'A video as browsers play it, with byte ranges (seek anywhere): its transcoded MP4, or the original when it plays as it is',
      description:
        'H.264, VP9 or AV1 in MP4/MOV/WebM at a sane bit rate is served as it is; anything else (HEVC, ProRes, AVI, MKV, ' +
        'MTS…) once the `transcode` step made an H.264/AAC MP4 of it. 409 until then (or when transcoding failed, with ' +
        'why); 404 for a photo. The original file is always at /original.',
      params: photoIdParams,
      response: { 400: errorBody, 404: errorBody, 409: errorBody, 416: errorBody },
    },
    handler: async (request, reply) => {
      const photo = (await findVisiblePhoto(request.lib, request.params.id))?.photo;
      if (!photo) throw notFound(request.params.id);
      const stream = await playableVideo(request.lib, photo);
      return sendStored(reply, request.lib, photo.storageLocation, stream.key, stream.contentType, photo.sha256, { immutable: stream.immutable });
    },
  });

  const files: { route: string; name: DerivedName | 'original'; summary: string }[] = [
    { route: 'thumbnail', name: 'thumbnail.webp', summary: 'WebP thumbnail, about 250 px' },
    { route: 'preview', name: 'preview.jpg', summary: 'JPEG preview, up to 1440 px' },
    {
      route: 'original',
      name: 'original',
      summary: 'The original file, byte for byte (with download=1, as an attachment under its file name)',
    },
  ];
  const fileQuery = z.object({
    download: booleanParam.optional().describe('original only: Content-Disposition attachment, so that a browser saves it'),
    part: z
      .enum(['still', 'motion'])
      .optional()
      .describe("original only: `motion` gives a Live Photo's MOV, or a motion photo's embedded MP4, as it was stored (404 for a photo without one)"),
  });
  for (const file of files) {
    api.get(`/api/photos/:id/${file.route}`, {
      config: { access: 'read' },
      schema: {
        tags: ['photos'],
        summary: file.summary,
        params: photoIdParams,
        ...(file.name === 'original' ? { querystring: fileQuery } : {}),
        response: { 400: errorBody, 404: errorBody },
      },
      handler: async (request, reply) => {
        if (file.name !== 'original') {
          // A gallery screen asks for dozens at once: three columns of one indexed row (not the whole photo), and
          // the file's stat answers whether it exists.
          const photo = await findPhotoSummary(request.lib, request.params.id);
          if (!photo) throw notFound(request.params.id);
          const key = derivedKey(photo.id, file.name);
          const mime = file.name === 'thumbnail.webp' ? 'image/webp' : 'image/jpeg';
          return sendStored(reply, request.lib, photo.storageLocation, key, mime, photo.sha256, {
            immutable: false,
            missing: `${file.route} of photo ${photo.id} is not available (photo state: ${photo.state})`,
          });
        }
        const photo = (await findVisiblePhoto(request.lib, request.params.id))?.photo;
        if (!photo) throw notFound(request.params.id);
        const { download, part } = request.query as z.infer<typeof fileQuery>;
        const disposition = download ? 'attachment' : 'inline';
        if (part === 'motion') {
          const { motion } = photo;
          if (!motion) throw new UserError('not-found', `photo ${photo.id} has no motion video: it is a still`);
          if (motion.source === 'live') {
            return sendStored(reply, request.lib, photo.storageLocation, motion.key, motion.mime, motion.sha256, {
              immutable: true,
              filename: motion.filename,
              disposition,
            });
          }
          const name = `${photo.filename.replace(/\.[^.]*$/, '')}-motion.mp4`;
          return sendStored(reply, request.lib, photo.storageLocation, derivedMotionKey(photo.id), 'video/mp4', photo.sha256, {
            immutable: false,
            filename: name,
            disposition,
          });
        }
        return sendStored(reply, request.lib, photo.storageLocation, photo.storageKey, photo.mime, photo.sha256, {
          immutable: true,
          filename: photo.filename,
          disposition,
        });
      },
    });
  }
}

/**
 * Sends a stored file with its type, an ETag and cache headers; answers 304 to a matching If-None-Match.
 * Originals never change (content-addressed); renditions change only when reprocessed, so they revalidate.
 */
export async function sendStored(
  reply: FastifyReply,
  lib: Library,
  location: string | null,
  key: string,
  mime: string,
  sha256: string,
  options: { immutable: boolean; filename?: string; disposition?: 'inline' | 'attachment'; missing?: string },
) {
  const store = lib.storage.at(location);
  const stat = await store.stat(key);
  if (!stat)
    throw new UserError(
      'not-found',
      isInPlaceKey(key)
        ? 'the file is not in its folder any more (a library in place: the photo is offline)'
        : (options.missing ?? 'file is missing from storage'),
    );
  // a file in a library in place can be edited where it is: revalidated like a rendition
  options = { ...options, immutable: options.immutable && !isInPlaceKey(key) };
  const presignSeconds = lib.storage.presignSeconds(location, key);
  if (options.immutable && presignSeconds > 0 && store.presignedUrl) {
    // An original straight from the object store: a link for this caller, valid for a while, instead of its bytes.
    const url = await store.presignedUrl(key, {
      expiresInSeconds: presignSeconds,
      contentType: mime,
      contentDisposition: options.filename ? contentDisposition(options.disposition ?? 'inline', options.filename) : undefined,
    });
    reply.header('Cache-Control', `private, max-age=${Math.floor(presignSeconds / 2)}`);
    return reply.redirect(url, 302);
  }
  const etag = options.immutable ? `"${sha256}"` : `"${sha256.slice(0, 16)}-${stat.size.toString(36)}-${Math.floor(stat.modifiedAt.getTime()).toString(36)}"`;
  reply.header('ETag', etag);
  // a rendition is made again under the same address (an edit, a reprocess): every device asks whether it changed
  // (a 304 when not), so that one edited on the phone is not shown unedited on the desk for an hour
  reply.header('Cache-Control', options.immutable ? 'private, max-age=31536000, immutable' : 'private, no-cache');
  reply.header('Last-Modified', stat.modifiedAt.toUTCString());
  reply.header('Accept-Ranges', 'bytes');
  if (options.filename) reply.header('Content-Disposition', contentDisposition(options.disposition ?? 'inline', options.filename));
  const ifNoneMatch = reply.request.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
    return reply.code(304).send();
  }
  reply.header('Content-Type', mime);
  // A stored file goes as its own bytes, whatever its type (mime-db calls BMP compressible): its strong ETag, its
  // length and a resumed download's ranges all count those bytes. @fastify/compress leaves alone a request so marked.
  reply.request.headers['x-no-compression'] = '1';
  // A range (video players, resumed downloads), unless If-Range names another version of the file.
  const ifRange = reply.request.headers['if-range'];
  const range = ifRange && ifRange !== etag ? null : requestedRange(reply.request.headers.range, stat.size);
  if (range === 'unsatisfiable') {
    reply.header('Content-Range', `bytes */${stat.size}`);
    throw new UserError('range-not-satisfiable', `the range asked for is outside the file (${stat.size} bytes)`);
  }
  if (range) {
    reply.code(206);
    reply.header('Content-Range', `bytes ${range.start}-${range.end}/${stat.size}`);
    reply.header('Content-Length', range.end - range.start + 1);
    return reply.send(await store.get(key, range));
  }
  reply.header('Content-Length', stat.size);
  return reply.send(await store.get(key));
}

/**
 * A Content-Disposition header for a file name in any script (RFC 6266): an ASCII `filename` for old clients
 * (other characters as `_`, quotes and backslashes escaped), and the exact name as UTF-8 in `filename*`.
 */
export function contentDisposition(type: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '\\$&');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
