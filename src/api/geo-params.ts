// The place parameters the photo list, the timeline, search and the map share: `bbox` and `near`.
import { z } from 'zod';
import { MAX_RADIUS_KM, parseBox, parseNear, type BoundingBox } from '../model/geo.js';

/** `minLng,minLat,maxLng,maxLat`; west > east crosses the antimeridian. */
export const bboxParam = z
  .string()
  .max(200)
  .transform((value, ctx): BoundingBox => {
    const box = parseBox(value);
    if (typeof box === 'string') {
      ctx.addIssue({ code: 'custom', message: box });
      return z.NEVER;
    }
    return box;
  })
  .describe('"minLng,minLat,maxLng,maxLat" in degrees, edges included: items taken inside; minLng > maxLng crosses the antimeridian');

/** `lat,lng` or `lat,lng,radiusKm`: the radius is else `radiusKm`'s (default 10 km). */
export const nearParam = z
  .string()
  .max(200)
  .transform((value, ctx): { latitude: number; longitude: number; radiusKm?: number } => {
    const near = parseNear(value);
    if (typeof near === 'string') {
      ctx.addIssue({ code: 'custom', message: near });
      return z.NEVER;
    }
    return near;
  })
  .describe('"latitude,longitude" or "latitude,longitude,radiusKm": items taken within the radius (`radiusKm`, default 10 km) of it, by great-circle distance');

export const radiusKmParam = z.coerce.number().positive().max(MAX_RADIUS_KM).optional().describe('for `near`, default 10 km');
