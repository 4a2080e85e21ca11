import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { and, eq, sql } from 'drizzle-orm';
import { photoSteps, photos } from '../../db/schema.js';
import type { FaceRegion } from '../../media/face-regions.js';
import { readMetadata } from '../../media/metadata.js';
import { dateInFileName } from '../../media/file-name-date.js';
import { instantOf } from '../../media/instant.js';
import { resolvePlace } from '../../media/places.js';
import { stackKeys } from '../../library/stacks/index.js';
import type { PipelineStep } from '../step.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { derivedMotionKey, derivedPrefix } from '../../storage/keys.js';
import { pairLivePhoto } from '../../library/live-photos/index.js';
import { stopWork } from '../../base/running-work.js';
import type { ByteRange } from '../../media/motion-photo.js';
import { isVideoMime, type MotionInfo } from '../../model/video.js';
import { formatBytes } from '../../model/byte-size.js';
import { withTempDir } from '../../media/decoders/tools.js';

/** The same people in the same places (to a thousandth of the image). */
function sameRegions(a: readonly FaceRegion[] | null, b: readonly FaceRegion[]): boolean {
  const key = (list: readonly FaceRegion[] | null) =>
    JSON.stringify((list ?? []).map((r) => [r.name, ...[r.box.x, r.box.y, r.box.width, r.box.height].map((v) => Math.round(v * 1000))]));
  return key(a) === key(b);
}

function sameNames(a: readonly string[] | null, b: readonly string[]): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b);
}

/**
 * EXIF/XMP metadata through exiftool, the sidecar's values winning, and where the photo was taken: the
 * file's own location names, else the nearest town to its GPS position (offline GeoNames), else none.
 * Version 2 added the place, version 3 the people named in face regions, version 4 a motion photo's video, version 5
 * a Live Photo's content identifier; existing libraries redo this step at start to get them. The keys that stack a
 * photo (library/stacks/rules.ts) and the people a file names without a place (PersonInImage, a Takeout sidecar's
 * people[]) came without a new version: the duplicates step makes a photo's name keys where it has none, and
 * `shoebox reprocess --step metadata` reads Apple's burst identifiers and those names for photos from before; so
 * with the file's encoding and lineage (media/file-facts.ts: lossless or not, maker notes, the software that wrote
 * it), which the duplicates' rules read by the format alone until then. When
 * the named people change, the faces step runs again to put the names on the faces. A Live Photo's second half to
 * arrive folds the MOV into the still (library/live-photos/live-photos.ts).
 */
export const metadataStep: PipelineStep = {
  name: 'metadata',
  version: '5',
  async run({ photo, db, storage, original, sidecar }) {
    const file = await original();
    const meta = await readMetadata(file, { sidecar: await sidecar() });
    const place = await resolvePlace(meta.place, meta);
    // a favourite mark in the file is taken when the photo arrives (an export read back); then the favourite is the user's
    const [previous] = meta.favorite
      ? await db
          .select({ finishedAt: photoSteps.finishedAt })
          .from(photoSteps)
          .where(and(eq(photoSteps.photoId, photo.id), eq(photoSteps.step, 'metadata')))
      : [];
    const arriving = meta.favorite === true && !previous?.finishedAt;
    // a Live Photo's MOV, folded in, is not in the still's file: it stays
    const motion =
      isVideoMime(photo.mime) || photo.motion?.source === 'live'
        ? { info: photo.motion, note: null }
        : await keepMotion(storage, photo.id, file, meta.motion ?? null);
    const takenAtText = meta.takenAt ?? dateInFileName(photo.filename);
    await db
      .update(photos)
      .set({
        // the file's own date, else one its name carries (a screenshot, a WhatsApp copy), else the file's time
        takenAt: instantOf(takenAtText) ?? photo.fileModifiedAt,
        takenAtText,
        timeZone: meta.timeZone,
        // the user's position (set on the map) outlives a reprocess, with its place names
        latitude: sql`case when ${photos.locationByUser} then ${photos.latitude} else ${meta.latitude}::float8 end`,
        longitude: sql`case when ${photos.locationByUser} then ${photos.longitude} else ${meta.longitude}::float8 end`,
        orientation: meta.orientation,
        make: meta.make,
        model: meta.model,
        lens: meta.lens,
        // The file's rating, unless the user rated the photo (or cleared its rating): theirs outlives a reprocess.
        rating: sql`case when ${photos.ratingByUser} then ${photos.rating} else ${meta.rating}::int end`,
        keywords: meta.keywords,
        description: meta.description,
        ...(arriving ? { favorite: true } : {}),
        placeCity: sql`case when ${photos.locationByUser} then ${photos.placeCity} else ${place?.city ?? null} end`,
        placeState: sql`case when ${photos.locationByUser} then ${photos.placeState} else ${place?.state ?? null} end`,
        placeCountry: sql`case when ${photos.locationByUser} then ${photos.placeCountry} else ${place?.country ?? null} end`,
        placeCountryCode: sql`case when ${photos.locationByUser} then ${photos.placeCountryCode} else ${place?.countryCode ?? null} end`,
        placeSource: sql`case when ${photos.locationByUser} then ${photos.placeSource} else ${place?.source ?? null} end`,
        faceRegions: meta.faceRegions,
        peopleNamed: meta.peopleNamed.length > 0 ? meta.peopleNamed : null,
        liveId: meta.liveId ?? null,
        stackKeys: stackKeys({ filename: photo.filename, mime: photo.mime, burstId: meta.burstId }),
        encoding: meta.encoding,
        lineage: meta.lineage,
        // a motion photo's video found again is left as it is (the transcode step may be writing what it probed of it),
        // and so is a Live Photo's MOV folded in meanwhile (by the MOV's own metadata step: never written over)
        ...(motion.info && photo.motion?.bytes === motion.info.bytes
          ? {}
          : {
              motion: sql`case when ${photos.motion}->>'source' = 'live' then ${photos.motion} else ${motion.info ? JSON.stringify(motion.info) : null}::jsonb end`,
            }),
        updatedAt: new Date(),
      })
      .where(eq(photos.id, photo.id));
    // What was not read (a sidecar refused, PNG text too big, keywords past the cap) shows on the step.
    const notes = [...(meta.notes ?? []), ...(motion.note ? [motion.note] : [])];
    const note = notes.length > 0 ? { note: notes.join('; ') } : {};
    const live = meta.liveId ? await pairLivePhoto(db, photo.id) : null;
    if (live) {
      stopWork(live.clip, 'the clip became part of its Live Photo'); // its own steps, running here, end now
      await storage.removePrefix(derivedPrefix(live.clip));
    }
    // this photo was the MOV: it is now the still's motion, and the still has its motion to make playable
    if (live?.clip === photo.id) return { status: 'done', others: [live.still], note: `part of the Live Photo ${live.still}` };
    // faces when other people are named; the playable copy when the motion video came or went
    const redo = [
      ...(sameRegions(photo.faceRegions, meta.faceRegions) && sameNames(photo.peopleNamed, meta.peopleNamed) ? [] : ['faces' as const]),
      ...(live || (photo.motion?.bytes ?? null) !== (motion.info?.bytes ?? null) ? ['transcode' as const] : []),
    ];
    return redo.length > 0 ? { status: 'done', redo, ...note } : { status: 'done', ...note };
  },
};

/** The largest embedded video kept (phones write 1–10 MB; a few seconds of 4K HEVC is ~30 MB). */
const MAX_MOTION_BYTES = 256 * 1024 * 1024;

/**
 * Keeps a motion photo's embedded MP4 as a derived file (the original stays as it is; the bytes are copied, never
 * held in memory), or removes one kept before when the file has none now. A range that holds no MP4 is said in a
 * note, and the photo stays a still.
 */
async function keepMotion(
  storage: BlobStore,
  photoId: string,
  file: string,
  range: ByteRange | null,
): Promise<{ info: MotionInfo | null; note: string | null }> {
  const key = derivedMotionKey(photoId);
  const none = async (note: string | null) => {
    await storage.remove(key);
    return { info: null, note };
  };
  if (!range) return none(null);
  if (range.length > MAX_MOTION_BYTES) return none(`embedded video of ${formatBytes(range.length)} not kept (over ${formatBytes(MAX_MOTION_BYTES)})`);
  const handle = await open(file, 'r');
  const head = Buffer.alloc(8);
  try {
    await handle.read(head, 0, 8, range.offset);
  } finally {
    await handle.close();
  }
  if (head.toString('latin1', 4, 8) !== 'ftyp') return none('the file says it holds a motion video, but there is no MP4 where it says');
  await withTempDir(async (dir) => {
    const copy = path.join(dir, 'motion.mp4');
    await pipeline(createReadStream(file, { start: range.offset, end: range.offset + range.length - 1 }), createWriteStream(copy));
    await storage.putFile(key, copy, { move: true });
  });
  return { info: { source: 'embedded', bytes: range.length }, note: null };
}
