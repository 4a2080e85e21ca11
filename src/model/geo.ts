// Where a photo was taken, as values: a bounding box and a point with a radius, read from the API's parameters, and
// the great-circle distance. Pure and free of the database (the CLI reads it to check a search's parameters).

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
