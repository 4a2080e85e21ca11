import { eq } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import { decodeStoredPixels } from '../../media/decode.js';
import { pdqFromPixels } from '../../media/pdq.js';
import type { PipelineStep } from '../step.js';

/** PDQ perceptual hash of the stored pixels (no EXIF rotation, as the reference does). SHA-256 is taken at upload. */
export const hashesStep: PipelineStep = {
  name: 'hashes',
  version: '1',
  async run({ photo, db, originalPath }) {
    const pixels = await decodeStoredPixels(originalPath, photo.mime);
    const pdq = pdqFromPixels(pixels);
    await db
      .update(photos)
      .set({ pdqHash: pdq.hash, pdqQuality: pdq.quality, updatedAt: new Date() })
      .where(eq(photos.id, photo.id));
    return { status: 'done' };
  },
};
