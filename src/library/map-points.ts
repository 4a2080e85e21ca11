// The map's points: the geotagged items a user may see, gathered per zoom into clusters on a grid of the Web
// Mercator plane (the map's own projection), so that a cluster is about as wide on screen at every zoom.
import { and, isNotNull, sql } from 'drizzle-orm';
import { photos } from '../db/schema.js';
import { rows } from '../db/connection.js';
import type { Library } from './library.js';
import { timelineScope } from './access.js';
import { libraryCondition, type LibraryFilter } from './photo-filter.js';
import { clusterCellSize, MERCATOR_MAX_LATITUDE } from './map-grid.js';

export interface MapQuery extends LibraryFilter {
  /** The map's zoom (0: the world in one 256 px tile). */
  zoom: number;
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

/** More clusters than a screen can show are never sent: the most crowded first. */
export const MAX_CLUSTERS = 4000;

export async function mapClusters(lib: Library, query: MapQuery): Promise<{ zoom: number; total: number; clusters: MapCluster[]; truncated: boolean }> {
  const scope = await timelineScope(lib, query.owner, query.album);
  const where = and(libraryCondition(scope, query), isNotNull(photos.latitude), isNotNull(photos.longitude))!;
  const cell = clusterCellSize(query.zoom);
  const lat = sql`greatest(least(${photos.latitude}, ${MERCATOR_MAX_LATITUDE}::float8), ${-MERCATOR_MAX_LATITUDE}::float8)`;
  const x = sql`((${photos.longitude} + 180) / 360)`;
  const y = sql`((1 - ln(tan(radians(${lat})) + 1 / cos(radians(${lat}))) / pi()) / 2)`;
  const found = await rows<{ n: number; lat: number; lng: number; w: number; s: number; e: number; nth: number; cover: string }>(
    lib.db,
    sql`select count(*)::int as n, avg(${photos.latitude})::float8 as lat, avg(${photos.longitude})::float8 as lng,
          min(${photos.longitude})::float8 as w, min(${photos.latitude})::float8 as s,
          max(${photos.longitude})::float8 as e, max(${photos.latitude})::float8 as nth,
          (array_agg(${photos.id} order by ${photos.takenLocal} desc nulls last, ${photos.id} desc))[1] as cover
        from ${photos} where ${where}
        group by floor(${x} / ${cell}::float8), floor(${y} / ${cell}::float8)
        order by n desc, cover limit ${MAX_CLUSTERS + 1}`,
  );
  const clusters = found.slice(0, MAX_CLUSTERS).map((row) => ({
    latitude: row.lat,
    longitude: row.lng,
    count: row.n,
    photoId: row.cover,
    bbox: [row.w, row.s, row.e, row.nth] as [number, number, number, number],
  }));
  const total = found.length > MAX_CLUSTERS ? await countAll(lib, where) : clusters.reduce((sum, c) => sum + c.count, 0);
  return { zoom: query.zoom, total, clusters, truncated: found.length > MAX_CLUSTERS };
}

async function countAll(lib: Library, where: ReturnType<typeof and>): Promise<number> {
  const [row] = await rows<{ n: number }>(lib.db, sql`select count(*)::int as n from ${photos} where ${where}`);
  return row?.n ?? 0;
}
