// The map's clustering, pure: positions on the Web Mercator plane (the map's own projection, 1 × 1 for the world)
// gathered on a grid whose cells are CLUSTER_PIXELS wide on screen at a zoom of 256 px tiles.
import type { BoundingBox } from '../../model/geo.js';

/** Web Mercator stops here: the map shows nothing nearer the poles, and a point there is drawn at its edge. */
export const MERCATOR_MAX_LATITUDE = 85.05112878;

/** How wide a cluster is on screen, in CSS pixels (a thumbnail marker is 48). */
export const CLUSTER_PIXELS = 64;

/** More clusters than a screen can show are never sent: the most crowded first. */
export const MAX_CLUSTERS = 4000;

/** Geotagged items as parallel arrays: the map's kept copy of a library's positions. */
export interface MapPoints {
  ids: string[];
  lat: Float64Array;
  lng: Float64Array;
  /** Taken, as the camera's clock says, in seconds (undated: far in the past): a cell's newest stands for it. */
  taken: Float64Array;
  /** Web Mercator, 0–1 from west to east and from north to south. */
  x: Float64Array;
  y: Float64Array;
}

export interface MapCluster {
  latitude: number;
  longitude: number;
  count: number;
  /** The newest item of the cluster (its thumbnail stands for it); the item itself for a cluster of one. */
  photoId: string;
  /** West, south, east, north of its items: what the map zooms to when it is picked. */
  bbox: [number, number, number, number];
}

/** One grid cell as a fraction of the world's width at a zoom. */
export function clusterCellSize(zoom: number): number {
  return CLUSTER_PIXELS / (256 * 2 ** zoom);
}

export function mercatorX(longitude: number): number {
  return (longitude + 180) / 360;
}

export function mercatorY(latitude: number): number {
  const lat = (Math.max(-MERCATOR_MAX_LATITUDE, Math.min(MERCATOR_MAX_LATITUDE, latitude)) * Math.PI) / 180;
  return (1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2;
}

/** A geotagged item as the map keeps it. */
export interface MapItem {
  id: string;
  latitude: number;
  longitude: number;
  taken: number;
}

function allocate(n: number): MapPoints {
  return {
    ids: new Array<string>(n),
    lat: new Float64Array(n),
    lng: new Float64Array(n),
    taken: new Float64Array(n),
    x: new Float64Array(n),
    y: new Float64Array(n),
  };
}

function place(points: MapPoints, i: number, item: MapItem): void {
  points.ids[i] = item.id;
  points.lat[i] = item.latitude;
  points.lng[i] = item.longitude;
  points.taken[i] = item.taken;
  points.x[i] = mercatorX(item.longitude);
  points.y[i] = mercatorY(item.latitude);
}

/** Positions (and ids, dates) made into MapPoints. */
export function mapPoints(items: readonly MapItem[]): MapPoints {
  const points = allocate(items.length);
  items.forEach((item, i) => place(points, i, item));
  return points;
}

/**
 * Kept points mended: the items whose ids changed leave, and `now` (those of them still on the map, as they are now)
 * come in. A new copy; the kept one may still be answering other requests.
 */
export function withChanges(points: MapPoints, changed: ReadonlySet<string>, now: readonly MapItem[]): MapPoints {
  const stay: number[] = [];
  for (let i = 0; i < points.ids.length; i++) if (!changed.has(points.ids[i]!)) stay.push(i);
  const next = allocate(stay.length + now.length);
  stay.forEach((from, to) => {
    next.ids[to] = points.ids[from]!;
    next.lat[to] = points.lat[from]!;
    next.lng[to] = points.lng[from]!;
    next.taken[to] = points.taken[from]!;
    next.x[to] = points.x[from]!;
    next.y[to] = points.y[from]!;
  });
  now.forEach((item, j) => place(next, stay.length + j, item));
  return next;
}

function inside(box: BoundingBox, lat: number, lng: number): boolean {
  if (lat < box.minLat || lat > box.maxLat) return false;
  return box.minLng <= box.maxLng ? lng >= box.minLng && lng <= box.maxLng : lng >= box.minLng || lng <= box.maxLng;
}

interface Cell {
  row: number;
  column: number;
  count: number;
  sumLat: number;
  sumLng: number;
  sumX: number;
  sumY: number;
  w: number;
  s: number;
  e: number;
  n: number;
  newest: number;
  absorbed: boolean;
}

/**
 * The points inside the box (all without one) gathered per grid cell, then each crowded cell takes in its
 * neighbours whose items lie within a cell's width of its own (two towns either side of a grid line are one
 * cluster from afar, as on any map); the most crowded first.
 */
export function clusterPoints(points: MapPoints, zoom: number, box?: BoundingBox): { total: number; clusters: MapCluster[]; truncated: boolean } {
  const cell = clusterCellSize(zoom);
  const columns = Math.ceil(1 / cell) + 1;
  const newer = (i: number, j: number) => points.taken[i]! > points.taken[j]! || (points.taken[i] === points.taken[j] && points.ids[i]! > points.ids[j]!);
  const cells = new Map<number, Cell>();
  let total = 0;
  for (let i = 0; i < points.ids.length; i++) {
    const lat = points.lat[i]!;
    const lng = points.lng[i]!;
    if (box && !inside(box, lat, lng)) continue;
    total++;
    const x = points.x[i]!;
    const y = points.y[i]!;
    const row = Math.floor(y / cell);
    const column = Math.floor(x / cell);
    const key = row * columns + column;
    const found = cells.get(key);
    if (!found) {
      cells.set(key, { row, column, count: 1, sumLat: lat, sumLng: lng, sumX: x, sumY: y, w: lng, s: lat, e: lng, n: lat, newest: i, absorbed: false });
      continue;
    }
    found.count++;
    found.sumLat += lat;
    found.sumLng += lng;
    found.sumX += x;
    found.sumY += y;
    if (lng < found.w) found.w = lng;
    if (lng > found.e) found.e = lng;
    if (lat < found.s) found.s = lat;
    if (lat > found.n) found.n = lat;
    if (newer(i, found.newest)) found.newest = i;
  }
  const byCrowd = [...cells.values()].sort((a, b) => b.count - a.count || a.row - b.row || a.column - b.column);
  const merged: Cell[] = [];
  for (const c of byCrowd) {
    if (c.absorbed) continue;
    c.absorbed = true; // taken: no later cell takes it in again
    const cx = c.sumX / c.count;
    const cy = c.sumY / c.count;
    for (let dr = -1; dr <= 1; dr++) {
      for (let dc = -1; dc <= 1; dc++) {
        const other = (dr !== 0 || dc !== 0) && cells.get((c.row + dr) * columns + c.column + dc);
        if (!other || other.absorbed) continue;
        if (Math.hypot(other.sumX / other.count - cx, other.sumY / other.count - cy) > cell) continue;
        other.absorbed = true;
        c.count += other.count;
        c.sumLat += other.sumLat;
        c.sumLng += other.sumLng;
        c.sumX += other.sumX;
        c.sumY += other.sumY;
        c.w = Math.min(c.w, other.w);
        c.e = Math.max(c.e, other.e);
        c.s = Math.min(c.s, other.s);
        c.n = Math.max(c.n, other.n);
        if (newer(other.newest, c.newest)) c.newest = other.newest;
      }
    }
    merged.push(c);
  }
  merged.sort((a, b) => b.count - a.count || (points.ids[a.newest]! < points.ids[b.newest]! ? -1 : 1));
  const clusters = merged.slice(0, MAX_CLUSTERS).map((c) => ({
    latitude: c.sumLat / c.count,
    longitude: c.sumLng / c.count,
    count: c.count,
    photoId: points.ids[c.newest]!,
    bbox: [c.w, c.s, c.e, c.n] as [number, number, number, number],
  }));
  return { total, clusters, truncated: merged.length > MAX_CLUSTERS };
}
