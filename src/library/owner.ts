import type { Library, LibraryContext } from './library.js';

/** The library as `ownerId` sees it (a value of its own, so that any module can make one without an import cycle). */
export function asOwner(context: LibraryContext, ownerId: string): Library {
  return { ...context, ownerId };
}
