// Storage locations beside the main store, as the environment names them (SHOEBOX_STORAGE_LOCATIONS and each one's
// SHOEBOX_STORAGE_<NAME>, SHOEBOX_S3_<NAME>_…): read by loadSettings (./settings.ts), checked by its schema.
import { z } from 'zod';

/** `default` names the main store in the API; `locations` would read SHOEBOX_STORAGE_LOCATIONS as its address. */
export const locationName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a storage location name: lower-case letters, digits and dashes')
  .refine((name) => name !== 'default' && name !== 'locations', 'default and locations are reserved names');

/** A location's name as it appears in environment variable names: `shop-a` → `SHOP_A`. */
export function envName(location: string): string {
  return location.toUpperCase().replace(/-/g, '_');
}

/**
 * The storage locations SHOEBOX_STORAGE_LOCATIONS names (`shop-a,shop-b`), each at SHOEBOX_STORAGE_<NAME>
 * (`s3://bucket/prefix` or an absolute folder) with SHOEBOX_S3_<NAME>_ENDPOINT, _REGION, _FORCE_PATH_STYLE,
 * _ACCESS_KEY_ID, _SECRET_ACCESS_KEY, _PUBLIC_ENDPOINT, _PRESIGN_SECONDS, _CACHE_MB where it differs from the main
 * store (another bucket on the same server needs only its address). Unchecked here: the schema checks them.
 */
export function storageLocationsFromEnv(env: NodeJS.ProcessEnv, main: Record<string, unknown>): Record<string, unknown> {
  const names = (env.SHOEBOX_STORAGE_LOCATIONS ?? '').split(/[,\s]+/).filter(Boolean);
  const locations: Record<string, unknown> = {};
  for (const name of names) {
    const checked = locationName.safeParse(name);
    if (!checked.success) throw new Error(`invalid settings: SHOEBOX_STORAGE_LOCATIONS: ${name}: ${checked.error.issues[0]!.message}`);
    const upper = envName(name);
    if (!env[`SHOEBOX_STORAGE_${upper}`]) {
      throw new Error(`invalid settings: SHOEBOX_STORAGE_LOCATIONS names ${name}, but SHOEBOX_STORAGE_${upper} (its s3://bucket/prefix or folder) is not set`);
    }
    const own = (option: string) => env[`SHOEBOX_S3_${upper}_${option}`] || undefined;
    const keyId = own('ACCESS_KEY_ID');
    const secret = own('SECRET_ACCESS_KEY');
    const pathStyle = own('FORCE_PATH_STYLE');
    locations[name] = {
      ...main,
      url: env[`SHOEBOX_STORAGE_${upper}`] || undefined,
      endpoint: own('ENDPOINT') ?? main.endpoint,
      publicEndpoint: own('PUBLIC_ENDPOINT') ?? main.publicEndpoint,
      region: own('REGION') ?? main.region,
      forcePathStyle: pathStyle === undefined ? main.forcePathStyle : pathStyle === '1' || pathStyle === 'true',
      // a key pair is the location's own or the main store's, never half of each
      ...(keyId || secret ? { accessKeyId: keyId, secretAccessKey: secret } : {}),
      presignSeconds: own('PRESIGN_SECONDS') ?? main.presignSeconds,
      cacheMb: own('CACHE_MB') ?? main.cacheMb,
    };
  }
  return locations;
}
