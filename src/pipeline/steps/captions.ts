import { desc, eq } from 'drizzle-orm';
import { isVideoMime } from '../../model/video.js';
import { photoCaptions, photoTags } from '../../db/schema.js';
import { fallbackCaption } from '../../ml/captions/index.js';
import type { CaptionResult } from '../../ml/types.js';
import type { PipelineStep } from '../step.js';
import { derivedKey } from '../../storage/keys.js';

/**
 * A caption and structured fields from the configured vision-language endpoint; without one, a caption
 * composed from the tags, marked `fallback`. An endpoint that is down fails this step only (retryable).
 */
export const captionsStep: PipelineStep = {
  name: 'captions',
  version: '1',
  async modelVersion(ml) {
    return ml.captionVersion();
  },
  async run({ photo, db, ml, localFile }) {
    const tags = await db
      .select({ name: photoTags.tag, confidence: photoTags.confidence })
      .from(photoTags)
      .where(eq(photoTags.photoId, photo.id))
      .orderBy(desc(photoTags.confidence));
    const provider = ml.captionProvider();
    const result: CaptionResult = provider
      ? await provider.describe({ image: await localFile(derivedKey(photo.id, 'preview.jpg')), tags, filename: photo.filename })
      : withOwnDescription(
          fallbackCaption(tags, {
            takenAt: photo.takenAtText ?? undefined,
            camera: [photo.make, photo.model].filter(Boolean).join(' ') || undefined,
            noun: isVideoMime(photo.mime) ? 'Video' : 'Photo',
          }),
          tags.length === 0 ? photo.description : null,
        );
    const values = {
      caption: result.caption,
      description: result.description,
      primaryCategory: result.primaryCategory,
      tags: result.tags,
      detectedObjects: result.detectedObjects,
      sceneType: result.sceneType,
      suggestedClusterName: result.suggestedClusterName,
      qualityGrade: result.qualityGrade,
      qualityReason: result.qualityReason,
      source: result.source,
      model: result.model,
    };
    await db
      .insert(photoCaptions)
      .values({ photoId: photo.id, ...values })
      .onConflictDoUpdate({ target: photoCaptions.photoId, set: { ...values, createdAt: new Date() } });
    return { status: 'done' };
  },
};

/**
 * Without tags, a description the photographer wrote (EXIF/XMP/IPTC) says more than a date: its first
 * sentence becomes the caption, the whole text the description. Still marked `fallback`.
 */
function withOwnDescription(result: CaptionResult, description: string | null): CaptionResult {
  const text = description?.replace(/\s+/g, ' ').trim();
  if (!text) return result;
  const first = /^.{10,300}?[.!?](?=\s|$)/.exec(text)?.[0] ?? (text.length > 300 ? `${text.slice(0, 299)}…` : text);
  return { ...result, caption: first, description: text };
}
