import { eq } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import { decodeStoredPixels } from '../../media/decode.js';
import { PDQ_DIHEDRAL_NAMES, pdqDihedral } from '../../media/pdq-dihedral.js';
import { indexPdqHash } from '../../library/duplicates/groups.js';
import type { PipelineStep } from '../step.js';
import { takeStoredPixels } from './shared.js';

/**
 * PDQ perceptual hash of the stored pixels (no EXIF rotation, as the reference does), with the hashes of the
 * seven other orientations (a mirrored or turned copy is ~128 bits from the original, as far as an unrelated
 * photo), and the lookup keys of the hash and its mirror image's for the duplicate check. SHA-256 is taken at upload.
 */
export const hashesStep: PipelineStep = {
  name: 'hashes',
  version: '2',
  async run(ctx) {
    const { photo, db } = ctx;
    // Preprocessing of this lane run decoded them already, unless it ran earlier (a retry of this step alone).
    const pixels = takeStoredPixels(ctx) ?? (await decodeStoredPixels(await ctx.original(), photo.mime));
    const pdq = pdqDihedral(pixels);
    const variants = PDQ_DIHEDRAL_NAMES.filter((name) => name !== 'original').map((name) => pdq.hashes[name]);
    await db
      .update(photos)
      .set({ pdqHash: pdq.hashes.original, pdqQuality: pdq.quality, pdqVariants: variants, updatedAt: new Date() })
      .where(eq(photos.id, photo.id));
    await indexPdqHash(db, photo.id, pdq.hashes.original, pdq.hashes.flipy); // flipy: mirrored left to right
    return { status: 'done' };
  },
};
