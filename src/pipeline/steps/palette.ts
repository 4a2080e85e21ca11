import { eq } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import { paletteFromImage } from '../../media/palette.js';
import type { PipelineStep } from '../step.js';
import { withLocalFile } from '../../storage/blob-store.js';
import { derivedKey } from '../../storage/keys.js';

/** The five dominant colours, from the thumbnail. */
export const paletteStep: PipelineStep = {
  name: 'palette',
  version: '1',
  async run({ photo, db, storage }) {
    const palette = await withLocalFile(storage, derivedKey(photo.id, 'thumbnail.webp'), paletteFromImage);
    await db.update(photos).set({ palette, updatedAt: new Date() }).where(eq(photos.id, photo.id));
    return { status: 'done' };
  },
};
