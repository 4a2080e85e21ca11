import type { Box } from './types.js';

/** The area two boxes share. */
function intersection(a: Box, b: Box): number {
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.width, b.x + b.width);
  const y2 = Math.min(a.y + a.height, b.y + b.height);
  return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
}

/** Intersection over union of two boxes: 1 for the same box, 0 when they do not touch. */
export function boxIou(a: Box, b: Box): number {
  const shared = intersection(a, b);
  const union = a.width * a.height + b.width * b.height - shared;
  return union > 0 ? shared / union : 0;
}

/** The share of `inner` that lies inside `outer`: 1 when it lies wholly inside, whatever `outer`'s size. */
export function boxShareInside(inner: Box, outer: Box): number {
  const area = inner.width * inner.height;
  return area > 0 ? intersection(inner, outer) / area : 0;
}

/** Intersection over the smaller box's area: 1 when one box lies inside the other, whatever their sizes. */
export function boxOverlapOfSmaller(a: Box, b: Box): number {
  const smaller = Math.min(a.width * a.height, b.width * b.height);
  return smaller > 0 ? intersection(a, b) / smaller : 0;
}
