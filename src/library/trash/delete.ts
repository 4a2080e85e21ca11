// Removing a photo for good, and what hangs on it: its search row, its duplicate group and stack (left first, so that
// a group left with one photo goes too), its faces' unnamed people, its original (unless another photo has it), its
// sidecar and derived files.
import { eq } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import { stopWork } from '../../base/running-work.js';
import { forgetSearchDocuments } from '../../search/documents.js';
import { isInPlaceKey } from '../../storage/in-place.js';
import { derivedPrefix } from '../../storage/keys.js';
import type { Library } from '../library.js';
import { mayChange } from '../actors.js';
import { findPhoto } from '../photos/photos.js';
import { removeOriginalUnlessShared } from '../photos/originals.js';
import { dropEmptyPeople } from '../people/rows.js';
import { leaveGroups } from '../duplicates/groups.js';
import { leaveStacks } from '../stacks/place.js';

/**
 * Removes the photo for good (from the library or from the trash): its rows and every file derived from it;
 * the original goes when no other photo uses it. Moving to the trash is trashPhotos (trash.ts).
 */
export async function deletePhoto(lib: Library, id: string, options: { onlyFromTrash?: boolean } = {}): Promise<boolean> {
  mayChange(lib);
  const photo = await findPhoto(lib, id);
  if (!photo || (options.onlyFromTrash && !photo.deletedAt)) return false;
  // first: a photo whose storage location this server lacks stays whole (a 503 says why), never half removed
  const store = lib.storage.at(photo.storageLocation);
  await forgetSearchDocuments(lib.db, [id]);
  await leaveGroups(lib.db, [id]); // before the row goes, so that a group left with one photo goes too
  await leaveStacks(lib.db, [id]); // and a stack, its cover chosen again
  await lib.db.delete(photos).where(eq(photos.id, id));
  stopWork(id, 'the item was deleted'); // a transcode under way on it stops now
  // Its faces went with it; an unnamed person left with none goes too (a named one is the user's).
  await dropEmptyPeople(lib);
  await removeOriginalUnlessShared(lib, store, photo.storageLocation, photo.storageKey);
  if (photo.motion?.source === 'live') await removeOriginalUnlessShared(lib, store, photo.storageLocation, photo.motion.key); // its MOV
  if (photo.sidecarKey && !isInPlaceKey(photo.sidecarKey)) await store.remove(photo.sidecarKey);
  await store.removePrefix(derivedPrefix(id));
  return true;
}
