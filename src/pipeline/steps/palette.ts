import { eq } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import { paletteFromImage } from '../../media/palette.js';
import type { PipelineStep } from '../step.js';
import { derivedKey } from '../../storage/keys.js';

/** The five dominant colours, from the thumbnail. */
export const paletteStep: PipelineStep = {
  name: 'palette',
  version: '1',
  async run({ photo, db, localFile }) {
    const palette = await paletteFromImage(await localFile(derivedKey(photo.id, 'thumbnail.webp')));
    await db.update(photos).set({ palette, updatedAt: new Date() }).where(eq(photos.id, photo.id));
    return { status: 'done' };
  },
};
