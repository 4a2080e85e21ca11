import { photoEmbeddings } from '../../db/schema.js';
import { ensureEmbeddingDimensions } from '../../db/vectors.js';
import type { PipelineStep } from '../step.js';
import { derivedKey } from '../../storage/keys.js';
import { centroid } from '../../ml/people/vectors.js';
import { videoFrames } from './keyframes.js';

/**
 * CLIP image embedding of the preview (upright, ≤1440 px: CLIP looks at 224 px anyway). A video's is the mean of its
 * poster's and its frames' (./keyframes.ts), made unit length again — mean pooling, as CLIP4Clip found as good as
 * anything learned for finding clips by text — so that it is found by what happens anywhere in it.
 */
export const embeddingsStep: PipelineStep = {
  name: 'embeddings',
  version: '1',
  async modelVersion(ml) {
    return ml.clipVersion();
  },
  async run(ctx) {
    const { photo, db, ml, localFile } = ctx;
    const clip = await ml.clip();
    if (!clip) return { status: 'skipped', reason: await ml.clipMissingReason() };
    const images = [await localFile(derivedKey(photo.id, 'preview.jpg')), ...(await videoFrames(ctx))];
    const embeddings: Float32Array[] = [];
    for (const image of images) {
      await ctx.giveWay(); // a clip's frames: photos' embeddings first
      embeddings.push(await clip.embedImage(image));
    }
    const embedding = centroid(embeddings);
    await ensureEmbeddingDimensions(db, clip.dimensions);
    const values = Array.from(embedding);
    await db
      .insert(photoEmbeddings)
      .values({ photoId: photo.id, model: clip.version, embedding: values })
      .onConflictDoUpdate({ target: photoEmbeddings.photoId, set: { model: clip.version, embedding: values, createdAt: new Date() } });
    return { status: 'done' };
  },
};
