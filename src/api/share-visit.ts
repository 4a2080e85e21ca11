// The visitor's side of a share link: a read-only gallery of exactly the link's photos, and nothing else of the
// server. Every route takes the link's token; an unknown or revoked one is a 404, an expired one a 410. A link
// with a password wants it once (POST …/unlock); a cookie scoped to the link's own path remembers it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { passwordThrottle } from '../auth/throttle.js';
import { verifyPassword } from '../auth/secrets.js';
import { rows } from '../db/connection.js';
import { photos } from '../db/schema.js';
import { UserError } from '../base/errors.js';
import type { Resources } from '../library/library.js';
import { forLinkVisitor } from '../library/actors.js';
import { findPhoto, listColumns, photoListItem, TIMELINE_ORDER } from '../library/photos/index.js';
import { addUploadsToLink, countView, isUnlocked, linkForToken, linkPhotosSql, unlockProof, type VisitedLink } from '../library/sharing/index.js';
import { tooManyGuesses } from './auth.js';
import { errorBody } from './schemas.js';
import { uploadRefused, uploadResult } from './upload-schemas.js';
import { sendStored } from './photos.js';
import { uploadPhotos } from './upload.js';
import { sendVisitorOriginal } from './visitor-original.js';
import { sendVisitorVideo } from './visitor-video.js';
import { MEDIA_TYPES } from '../model/video.js';
import { derivedKey } from '../storage/keys.js';

const tokenParams = z.object({ token: z.string().min(1).max(200) });
const photoParams = tokenParams.extend({ id: z.uuid({ message: 'photo id must be a UUID' }) });
export const visitorPhoto = z.object({
  id: z.string(),
  filename: z.string(),
  takenAt: z.string().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  mime: z.string(),
  type: z.enum(MEDIA_TYPES).describe('`video`: played from /api/s/{token}/photos/{id}/video'),
  durationMs: z.number().int().nullable().describe("a video's length in milliseconds; null for a photo"),
  motion: z.boolean().describe('a motion photo or an Apple Live Photo: its short video plays from …/video'),
  colour: z.string().nullable(),
  hasThumbnail: z.boolean(),
  location: z
    .object({ latitude: z.number(), longitude: z.number() })
    .nullable()
    .describe('where it was taken, only when the owner lets the link keep locations (`keepMetadata`); null otherwise: hidden by default'),
});
export const visitedLinkInfo = z.object({
  title: z.string().describe("the album's name, or the link's description"),
  description: z.string().nullable(),
  owner: z.string().describe("the name of the link's owner"),
  locked: z.boolean().describe('a password is needed first (POST /api/s/{token}/unlock)'),
  photoCount: z.number().int().nullable(),
  allowDownload: z.boolean(),
  allowUpload: z.boolean(),
  expiresAt: z.string().nullable(),
});
export const visitorPhotoPage = z.object({
  items: z.array(visitorPhoto),
  total: z.number().int(),
  videos: z.number().int().describe('how many of the total are videos'),
  page: z.number().int(),
  limit: z.number().int(),
});

const cookieName = (link: VisitedLink) => `shoebox_link_${link.id}`;

export function shareVisitRoutes(app: FastifyInstance, context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { db } = context;
  const throttle = passwordThrottle(db);

  /** The library of the link's owner as its visitor reaches it: what the link shows. */
  const libraryOf = (link: VisitedLink) => forLinkVisitor(context, link);

  /** The link, unlocked by this visitor (else 401 saying a password is needed). */
  async function openLink(request: FastifyRequest<{ Params: { token: string } }>): Promise<VisitedLink> {
    const link = await linkForToken(db, request.params.token);
    if (!isUnlocked(link, request.cookies[cookieName(link)])) throw new UserError('unauthenticated', 'this link has a password: unlock it first');
    return link;
  }

  async function linkPhoto(link: VisitedLink, id: string) {
    const [photo] = await rows<{
      id: string;
      sha256: string;
      state: string;
      mime: string;
      filename: string;
      storage_key: string;
      storage_location: string | null;
    }>(
      db,
      sql`select p.id, p.sha256, p.state, p.mime, p.filename, p.storage_key, p.storage_location from photos p where p.id = ${id}::uuid and ${linkPhotosSql(link)}`,
    );
    if (!photo) throw new UserError('not-found', `no photo with id ${id} in this link`);
    return photo;
  }

  api.get('/api/s/:token', {
    config: { access: 'link' },
    schema: {
      tags: ['share links'],
      summary: 'What a share link shows (and whether it wants a password)',
      params: tokenParams,
      response: { 200: visitedLinkInfo, 404: errorBody, 410: errorBody },
    },
    handler: async (request, reply) => {
      const link = await linkForToken(db, request.params.token);
      const locked = !isUnlocked(link, request.cookies[cookieName(link)]);
      let photoCount: number | null = null;
      if (!locked) {
        await countView(db, link.id);
        const [counted] = await rows<{ n: number }>(db, sql`select count(*)::int as n from photos p where ${linkPhotosSql(link)}`);
        photoCount = counted?.n ?? 0;
      }
      reply.header('cache-control', 'no-store');
      return {
        title: link.albumName ?? link.description ?? `Photos from ${link.ownerName}`,
        description: link.albumName ? link.description : null,
        owner: link.ownerName,
        locked,
        photoCount,
        allowDownload: link.allowDownload,
        allowUpload: link.allowUpload,
        expiresAt: link.expiresAt?.toISOString() ?? null,
      };
    },
  });

  api.post('/api/s/:token/unlock', {
    config: { access: 'link' },
    schema: {
      tags: ['share links'],
      summary: "Give a link's password: a cookie for this link's pages remembers it",
      params: tokenParams,
      body: z.object({ password: z.string().max(256) }),
      response: { 204: z.null(), 401: errorBody, 404: errorBody, 410: errorBody, 429: errorBody },
    },
    handler: async (request, reply) => {
      const link = await linkForToken(db, request.params.token);
      if (link.passwordHash) {
        // slowed per visitor's address, never locked for everyone (the counts: src/auth/throttle.ts)
        const hash = link.passwordHash;
        let right = false;
        const wait = await throttle.attempt(`link:${link.id}`, request.ip, async () => (right = await verifyPassword(hash, request.body.password)));
        if (wait > 0) throw tooManyGuesses(reply, wait, 'wrong passwords');
        if (!right) throw new UserError('unauthenticated', 'wrong password');
      }
      reply.setCookie(cookieName(link), unlockProof(link), {
        path: `/api/s/${encodeURIComponent(request.params.token)}`,
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        ...(link.expiresAt ? { expires: link.expiresAt } : { maxAge: 30 * 24 * 3600 }),
      });
      return reply.code(204).send(null);
    },
  });

  api.get('/api/s/:token/photos', {
    config: { access: 'link' },
    schema: {
      tags: ['share links'],
      summary: "One page of the link's photos, newest taken first",
      params: tokenParams,
      querystring: z.object({ page: z.coerce.number().int().min(1).default(1), limit: z.coerce.number().int().min(1).max(500).default(100) }),
      response: { 200: visitorPhotoPage, 401: errorBody, 404: errorBody, 410: errorBody },
    },
    handler: async (request) => {
      const link = await openLink(request);
      const { page, limit } = request.query;
      const inLink = sql`${linkPhotosSql(link)}`;
      const where = sql`${photos.id} in (select p.id from photos p where ${inLink})`;
      const [items, [counted]] = await Promise.all([
        db
          .select(listColumns)
          .from(photos)
          .where(where)
          .orderBy(...TIMELINE_ORDER)
          .limit(limit)
          .offset((page - 1) * limit),
        rows<{ n: number; videos: number }>(
          db,
          sql`select count(*)::int as n, count(*) filter (where p.mime like 'video/%')::int as videos from photos p where ${inLink}`,
        ),
      ]);
      return {
        items: items.map((row) => {
          const item = photoListItem(row);
          const { id, filename, takenAt, width, height, mime, type, durationMs, motion, colour, hasThumbnail } = item;
          // locations stay the owner's unless the link keeps them (as its originals do)
          const location = link.keepMetadata && row.latitude !== null && row.longitude !== null ? { latitude: row.latitude, longitude: row.longitude } : null;
          return { id, filename, takenAt, width, height, mime, type, durationMs, motion, colour, hasThumbnail, location };
        }),
        total: counted?.n ?? 0,
        videos: counted?.videos ?? 0,
        page,
        limit,
      };
    },
  });

  const files = [
    { route: 'thumbnail', name: 'thumbnail.webp', mime: 'image/webp' },
    { route: 'preview', name: 'preview.jpg', mime: 'image/jpeg' },
  ] as const;
  for (const file of files) {
    api.get(`/api/s/:token/photos/:id/${file.route}`, {
      config: { access: 'link' },
      schema: { tags: ['share links'], summary: `A photo's ${file.route}`, params: photoParams, response: { 401: errorBody, 404: errorBody, 410: errorBody } },
      handler: async (request, reply) => {
        const link = await openLink(request);
        const photo = await linkPhoto(link, request.params.id);
        return sendStored(reply, libraryOf(link), photo.storage_location, derivedKey(photo.id, file.name), file.mime, photo.sha256, {
          immutable: false,
          missing: `${file.route} of photo ${photo.id} is not available yet`,
        });
      },
    });
  }

  api.get('/api/s/:token/photos/:id/video', {
    config: { access: 'link' },
    schema: {
      tags: ['share links'],
      summary: "A video, or a motion photo's video, as browsers play it, with byte ranges",
      description:
        'The transcoded copy (which carries no metadata), or a copy of the clip as it is stored with only its first video and ' +
        'audio streams and no metadata (no GPS track, subtitle or data stream, no container tags) unless the link keeps them ' +
        "(`keepMetadata`). 409 while it is being made playable; 404 for a still; 429 past a visitor's share of requests.",
      params: photoParams,
      response: { 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody, 410: errorBody, 416: errorBody, 429: errorBody },
    },
    handler: async (request, reply) => {
      const link = await openLink(request);
      const owner = libraryOf(link);
      const photo = await findPhoto(owner, (await linkPhoto(link, request.params.id)).id);
      if (!photo) throw new UserError('not-found', `no photo with id ${request.params.id} in this link`);
      return sendVisitorVideo(reply, owner, { linkId: link.id, address: request.ip, keepMetadata: link.keepMetadata }, photo);
    },
  });

  api.get('/api/s/:token/photos/:id/original', {
    config: { access: 'link' },
    schema: {
      tags: ['share links'],
      summary: "A photo's original file, as a download (only when the link allows downloads)",
      description:
        'Unless the link keeps its metadata (`keepMetadata`), a copy that keeps only an allow-list: orientation, colour, resolution, ' +
        'dates, camera and exposure, credits (no GPS, place, caption, keyword, thumbnail, IPTC, other XMP, maker notes or serial ' +
        'numbers; a clip its first video and audio streams); a file that cannot be reduced to it is refused (403).',
      params: photoParams,
      response: { 401: errorBody, 403: errorBody, 404: errorBody, 410: errorBody, 416: errorBody, 429: errorBody },
    },
    handler: async (request, reply) => {
      const link = await openLink(request);
      if (!link.allowDownload) throw new UserError('forbidden', 'downloads are switched off for this link');
      const photo = await linkPhoto(link, request.params.id);
      return sendVisitorOriginal(
        reply,
        libraryOf(link),
        { linkId: link.id, address: request.ip, keepMetadata: link.keepMetadata },
        {
          id: photo.id,
          storageLocation: photo.storage_location,
          storageKey: photo.storage_key,
          mime: photo.mime,
          sha256: photo.sha256,
          filename: photo.filename,
        },
      );
    },
  });

  api.post('/api/s/:token/photos', {
    config: { access: 'link' },
    schema: {
      tags: ['share links'],
      summary: "Add photos through the link (only when it allows uploads): they become the owner's, in the album or the link",
      consumes: ['multipart/form-data'],
      params: tokenParams,
      response: {
        200: uploadResult,
        201: uploadResult,
        400: uploadRefused,
        401: errorBody,
        403: errorBody,
        404: errorBody,
        408: uploadRefused,
        410: errorBody,
        413: uploadRefused,
        415: uploadRefused,
        429: uploadRefused,
        503: uploadRefused,
      },
    },
    handler: async (request, reply: FastifyReply) => {
      const link = await openLink(request);
      if (!link.allowUpload) throw new UserError('forbidden', 'uploads are switched off for this link');
      const owner = libraryOf(link);
      return uploadPhotos(owner, request, reply, { visitor: true, linkId: link.id, onAccepted: (ids) => addUploadsToLink(db, link, ids) });
    },
  });
}
