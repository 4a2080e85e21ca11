import { eq } from 'drizzle-orm';
import { photoObjects } from '../../db/schema.js';
import { OBJECTS_VERSION } from '../../ml/objects/index.js';
import type { PipelineStep } from '../step.js';
import { TURNED_OFF } from '../../model/photo-state.js';
import { refreshSearchDocuments } from '../../search/documents.js';
import { derivedKey } from '../../storage/keys.js';

/**
 * Objects (COCO's 80 classes) on the upright preview, a clip's poster for a video, with boxes in upright pixels of the
 * original: the preview is read, never the original decoded again. Their classes become tags in the search rows.
 */
export const objectsStep: PipelineStep = {
  name: 'objects',
  version: '1',
  async modelVersion(ml) {
    // `off` while a setting turns the step off: a photo recorded so is looked at once it is on again
    return ml.objectsOff() ? TURNED_OFF : OBJECTS_VERSION;
  },
  async run({ photo, db, ml, localFile }) {
    const off = ml.objectsOff();
    if (off) return { status: 'skipped', reason: off };
    if (!photo.width || !photo.height) throw new Error('the photo has no dimensions; run preprocessing first');
    const preview = await localFile(derivedKey(photo.id, 'preview.jpg'));
    const found = await ml.objects().objects(preview, { width: photo.width, height: photo.height });
    await db.transaction(async (tx) => {
      await tx.delete(photoObjects).where(eq(photoObjects.photoId, photo.id));
      if (found.length === 0) return;
      await tx
        .insert(photoObjects)
        .values(found.map((o) => ({ photoId: photo.id, label: o.label, confidence: o.confidence, ...o.box, model: OBJECTS_VERSION })));
    });
    await refreshSearchDocuments(db, [photo.id]);
    return { status: 'done' };
  },
};
