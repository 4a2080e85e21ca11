import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { faces, photos, type FaceRow } from '../../db/schema.js';
import { applyRegionNames, clusterNewFaces, type NamedFace, placePeopleNamed, recogniseLikeThese } from '../../library/people/index.js';
import { forSystemRows } from '../../library/actors.js';
import { boxIou } from '../../ml/geometry.js';
import { matchRegionsToFaces, regionsOfTheirOwn } from '../../ml/faces/region-match.js';
import type { Box, DetectedFace } from '../../ml/types.js';
import { activeEdit, sameEdit, toEdited } from '../../model/photo-edit.js';
import { distinctFaces } from '../../ml/faces/distinct.js';
import { faceSharpness } from '../../ml/faces/face-quality.js';
import { refreshBestShots } from '../../library/duplicates/index.js';
import { refreshStackCovers } from '../../library/stacks/index.js';
import { decodeGrey } from '../../media/image-quality-file.js';
import { resolveClusteringParams } from '../../ml/people/params.js';
import { isVideoMime } from '../../model/video.js';
import type { PipelineStep } from '../step.js';
import { videoFrames } from './keyframes.js';
import { refreshSearchDocuments } from '../../search/documents.js';
import { derivedKey, faceThumbnailKey } from '../../storage/keys.js';

/** How many times names found by elimination are followed to the photos they are recognised in, in one run. */
const MAX_NAMING_ROUNDS = 3;

/** Recorded as the detector of a face the detector missed but the file names (a face region). */
export const FILE_REGION_DETECTOR = 'file-region';

interface Found {
  face: DetectedFace;
  detector: string;
  /** The person a face region of the file names for it. */
  regionName: string | null;
  /** The image it was found on: the preview, or one of a clip's frames. */
  image: string;
}

/**
 * Faces on the upright preview (and a clip's frames), with boxes in upright pixels of the original, a face thumbnail and the
 * identity embedding. People the file names in its face regions (read by the metadata step) are put on the faces
 * they frame, or on faces of their own where the detector found none; those count as the user's own. A name the file
 * gives without a place goes on the one face left unnamed when it is the one name left (library/people/hints.ts). Every other
 * new face is clustered into a person, and faces elsewhere that look like the named ones are recognised. Running
 * again keeps the faces it finds again (same id, same person, same "not this person" answers) so that user
 * decisions survive a reprocess.
 */
export const facesStep: PipelineStep = {
  name: 'faces',
  // not bumped for the faces' focus (a library upgraded keeps its faces: redetecting 100k photos takes a day here); a
  // face found before it was measured counts as unmeasured in the best shot until the step runs again
  version: '1',
  async modelVersion(ml) {
    return ml.facesVersion();
  },
  async run(ctx) {
    const { photo, db, storage, ml, localFile } = ctx;
    // turned off: faces and people found before stay (turning it on again looks at every photo recorded so)
    const off = ml.facesOff();
    if (off) return { status: 'skipped', reason: off };
    if (!photo.width || !photo.height) throw new Error('the photo has no dimensions; run preprocessing first');
    const upright = { width: photo.width, height: photo.height };
    const preview = await localFile(derivedKey(photo.id, 'preview.jpg'));
    const detector = await ml.faces();
    // a clip's people are looked for in its frames too (./keyframes.ts), each person kept once, on the frame that
    // shows them best (their thumbnail is cut from it)
    const seen: { face: DetectedFace; image: string }[] = [];
    for (const image of [preview, ...(await videoFrames(ctx))]) {
      await ctx.giveWay(); // a clip's frames: photos' faces first
      for (const face of await detector.detect(image, upright)) seen.push({ face, image });
    }
    const people = seen.length > 1 && isVideoMime(photo.mime) ? distinctFaces(seen, resolveClusteringParams(ml.peopleParams()).maxDistance) : seen;
    const detected = people.map(({ face }) => face);
    const imageOf = people.map(({ image }) => image);

    // Named regions: on the face they frame, or described where the detector saw none.
    // regions are on the upright original: on the edited image they are turned and cropped (or cropped away)
    const regions = (photo.faceRegions ?? []).flatMap((region) => {
      const box = toEdited(region.box, activeEdit(photo.edit));
      return box ? [{ name: region.name, box: toPixels(box, upright) }] : [];
    });
    const matched = matchRegionsToFaces(
      regions.map((r) => r.box),
      detected.map((f) => f.box),
    );
    const nameOf = new Map<number, string>();
    for (const [region, face] of matched) nameOf.set(face, regions[region]!.name);
    const missed = regionsOfTheirOwn(
      regions.map((r) => r.box),
      detected.map((f) => f.box),
      matched,
    ).map((index) => regions[index]!);
    const descriptors = await detector.describe(
      preview,
      upright,
      missed.map((r) => r.box),
    );
    const found: Found[] = [
      ...detected.map((face, index) => ({ face, detector: detector.version, regionName: nameOf.get(index) ?? null, image: imageOf[index]! })),
      ...missed.map((region, k) => ({
        face: { box: region.box, score: 0, landmarks: null, embedding: descriptors[k]! },
        detector: FILE_REGION_DETECTOR,
        regionName: region.name,
        image: preview,
      })),
    ];

    // Paired with the stored faces and their thumbnails written first (as before), then the rows written in one
    // short transaction under the photo's row lock, only if its edit is still the one the faces were found on: an
    // edit saved meanwhile moved the stored faces into its frame and asked for this step again (this run's result
    // is dropped by the runner), so boxes of the old frame must not be written over them.
    const previous = await db.select().from(faces).where(eq(faces.photoId, photo.id));
    const matches = matchFaces(previous, found);
    const focus = await facesFocus(found, upright);
    const planned = found.map((entry, index) => {
      const old = matches.get(index) ?? null;
      return { ...entry, old, id: old?.id ?? randomUUID(), sharpness: focus[index]! };
    });
    for (const { id, face, image } of planned) await storage.put(faceThumbnailKey(photo.id, id), await ml.faceThumbnail(image, face.box, upright));
    const keptIds = new Set(planned.flatMap(({ old }) => (old ? [old.id] : [])));
    const gone = previous.filter((f) => !keptIds.has(f.id));
    const written = await db.transaction(async (tx) => {
      const [row] = await tx.select({ edit: photos.edit }).from(photos).where(eq(photos.id, photo.id)).for('update');
      if (!row || !sameEdit(activeEdit(row.edit), activeEdit(photo.edit))) return false;
      for (const { face, detector: by, old, id, sharpness } of planned) {
        const values = {
          x: face.box.x,
          y: face.box.y,
          width: face.box.width,
          height: face.box.height,
          score: face.score,
          landmarks: face.landmarks,
          sharpness,
          eyesOpen: face.eyesOpen ?? null,
          embedding: Array.from(face.embedding),
          detector: by,
          thumbnailKey: faceThumbnailKey(photo.id, id),
        };
        if (old) await tx.update(faces).set(values).where(eq(faces.id, id));
        else await tx.insert(faces).values({ id, photoId: photo.id, ...values });
      }
      if (gone.length > 0) {
        await tx.delete(faces).where(
          inArray(
            faces.id,
            gone.map((f) => f.id),
          ),
        );
      }
      return true;
    });
    if (!written) {
      for (const { old, id } of planned) if (!old) await storage.remove(faceThumbnailKey(photo.id, id));
      return { status: 'done', note: 'the photo was edited while its faces were found: found again on the edited image' };
    }
    for (const face of gone) if (face.thumbnailKey) await storage.remove(face.thumbnailKey);
    // faces in focus and in the frame are part of the best shot of a duplicate group or burst the photo is in
    await refreshBestShots(db, [photo.id]);
    await refreshStackCovers(db, [photo.id]);
    const named: NamedFace[] = planned.flatMap(({ regionName, id }) => (regionName ? [{ faceId: id, name: regionName }] : []));
    // An automatic assignment is redone with the new embedding; a user's stays; one from the file follows it.
    const toCluster = planned
      .filter(({ regionName, old }) => !regionName && (!old || old.assignedBy !== 'user' || old.regionName !== null))
      .map(({ id }) => id);
    const params = ml.peopleParams();
    const owner = forSystemRows(db, photo.ownerId);
    const fromRegions = await applyRegionNames(owner, named, toCluster);
    if (toCluster.length > 0 || gone.length > 0) {
      await clusterNewFaces(
        owner,
        toCluster,
        params,
        gone.flatMap((face) => (face.personId ? [face.personId] : [])),
      );
    }
    // the people the file names without a place: the one left goes on the one face left (library/people/hints.ts)
    let namedIds = [...fromRegions, ...(await placePeopleNamed(owner, [photo.id]))];
    // Other photos whose faces now carry these names are found by them (this photo's row is written at settle), and
    // a photo of theirs that names two people, one now recognised, gets the other by elimination; a few rounds at most.
    for (let round = 0; round < MAX_NAMING_ROUNDS && namedIds.length > 0; round++) {
      const recognised = (await recogniseLikeThese(owner, namedIds, params, { joinUnnamed: true })).filter((id) => id !== photo.id);
      namedIds = await placePeopleNamed(owner, recognised);
      await refreshSearchDocuments(db, recognised); // once, with the names recognised and placed
    }
    return { status: 'done' };
  },
};

/** Each face's focus, measured on the image it was found on (each image decoded to grey once). */
async function facesFocus(found: readonly Found[], upright: { width: number; height: number }): Promise<number[]> {
  const greys = new Map<string, ReturnType<typeof decodeGrey>>();
  const focus: number[] = [];
  for (const { face, image } of found) {
    if (!greys.has(image)) greys.set(image, decodeGrey(image));
    const grey = await greys.get(image)!;
    const sx = grey.width / upright.width;
    const sy = grey.height / upright.height;
    const box = { x: face.box.x * sx, y: face.box.y * sy, width: face.box.width * sx, height: face.box.height * sy };
    focus.push(faceSharpness(grey.data, grey.width, grey.height, box));
  }
  return focus;
}

/** A region's box (fractions of the upright image) in upright pixels. */
function toPixels(box: Box, upright: { width: number; height: number }): Box {
  return { x: box.x * upright.width, y: box.y * upright.height, width: box.width * upright.width, height: box.height * upright.height };
}

/** Pairs newly found faces with stored ones by box overlap (IoU ≥ 0.5), best pairs first. */
function matchFaces(previous: FaceRow[], found: Found[]): Map<number, FaceRow> {
  const pairs: { index: number; face: FaceRow; iou: number }[] = [];
  for (const [index, { face }] of found.entries()) {
    for (const old of previous) {
      const iou = boxIou(face.box, { x: old.x, y: old.y, width: old.width, height: old.height });
      if (iou >= 0.5) pairs.push({ index, face: old, iou });
    }
  }
  pairs.sort((a, b) => b.iou - a.iou);
  const result = new Map<number, FaceRow>();
  const used = new Set<string>();
  for (const pair of pairs) {
    if (result.has(pair.index) || used.has(pair.face.id)) continue;
    result.set(pair.index, pair.face);
    used.add(pair.face.id);
  }
  return result;
}
