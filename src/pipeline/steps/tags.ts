import { eq } from 'drizzle-orm';
import { photoEmbeddings, photoTags } from '../../db/schema.js';
import type { PipelineStep } from '../step.js';

/**
 * Zero-shot tags: the photo's CLIP embedding against the vocabulary's text embeddings. No model runs here
 * beyond the (cached) vocabulary, so it is cheap; categories follow from the tags at query time.
 */
export const tagsStep: PipelineStep = {
  name: 'tags',
  version: '1',
  async modelVersion(ml) {
    return ml.clipVersion();
  },
  async run({ photo, db, ml }) {
    const tagger = await ml.tagger();
    if (!tagger) return { status: 'skipped', reason: await ml.clipMissingReason() };
    const [row] = await db.select({ embedding: photoEmbeddings.embedding }).from(photoEmbeddings).where(eq(photoEmbeddings.photoId, photo.id));
    if (!row) throw new Error('the photo has no CLIP embedding; run the embeddings step first');
    const tags = tagger.tag(Float32Array.from(row.embedding));
    await db.transaction(async (tx) => {
      await tx.delete(photoTags).where(eq(photoTags.photoId, photo.id));
      if (tags.length > 0) {
        await tx.insert(photoTags).values(tags.map((t) => ({ photoId: photo.id, tag: t.name, confidence: t.confidence, source: 'clip' })));
      }
    });
    return { status: 'done' };
  },
};
