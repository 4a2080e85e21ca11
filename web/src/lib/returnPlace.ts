// Coming back to a list from a photo (Esc, the back link, the browser's Back) lands where the list was left, and
// on the photo last looked at: after stepping with ←/→ through fifty photos, the list shows that fiftieth one,
// its tile focused, not the place the first one was opened from.
//
// Lists load their photos after the page appears (a fetch, a virtualised timeline laid out once measured), so
// the saved position is tried frame after frame until the page is tall enough, for a few seconds at most, and
// never against the user: a wheel, a touch or a key stops it.

/** Where a photo's tile is (document coordinates), when a list can tell although the tile is not drawn. */
export type PlaceFinder = (photoId: string) => { top: number; height: number } | null;

const finders = new Set<PlaceFinder>();

/** A virtualised list (the timeline) answers for tiles it has not drawn; returns the unregister function. */
export function registerPlaceFinder(finder: PlaceFinder): () => void {
  finders.add(finder);
  return () => finders.delete(finder);
}

const TRY_MS = 4000;
/** A saved position the page never grows tall enough for (the list changed meanwhile) is given up after this. */
const REACH_MS = 1500;

function tileOf(photoId: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`#content [data-photo-id="${CSS.escape(photoId)}"]`);
}

function placeOf(photoId: string): { top: number; height: number } | null {
  const tile = tileOf(photoId);
  if (tile) {
    const rect = tile.getBoundingClientRect();
    return { top: rect.top + window.scrollY, height: rect.height };
  }
  for (const finder of finders) {
    const place = finder(photoId);
    if (place) return place;
  }
  return null;
}

/**
 * Scrolls to `target` once the page is tall enough; then, when coming from a photo page, brings that photo's
 * tile on screen (only if it is not) and focuses it. Returns a cancel function.
 */
export function restorePlace(target: number, fromPhoto: string | null): () => void {
  const started = performance.now();
  let frame = 0;
  let reached = false;
  const stop = () => {
    cancelAnimationFrame(frame);
    for (const type of ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const) window.removeEventListener(type, stop, true);
  };
  for (const type of ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const) window.addEventListener(type, stop, { capture: true, passive: true });

  const step = () => {
    if (!reached) {
      window.scrollTo(0, target);
      reached = Math.abs(window.scrollY - target) <= 1;
    }
    const settled = reached || performance.now() - started > REACH_MS;
    if (settled && !fromPhoto) return stop();
    if (settled && fromPhoto) {
      const place = placeOf(fromPhoto);
      if (place) {
        const top = window.scrollY;
        const bottom = top + window.innerHeight;
        if (place.top < top + headerHeight() || place.top + place.height > bottom) {
          window.scrollTo(0, Math.max(0, place.top + place.height / 2 - window.innerHeight / 2));
        }
        // the timeline draws the tile on the next frames once scrolled there
        const tile = tileOf(fromPhoto);
        if (tile) {
          tile.focus({ preventScroll: true });
          return stop();
        }
      }
    }
    if (performance.now() - started < TRY_MS) frame = requestAnimationFrame(step);
    else stop();
  };
  step();
  return stop;
}

/** The sticky header covers the top of the page. */
function headerHeight(): number {
  return document.querySelector('.app-header')?.getBoundingClientRect().height ?? 0;
}

/** The photo a page was reached from, when it was a photo page (stepping with ←/→ replaces its URL: the last one shown). */
export function photoLeft(previousPath: string | null): string | null {
  const m = previousPath ? /^\/photos\/([^/?#]+)/.exec(previousPath) : null;
  return m ? decodeURIComponent(m[1]!) : null;
}
