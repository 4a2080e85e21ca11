// Rotate and crop over HTTP: PUT sets a photo's edit, DELETE takes it back to the original; the original file never
// changes (library/photo-edit/edit.ts). The editor starts from the upright preview before the edit.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { UserError } from '../base/errors.js';
import { findPhotoSummary } from '../library/photos/index.js';
import { setPhotoEdit } from '../library/photo-edit/index.js';
import { derivedKey } from '../storage/keys.js';
import { sendStored } from './photos.js';
import { cropBox, errorBody, photoEdit, photoIdParams } from './schemas.js';

const notFound = (id: string) => new UserError('not-found', `no photo of yours with id ${id}`);

const editBody = z.object({ rotate: photoEdit.shape.rotate.default(0), crop: cropBox.nullable().default(null) });

const editResult = z.object({
  id: z.string(),
  edit: photoEdit.nullable().describe('null: the original as it is'),
  width: z.number().int().describe('the edited image, in pixels of the original'),
  height: z.number().int(),
  state: z.string().describe('`pending` while the renditions, faces and the rest are made again from the edit'),
  changed: z.boolean().describe('false when the photo had this edit already (nothing runs again)'),
});

export function photoEditRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.put('/api/photos/:id/edit', {
    config: { access: 'write' },
    schema: {
      tags: ['photos'],
      summary: 'Rotate and crop a photo, without changing its original',
      description:
        'Quarter turns first, then the crop on the turned image. The thumbnail, preview, faces (kept, with their ' +
        'people), tags, text and search follow the edit once the photo is analysed again (`state` pending). In a ' +
        'library in place with write-back, the turn and the crop go to its XMP sidecar (tiff:Orientation, crs:Crop*). ' +
        'The whole image and no turn is no edit. A photo not decoded yet takes it too (an import of an export gives each ' +
        'photo its edit as it arrives): its renditions are made with it. 409 for a video.',
      params: photoIdParams,
      body: editBody,
      response: { 200: editResult, 400: errorBody, 404: errorBody, 409: errorBody },
    },
    handler: async (request) => {
      const answer = await setPhotoEdit(request.lib, request.params.id, request.body);
      if (!answer) throw notFound(request.params.id);
      return answer;
    },
  });

  api.delete('/api/photos/:id/edit', {
    config: { access: 'write' },
    schema: {
      tags: ['photos'],
      summary: 'Take a photo back to its original (undo every rotation and crop)',
      params: photoIdParams,
      response: { 200: editResult, 404: errorBody, 409: errorBody },
    },
    handler: async (request) => {
      const answer = await setPhotoEdit(request.lib, request.params.id, null);
      if (!answer) throw notFound(request.params.id);
      return answer;
    },
  });

  api.get('/api/photos/:id/unedited-preview', {
    config: { access: 'read' },
    schema: {
      tags: ['photos'],
      summary: 'The upright preview before the edit (what the editor starts from); the preview of a photo not edited',
      params: photoIdParams,
      response: { 404: errorBody },
    },
    handler: async (request, reply) => {
      const photo = await findPhotoSummary(request.lib, request.params.id);
      if (!photo) throw new UserError('not-found', `no photo with id ${request.params.id}`);
      const store = request.lib.storage.at(photo.storageLocation);
      const unedited = derivedKey(photo.id, 'unedited-preview.jpg');
      const key = (await store.stat(unedited)) ? unedited : derivedKey(photo.id, 'preview.jpg');
      return sendStored(reply, request.lib, photo.storageLocation, key, 'image/jpeg', photo.sha256, {
        immutable: false,
        missing: `the preview of photo ${photo.id} is not available (photo state: ${photo.state})`,
      });
    },
  });
}
