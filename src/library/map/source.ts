// Where the map's detail comes from beyond the built-in world map: a tile server an admin names (an XYZ URL), a map
// style (a MapLibre style JSON's URL: vector maps drawn with WebGL), or a PMTiles file dropped into <data>/maps/ that
// Shoebox serves itself with byte ranges (raster tiles drawn as images, vector tiles — a Protomaps basemap — drawn in
// the browser). Kept in library_meta 'map',
// so that every server of a cluster draws the same map. Nothing is fetched by the server; browsers ask the tile
// server named here, and only then (the egress manifest in the README).
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { UserError } from '../../base/errors.js';
import type { Db } from '../../db/connection.js';
import { libraryMeta } from '../../db/schema.js';

const KEY = 'map';

export interface MapSourceConfig {
  /** `https://tiles.example/{z}/{x}/{y}.png` (with `{s}` subdomains allowed); null: none. */
  tileUrl: string | null;
  /** A MapLibre style JSON's URL (`https://tiles.example/styles/liberty`): its tiles, glyphs and sprites on its host. */
  styleUrl: string | null;
  /** A PMTiles file's name in <data>/maps/ (raster or vector tiles); null: none. */
  pmtiles: string | null;
  /** Credit the tiles' makers ask for ("© OpenStreetMap contributors"). */
  attribution: string | null;
  maxZoom: number;
}

export type MapSource =
  | { kind: 'builtin'; attribution: string }
  | { kind: 'tiles'; tileUrl: string; attribution: string; maxZoom: number }
  | { kind: 'style'; styleUrl: string; attribution: string; maxZoom: number }
  | { kind: 'pmtiles'; pmtilesUrl: string; format: PmtilesFormat; attribution: string; maxZoom: number };

/** How a PMTiles file's tiles are drawn: images, or vector tiles (MVT) painted by the browser. */
export type PmtilesFormat = 'raster' | 'vector';

/** The header's tile type (byte 99 of a version 3 archive): 1 MVT; 2–5 PNG, JPEG, WebP, AVIF. */
const TILE_TYPES: Readonly<Record<number, PmtilesFormat>> = { 1: 'vector', 2: 'raster', 3: 'raster', 4: 'raster', 5: 'raster' };
const HEADER_BYTES = 127;

const DEFAULTS: MapSourceConfig = { tileUrl: null, styleUrl: null, pmtiles: null, attribution: null, maxZoom: 18 };
const BUILTIN_CREDIT = 'Natural Earth · GeoNames';
export const PMTILES_NAME = /^[\w.-]{1,120}\.pmtiles$/;

export const mapsDir = (dataDir: string) => path.join(dataDir, 'maps');

export async function readMapConfig(db: Db): Promise<MapSourceConfig> {
  const [row] = await db.select().from(libraryMeta).where(eq(libraryMeta.key, KEY));
  return { ...DEFAULTS, ...((row?.value as Partial<MapSourceConfig> | undefined) ?? {}) };
}

/** The hosts the web app may load the map from besides Shoebox (its content policy). */
export interface MapOrigins {
  /** Images: a tile server's tiles. */
  images: string[];
  /** Fetched: a style's JSON, tiles, glyphs and sprites. */
  connect: string[];
}

/** Per library (a test process runs several): what each page load's policy needs, read at most every 10 s. */
const originsCache = new WeakMap<Db, { at: number; origins: MapOrigins }>();
/** Bumped by every change of the settings: an answer read before one is not kept over it. */
let settingsChanges = 0;

/**
 * The hosts of what the map draws now (a tile server's, a style's), for the web app's content policy: each page load
 * asks. A PMTiles file, served here, needs none; one gone leaves the next source's.
 */
export async function mapOrigins(db: Db, dataDir: string): Promise<MapOrigins> {
  const cachedOrigins = originsCache.get(db);
  if (cachedOrigins && Date.now() - cachedOrigins.at < 10_000) return cachedOrigins.origins;
  const changes = settingsChanges;
  const { source } = await currentMapSource(db, dataDir);
  const origin = (url: string) => new URL(withoutPlaceholders(url)).origin;
  const origins: MapOrigins =
    source.kind === 'style'
      ? { images: [origin(source.styleUrl)], connect: [origin(source.styleUrl)] }
      : source.kind === 'tiles'
        ? { images: [origin(source.tileUrl)], connect: [] }
        : { images: [], connect: [] };
  if (changes === settingsChanges) originsCache.set(db, { at: Date.now(), origins });
  return origins;
}

/** A tile URL with its placeholders ({z}, {s}, …) filled in, as a browser would ask it: a URL to parse. */
function withoutPlaceholders(url: string): string {
  return url.replace(/\{[a-z]\}/g, 'a');
}

/** An admin's URL (`what`: "style URL", "tile URL"), refused with the reason unless http(s). */
function checkScheme(url: string, what: string): void {
  if (!/^https?:\/\//i.test(url)) throw new UserError('invalid', `the ${what} must start with http:// or https://`);
}

/** Refused with the reason unless `url` parses (a tile URL with its placeholders filled in). */
function checkParses(url: string, what: string): void {
  try {
    new URL(url);
  } catch {
    throw new UserError('invalid', `the ${what} is not a URL`);
  }
}

/** A map style's URL an admin may name: http(s), a URL (its JSON is read by the browsers, never by the server). */
export function checkStyleUrl(url: string): string {
  const trimmed = url.trim();
  checkScheme(trimmed, 'style URL');
  checkParses(trimmed, 'style URL');
  return trimmed;
}

/** A tile URL an admin may name: http(s), with {z}, {x} and {y}; a subdomain placeholder {s} at most. */
export function checkTileUrl(url: string): string {
  const trimmed = url.trim();
  checkScheme(trimmed, 'tile URL');
  for (const part of ['{z}', '{x}', '{y}']) if (!trimmed.includes(part)) throw new UserError('invalid', `the tile URL must hold ${part}`);
  const unknown = [...trimmed.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).filter((name) => !['z', 'x', 'y', 's', 'r'].includes(name!));
  if (unknown.length > 0) throw new UserError('invalid', `the tile URL holds an unknown placeholder {${unknown[0]}}`);
  checkParses(withoutPlaceholders(trimmed), 'tile URL');
  return trimmed;
}

/** The PMTiles files in <data>/maps/ (the admin drops them there), by name. */
export async function pmtilesFiles(dataDir: string): Promise<{ name: string; sizeBytes: number }[]> {
  const names = await readdir(mapsDir(dataDir)).catch(() => [] as string[]);
  const files = [];
  for (const name of names.filter((n) => PMTILES_NAME.test(n)).sort()) {
    const info = await stat(path.join(mapsDir(dataDir), name)).catch(() => null);
    if (info?.isFile()) files.push({ name, sizeBytes: info.size });
  }
  return files;
}

/** A PMTiles file by name, checked: in <data>/maps/, a version 3 archive of tiles the map can draw. */
export async function pmtilesFile(dataDir: string, name: string): Promise<{ path: string; size: number; format: PmtilesFormat }> {
  if (!PMTILES_NAME.test(name)) throw new UserError('invalid', 'a map file is named like world.pmtiles (letters, digits, . _ -)');
  const file = path.join(mapsDir(dataDir), name);
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new UserError('not-found', `no map file ${name} in the data folder's maps/`);
  const handle = await open(file, 'r');
  const head = Buffer.alloc(HEADER_BYTES);
  try {
    await handle.read(head, 0, HEADER_BYTES, 0);
  } finally {
    await handle.close();
  }
  if (info.size < HEADER_BYTES || head.subarray(0, 7).toString('latin1') !== 'PMTiles' || head[7] !== 3) {
    throw new UserError('invalid', `${name} is not a PMTiles version 3 archive`);
  }
  const format = TILE_TYPES[head[99]!];
  if (!format) throw new UserError('invalid', `${name} holds tiles of a type the map cannot draw (${head[99]}): vector (MVT) or PNG, JPEG, WebP, AVIF images`);
  return { path: file, size: info.size, format };
}

/**
 * Changes the map's source; a PMTiles file newly chosen must be there and be one (one chosen before and gone since
 * does not stop the other settings from changing: the admin settings say it is gone).
 */
export async function writeMapConfig(db: Db, dataDir: string, changes: Partial<MapSourceConfig>): Promise<MapSourceConfig> {
  const current = await readMapConfig(db);
  const next: MapSourceConfig = { ...current, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) };
  if (next.tileUrl) next.tileUrl = checkTileUrl(next.tileUrl);
  if (next.styleUrl) next.styleUrl = checkStyleUrl(next.styleUrl);
  if (next.pmtiles && next.pmtiles !== current.pmtiles) await pmtilesFile(dataDir, next.pmtiles);
  await db
    .insert(libraryMeta)
    .values({ key: KEY, value: next })
    .onConflictDoUpdate({ target: libraryMeta.key, set: { value: next, updatedAt: new Date() } });
  settingsChanges++;
  originsCache.delete(db); // the next page load's policy follows at once
  return next;
}

/**
 * What the web app draws: a PMTiles file first (served here; `pmtilesFormat` is what its header says, null when the file
 * is gone or no longer one), else the style, else the tile server, else the built-in map alone.
 */
export function sourceOf(config: MapSourceConfig, pmtilesFormat: PmtilesFormat | null): MapSource {
  const credit = (extra: string | null) => (extra ? `${extra} · ${BUILTIN_CREDIT}` : BUILTIN_CREDIT);
  if (config.pmtiles && pmtilesFormat) {
    const pmtilesUrl = `/api/map/pmtiles/${encodeURIComponent(config.pmtiles)}`;
    return { kind: 'pmtiles', pmtilesUrl, format: pmtilesFormat, attribution: credit(config.attribution), maxZoom: config.maxZoom };
  }
  if (config.styleUrl) return { kind: 'style', styleUrl: config.styleUrl, attribution: credit(config.attribution), maxZoom: config.maxZoom };
  if (config.tileUrl) return { kind: 'tiles', tileUrl: config.tileUrl, attribution: credit(config.attribution), maxZoom: config.maxZoom };
  return { kind: 'builtin', attribution: BUILTIN_CREDIT };
}

/**
 * The map's settings and what they draw now. A PMTiles file removed or replaced by something else after it was chosen
 * does not leave the map blank: the tile server (or the built-in map) is drawn, and `problem` says why, for the admin.
 */
export async function currentMapSource(db: Db, dataDir: string): Promise<{ config: MapSourceConfig; source: MapSource; problem: string | null }> {
  const config = await readMapConfig(db);
  let format: PmtilesFormat | null = null;
  let problem: string | null = null;
  if (config.pmtiles) {
    try {
      format = (await pmtilesFile(dataDir, config.pmtiles)).format;
    } catch (error) {
      const next = config.styleUrl ? 'the style' : config.tileUrl ? 'the tile server' : 'the built-in world map';
      problem = `${error instanceof Error ? error.message : String(error)}: the map draws ${next} instead`;
    }
  }
  return { config, source: sourceOf(config, format), problem };
}
