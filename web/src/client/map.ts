// The map: clusters of geotagged items per zoom and visible area, and the built-in world map (served by Shoebox).
import type { MapCluster, MapPoints, MapSource, TownsFound } from '../../../src/api/contract.js';
import { request } from '../api.js';
import { filterQuery, type LibraryFilter, type TimelinePhoto } from './library.js';

export type { MapCluster, MapPoints, MapSource, TownsFound };
export type Town = TownsFound['items'][number];

/** Towns whose name (their own or another: "Lissabon") starts with the text, largest first. */
export async function findTowns(text: string, signal?: AbortSignal): Promise<Town[]> {
  const found = await request<TownsFound>('GET', `/api/map/towns?${new URLSearchParams({ q: text })}`, { signal });
  return found.items;
}

/** What the map filters by: the timeline's filters and a kind of item. */
export interface MapFilter extends LibraryFilter {
  type?: 'photo' | 'video';
}

/** West, south, east, north in degrees; west > east crosses the antimeridian. */
export type Box = [number, number, number, number];

export function getMapPoints(zoom: number, bbox: Box, filter: MapFilter, signal?: AbortSignal): Promise<MapPoints> {
  const query = filterQuery(filter);
  query.set('zoom', String(zoom));
  query.set('bbox', bbox.map((v) => v.toFixed(6)).join(','));
  return request('GET', `/api/map/points?${query}`, { signal });
}

/** Natural Earth's countries as TopoJSON and the capitals, at the world's (110m) or a closer (50m) detail. */
export interface Basemap {
  topology: import('topojson-specification').Topology;
  cities: { name: string; countryCode: string; latitude: number; longitude: number }[];
}

export function getBasemap(detail: '110m' | '50m', signal?: AbortSignal): Promise<Basemap> {
  return request('GET', `/api/map/basemap?detail=${detail}`, { signal });
}

/** The first items (the timeline's order) taken inside the box, with how many there are in all. */
export function photosIn(bbox: Box, filter: MapFilter, limit: number, signal?: AbortSignal): Promise<{ items: TimelinePhoto[]; total: number }> {
  const query = filterQuery(filter);
  query.set('bbox', bbox.map((v) => v.toFixed(6)).join(','));
  query.set('limit', String(limit));
  return request('GET', `/api/photos?${query}`, { signal });
}

let source: Promise<MapSource> | null = null;

/** What the map draws beyond the built-in world map, asked once per page life (and again after `forgetMapSource`). */
export function getMapSource(): Promise<MapSource> {
  source ??= request<MapSource>('GET', '/api/map/source');
  source.catch(() => (source = null));
  return source;
}

/** After an admin changed the map's source: the next map asks again. */
export function forgetMapSource(): void {
  source = null;
}
