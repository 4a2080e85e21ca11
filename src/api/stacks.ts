import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  getStack,
  MAX_PHOTOS_ASKED,
  MAX_STACKED_BY_HAND,
  moveOutOfStack,
  setStackCover,
  stacksByHand,
  stackTogether,
  unstack,
} from '../library/stacks/index.js';
import { STACK_KINDS, STACK_REASONS } from '../model/stack.js';
import { UserError } from '../base/errors.js';
import { errorBody, photoListItem } from './schemas.js';

const idParams = z.object({ id: z.uuid({ message: 'stack id must be a UUID' }) });
const memberParams = idParams.extend({ photoId: z.uuid({ message: 'photo id must be a UUID' }) });

export const stackMember = z.object({
  photo: photoListItem,
  reason: z
    .enum(STACK_REASONS)
    .describe(
      "what put it in the stack: `raw-jpeg`, `heic-jpeg` (same name, same moment), `edited` (an edited version), `burst-id` (Apple BurstUUID), `burst-name` (a phone's burst file names), `burst-time` (same camera within seconds, alike), `by-user` (stacked by hand: POST /api/stacks)",
    ),
  cover: z.boolean().describe('whether it is the photo the tile shows'),
  bestShot: z.object({ score: z.number().nullable(), reasons: z.array(z.string()) }).describe('how good a shot it is (see GET /api/duplicates)'),
});

export const stack = z.object({
  id: z.string(),
  kind: z.enum(STACK_KINDS),
  coverId: z.string().nullable(),
  coverByUser: z.boolean().describe('the user picked the cover; otherwise it is the best shot'),
  members: z.array(stackMember).describe('the cover first, then by capture time'),
});

export function stackRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post('/api/stacks', {
    config: { access: 'write' },
    schema: {
      tags: ['stacks'],
      summary: 'Stack photos by hand (with the stacks they are in); the best shot is the cover until you pick one',
      body: z
        .object({
          photoIds: z
            .array(z.uuid({ message: 'photo ids must be UUIDs' }))
            .min(2, { message: 'a stack needs at least two photos' })
            .max(MAX_STACKED_BY_HAND, { message: `at most ${MAX_STACKED_BY_HAND} photos in one stack` }),
        })
        .strict(),
      response: { 201: stack, 400: errorBody, 404: errorBody },
    },
    handler: async (request, reply) => {
      reply.code(201);
      return stackTogether(request.lib, request.body.photoIds);
    },
  });

  api.post('/api/stacks/by-hand', {
    config: { access: 'read' },
    schema: {
      tags: ['stacks'],
      summary: 'What was done by hand to the stacks of some of your photos (what an export carries)',
      description:
        'The stacks holding any of the photos that were made or changed by hand (a photo stacked by hand, a cover picked), ' +
        'with all their photos, and the pairs of photos taken apart by hand (unstacked, moved out) of which one is asked for.',
      body: z
        .object({
          photoIds: z.array(z.uuid({ message: 'photo ids must be UUIDs' })).max(MAX_PHOTOS_ASKED, { message: `at most ${MAX_PHOTOS_ASKED} photos at once` }),
        })
        .strict(),
      response: {
        200: z.object({
          stacks: z.array(
            z.object({
              id: z.string(),
              kind: z.enum(STACK_KINDS),
              coverId: z.string().nullable(),
              coverByUser: z.boolean(),
              members: z.array(z.object({ photoId: z.string(), reason: z.enum(STACK_REASONS) })),
            }),
          ),
          apart: z.array(z.tuple([z.string(), z.string()])).describe('pairs never stacked together again by the rules'),
        }),
        400: errorBody,
      },
    },
    handler: async (request) => stacksByHand(request.lib, request.body.photoIds),
  });

  api.get('/api/stacks/:id', {
    config: { access: 'read' },
    schema: { tags: ['stacks'], summary: 'One stack with its photos', params: idParams, response: { 200: stack, 400: errorBody, 404: errorBody } },
    handler: async (request) => {
      const found = await getStack(request.lib, request.params.id);
      if (!found) throw new UserError('not-found', `no stack ${request.params.id}`);
      return found;
    },
  });

  api.put('/api/stacks/:id/cover', {
    config: { access: 'write' },
    schema: {
      tags: ['stacks'],
      summary: "Pick the photo the stack's tile shows",
      params: idParams,
      body: z.object({ photoId: z.uuid({ message: 'photoId must be a photo id (UUID)' }) }),
      response: { 200: stack, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => setStackCover(request.lib, request.params.id, request.body.photoId),
  });

  api.delete('/api/stacks/:id/photos/:photoId', {
    config: { access: 'write' },
    schema: {
      tags: ['stacks'],
      summary: 'Move a photo out of the stack (never stacked with these photos again)',
      params: memberParams,
      response: {
        200: z.object({ stack: stack.nullable().describe('the stack left, or null when one photo was left and it went') }),
        400: errorBody,
        404: errorBody,
      },
    },
    handler: async (request) => ({ stack: await moveOutOfStack(request.lib, request.params.id, request.params.photoId) }),
  });

  api.delete('/api/stacks/:id', {
    config: { access: 'write' },
    schema: {
      tags: ['stacks'],
      summary: 'Unstack: every photo on its own again, and never stacked together again',
      params: idParams,
      response: { 200: z.object({ photoIds: z.array(z.string()) }), 400: errorBody, 404: errorBody },
    },
    handler: async (request) => unstack(request.lib, request.params.id),
  });
}
