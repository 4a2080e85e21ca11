// Rotate and crop, without touching the original: the edit is stored on the photo, its faces are moved onto the
// edited image at once (so that the faces step finds them again and keeps who they are), and the photo is
// analysed again from its renditions on: thumbnail, preview, faces, tags, text, everything search reads.
import { and, eq, inArray } from 'drizzle-orm';
import { isVideoMime } from '../../model/video.js';
import { faces, photos, photoSteps } from '../../db/schema.js';
import { UserError } from '../../base/errors.js';
import { withDependents } from '../../model/photo-state.js';
import {
  activeEdit,
  editedSize,
  fromEdited,
  normaliseEdit,
  sameEdit,
  toEdited,
  type PhotoEdit,
  type StoredEdit,
  type UnitBox,
} from '../../model/photo-edit.js';
import { writeBackDue } from '../write-back/write-back.js';
import type { Library } from '../library.js';
import { queuePhotos } from '../photos/door.js';
import { findPhoto } from '../photos/photos.js';
import { mayChange } from '../actors.js';

/** Where a face cropped away is put: off the image (as fractions), overlapping nothing the detector finds. */
const OUTSIDE = { x: -2, y: -2, width: 0.01, height: 0.01 };

export interface EditAnswer {
  id: string;
  edit: PhotoEdit | null;
  width: number;
  height: number;
  state: string;
  /** Whether anything changed (false: the photo had this edit already). */
  changed: boolean;
}

/**
 * Sets a photo's edit (null: back to the original), also before the photo is decoded (its renditions are then made
 * with it). Null when the photo is not the user's own (a 404).
 */
export async function setPhotoEdit(lib: Library, id: string, wanted: { rotate?: number; crop?: UnitBox | null } | null): Promise<EditAnswer | null> {
  mayChange(lib);
  if (!(await findPhoto(lib, id))) return null; // the owner's, through the library's scope
  const next = wanted ? normaliseEdit(wanted) : null;
  const answer = await lib.db.transaction(async (tx) => {
    // the photo's row locked: two saves at once apply one after the other, each from the edit the other left
    const [photo] = await tx.select().from(photos).where(eq(photos.id, id)).for('update');
    if (!photo || photo.deletedAt) return null;
    if (isVideoMime(photo.mime)) throw new UserError('conflict', 'a video is not rotated or cropped here: its player turns it as the file says');
    const current = activeEdit(photo.edit);
    if (sameEdit(current, next)) return { id, edit: current, width: photo.width ?? 0, height: photo.height ?? 0, state: photo.state, changed: false };
    const steps = withDependents('preprocessing');
    const reset = () =>
      tx
        .update(photoSteps)
        .set({ status: 'pending', error: null })
        .where(and(eq(photoSteps.photoId, id), inArray(photoSteps.step, steps)));
    if (!photo.thumbnailAt) {
      // not decoded yet (an export's photo, edited as it is imported): no face or rendition to move; preprocessing
      // makes the renditions with the edit and sets its base, the upright original's size (a run under way is reset)
      const edit: StoredEdit = { ...(next ?? { rotate: 0, crop: null }), base: photo.edit?.base ?? { width: 0, height: 0 } };
      await tx.update(photos).set({ edit, state: 'pending', updatedAt: new Date() }).where(eq(photos.id, id));
      await reset();
      return { id, edit: next, width: photo.width ?? 0, height: photo.height ?? 0, state: 'pending', changed: true };
    }
    const base = photo.edit?.base ?? (photo.width && photo.height ? { width: photo.width, height: photo.height } : null);
    if (!base) throw new UserError('conflict', 'the photo has no size: it could not be decoded');
    const size = editedSize(base, next);
    // a faces run under way meanwhile finds this edit under the same row lock before it writes, and writes nothing
    // (steps/faces.ts): the faces moved here stay, and the step runs again on the edited image

    // the faces where they are on the edited image: the faces step pairs what it finds with them by overlap. A
    // face cropped away is put outside the image, where nothing found overlaps it (left in the old frame it could
    // pass its person to another face): the faces step then removes it as gone, with its thumbnail and person.
    const before = editedSize(base, current);
    const rows = await tx.select().from(faces).where(eq(faces.photoId, id));
    for (const face of rows) {
      const unit = { x: face.x / before.width, y: face.y / before.height, width: face.width / before.width, height: face.height / before.height };
      const moved = toEdited(fromEdited(unit, current), next) ?? OUTSIDE;
      await tx
        .update(faces)
        .set({ x: moved.x * size.width, y: moved.y * size.height, width: moved.width * size.width, height: moved.height * size.height })
        .where(eq(faces.id, face.id));
    }
    // what write-back takes out of the sidecar: a turn or a crop this edit no longer has
    const clears = {
      orientation: Boolean(current && current.rotate !== 0) && (next?.rotate ?? 0) === 0,
      crop: Boolean(current?.crop) && !next?.crop,
    };
    await tx
      .update(photos)
      // taken back: kept as no turn and no crop, so that write-back clears it from the sidecar too
      .set({ edit: { ...(next ?? { rotate: 0, crop: null }), base, clears }, width: size.width, height: size.height, state: 'pending', updatedAt: new Date() })
      .where(eq(photos.id, id));
    await reset();
    return { id, edit: next, width: size.width, height: size.height, state: 'pending', changed: true };
  });
  if (!answer?.changed) return answer;
  await writeBackDue(lib.db, [id]);
  await queuePhotos(lib, [id]);
  return answer;
}
