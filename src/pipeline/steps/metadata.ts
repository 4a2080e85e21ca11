import { eq, sql } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import type { FaceRegion } from '../../media/face-regions.js';
import { readMetadata } from '../../media/metadata.js';
import { instantOf } from '../../media/instant.js';
import { resolvePlace } from '../../media/places.js';
import type { PipelineStep } from '../step.js';

/** The same people in the same places (to a thousandth of the image). */
function sameRegions(a: readonly FaceRegion[] | null, b: readonly FaceRegion[]): boolean {
  const key = (list: readonly FaceRegion[] | null) =>
    JSON.stringify((list ?? []).map((r) => [r.name, ...[r.box.x, r.box.y, r.box.width, r.box.height].map((v) => Math.round(v * 1000))]));
  return key(a) === key(b);
}

/**
 * EXIF/XMP metadata through exiftool, the sidecar's values winning, and where the photo was taken: the
 * file's own location names, else the nearest town to its GPS position (offline GeoNames), else none.
 * Version 2 added the place, version 3 the people named in face regions; existing libraries redo this step at
 * start to get them. When the named people change, the faces step runs again to put the names on the faces.
 */
export const metadataStep: PipelineStep = {
  name: 'metadata',
  version: '3',
  async run({ photo, db, original, sidecar }) {
    const meta = await readMetadata(await original(), { sidecar: await sidecar() });
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
        faceRegions: meta.faceRegions,
        updatedAt: new Date(),
      })
      .where(eq(photos.id, photo.id));
    // What was not read (a sidecar refused, PNG text too big, keywords past the cap) shows on the step.
    const note = meta.notes && meta.notes.length > 0 ? { note: meta.notes.join('; ') } : {};
    return sameRegions(photo.faceRegions, meta.faceRegions) ? { status: 'done', ...note } : { status: 'done', redo: ['faces'], ...note };
  },
};
