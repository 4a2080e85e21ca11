// Which detected face a named face region of the file is. Pure. A region drawn by hand (digiKam, Lightroom,
// Picasa) frames the same face as the detector's box but rarely the same way: a little larger or smaller, shifted.
import { boxIou } from '../geometry.js';
import type { Box } from '../types.js';

/** Overlap (intersection over union) at which a region and a face are taken for one another outright. */
export const REGION_MIN_IOU = 0.3;
/** Below that, the centres must fall inside each other's box and the sizes differ by at most this factor. */
export const REGION_MAX_SIZE_RATIO = 3;

const inside = (x: number, y: number, b: Box) => x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height;

/** How well a region frames a face: its IoU, or a small positive score for nested boxes of similar size; 0 = not it. */
export function regionFit(region: Box, face: Box): number {
  const iou = boxIou(region, face);
  if (iou >= REGION_MIN_IOU) return iou;
  const rc = { x: region.x + region.width / 2, y: region.y + region.height / 2 };
  const fc = { x: face.x + face.width / 2, y: face.y + face.height / 2 };
  if (!inside(rc.x, rc.y, face) || !inside(fc.x, fc.y, region)) return 0;
  const ratio = Math.sqrt((region.width * region.height) / Math.max(1e-9, face.width * face.height));
  return ratio <= REGION_MAX_SIZE_RATIO && ratio >= 1 / REGION_MAX_SIZE_RATIO ? Math.max(iou, 0.01) : 0;
}

/** Pairs regions with faces, best fits first, each at most once: region index → face index. */
export function matchRegionsToFaces(regions: readonly Box[], faces: readonly Box[]): Map<number, number> {
  const pairs: { region: number; face: number; fit: number }[] = [];
  regions.forEach((region, r) =>
    faces.forEach((face, f) => {
      const fit = regionFit(region, face);
      if (fit > 0) pairs.push({ region: r, face: f, fit });
    }),
  );
  pairs.sort((a, b) => b.fit - a.fit || a.region - b.region || a.face - b.face);
  const matched = new Map<number, number>();
  const taken = new Set<number>();
  for (const pair of pairs) {
    if (matched.has(pair.region) || taken.has(pair.face)) continue;
    matched.set(pair.region, pair.face);
    taken.add(pair.face);
  }
  return matched;
}

/**
 * The regions that frame a face the detector did not find: those matched to no face, less those over a face another
 * region already names (two regions of one face, from two tools) and those over another such region. Each becomes a
 * face of its own; before, the second region of a face became a second, overlapping box with a name of its own.
 */
export function regionsOfTheirOwn(regions: readonly Box[], faces: readonly Box[], matched: ReadonlyMap<number, number>): number[] {
  const own: number[] = [];
  regions.forEach((region, r) => {
    if (matched.has(r)) return;
    if (faces.some((face) => boxIou(region, face) >= REGION_MIN_IOU)) return;
    if (own.some((other) => boxIou(region, regions[other]!) >= REGION_MIN_IOU)) return;
    own.push(r);
  });
  return own;
}
