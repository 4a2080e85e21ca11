import { eq, sql } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import { readMetadata } from '../../media/metadata.js';
import { instantOf } from '../../media/instant.js';
import { resolvePlace } from '../../media/places.js';
import type { PipelineStep } from '../step.js';

/**
 * EXIF/XMP metadata through exiftool, the sidecar's values winning, and where the photo was taken: the
 * file's own location names, else the nearest town to its GPS position (offline GeoNames), else none.
 * Version 2 added the place; existing libraries redo this step at start to get one.
 */
export const metadataStep: PipelineStep = {
  name: 'metadata',
  version: '2',
  async run({ photo, db, originalPath, sidecarPath }) {
    const meta = await readMetadata(originalPath, { sidecar: sidecarPath });
    const place = await resolvePlace(meta.place, meta);
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
        // The file's rating, unless the user rated the photo (or cleared its rating): theirs outlives a reprocess.
        rating: sql`case when ${photos.ratingByUser} then ${photos.rating} else ${meta.rating}::int end`,
        keywords: meta.keywords,
        description: meta.description,
        placeCity: place?.city ?? null,
        placeState: place?.state ?? null,
        placeCountry: place?.country ?? null,
        placeCountryCode: place?.countryCode ?? null,
        placeSource: place?.source ?? null,
        updatedAt: new Date(),
      })
      .where(eq(photos.id, photo.id));
    return { status: 'done' };
  },
};
