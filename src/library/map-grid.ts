// The map's clustering, pure: positions on the Web Mercator plane (the map's own projection, 1 × 1 for the world)
// gathered on a grid whose cells are CLUSTER_PIXELS wide on screen at a zoom of 256 px tiles.
import type { BoundingBox } from '../search/geo.js';

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

/** Positions (and ids, dates) made into MapPoints. */
export function mapPoints(items: { id: string; latitude: number; longitude: number; taken: number }[]): MapPoints {
  const n = items.length;
  const points: MapPoints = { ids: new Array<string>(n), lat: new Float64Array(n), lng: new Float64Array(n), taken: new Float64Array(n), x: new Float64Array(n), y: new Float64Array(n) };
  items.forEach((item, i) => {
    points.ids[i] = item.id;
    points.lat[i] = item.latitude;
    points.lng[i] = item.longitude;
    points.taken[i] = item.taken;
    points.x[i] = mercatorX(item.longitude);
    points.y[i] = mercatorY(item.latitude);
  });
  return points;
}

function inside(box: BoundingBox, lat: number, lng: number): boolean {
  if (lat < box.minLat || lat > box.maxLat) return false;
  return box.minLng <= box.maxLng ? lng >= box.minLng && lng <= box.maxLng : lng >= box.minLng || lng <= box.maxLng;
}

/** The points inside the box (all without one) gathered per grid cell, the most crowded first. */
export function clusterPoints(points: MapPoints, zoom: number, box?: BoundingBox): { total: number; clusters: MapCluster[]; truncated: boolean } {
  const cell = clusterCellSize(zoom);
  const columns = Math.ceil(1 / cell) + 1;
  interface Cell {
    count: number;
    sumLat: number;
    sumLng: number;
    w: number;
    s: number;
    e: number;
    n: number;
    newest: number;
  }
  const cells = new Map<number, Cell>();
  let total = 0;
  for (let i = 0; i < points.ids.length; i++) {
    const lat = points.lat[i]!;
    const lng = points.lng[i]!;
    if (box && !inside(box, lat, lng)) continue;
    total++;
    const key = Math.floor(points.y[i]! / cell) * columns + Math.floor(points.x[i]! / cell);
    const found = cells.get(key);
    if (!found) {
      cells.set(key, { count: 1, sumLat: lat, sumLng: lng, w: lng, s: lat, e: lng, n: lat, newest: i });
      continue;
    }
    found.count++;
    found.sumLat += lat;
    found.sumLng += lng;
    if (lng < found.w) found.w = lng;
    if (lng > found.e) found.e = lng;
    if (lat < found.s) found.s = lat;
    if (lat > found.n) found.n = lat;
    const newest = found.newest;
    if (points.taken[i]! > points.taken[newest]! || (points.taken[i] === points.taken[newest] && points.ids[i]! > points.ids[newest]!)) found.newest = i;
  }
  const all = [...cells.values()].sort((a, b) => b.count - a.count || (points.ids[a.newest]! < points.ids[b.newest]! ? -1 : 1));
  const clusters = all.slice(0, MAX_CLUSTERS).map((c) => ({
    latitude: c.sumLat / c.count,
    longitude: c.sumLng / c.count,
    count: c.count,
    photoId: points.ids[c.newest]!,
    bbox: [c.w, c.s, c.e, c.n] as [number, number, number, number],
  }));
  return { total, clusters, truncated: all.length > MAX_CLUSTERS };
}
