import { eq } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import { makeRenditions } from '../../media/decode.js';
import type { PipelineStep } from '../step.js';

/** Decode check, true dimensions, thumbnail and preview from one decode. */
export const preprocessingStep: PipelineStep = {
  name: 'preprocessing',
  version: '1',
  async run({ photo, db, storage, originalPath }) {
    const renditions = await makeRenditions(originalPath, photo.mime);
    await storage.writeDerived(photo.id, 'thumbnail.webp', renditions.thumbnail);
    await storage.writeDerived(photo.id, 'preview.jpg', renditions.preview);
    await db
      .update(photos)
      .set({ width: renditions.width, height: renditions.height, updatedAt: new Date() })
      .where(eq(photos.id, photo.id));
    return { status: 'done' };
  },
};
