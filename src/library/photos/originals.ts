// An original removed from its store when no photo in its location still has it: originals are named by their
// content, so photos with the same bytes share one.
import { and, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { isInPlaceKey } from '../../storage/in-place.js';
import type { Library } from '../library.js';

/** Photos whose files are in this storage location (null: the main store). */
function sameLocation(location: string | null): SQL {
  return location === null ? isNull(photos.storageLocation) : eq(photos.storageLocation, location);
}

/**
 * Removes an original from its location's store unless a photo there still has it (as its file, or as its Live
 * Photo's MOV): originals are named by their content, so photos with the same bytes in the same location share one
 * (each location keeps its own copy).
 */
export async function removeOriginalUnlessShared(lib: Library, store: BlobStore, location: string | null, key: string): Promise<void> {
  if (isInPlaceKey(key)) return; // a library in place's file is the user's: never removed
  const [shared] = await lib.db
    .select({ id: photos.id })
    .from(photos)
    .where(and(or(eq(photos.storageKey, key), sql`${photos.motion}->>'source' = 'live' and ${photos.motion}->>'key' = ${key}`), sameLocation(location)))
    .limit(1);
  if (!shared) await store.remove(key);
}
