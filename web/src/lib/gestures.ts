// The arithmetic of the touch gestures (a drag selecting a range, a pull refreshing the page), apart from the
// events that feed it.

/** How near the top or bottom of the grid's visible part (px) a selecting finger scrolls it. */
export const EDGE_ZONE = 64;
/** The fastest the grid scrolls under a selecting finger, in px a frame (~900 px/s at 60 frames a second). */
export const EDGE_MAX_STEP = 15;

/**
 * How far to scroll this frame for a finger at `y` while a drag selects: nothing in the middle, more the deeper
 * the finger is in the zone at either edge (`top`, `bottom`: where the grid's visible part begins and ends, below
 * a fixed bar and above a phone's bottom bar), never more than EDGE_MAX_STEP.
 */
export function edgeScrollStep(y: number, top: number, bottom: number): number {
  const depth = (into: number) => Math.ceil(EDGE_MAX_STEP * Math.min(1, into / EDGE_ZONE));
  if (y < top + EDGE_ZONE) return -depth(top + EDGE_ZONE - y);
  if (y > bottom - EDGE_ZONE) return depth(y - (bottom - EDGE_ZONE));
  return 0;
}

/**
 * The selection while a drag covers `covered`: what was selected before the drag, with the covered photos
 * selected (or, a drag begun by unselecting, unselected). A photo the finger has left again is as it was.
 */
export function dragSelection(before: ReadonlySet<string>, covered: readonly string[], select: boolean): Set<string> {
  const ids = new Set(before);
  for (const id of covered) {
    if (select) ids.add(id);
    else ids.delete(id);
  }
  return ids;
}

/** How far (px) the indicator follows a pulling finger: half its travel, as a rubber band, up to `max`. */
export function pullDistance(travel: number, max: number): number {
  return Math.max(0, Math.min(max, travel / 2));
}
