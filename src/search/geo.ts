// Where a photo was taken, as conditions: a bounding box (across the antimeridian too) and a distance from a point
// (at the poles too). Pure: each takes the latitude and longitude columns as SQL, so the photo list (drizzle's
// `photos`) and search (`p`) share them.
import { sql, type SQL } from 'drizzle-orm';

export const EARTH_RADIUS_KM = 6371.0088;
/** Half the way round the earth: a circle this wide holds every place. */
export const MAX_RADIUS_KM = 20_040;

/** West, south, east, north edges in degrees; west > east crosses the antimeridian. Edges are inside. */
export interface BoundingBox {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

export interface NearPoint {
  latitude: number;
  longitude: number;
  radiusKm: number;
}

const f = (v: number) => sql`${v}::float8`;

/** Inside the box, its edges included; a box whose west edge is east of its east edge wraps the antimeridian. */
export function boxCondition(lat: SQL, lng: SQL, box: BoundingBox): SQL {
  const lats = sql`${lat} between ${f(box.minLat)} and ${f(box.maxLat)}`;
  if (box.minLng <= box.maxLng) return sql`(${lats} and ${lng} between ${f(box.minLng)} and ${f(box.maxLng)})`;
  return sql`(${lats} and (${lng} >= ${f(box.minLng)} or ${lng} <= ${f(box.maxLng)}))`;
}

/**
 * Great-circle distance (haversine) within the radius, after a latitude band and, away from the poles and the
 * antimeridian, a longitude band that cut the rows the distance is computed for.
 */
export function nearCondition(lat: SQL, lng: SQL, near: NearPoint): SQL {
  const { latitude, longitude, radiusKm } = near;
  const latDelta = (radiusKm / EARTH_RADIUS_KM) * (180 / Math.PI);
  const cosLat = Math.cos((latitude * Math.PI) / 180);
  // a circle reaching a pole spans every longitude; its band is all of them
  const reachesPole = Math.abs(latitude) + latDelta >= 90 || cosLat < 1e-9;
  const lngDelta = reachesPole ? 180 : Math.min(180, (Math.asin(Math.min(1, Math.sin(radiusKm / EARTH_RADIUS_KM) / cosLat)) * 180) / Math.PI);
  const west = longitude - lngDelta;
  const east = longitude + lngDelta;
  const band =
    lngDelta >= 180
      ? sql`true`
      : west < -180
        ? sql`(${lng} >= ${f(west + 360)} or ${lng} <= ${f(east)})`
        : east > 180
          ? sql`(${lng} >= ${f(west)} or ${lng} <= ${f(east - 360)})`
          : sql`${lng} between ${f(west)} and ${f(east)}`;
  // the bands are widened by a hair so that a point exactly on the circle is not lost to rounding in the band
  const epsilon = 1e-9;
  return sql`(${lat} between ${f(latitude - latDelta - epsilon)} and ${f(latitude + latDelta + epsilon)} and ${band}
    and ${distanceKm(lat, lng, latitude, longitude)} <= ${f(radiusKm)})`;
}

/** Haversine distance in km from the row's position to a point. */
export function distanceKm(lat: SQL, lng: SQL, latitude: number, longitude: number): SQL {
  return sql`2 * ${f(EARTH_RADIUS_KM)} * asin(least(1, sqrt(
      power(sin(radians(${lat} - ${f(latitude)}) / 2), 2)
      + cos(radians(${f(latitude)})) * cos(radians(${lat})) * power(sin(radians(${lng} - ${f(longitude)}) / 2), 2)
    )))`;
}

/** The same distance in JavaScript (tests, the map's own checks). */
export function haversineKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.latitude - a.latitude) * rad) / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(((b.longitude - a.longitude) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** `minLng,minLat,maxLng,maxLat` read, or the reason it cannot be. */
export function parseBox(text: string): BoundingBox | string {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length !== 4 || parts.some((part) => !/^-?\d+(\.\d+)?$/.test(part))) {
    return 'bbox must be "minLng,minLat,maxLng,maxLat" in decimal degrees';
  }
  const [minLng, minLat, maxLng, maxLat] = parts.map(Number) as [number, number, number, number];
  if ([minLng, maxLng].some((v) => Math.abs(v) > 180)) return 'bbox longitudes must be within ±180';
  if ([minLat, maxLat].some((v) => Math.abs(v) > 90)) return 'bbox latitudes must be within ±90';
  if (minLat > maxLat) return 'bbox minLat must not be above maxLat';
  return { minLng, minLat, maxLng, maxLat };
}

/** `lat,lng` or `lat,lng,radiusKm` read (the radius only when given), or the reason it cannot be. */
export function parseNear(text: string): { latitude: number; longitude: number; radiusKm?: number } | string {
  const parts = text.split(',').map((part) => part.trim());
  if ((parts.length !== 2 && parts.length !== 3) || parts.some((part) => !/^-?\d+(\.\d+)?$/.test(part))) {
    return 'near must be "latitude,longitude" or "latitude,longitude,radiusKm" in decimal degrees and km';
  }
  const [latitude, longitude, radiusKm] = parts.map(Number) as [number, number, number | undefined];
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return 'latitude must be within ±90 and longitude within ±180';
  if (radiusKm === undefined) return { latitude, longitude };
  if (!(radiusKm > 0) || radiusKm > MAX_RADIUS_KM) return `the radius must be more than 0 and at most ${MAX_RADIUS_KM} km (half the way round the earth)`;
  return { latitude, longitude, radiusKm };
}

/** A parsed `near` with its radius: its own (the three-part form), else `radiusKm`, else 10 km. */
export function nearOf(near: { latitude: number; longitude: number; radiusKm?: number } | undefined, radiusKm?: number): NearPoint | undefined {
  return near ? { latitude: near.latitude, longitude: near.longitude, radiusKm: near.radiusKm ?? radiusKm ?? 10 } : undefined;
}
