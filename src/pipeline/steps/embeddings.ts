import { photoEmbeddings } from '../../db/schema.js';
import { ensureEmbeddingDimensions } from '../../db/vectors.js';
import type { PipelineStep } from '../step.js';
import { derivedKey } from '../../storage/keys.js';

/** CLIP image embedding of the preview (upright, ≤1440 px: CLIP looks at 224 px anyway). */
export const embeddingsStep: PipelineStep = {
  name: 'embeddings',
  version: '1',
  async modelVersion(ml) {
    return ml.clipVersion();
  },
  async run({ photo, db, ml, localFile }) {
    const clip = await ml.clip();
    if (!clip) return { status: 'skipped', reason: ml.clipMissingReason() };
    const embedding = await clip.embedImage(await localFile(derivedKey(photo.id, 'preview.jpg')));
    await ensureEmbeddingDimensions(db, clip.dimensions);
    const values = Array.from(embedding);
    await db
      .insert(photoEmbeddings)
      .values({ photoId: photo.id, model: clip.version, embedding: values })
      .onConflictDoUpdate({ target: photoEmbeddings.photoId, set: { model: clip.version, embedding: values, createdAt: new Date() } });
    return { status: 'done' };
  },
};
