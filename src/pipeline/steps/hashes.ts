import { eq } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import { decodeStoredPixels, labelOf } from '../../media/decode.js';
import { PDQ_DIHEDRAL_NAMES, pdqDihedral } from '../../media/pdq-dihedral.js';
import { indexPdqHash } from '../../library/duplicates/index.js';
import { withTempDir } from '../../media/decoders/tools.js';
import { measureImageFile } from '../../media/image-quality-file.js';
import { decodeForPdq } from '../../media/pdq-file.js';
import type { RawPixels } from '../../media/types.js';
import { extractFrame } from '../../media/video/poster.js';
import { isVideoMime } from '../../model/video.js';
import { derivedKey } from '../../storage/keys.js';
import type { PipelineStep, StepContext } from '../step.js';
import { takeStoredPixels } from './shared.js';

/**
 * PDQ perceptual hash of the stored pixels (no EXIF rotation, as the reference does), with the hashes of the
 * seven other orientations (a mirrored or turned copy is ~128 bits from the original, as far as an unrelated
 * photo), and the lookup keys of the hash and its mirror image's for the duplicate check. SHA-256 is taken at upload.
 * A clip's hash is of its middle frame, not of its poster: a copy of it (re-encoded, scaled down by a messenger) has
 * the same length and so the same middle, where the poster, chosen as the most typical frame, may be another one.
 * Also the sharpness per tile and the exposure of the upright preview (a clip's poster), which choose the best shot.
 */
export const hashesStep: PipelineStep = {
  name: 'hashes',
  version: '3',
  async run(ctx) {
    const { photo, db } = ctx;
    const quality = await measureImageFile(await ctx.localFile(derivedKey(photo.id, 'preview.jpg')));
    // Preprocessing of this lane run decoded them already, unless it ran earlier (a retry of this step alone).
    const poster = takeStoredPixels(ctx);
    if (!poster && photo.pdqHash && photo.pdqVariants && photo.quality === null) {
      // a photo from before the best shot (version 2) whose pixels were not decoded again: its hashes stand, only the
      // preview is measured (a full decode of every photo of an upgraded library would take hours)
      await db.update(photos).set({ quality, updatedAt: new Date() }).where(eq(photos.id, photo.id));
      return { status: 'done' };
    }
    const pixels = (isVideoMime(photo.mime) ? await middleFrame(ctx) : null) ?? poster ?? (await decodeStoredPixels(await ctx.original(), photo.mime));
    const pdq = pdqDihedral(pixels);
    const variants = PDQ_DIHEDRAL_NAMES.filter((name) => name !== 'original').map((name) => pdq.hashes[name]);
    await db
      .update(photos)
      .set({ pdqHash: pdq.hashes.original, pdqQuality: pdq.quality, pdqVariants: variants, quality, updatedAt: new Date() })
      .where(eq(photos.id, photo.id));
    await indexPdqHash(db, photo.id, pdq.hashes.original, pdq.hashes.flipy); // flipy: mirrored left to right
    return { status: 'done' };
  },
};

/** A clip's frame at half its length (as probed by preprocessing, maybe in this lane run); null without one. */
async function middleFrame(ctx: StepContext): Promise<RawPixels | null> {
  const { photo, db } = ctx;
  const [row] = await db.select({ durationMs: photos.durationMs }).from(photos).where(eq(photos.id, photo.id));
  if (!row?.durationMs) return null;
  const original = await ctx.original();
  return withTempDir(async (dir) => {
    // the exact frame (a copy's keyframes are elsewhere), small: PDQ looks at 64×64 of it
    const frame = await extractFrame(original, row.durationMs! / 2, dir, labelOf(photo.filename, photo.mime), ctx.video, {
      name: 'middle.png',
      maxSide: 512,
    }).catch(() => null);
    return frame ? decodeForPdq(frame) : null; // no ffmpeg, or no frame there: the poster's
  });
}
