import { eq } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import { decodePhoto } from '../../media/decode.js';
import type { PipelineStep } from '../step.js';
import { STORED_PIXELS } from './shared.js';
import { derivedKey } from '../../storage/keys.js';

/**
 * Decode check, true dimensions, thumbnail and preview from one decode; the stored pixels it decoded on the way
 * are left for the hashes step of the same lane run (PDQ hashes them at full size).
 */
export const preprocessingStep: PipelineStep = {
  name: 'preprocessing',
  version: '1',
  async run({ photo, db, storage, original, shared }) {
    const { stored, ...renditions } = await decodePhoto(await original(), photo.mime);
    await storage.put(derivedKey(photo.id, 'thumbnail.webp'), renditions.thumbnail);
    await storage.put(derivedKey(photo.id, 'preview.jpg'), renditions.preview);
    await db
      .update(photos)
      .set({ width: renditions.width, height: renditions.height, thumbnailAt: new Date(), updatedAt: new Date() })
      .where(eq(photos.id, photo.id));
    if (stored) shared.set(STORED_PIXELS, stored);
    return { status: 'done' };
  },
};
