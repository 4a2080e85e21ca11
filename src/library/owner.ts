import type { Library, LibraryContext } from './library.js';

/** One value per user and open library: caches keyed by the Library (timeline.ts) last across requests. */
const views = new WeakMap<LibraryContext, Map<string, Library>>();

/** The library as `ownerId` sees it (a value of its own, so that any module can make one without an import cycle). */
export function asOwner(context: LibraryContext, ownerId: string): Library {
  let byOwner = views.get(context);
  if (!byOwner) views.set(context, (byOwner = new Map()));
  let view = byOwner.get(ownerId);
  if (!view) byOwner.set(ownerId, (view = { ...context, ownerId }));
  return view;
}
