// Sharing between users and by link, the owner's side: who an album is shared with, partners, share links.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  addPartner,
  createLink,
  deleteLink,
  LINK_DESCRIPTION_MAX,
  LINK_PHOTOS_MAX,
  listAlbumShares,
  listLinks,
  listOtherUsers,
  listPartners,
  removePartner,
  setPartnerInTimeline,
  SHARE_ROLES,
  shareAlbum,
  unshareAlbum,
  updateLink,
} from '../library/sharing/index.js';
import { checkLinkClips } from './link-clip-check.js';
import { errorBody } from './schemas.js';

const uuid = (what: string) => z.uuid({ message: `${what} must be a UUID` });
export const userCard = z.object({ id: z.string(), name: z.string(), email: z.string().nullable() });
export const albumShare = z.object({ userId: z.string(), name: z.string(), email: z.string().nullable(), role: z.enum(SHARE_ROLES), createdAt: z.string() });
export const linkClipCheck = z.object({
  checked: z.number().int().describe('videos whose copies are made, or need none'),
  unchecked: z.number().int().describe('videos not checked yet: past the time of one check, being transcoded, or offline'),
  refused: z.array(z.object({ photoId: z.string(), filename: z.string(), message: z.string() })).describe('videos no visitor can play'),
});
export const linkSummary = z.object({
  id: z.string(),
  token: z.string().describe('the secret in the link; anyone who has it sees what the link shows'),
  path: z.string().describe("the visitor's page (`/s/{token}`), relative to the server's address"),
  albumId: z.string().nullable(),
  albumName: z.string().nullable(),
  photoCount: z.number().int(),
  videoCount: z.number().int().describe('how many of them are videos'),
  description: z.string().nullable(),
  hasPassword: z.boolean(),
  expiresAt: z.string().nullable(),
  expired: z.boolean(),
  allowDownload: z.boolean().describe('visitors may download the originals'),
  allowUpload: z.boolean().describe('visitors may add photos (they become yours, in the album or the link)'),
  keepMetadata: z.boolean().describe("visitors' originals keep where they were taken and the camera's serial numbers (else removed from their copy)"),
  viewCount: z.number().int(),
  lastViewedAt: z.string().nullable(),
  createdAt: z.string(),
});
export const partnerships = z.object({
  sharingWith: z.array(userCard.extend({ since: z.string() })),
  sharedWithMe: z.array(userCard.extend({ since: z.string(), inTimeline: z.boolean() })),
});
const linkSettings = z.object({
  description: z.string().max(LINK_DESCRIPTION_MAX).nullable().optional(),
  password: z.string().max(256).nullable().optional().describe('visitors must give it (8 characters at least); null removes it'),
  expiresAt: z.iso.datetime({ offset: true, message: 'expiresAt must be an ISO 8601 date-time' }).nullable().optional().describe('null: never'),
  allowDownload: z.boolean().optional().describe('visitors may download the originals; a new link: false'),
  allowUpload: z.boolean().optional().describe('visitors may add photos; a new link: false'),
  keepMetadata: z
    .boolean()
    .optional()
    .describe(
      "visitors' originals keep their GPS position, place names and the camera's and lens's serial numbers; a new link: false (removed from the copy visitors get)",
    ),
});
const toDate = (value: string | null | undefined) => (value === undefined ? undefined : value === null ? null : new Date(value));

export function sharingRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/users', {
    config: { access: 'read' },
    schema: { tags: ['sharing'], summary: 'The other users of this server, to share with', response: { 200: z.object({ items: z.array(userCard) }) } },
    handler: async (request) => ({ items: await listOtherUsers(request.lib) }),
  });

  // -- albums shared with users -------------------------------------------------------------------------------
  const albumParams = z.object({ id: uuid('album id') });
  api.get('/api/albums/:id/shares', {
    config: { access: 'read' },
    schema: {
      tags: ['sharing'],
      summary: 'Who your album is shared with',
      params: albumParams,
      response: { 200: z.object({ items: z.array(albumShare) }), 404: errorBody },
    },
    handler: async (request) => ({ items: await listAlbumShares(request.lib, request.params.id) }),
  });
  api.put('/api/albums/:id/shares/:userId', {
    config: { access: 'write' },
    schema: {
      tags: ['sharing'],
      summary: 'Share your album with a user as viewer or editor (or change their role)',
      description: 'Viewers see the album and its photos; editors also add their own photos and take any out. Only the owner deletes it.',
      params: albumParams.extend({ userId: uuid('user id') }),
      body: z.object({ role: z.enum(SHARE_ROLES).default('viewer') }),
      response: { 200: albumShare, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => shareAlbum(request.lib, request.params.id, request.params.userId, request.body.role),
  });
  api.delete('/api/albums/:id/shares/:userId', {
    config: { access: 'write' },
    schema: {
      tags: ['sharing'],
      summary: 'Stop sharing an album with a user (the owner), or leave an album shared with you (your own user id)',
      params: albumParams.extend({ userId: uuid('user id') }),
      response: { 204: z.null(), 403: errorBody, 404: errorBody },
    },
    handler: async (request, reply) => {
      await unshareAlbum(request.lib, request.params.id, request.params.userId);
      return reply.code(204).send(null);
    },
  });

  // -- partners -----------------------------------------------------------------------------------------------
  const partnerParams = z.object({ userId: uuid('user id') });
  api.get('/api/partners', {
    config: { access: 'read' },
    schema: {
      tags: ['sharing'],
      summary: 'Partner sharing: who sees your whole library, and whose libraries you see',
      response: {
        200: partnerships,
      },
    },
    handler: async (request) => listPartners(request.lib),
  });
  api.post('/api/partners', {
    config: { access: 'write' },
    schema: {
      tags: ['sharing'],
      summary: 'Let a user see your whole library, read-only',
      body: z.object({ userId: uuid('userId') }),
      response: { 204: z.null(), 400: errorBody },
    },
    handler: async (request, reply) => {
      await addPartner(request.lib, request.body.userId);
      return reply.code(204).send(null);
    },
  });
  api.patch('/api/partners/:userId', {
    config: { access: 'write' },
    schema: {
      tags: ['sharing'],
      summary: "Show (or stop showing) a partner's shared library in your own timeline",
      params: partnerParams,
      body: z.object({ inTimeline: z.boolean() }),
      response: { 204: z.null(), 404: errorBody },
    },
    handler: async (request, reply) => {
      await setPartnerInTimeline(request.lib, request.params.userId, request.body.inTimeline);
      return reply.code(204).send(null);
    },
  });
  api.delete('/api/partners/:userId', {
    config: { access: 'write' },
    schema: {
      tags: ['sharing'],
      summary: 'Stop sharing your library with a user (`side=outgoing`), or stop seeing theirs (`side=incoming`)',
      params: partnerParams,
      querystring: z.object({ side: z.enum(['outgoing', 'incoming']).default('outgoing') }),
      response: { 204: z.null(), 404: errorBody },
    },
    handler: async (request, reply) => {
      await removePartner(request.lib, request.params.userId, request.query.side);
      return reply.code(204).send(null);
    },
  });

  // -- share links --------------------------------------------------------------------------------------------
  const linkParams = z.object({ id: uuid('link id') });
  api.get('/api/shared-links', {
    config: { access: 'read' },
    schema: {
      tags: ['sharing'],
      summary: "Your share links, newest first (one album's with `albumId`)",
      querystring: z.object({ albumId: uuid('albumId').optional() }),
      response: { 200: z.object({ items: z.array(linkSummary) }) },
    },
    handler: async (request) => ({ items: await listLinks(request.lib, { albumId: request.query.albumId }) }),
  });
  api.post('/api/shared-links', {
    config: { access: 'write' },
    schema: {
      tags: ['sharing'],
      summary: 'Make a link to one of your albums, or to some of your photos',
      description:
        'Give `albumId` (the link follows the album) or `photoIds`. Visitors open `/s/{token}`: a read-only gallery of exactly ' +
        'those photos, behind the password if there is one, until `expiresAt`.',
      body: linkSettings.extend({
        albumId: uuid('albumId').optional(),
        photoIds: z.array(uuid('photo ids')).max(LINK_PHOTOS_MAX).optional(),
      }),
      response: { 201: linkSummary, 400: errorBody, 404: errorBody },
    },
    handler: async (request, reply) => {
      const { expiresAt, ...rest } = request.body;
      return reply.code(201).send(await createLink(request.lib, { ...rest, expiresAt: toDate(expiresAt) }));
    },
  });
  api.patch('/api/shared-links/:id', {
    config: { access: 'write' },
    schema: {
      tags: ['sharing'],
      summary: "Change a link's description, password, expiry or switches",
      params: linkParams,
      body: linkSettings,
      response: { 200: linkSummary, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => {
      const { expiresAt, ...rest } = request.body;
      return updateLink(request.lib, request.params.id, { ...rest, expiresAt: toDate(expiresAt) });
    },
  });
  api.post('/api/shared-links/:id/check', {
    config: { access: 'write' },
    schema: {
      tags: ['sharing'],
      summary: "Make the visitors' copies of a link's videos now, and say which cannot be made",
      description:
        "Unless the link keeps metadata, a visitor is served a copy of each clip (and motion photo's motion) without where it was " +
        'taken, made once and kept. This makes those copies now (for up to 20 seconds; call again for the rest) and names the ' +
        'videos whose copy is refused: a visitor could not play or download them.',
      params: linkParams,
      response: { 200: linkClipCheck, 404: errorBody },
    },
    handler: async (request) => checkLinkClips(request.lib, request.params.id),
  });
  api.delete('/api/shared-links/:id', {
    config: { access: 'write' },
    schema: { tags: ['sharing'], summary: 'Revoke a link: it stops working at once', params: linkParams, response: { 204: z.null(), 404: errorBody } },
    handler: async (request, reply) => {
      await deleteLink(request.lib, request.params.id);
      return reply.code(204).send(null);
    },
  });
}
