import { eq } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import { readMetadata } from '../../media/metadata.js';
import { instantOf } from '../../media/instant.js';
import type { PipelineStep } from '../step.js';

/** EXIF/XMP metadata through exiftool, the sidecar's values winning. */
export const metadataStep: PipelineStep = {
  name: 'metadata',
  version: '1',
  async run({ photo, db, originalPath, sidecarPath }) {
    const meta = await readMetadata(originalPath, { sidecar: sidecarPath });
    await db
      .update(photos)
      .set({
        takenAt: instantOf(meta.takenAt) ?? photo.fileModifiedAt,
        takenAtText: meta.takenAt,
        timeZone: meta.timeZone,
        latitude: meta.latitude,
        longitude: meta.longitude,
        orientation: meta.orientation,
        make: meta.make,
        model: meta.model,
        lens: meta.lens,
        rating: meta.rating,
        keywords: meta.keywords,
        description: meta.description,
        updatedAt: new Date(),
      })
      .where(eq(photos.id, photo.id));
    return { status: 'done' };
  },
};
