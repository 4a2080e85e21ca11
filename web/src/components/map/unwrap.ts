// Natural Earth's shapes that cross the antimeridian (Russia's far east, Fiji) jump from +180° to −180° between
// two points; drawn flat, that jump is a line across the whole world. Pure.
import type { Geometry, Position } from 'geojson';

const jumpsAt = (line: Position[], i: number) => Math.abs(line[i]![0]! - line[i - 1]![0]!) > 180;

/**
 * A ring that crosses the antimeridian and comes back (an even number of jumps) made continuous: points past a jump
 * move by a whole turn. A ring that jumps once is one that spans the world (Antarctica): its jump is its edge.
 */
export function unwrapRing(ring: Position[]): Position[] {
  let jumps = 0;
  for (let i = 1; i < ring.length; i++) if (jumpsAt(ring, i)) jumps++;
  if (jumps === 0 || jumps % 2 === 1) return ring;
  let offset = 0;
  return ring.map((point, i) => {
    if (i > 0 && jumpsAt(ring, i)) offset += point[0]! > ring[i - 1]![0]! ? -360 : 360;
    return offset === 0 ? point : [point[0]! + offset, ...point.slice(1)];
  });
}

/** A line cut where it jumps, so that no piece of it crosses the world. */
export function splitLine(line: Position[]): Position[][] {
  const pieces: Position[][] = [];
  let piece: Position[] = [];
  line.forEach((point, i) => {
    if (i > 0 && jumpsAt(line, i)) {
      pieces.push(piece);
      piece = [];
    }
    piece.push(point);
  });
  pieces.push(piece);
  return pieces.filter((p) => p.length > 1);
}

/** Polygons' rings made continuous and lines cut at their jumps. */
export function unwrapGeometry(geometry: Geometry): Geometry {
  switch (geometry.type) {
    case 'LineString':
      return { type: 'MultiLineString', coordinates: splitLine(geometry.coordinates) };
    case 'MultiLineString':
      return { ...geometry, coordinates: geometry.coordinates.flatMap(splitLine) };
    case 'Polygon':
      return { ...geometry, coordinates: geometry.coordinates.map(unwrapRing) };
    case 'MultiPolygon':
      return { ...geometry, coordinates: geometry.coordinates.map((polygon) => polygon.map(unwrapRing)) };
    case 'GeometryCollection':
      return { ...geometry, geometries: geometry.geometries.map(unwrapGeometry) };
    default:
      return geometry;
  }
}
