// Where a photo was taken, as conditions: a bounding box (across the antimeridian too) and a distance from a point
// (at the poles too). Pure: each takes the latitude and longitude columns as SQL, so the photo list (drizzle's
// `photos`) and search (`p`) share them. The values themselves are model/geo.ts.
import { sql, type SQL } from 'drizzle-orm';
import { EARTH_RADIUS_KM, type BoundingBox, type NearPoint } from '../model/geo.js';

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
