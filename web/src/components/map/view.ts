// The map's view in the URL and the visible area as the API reads it, pure.
import type { Box } from '../../client/map.js';

export interface MapView {
  latitude: number;
  longitude: number;
  zoom: number;
}

export const WORLD_VIEW: MapView = { latitude: 25, longitude: 10, zoom: 2 };

/** `?at=lat,lng,zoom` read, or null when it is missing or out of range. */
export function parseView(search: string): MapView | null {
  const at = new URLSearchParams(search).get('at');
  const parts = at?.split(',').map(Number);
  if (!parts || parts.length !== 3 || parts.some((v) => !Number.isFinite(v))) return null;
  const [latitude, longitude, zoom] = parts as [number, number, number];
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180 || zoom < 1 || zoom > 18) return null;
  return { latitude, longitude, zoom: Math.round(zoom) };
}

export function viewParam(view: MapView): string {
  return `${view.latitude.toFixed(5)},${view.longitude.toFixed(5)},${view.zoom}`;
}

/** A longitude brought into -180…180. */
export function wrapLongitude(longitude: number): number {
  const wrapped = ((((longitude + 180) % 360) + 360) % 360) - 180;
  return wrapped === -180 && longitude > 0 ? 180 : wrapped;
}

/**
 * The visible area as the API's bbox: longitudes wrapped (west > east where the view crosses the antimeridian),
 * the whole width when the view spans the world, latitudes within ±90.
 */
export function visibleBox(west: number, south: number, east: number, north: number): Box {
  const lat = (v: number) => Math.max(-90, Math.min(90, v));
  if (east - west >= 360) return [-180, lat(south), 180, lat(north)];
  return [wrapLongitude(west), lat(south), wrapLongitude(east), lat(north)];
}

/** A longitude moved by whole turns into the view's (unwrapped) west…east, so that a marker shows where one looks. */
export function intoView(longitude: number, west: number, east: number): number {
  let shifted = longitude;
  while (shifted < west) shifted += 360;
  while (shifted > east) shifted -= 360;
  return shifted >= west ? shifted : longitude;
}
