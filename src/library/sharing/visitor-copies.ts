// Share-link visitors' copies (api/visitor-copy.ts) that can no longer be served: a copy is named by the bytes, file
// and rules it was made from, so one of old bytes or of a file's old path is never asked for again, and would stay
// until its photo is deleted.
import type { Library } from '../library.js';
import { visitorCopiesPrefix } from '../../storage/keys.js';

/** Removes the photos' visitors' copies; one that cannot be removed is logged (it goes with the photo's derived files). */
export async function removeVisitorCopies(lib: Library, photos: readonly { id: string; storageLocation: string | null }[], why: string): Promise<void> {
  for (const photo of photos) {
    try {
      await lib.storage.at(photo.storageLocation).removePrefix(visitorCopiesPrefix(photo.id));
    } catch (error) {
      lib.logger.warn({ photoId: photo.id, err: error }, `visitors' copies not removed (${why})`);
    }
  }
}
