// The map's points: the geotagged items a user may see, read once into memory and kept while the photo_order
// mark stands still (as the timeline is), then clustered per request in a few milliseconds (map-grid.ts). At
// 100k items a GROUP BY in the embedded database took 0.5 s for the world view; reading the positions takes
// ~0.5 s once. When the mark moves (an upload, an edit), the kept positions are mended with the photos changed
// since (photo-order-changes.ts) rather than read again, so that a map open during an import stays quick.
import { and, isNotNull, sql, type SQL } from 'drizzle-orm';
import { photos } from '../../db/schema.js';
import { rows } from '../../db/connection.js';
import type { Library } from '../library.js';
import { timelineScope } from '../../scope/access.js';
import { libraryCondition, type LibraryFilter } from '../photos/filter.js';
import { filterKey, markCovers, photoOrderMark } from '../photos/timeline.js';
import { clusterPoints, mapPoints, withChanges, type MapCluster, type MapItem, type MapPoints } from './grid.js';
import { photosChangedBetween } from '../photos/order-changes.js';
import { uuidArray } from '../../db/arrays.js';
import type { PhotoScope } from '../../scope/photo-scope.js';

export interface MapQuery extends LibraryFilter {
  /** The map's zoom (0: the world in one 256 px tile). */
  zoom: number;
}

export interface MapAnswer {
  zoom: number;
  total: number;
  clusters: MapCluster[];
  truncated: boolean;
}

/** Position sets kept per user (filters): the map, and a few filtered maps. */
const KEPT = 4;
const kept = new WeakMap<object, Map<string, { mark: number; points: Promise<MapPoints> }>>();

export async function mapClusters(lib: Library, query: MapQuery): Promise<MapAnswer> {
  const { zoom, bbox, ...filter } = query;
  const scope = await timelineScope(lib, filter.owner, filter.album);
  const points = await keptPoints(lib, scope, filter);
  return { zoom, ...clusterPoints(points, zoom, bbox) };
}

/** The positions for these filters: kept ones while the mark stands still, else read (and kept when it covers them). */
async function keptPoints(lib: Library, scope: PhotoScope, filter: LibraryFilter): Promise<MapPoints> {
  if (!markCovers(filter)) return readPoints(lib, scope, filter);
  // read before the positions: a change landing in between leaves them under the older mark (read again next time)
  const mark = await photoOrderMark(lib);
  if (mark === null) return readPoints(lib, scope, filter);
  let byKey = kept.get(lib.ownerCache);
  if (!byKey) kept.set(lib.ownerCache, (byKey = new Map()));
  const key = filterKey(scope, filter);
  const hit = byKey.get(key);
  if (hit && hit.mark === mark) {
    byKey.delete(key); // most recently used last
    byKey.set(key, hit);
    return hit.points;
  }
  // one read for requests that arrive together (a map pans and zooms in bursts)
  const points = hit && hit.mark < mark ? mendedPoints(lib, scope, filter, hit, mark) : readPoints(lib, scope, filter);
  byKey.set(key, { mark, points });
  points.catch(() => byKey.get(key)?.points === points && byKey.delete(key));
  for (const oldest of byKey.keys()) {
    if (byKey.size <= KEPT) break;
    byKey.delete(oldest);
  }
  return points;
}

/** Positions kept at an older mark, mended with the photos changed up to `mark`; read whole when the log cannot say. */
async function mendedPoints(
  lib: Library,
  scope: PhotoScope,
  filter: LibraryFilter,
  kept: { mark: number; points: Promise<MapPoints> },
  mark: number,
): Promise<MapPoints> {
  const changed = await photosChangedBetween(lib.db, kept.mark, mark);
  const before = changed && (await kept.points.catch(() => null));
  if (!changed || !before) return readPoints(lib, scope, filter);
  const now = changed.length > 0 ? await readItems(lib, scope, filter, sql`${photos.id} = any(${uuidArray(changed)})`) : [];
  return withChanges(before, new Set(changed), now);
}

async function readPoints(lib: Library, scope: PhotoScope, filter: LibraryFilter): Promise<MapPoints> {
  return mapPoints(await readItems(lib, scope, filter));
}

/** Sent as one string and split here: 100k rows as row objects took 1.3 s in the embedded database, this 0.2 s. */
async function readItems(lib: Library, scope: PhotoScope, filter: LibraryFilter, only?: SQL): Promise<MapItem[]> {
  const where = and(libraryCondition(scope, filter), isNotNull(photos.latitude), isNotNull(photos.longitude), only)!;
  const taken = sql`coalesce(extract(epoch from ${photos.takenLocal})::bigint, -99999999999)`;
  const [row] = await rows<{ packed: string | null }>(
    lib.db,
    sql`select string_agg(${photos.id}::text || ' ' || ${photos.latitude}::text || ' ' || ${photos.longitude}::text || ' ' || ${taken}::text, ' ') as packed
        from ${photos} where ${where}`,
  );
  const parts = row?.packed ? row.packed.split(' ') : [];
  const items: MapItem[] = [];
  for (let i = 0; i + 3 < parts.length; i += 4) {
    items.push({ id: parts[i]!, latitude: Number(parts[i + 1]), longitude: Number(parts[i + 2]), taken: Number(parts[i + 3]) });
  }
  return items;
}
