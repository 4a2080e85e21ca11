import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Resources } from '../library/library.js';
import { GROUP_KINDS } from '../library/duplicates/index.js';
import { dismissDuplicateGroup, getDuplicateGroup, listDuplicateGroups, resolveDuplicateGroup } from '../library/duplicate-review/index.js';
import { UserError } from '../base/errors.js';
import { errorBody, photoListItem } from './schemas.js';

const idParams = z.object({ id: z.uuid({ message: 'group id must be a UUID' }) });

export const groupMember = z.object({
  photo: photoListItem,
  tier: z.string().describe('what put the photo in the group: `pdq` (perceptual hash), `clip` (embedding), `burst`'),
  matchedPhotoId: z.string().nullable().describe('the photo it was compared with'),
  pdqDistance: z.number().int().nullable().describe('PDQ Hamming distance in bits (0–256; ≤ 31 is the same picture)'),
  pdqOrientation: z.string().nullable().describe('`original`, or the rotation/mirror of this photo that matched'),
  similarity: z.number().nullable().describe('CLIP cosine similarity'),
  suggestedKeeper: z.boolean(),
  bestShot: z
    .object({
      score: z.number().nullable().describe('0–1: subject sharpness, exposure, faces in focus and in frame with their eyes open; null before measured'),
      reasons: z.array(z.string()).describe('what stands out, good or bad: `sharp`, `too dark`, `a face cut off at the edge`…'),
    })
    .describe('how good a shot this member is'),
  supersededBy: z
    .array(z.string())
    .describe(
      "the members whose keeping lets this one go to the trash: copies with all it has (as many pixels, kept without loss and in as many bits where it is, the camera, maker notes and capture time its file records, an unedited name). Empty: nothing proposes it for the trash — a RAW, a version of one shot with the others (a RAW and its JPEG, an original and its edit by its name or an editor's marks, frames of one stack), a photo taken at another moment, or one with more than the others",
    ),
  keptBecause: z
    .string()
    .nullable()
    .describe(
      'why the suggestion keeps it besides the best shot, in words (`a RAW file: never proposed for the trash`); null for the best shot and for what the suggestion proposes for the trash',
    ),
});

export const duplicateGroup = z.object({
  id: z.string(),
  kind: z.enum(GROUP_KINDS).describe('`duplicate` (copies: resolve or dismiss) or `burst` (frames seconds apart: shown stacked)'),
  keeperId: z
    .string()
    .nullable()
    .describe(
      'suggested keeper: the best shot (highest score; within 0.1 of it for copies, 0.03 for a burst, most pixels, then largest file, then earliest), among the originals of a duplicate group: never a copy another member has all of, nor an edit of another member',
    ),
  keeperWhy: z.array(z.string()).describe('why the keeper is the best shot: `sharper`, `better exposed`, `more pixels`…'),
  suggestedKeep: z
    .array(z.string())
    .describe(
      'what the automatic choice keeps: the keeper and every member it does not make redundant (see `supersededBy`); the others are proposed for the trash. Empty for a burst',
    ),
  createdAt: z.string(),
  updatedAt: z.string(),
  members: z.array(groupMember),
});

export const duplicateGroupPage = z.object({ items: z.array(duplicateGroup), total: z.number().int(), page: z.number().int(), limit: z.number().int() });

export function duplicateRoutes(app: FastifyInstance, _context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/duplicates', {
    config: { access: 'read' },
    schema: {
      tags: ['duplicates'],
      summary: 'Groups waiting for review, newest first',
      querystring: z.object({
        kind: z.enum(GROUP_KINDS).optional(),
        page: z.coerce.number().int().min(1).default(1),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: { 200: duplicateGroupPage, 400: errorBody },
    },
    handler: async (request) => listDuplicateGroups(request.lib, request.query),
  });

  api.get('/api/duplicates/:id', {
    config: { access: 'read' },
    schema: {
      tags: ['duplicates'],
      summary: 'One group with its evidence',
      params: idParams,
      response: { 200: duplicateGroup, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => {
      const group = await getDuplicateGroup(request.lib, request.params.id);
      if (!group) throw new UserError('not-found', `no duplicate group ${request.params.id}`);
      return group;
    },
  });

  api.post('/api/duplicates/:id/resolve', {
    config: { access: 'write' },
    schema: {
      tags: ['duplicates'],
      summary: 'Keep some photos, move the others to the trash',
      description:
        'Favourite, rating, keywords, tags, albums and description of the trashed copies are merged into the kept photos first. Kept photos are not grouped with each other again. ' +
        'A member goes only when a kept one is among its `supersededBy`, or when `trash` names it (the user chose it): anything else — the only RAW or original of a shot, a version of a kept photo, a photo with more than those kept — is refused with 409, saying why.',
      params: idParams,
      body: z.object({
        keep: z
          .array(z.uuid({ message: 'keep holds photo ids' }))
          .min(1, 'keep at least one photo')
          .max(1000),
        trash: z
          .array(z.uuid({ message: 'trash holds photo ids' }))
          .max(1000)
          .optional()
          .describe('members the user chose to trash although no kept photo makes them redundant (a RAW, an original): named one by one, never by default'),
      }),
      response: {
        200: z.object({
          kept: z.array(z.string()),
          trashed: z.array(z.string()),
          filesKept: z.array(z.string()).describe('trashed copies in a library in place: hidden in Shoebox, their files stay in their folders'),
          notice: z.string().nullable().describe('what happened to copies in a library in place, in words; null when there were none'),
        }),
        400: errorBody,
        404: errorBody,
        409: errorBody,
      },
    },
    handler: async (request) => resolveDuplicateGroup(request.lib, request.params.id, request.body.keep, request.body.trash),
  });

  api.post('/api/duplicates/:id/dismiss', {
    config: { access: 'write' },
    schema: {
      tags: ['duplicates'],
      summary: 'Not duplicates: the group goes and its photos are never grouped together again',
      params: idParams,
      response: { 200: z.object({ dismissed: z.number().int() }), 400: errorBody, 404: errorBody },
    },
    handler: async (request) => dismissDuplicateGroup(request.lib, request.params.id),
  });
}
