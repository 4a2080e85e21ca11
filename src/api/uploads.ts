// A backup that resumes and skips what is there (issue 63 item 3): photos sent with the tus 1.0 resumable-upload
// protocol (@tus/server, the files in library/backup/'s store) to /api/uploads, each taken into the library through
// the upload's door (upload.ts storeUploadedFile) when its last byte arrives; and the question a backup asks first,
// which of these files the library has already (by SHA-256).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Server as TusServer } from '@tus/server';
import type { Upload } from '@tus/utils';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UserError } from '../base/errors.js';
import { StorageUnavailableError } from '../storage/blob-store.js';
import { addPhotos, getAlbumSummary } from '../library/albums/index.js';
import {
  backupResult,
  backupUploads,
  checkBackupRoom,
  forgetBackupResult,
  isOwnBackupUpload,
  knownHashes,
  newBackupUploadId,
  recordBackupResult,
  removeExpiredBackupUploads,
  type BackupOutcome,
} from '../library/backup/index.js';
import type { Library, Resources } from '../library/library.js';
import { STATUS_OF_KIND } from './error-status.js';
import { errorBody } from './schemas.js';
import { registerTusRoutes, tusMetadata, uploadLength } from './tus-routes.js';
import { refuseWhileEngineDown, storeUploadedFile } from './upload.js';

const UPLOADS_PATH = '/api/uploads';
/** The header the route names a new upload by (tus's naming reads it); a client's own is overwritten. */
const ID_HEADER = 'x-shoebox-upload-id';
const SHA256 = /^[0-9a-f]{64}$/iu;
const METADATA_KEYS = new Set(['filename', 'filetype', 'albumId', 'sha256', 'lastModified']);

interface BackupMetadata {
  filename: string;
  albumId: string | null;
  sha256: string | null;
  lastModified: string | null;
}

/** A creation's `Upload-Metadata`, read as tus reads it; a 400 (415 for a type that is no photo or video) with the reason. */
export function backupMetadataOf(header: string | undefined): BackupMetadata {
  const metadata = tusMetadata(header);
  if (!metadata) throw new UserError('invalid', 'Upload-Metadata is not tus metadata (key base64value pairs, comma separated)');
  const unknown = Object.keys(metadata).filter((key) => !METADATA_KEYS.has(key));
  if (unknown.length > 0) throw new UserError('invalid', `unknown Upload-Metadata keys: ${unknown.join(', ')} (known: ${[...METADATA_KEYS].join(', ')})`);
  const filename = metadata.filename?.trim();
  if (!filename) throw new UserError('invalid', "say the file's name in Upload-Metadata's filename");
  const type = metadata.filetype ?? '';
  if (type !== '' && !/^(image|video)\//u.test(type)) throw new UserError('unsupported-type', `${filename}: ${type} is not a photo or video`);
  const albumId = metadata.albumId ?? null;
  if (albumId !== null && !z.uuid().safeParse(albumId).success) throw new UserError('invalid', 'albumId must be an album id (a UUID)');
  const sha256 = metadata.sha256 ?? null;
  if (sha256 !== null && !SHA256.test(sha256)) throw new UserError('invalid', 'sha256 must be 64 hexadecimal digits');
  return { filename, albumId, sha256: sha256?.toLowerCase() ?? null, lastModified: metadata.lastModified ?? null };
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** A whole upload into the library: its photo (or the one with the same bytes), in its album when it names one. */
async function admitUpload(lib: Library, upload: Upload, file: string): Promise<BackupOutcome> {
  const metadata = backupMetadataOf(serialized(upload.metadata));
  if (metadata.sha256 !== null && (await sha256Of(file)) !== metadata.sha256) {
    throw new UserError('invalid', `${metadata.filename}: the bytes that arrived are not those of the sha256 given: send it again`);
  }
  const photo = await storeUploadedFile(lib, { filename: metadata.filename, path: file, lastModified: metadata.lastModified });
  if (metadata.albumId === null) return { status: 'stored', photoId: photo.id, duplicate: photo.duplicate };
  // the photo is in: an album gone meanwhile (or a photo you had in the trash) is said, not a refusal of the photo
  const albumError = await addPhotos(lib, metadata.albumId, [photo.id]).then(
    () => null,
    (error: unknown) => {
      if (error instanceof UserError) return error.message;
      throw error;
    },
  );
  return { status: 'stored', photoId: photo.id, duplicate: photo.duplicate, albumError };
}

/** The metadata as a header again (tus keeps it parsed). */
function serialized(metadata: Upload['metadata']): string {
  return Object.entries(metadata ?? {})
    .map(([key, value]) => (value === null ? key : `${key} ${Buffer.from(value).toString('base64')}`))
    .join(',');
}

const refusal = (error: UserError | StorageUnavailableError): BackupOutcome => ({
  status: 'refused',
  error: error.message,
  kind: error instanceof UserError ? error.kind : 'unavailable',
});

/** The HTTP status a refusal is answered with. */
const statusOfRefusal = (kind: Extract<BackupOutcome, { status: 'refused' }>['kind']) => (kind === 'unavailable' ? 503 : STATUS_OF_KIND[kind]);

/**
 * Takes a whole upload into the library and records what it became, once per upload in this process (a look at an
 * upload whose last request was cut may come while that request's own taking-in still runs).
 */
function takingIn(context: Resources, finishing: Map<string, Promise<BackupOutcome>>) {
  const store = backupUploads(context);
  return (lib: Library, upload: Upload): Promise<BackupOutcome> => {
    let outcome = finishing.get(upload.id);
    if (!outcome) {
      outcome = (async () => {
        // taken in already (its request's own taking-in ended between a look's two reads): that answer stands
        const before = await backupResult(lib, upload.id);
        if (before) return before.outcome;
        let result: BackupOutcome;
        try {
          result = await admitUpload(lib, upload, path.join(store.directory, upload.id));
        } catch (error) {
          if (!(error instanceof UserError) && !(error instanceof StorageUnavailableError)) throw error;
          result = refusal(error);
        }
        const filename = upload.metadata?.filename ?? upload.id;
        await recordBackupResult(context, {
          id: upload.id,
          filename,
          size: upload.size ?? upload.offset,
          finishedAt: new Date().toISOString(),
          outcome: result,
        });
        return result;
      })().finally(() => finishing.delete(upload.id));
      finishing.set(upload.id, outcome);
    }
    return outcome;
  };
}

function uploadServer(context: Resources, libs: Map<string, Library>, takeIn: ReturnType<typeof takingIn>): TusServer {
  const store = backupUploads(context);
  return new TusServer({
    path: UPLOADS_PATH,
    datastore: store,
    relativeLocation: true,
    maxSize: context.settings.maxUploadBytes,
    // same origin only: no CORS headers for anyone
    allowedOrigins: () => false,
    // the route checked the creation and named it (ID_HEADER)
    namingFunction: (req) => {
      const id = req.headers.get(ID_HEADER);
      if (!id) throw { status_code: 400, body: 'no upload id\n' };
      return id;
    },
    getFileIdFromRequest: (req) => decodeURIComponent(new URL(req.url).pathname.split('/').pop() ?? ''),
    // the last byte is in: the file enters the library now, and the answer says so (or why not, with nothing kept)
    async onUploadFinish(_req, upload) {
      const lib = libs.get(upload.id);
      if (!lib) throw { status_code: 500, body: 'the upload lost its caller\n' };
      const outcome = await takeIn(lib, upload);
      if (outcome.status === 'refused') {
        const statusCode = statusOfRefusal(outcome.kind);
        throw { status_code: statusCode, body: JSON.stringify({ statusCode, error: 'Upload refused', message: outcome.error }) };
      }
      return { headers: { 'Shoebox-Photo-Id': outcome.photoId, 'Shoebox-Duplicate': String(outcome.duplicate) } };
    },
  });
}

// any text: what is not one of the caller's upload ids is not found, as another user's is
const uploadIdParams = z.object({ id: z.string().max(200) });

export const backupUploadView = z.object({
  id: z.string(),
  filename: z.string(),
  size: z.number().int().nullable(),
  received: z.number().int().describe('bytes the server has'),
  status: z.enum(['uploading', 'stored', 'refused']).describe('uploading (go on from `received`), then stored as a photo or refused'),
  photoId: z.string().nullable().describe('stored: the photo (with `duplicate`, the one you had with the same bytes)'),
  duplicate: z.boolean().nullable(),
  error: z.string().nullable().describe('refused: why (nothing of it was kept)'),
  albumError: z.string().nullable().describe('stored, but not put in the album its metadata named: why'),
  statusCode: z.number().int().nullable().describe("refused: the status the upload's last request was answered"),
});

const knownBody = z
  .object({
    sha256: z
      .array(z.string().regex(SHA256, { message: 'each sha256 must be 64 hexadecimal digits' }))
      .max(10_000)
      .describe('SHA-256 of each file, hex'),
  })
  .strict();

export function uploadRoutes(app: FastifyInstance, context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  /** Whose upload each request under way is: tus's hooks see a request of their own. */
  const libs = new Map<string, Library>();
  const takeIn = takingIn(context, new Map());
  const tus = uploadServer(context, libs, takeIn);
  const store = backupUploads(context);
  /** Hands the upload's request to tus as the caller's; once answered, a finished upload's bytes go (its outcome stays). */
  const asCaller = (request: FastifyRequest, reply: FastifyReply, id: string) => {
    libs.set(id, request.lib);
    reply.raw.once('close', () => {
      libs.delete(id);
      void backupResult(request.lib, id).then((done) => (done ? store.remove(id).catch(() => undefined) : undefined));
    });
  };

  registerTusRoutes(app, {
    path: UPLOADS_PATH,
    tus,
    discovery: true,
    cleanUp: { everyMs: 3600 * 1000, run: () => removeExpiredBackupUploads(context), what: 'photo uploads' },
    logger: context.logger,
    async onCreate(request, reply) {
      await refuseWhileEngineDown(reply);
      const metadata = backupMetadataOf(request.headers['upload-metadata'] as string | undefined);
      await checkBackupRoom(request.lib, uploadLength(request, 'file'));
      if (metadata.albumId !== null) {
        const album = await getAlbumSummary(request.lib, metadata.albumId);
        if (album.access === 'viewer') throw new UserError('forbidden', `you may not add photos to ${album.name}`);
      }
      const id = newBackupUploadId(request.lib);
      // tus reads the raw headers: the client's own of that name, if any, goes first
      const raw = request.raw.rawHeaders;
      const kept = raw.flatMap((value, i) => (i % 2 === 0 && value.toLowerCase() !== ID_HEADER ? [value, raw[i + 1]!] : []));
      raw.splice(0, raw.length, ...kept, ID_HEADER, id);
      request.raw.headers[ID_HEADER] = id;
      asCaller(request, reply, id);
    },
    async onUpload(request, reply, uploadId) {
      if (!isOwnBackupUpload(request.lib, uploadId)) throw new UserError('not-found', 'no such upload');
      const done = await backupResult(request.lib, uploadId);
      if (!done) return void asCaller(request, reply, uploadId);
      void store.remove(uploadId).catch(() => undefined);
      // finished: tus no longer holds it; HEAD says it is whole (GET /api/uploads/:id says what it became)
      if (request.method === 'DELETE') {
        await forgetBackupResult(request.lib, uploadId);
        await reply.code(204).header('tus-resumable', '1.0.0').send();
        return true;
      }
      if (request.method === 'PATCH') throw new UserError('conflict', `the upload is finished: GET ${UPLOADS_PATH}/${uploadId} says what it became`);
      const size = String(done.size);
      await reply.code(200).headers({ 'tus-resumable': '1.0.0', 'upload-offset': size, 'upload-length': size, 'cache-control': 'no-store' }).send();
      return true;
    },
  });

  api.get(`${UPLOADS_PATH}/:id`, {
    config: { access: 'upload' },
    exposeHeadRoute: false,
    schema: {
      tags: ['uploads'],
      summary: 'One resumable upload: how far it is, or the photo it became (or why it was refused)',
      description:
        `Photos are sent with the tus 1.0 protocol (creation, creation-with-upload, termination, expiration) to \`${UPLOADS_PATH}\`: ` +
        '`OPTIONS` tells the version and extensions; `POST` with `Upload-Length` and `Upload-Metadata` (`filename`; optional `filetype`, ' +
        '`albumId`, `sha256` — checked against the bytes —, `lastModified`) makes an upload, `HEAD` tells its offset, `PATCH` appends, `DELETE` ' +
        'removes it. When the last byte arrives the file enters the library as an upload to `POST /api/photos` does (limits, quota, type, ' +
        "duplicates): the answer carries `Shoebox-Photo-Id` (with the same bytes already there, that photo's, and `Shoebox-Duplicate: true`), " +
        'or the 4xx and reason of a refusal, and nothing is kept of a refused file. Unfinished uploads are removed after 3 days. Another ' +
        "user's upload is a 404.",
      params: uploadIdParams,
      response: { 200: backupUploadView, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => {
      const { id } = request.params;
      if (!isOwnBackupUpload(request.lib, id)) throw new UserError('not-found', 'no such upload');
      let done = await backupResult(request.lib, id);
      const upload = done ? null : await store.getUpload(id).catch(() => null);
      // every byte is in but nothing became of it: the last request was cut while the file was being taken in (or
      // before), and the client, told the upload is whole, asks what it became. It is taken in now.
      if (upload && upload.size !== undefined && upload.offset === upload.size && !libs.has(id)) {
        await takeIn(request.lib, upload);
        done = await backupResult(request.lib, id);
      }
      if (done) {
        // its bytes go once it became something (a request cut while it was taken in left them)
        void store.remove(id).catch(() => undefined);
        const { outcome } = done;
        const stored = outcome.status === 'stored';
        return {
          id,
          filename: done.filename,
          size: done.size,
          received: done.size,
          status: outcome.status,
          photoId: stored ? outcome.photoId : null,
          duplicate: stored ? outcome.duplicate : null,
          error: stored ? null : outcome.error,
          albumError: stored ? (outcome.albumError ?? null) : null,
          statusCode: stored ? null : statusOfRefusal(outcome.kind),
        };
      }
      if (!upload) throw new UserError('not-found', 'no such upload');
      const filename = upload.metadata?.filename ?? id;
      return {
        id,
        filename,
        size: upload.size ?? null,
        received: upload.offset,
        status: 'uploading' as const,
        photoId: null,
        duplicate: null,
        error: null,
        albumError: null,
        statusCode: null,
      };
    },
  });

  api.post(`${UPLOADS_PATH}/known`, {
    config: { access: 'upload' },
    schema: {
      tags: ['uploads'],
      summary: 'Which of these files you have already (by SHA-256), before a backup sends them',
      description:
        'Answers the hashes (lower-case) of those of your own photos you have already, the trash included (their bytes would not be ' +
        "stored again: restore them from the trash), and a Live Photo's video folded into its still. Photos others share with you are not yours: " +
        'they are not counted. At most 10,000 hashes a request.',
      body: knownBody,
      response: { 200: z.object({ known: z.array(z.string()).describe('the hashes asked for that you have') }), 400: errorBody },
    },
    handler: async (request) => ({ known: await knownHashes(request.lib, request.body.sha256) }),
  });
}
