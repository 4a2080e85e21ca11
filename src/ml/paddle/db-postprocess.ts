// The DB (differentiable binarisation) detector's post-process, as PaddleOCR's DBPostProcess does it: the text
// probability map thresholded, each connected region's minimum-area rectangle, kept when the mean probability over
// the region is above a score (PaddleOCR's "slow" score: over the region, not its rectangle, which on a slanted,
// curved line of a book page is mostly paper), then grown ("unclipped") by area × ratio / perimeter on every side —
// the detector is trained on text regions shrunk by that much. Pure.
import { minAreaRect, rectCorners, type Point, type RotatedRect } from './geometry.js';

export interface DbOptions {
  /** A pixel is text above this probability (PaddleOCR: 0.3). */
  threshold: number;
  /** A region is kept when its mean probability is above this (PaddleOCR: 0.6). */
  boxThreshold: number;
  /** How much a kept region grows (PaddleOCR: 1.5). */
  unclipRatio: number;
  /** Regions whose short side is under this many map pixels are noise (PaddleOCR: 3). */
  minSize: number;
  /** At most this many regions are looked at, the largest first (PaddleOCR: 1,000). */
  maxCandidates: number;
}

export const DB_DEFAULTS: DbOptions = { threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5, minSize: 3, maxCandidates: 1000 };

export interface DetectedBox {
  rect: RotatedRect;
  /** Mean text probability inside the region before it grew, 0–1. */
  score: number;
}

/**
 * Text boxes from a probability map of `width` × `height` (row-major), in the map's pixels scaled by `scaleX`,
 * `scaleY` (to the image the caller crops from).
 */
export function dbBoxes(map: Float32Array, width: number, height: number, scaleX = 1, scaleY = 1, options: DbOptions = DB_DEFAULTS): DetectedBox[] {
  if (map.length !== width * height) throw new RangeError(`a ${width}×${height} map needs ${width * height} values, got ${map.length}`);
  const boxes: DetectedBox[] = [];
  for (const region of regions(map, width, height, options.threshold).slice(0, options.maxCandidates)) {
    const rect = minAreaRect(region.points);
    if (Math.min(rect.width, rect.height) < options.minSize) continue;
    if (region.score < options.boxThreshold) continue;
    const score = region.score;
    const grow = (rect.width * rect.height * options.unclipRatio) / (2 * (rect.width + rect.height));
    const grown = { ...rect, width: rect.width + 2 * grow, height: rect.height + 2 * grow };
    if (Math.min(grown.width, grown.height) < options.minSize + 2) continue;
    const scaled = scaleX === 1 && scaleY === 1 ? grown : minAreaRect(rectCorners(grown).map((p) => ({ x: p.x * scaleX, y: p.y * scaleY })));
    boxes.push({ rect: scaled, score });
  }
  return boxes;
}

/**
 * The 8-connected regions above the threshold, each as the corners of its rows' extreme pixels (enough for the
 * convex hull) and its mean probability, largest region first.
 */
function regions(map: Float32Array, width: number, height: number, threshold: number): { points: Point[]; score: number }[] {
  const label = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  const found: { size: number; points: Point[]; score: number }[] = [];
  let next = 1;
  for (let start = 0; start < map.length; start++) {
    if (label[start] !== 0 || !(map[start]! > threshold)) continue;
    const id = next++;
    label[start] = id;
    let top = 0;
    stack[top++] = start;
    // per row: the leftmost and rightmost pixel of the region
    const rows = new Map<number, [number, number]>();
    let size = 0;
    let sum = 0;
    while (top > 0) {
      const at = stack[--top]!;
      size++;
      sum += map[at]!;
      const x = at % width;
      const y = (at - x) / width;
      const row = rows.get(y);
      if (!row) rows.set(y, [x, x]);
      else if (x < row[0]) row[0] = x;
      else if (x > row[1]) row[1] = x;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if ((dx === 0 && dy === 0) || nx < 0 || nx >= width) continue;
          const n = ny * width + nx;
          if (label[n] === 0 && map[n]! > threshold) {
            label[n] = id;
            stack[top++] = n;
          }
        }
      }
    }
    if (size < 4) continue;
    const points: Point[] = [];
    for (const [y, [x0, x1]] of rows) points.push({ x: x0, y }, { x: x0, y: y + 1 }, { x: x1 + 1, y }, { x: x1 + 1, y: y + 1 });
    found.push({ size, points, score: sum / size });
  }
  return found.sort((a, b) => b.size - a.size);
}
