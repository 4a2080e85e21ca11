import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { faces, type FaceRow } from '../../db/schema.js';
import { clusterNewFaces } from '../../library/people-clustering.js';
import { boxIou } from '../../ml/geometry.js';
import type { DetectedFace } from '../../ml/types.js';
import type { PipelineStep } from '../step.js';

/**
 * Faces on the upright preview, with boxes in upright pixels of the original, a face thumbnail and the
 * identity embedding; then each new face is clustered into a person. Running again keeps the faces it finds
 * again (same id, same person, same "not this person" answers) so that user decisions survive a reprocess.
 */
export const facesStep: PipelineStep = {
  name: 'faces',
  version: '1',
  async modelVersion(ml) {
    return ml.facesVersion();
  },
  async run({ photo, db, storage, ml }) {
    if (!photo.width || !photo.height) throw new Error('the photo has no dimensions; run preprocessing first');
    const preview = storage.absolute(storage.derivedKey(photo.id, 'preview.jpg'));
    const detector = await ml.faces();
    const found = await detector.detect(preview, { width: photo.width, height: photo.height });
    const previous = await db.select().from(faces).where(eq(faces.photoId, photo.id));
    const matches = matchFaces(previous, found);

    const keptIds = new Set<string>();
    const newIds: string[] = [];
    for (const [index, face] of found.entries()) {
      const old = matches.get(index);
      const id = old?.id ?? randomUUID();
      const thumbnailKey = storage.faceThumbnailKey(photo.id, id);
      await storage.writeKey(thumbnailKey, await ml.faceThumbnail(preview, face.box, { width: photo.width, height: photo.height }));
      const values = {
        x: face.box.x,
        y: face.box.y,
        width: face.box.width,
        height: face.box.height,
        score: face.score,
        landmarks: face.landmarks,
        embedding: Array.from(face.embedding),
        detector: detector.version,
        thumbnailKey,
      };
      if (old) {
        await db.update(faces).set(values).where(eq(faces.id, id));
        keptIds.add(id);
        // An automatic assignment is redone with the new embedding; a user's stays.
        if (old.assignedBy !== 'user') newIds.push(id);
      } else {
        await db.insert(faces).values({ id, photoId: photo.id, ...values });
        newIds.push(id);
      }
    }
    const gone = previous.filter((f) => !keptIds.has(f.id));
    if (gone.length > 0) {
      await db.delete(faces).where(inArray(faces.id, gone.map((f) => f.id)));
      for (const face of gone) if (face.thumbnailKey) await storage.remove(face.thumbnailKey);
    }
    if (newIds.length > 0 || gone.length > 0) await clusterNewFaces(db, photo.ownerId, newIds, ml.peopleParams());
    return { status: 'done' };
  },
};

/** Pairs newly found faces with stored ones by box overlap (IoU ≥ 0.5), best pairs first. */
function matchFaces(previous: FaceRow[], found: DetectedFace[]): Map<number, FaceRow> {
  const pairs: { index: number; face: FaceRow; iou: number }[] = [];
  for (const [index, face] of found.entries()) {
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
