import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UserError } from '../base/errors.js';
import type { Resources } from '../library/library.js';
import {
  assignFace,
  deletePerson,
  getPerson,
  listFaces,
  listPeople,
  mergePeople,
  reclusterPeople,
  rejectFace,
  requireFace,
  unassignFace,
  updatePerson,
} from '../library/people/index.js';
import { findPhoto } from '../library/photos/index.js';
import { sendStored } from './photos.js';
import { booleanParam, errorBody, faceSummary } from './schemas.js';

const idParams = z.object({ id: z.uuid({ message: 'id must be a UUID' }) });

export const person = z.object({
  id: z.string(),
  name: z.string().nullable(),
  hidden: z.boolean(),
  faceCount: z.number().int(),
  photoCount: z.number().int(),
  coverFaceId: z.string().nullable().describe('thumbnail at /api/faces/{coverFaceId}/thumbnail'),
  createdAt: z.string(),
});

export const peopleList = z.object({ items: z.array(person), total: z.number().int(), page: z.number().int(), limit: z.number().int() });

/** A person's faces, or a photo's. */
export const faceList = z.object({ items: z.array(faceSummary) });

/** What assigning, unassigning or rejecting a face left: its person now, and whom it was rejected from. */
export const faceResult = z.object({ faceId: z.string(), personId: z.string().nullable(), rejected: z.string().optional() });

export const reclusterResult = z.object({
  assigned: z.number().int(),
  created: z.number().int(),
  unassigned: z.number().int(),
  removed: z.number().int(),
});

const page = {
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(500).default(100),
};

export function peopleRoutes(app: FastifyInstance, _context: Resources): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/people', {
    config: { access: 'read' },
    schema: {
      tags: ['people'],
      summary: 'People, named first, then by number of faces',
      querystring: z.object({ ...page, includeHidden: booleanParam.optional(), named: booleanParam.optional() }),
      response: { 200: peopleList, 400: errorBody },
    },
    handler: async (request) => listPeople(request.lib, request.query),
  });

  api.get('/api/people/:id', {
    config: { access: 'read' },
    schema: { tags: ['people'], summary: 'A person', params: idParams, response: { 200: person, 400: errorBody, 404: errorBody } },
    handler: async (request) => {
      const found = await getPerson(request.lib, request.params.id);
      if (!found) throw new UserError('not-found', `no person with id ${request.params.id}`);
      return found;
    },
  });

  api.get('/api/people/:id/faces', {
    config: { access: 'read' },
    schema: {
      tags: ['people'],
      summary: "A person's faces, newest photo first (each names its photo)",
      params: idParams,
      querystring: z.object(page),
      response: { 200: faceList, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => {
      if (!(await getPerson(request.lib, request.params.id))) throw new UserError('not-found', `no person with id ${request.params.id}`);
      return { items: await listFaces(request.lib, { personId: request.params.id, ...request.query }) };
    },
  });

  api.patch('/api/people/:id', {
    config: { access: 'write' },
    schema: {
      tags: ['people'],
      summary: 'Rename, hide or show a person, or choose their cover face',
      params: idParams,
      body: z
        .object({
          name: z.string().max(200).nullable().optional().describe('null or "" removes the name'),
          hidden: z.boolean().optional(),
          coverFaceId: z.uuid().nullable().optional(),
        })
        .refine((b) => Object.keys(b).length > 0, { message: 'give name, hidden or coverFaceId' }),
      response: { 200: person, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => updatePerson(request.lib, request.params.id, request.body),
  });

  api.delete('/api/people/:id', {
    config: { access: 'write' },
    schema: {
      tags: ['people'],
      summary: 'Delete a person; their faces stay, unassigned',
      params: idParams,
      response: { 204: z.null(), 400: errorBody, 404: errorBody },
    },
    handler: async (request, reply) => {
      await deletePerson(request.lib, request.params.id);
      return reply.code(204).send(null);
    },
  });

  api.post('/api/people/:id/merge', {
    config: { access: 'write' },
    schema: {
      tags: ['people'],
      summary: 'Merge other people into this one (their faces move here; they are deleted)',
      params: idParams,
      body: z.object({ ids: z.array(z.uuid()).min(1).max(1000) }),
      response: { 200: person, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => mergePeople(request.lib, request.params.id, request.body.ids),
  });

  api.post('/api/people/recluster', {
    config: { access: 'write' },
    schema: {
      tags: ['people'],
      summary: 'Cluster all faces again (user assignments and "not this person" are kept)',
      response: { 200: reclusterResult },
    },
    handler: async (request) => reclusterPeople(request.lib),
  });

  api.get('/api/photos/:id/faces', {
    config: { access: 'read' },
    schema: {
      tags: ['people'],
      summary: "A photo's faces with their people",
      params: idParams,
      response: { 200: faceList, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => {
      if (!(await findPhoto(request.lib, request.params.id))) throw new UserError('not-found', `no photo with id ${request.params.id}`);
      return { items: await listFaces(request.lib, { photoId: request.params.id }) };
    },
  });

  api.get('/api/faces/:id/thumbnail', {
    config: { access: 'read' },
    schema: { tags: ['people'], summary: 'A square WebP crop of the face', params: idParams, response: { 400: errorBody, 404: errorBody } },
    handler: async (request, reply) => {
      const face = await requireFace(request.lib, request.params.id);
      if (!face.thumbnailKey) throw new UserError('not-found', `face ${face.id} has no thumbnail`);
      return sendStored(reply, request.lib, face.storageLocation, face.thumbnailKey, 'image/webp', face.id.replace(/-/g, ''), { immutable: false });
    },
  });

  api.post('/api/faces/:id/assign', {
    config: { access: 'write' },
    schema: {
      tags: ['people'],
      summary: 'Assign a face to a person, by id or by name (a new named person is created when needed)',
      params: idParams,
      body: z
        .object({ personId: z.uuid().optional(), name: z.string().min(1).max(200).optional() })
        .refine((b) => Boolean(b.personId) !== Boolean(b.name), { message: 'give exactly one of personId or name' }),
      response: { 200: faceResult, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => assignFace(request.lib, request.params.id, request.body),
  });

  api.post('/api/faces/:id/unassign', {
    config: { access: 'write' },
    schema: {
      tags: ['people'],
      summary: 'Take a face from its person and leave it unassigned (clustering will not reassign it)',
      params: idParams,
      response: { 200: faceResult, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => unassignFace(request.lib, request.params.id),
  });

  api.post('/api/faces/:id/reject', {
    config: { access: 'write' },
    schema: {
      tags: ['people'],
      summary: '"Not this person": remembered, so clustering never puts the face with that person again',
      params: idParams,
      body: z.object({ personId: z.uuid().optional().describe("defaults to the face's current person") }).default({}),
      response: { 200: faceResult, 400: errorBody, 404: errorBody },
    },
    handler: async (request) => rejectFace(request.lib, request.params.id, request.body.personId),
  });
}
