// Plane geometry for text boxes: the convex hull of a region's pixels and its minimum-area rectangle (rotating
// calipers over the hull's edges), and a rectangle's corners. Pure.

export interface Point {
  x: number;
  y: number;
}

/**
 * A rotated rectangle: its centre, its size along `angle` (width) and across it (height), the angle in radians
 * of its width axis from the image's x axis. The width axis is the one nearer the horizontal, pointing right, so a
 * line of text has its reading direction along it; a column of text (CJK signs) is taller than wide.
 */
export interface RotatedRect {
  cx: number;
  cy: number;
  width: number;
  height: number;
  angle: number;
}

/** Andrew's monotone chain; counter-clockwise in y-down coordinates read as a maths plot, without collinear points. */
export function convexHull(points: readonly Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (sorted.length < 3) return sorted;
  const cross = (o: Point, a: Point, b: Point) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const lower: Point[] = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

/**
 * The smallest-area rectangle holding the points: one of its sides lies on an edge of their convex hull, so each
 * edge's direction is tried (hulls of text regions have tens of points).
 */
export function minAreaRect(points: readonly Point[]): RotatedRect {
  const hull = convexHull(points);
  if (hull.length === 0) return { cx: 0, cy: 0, width: 0, height: 0, angle: 0 };
  if (hull.length === 1) return { cx: hull[0]!.x, cy: hull[0]!.y, width: 0, height: 0, angle: 0 };
  let best: { area: number; angle: number; minU: number; maxU: number; minV: number; maxV: number } | null = null;
  for (let i = 0; i < hull.length; i++) {
    const a = hull[i]!;
    const b = hull[(i + 1) % hull.length]!;
    const angle = Math.atan2(b.y - a.y, b.x - a.x);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    let minU = Infinity;
    let maxU = -Infinity;
    let minV = Infinity;
    let maxV = -Infinity;
    for (const p of hull) {
      const u = p.x * cos + p.y * sin;
      const v = -p.x * sin + p.y * cos;
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
    }
    const area = (maxU - minU) * (maxV - minV);
    if (!best || area < best.area) best = { area, angle, minU, maxU, minV, maxV };
  }
  const { angle, minU, maxU, minV, maxV } = best!;
  const u = (minU + maxU) / 2;
  const v = (minV + maxV) / 2;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return uprightRect({ cx: u * cos - v * sin, cy: u * sin + v * cos, width: maxU - minU, height: maxV - minV, angle });
}

/** The same rectangle with its width axis the one nearer the horizontal, pointing right (angle in (-π/4, π/4]). */
export function uprightRect(rect: RotatedRect): RotatedRect {
  let { width, height, angle } = rect;
  // fold into (-π/2, π/2]: a rectangle is the same turned by half a turn
  while (angle <= -Math.PI / 2) angle += Math.PI;
  while (angle > Math.PI / 2) angle -= Math.PI;
  if (angle > Math.PI / 4) {
    angle -= Math.PI / 2;
    [width, height] = [height, width];
  } else if (angle <= -Math.PI / 4) {
    angle += Math.PI / 2;
    [width, height] = [height, width];
  }
  return { cx: rect.cx, cy: rect.cy, width, height, angle };
}

/** Corners in reading order: top-left, top-right, bottom-right, bottom-left (y down). */
export function rectCorners(rect: RotatedRect): [Point, Point, Point, Point] {
  const ux = Math.cos(rect.angle);
  const uy = Math.sin(rect.angle);
  const at = (along: number, across: number): Point => ({
    x: rect.cx + along * ux - across * uy,
    y: rect.cy + along * uy + across * ux,
  });
  const w = rect.width / 2;
  const h = rect.height / 2;
  return [at(-w, -h), at(w, -h), at(w, h), at(-w, h)];
}

/** The point at fractions (fu along the width, fv across) of the rectangle, 0 at its top-left corner. */
export function pointInRect(rect: RotatedRect, fu: number, fv: number): Point {
  const ux = Math.cos(rect.angle);
  const uy = Math.sin(rect.angle);
  const along = (fu - 0.5) * rect.width;
  const across = (fv - 0.5) * rect.height;
  return { x: rect.cx + along * ux - across * uy, y: rect.cy + along * uy + across * ux };
}
