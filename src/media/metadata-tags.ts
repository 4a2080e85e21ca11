// Turning the tags ExifTool read (the objects exiftool-vendored returns) into PhotoMetadata: camera, lens, rating,
// keywords, description, place, position, size and face regions. Pure; reading the tags is ./metadata.ts's job,
// choosing the date ./dates.ts's.

import { DefaultExifToolOptions } from 'exiftool-vendored';
import type { TakeoutSidecar } from './takeout-json.js';
import { chooseDateTaken, type TagBag } from './dates.js';
import { faceRegionsOf, regionPersonName, type FaceRegion } from './face-regions.js';
import { encodingOf, lineageOf, type Encoding, type Lineage } from './file-facts.js';
import type { PlaceNames } from './places.js';
import type { ByteRange } from './motion-photo.js';
import type { PhotoMetadata } from './types.js';

export type ReadMetadataResult = PhotoMetadata & {
  /** The file or its sidecar marks the photo a favourite (`xmp:Label` "Favorite", as Shoebox's export writes it). */
  favorite?: boolean;
  /** Pixel size as stored in the file (EXIF orientation not applied), or null. */
  width: number | null;
  height: number | null;
  /** MIME type ExifTool recognised from the content, e.g. "image/jpeg". */
  mimeFromExif?: string | null;
  /**
   * Where it was taken, in the photographer's own words (IPTC / XMP location fields), as written; null
   * when the file names no place. countryCode is upper-cased but not checked (IPTC IIM uses alpha-3).
   */
  place: PlaceNames | null;
  /** People named in the file (MWG or Microsoft face regions), boxes on the upright image (0–1). */
  faceRegions: FaceRegion[];
  /**
   * People the file says are in the photo without saying where (XMP `Iptc4xmpExt:PersonInImage`, a Google Takeout
   * sidecar's `people[]`): put on a face where only one face and one name are left (library/people/hints.ts).
   */
  peopleNamed: string[];
  /** What was not read or kept, in words (a sidecar refused, PNG text too big, keywords past the cap); [] if none. */
  notes?: string[];
  /** A motion photo's embedded video, as a byte range of the file (./motion-photo.ts); null when it has none. */
  motion?: ByteRange | null;
  /** An Apple Live Photo's content identifier, shared by its still and its MOV (./motion-photo.ts); null: none. */
  liveId?: string | null;
  /** Apple's BurstUUID, shared by the frames of one burst (./motion-photo.ts); null: none. */
  burstId?: string | null;
  /** How the file stores its pixels, and what its own tags say of its making (./file-facts.ts): never a sidecar's. */
  encoding: Encoding;
  lineage: Lineage;
};

function toNumber(value: unknown): number | null {
  if (Array.isArray(value)) return value.length > 0 ? toNumber(value[0]) : null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** A tag's text without control characters, trimmed; null when nothing is left. */
export function cleanText(value: unknown): string | null {
  if (Array.isArray(value)) value = value[0];
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return null;
  const s = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').trim();
  return s === '' ? null : s;
}

function firstText(tags: TagBag, names: readonly string[], reject?: (s: string) => boolean): string | null {
  for (const name of names) {
    const s = cleanText(tags[name]);
    if (s !== null && !(reject?.(s) ?? false)) return s;
  }
  return null;
}

function gps(tags: TagBag): { latitude: number; longitude: number } | null {
  const latitude = toNumber(tags.GPSLatitude);
  const longitude = toNumber(tags.GPSLongitude);
  if (latitude === null || longitude === null) return null;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  // 0,0 ("Null Island") is what some software writes for "no position".
  if (latitude === 0 && longitude === 0) return null;
  return { latitude, longitude };
}

function orientation(tags: TagBag): number | null {
  const n = toNumber(tags.Orientation);
  return n !== null && Number.isInteger(n) && n >= 1 && n <= 8 ? n : null;
}

const LENS_JUNK = /^(unknown\b|n\/a$|none$|-+$|0$)/i;

function lens(tags: TagBag): string | null {
  return firstText(tags, ['LensModel', 'Lens', 'LensID', 'LensType', 'LensSpec'], (s) => LENS_JUNK.test(s));
}

function rating(tags: TagBag): number | null {
  const r = toNumber(tags.Rating);
  if (r !== null && Number.isInteger(r) && r >= -1 && r <= 5) return r;
  const pct = toNumber(tags.RatingPercent);
  if (pct === null || pct < 0 || pct > 100) return null;
  // Windows' mapping: 1 → 1 star, 25 → 2, 50 → 3, 75 → 4, 99 → 5.
  if (pct === 0) return 0;
  if (pct < 25) return 1;
  if (pct < 50) return 2;
  if (pct < 75) return 3;
  if (pct < 99) return 4;
  return 5;
}

function list(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const out: string[] = [];
  for (const item of items) {
    const s = cleanText(item);
    if (s !== null) out.push(s);
  }
  return out;
}

function hierarchical(s: string, separator: string): string {
  return s
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join('/');
}

/** Flat and hierarchical keywords, trimmed, de-duplicated (case-insensitively), in tag order. */
export function keywordsOf(tags: TagBag): string[] {
  const all: string[] = [
    ...list(tags.Keywords), // IPTC (Picasa, Photoshop…) or the MWG composite of IPTC + XMP dc:subject
    ...list(tags.Subject), // XMP dc:subject
    ...list(tags.XPKeywords).flatMap((s) => s.split(';')), // Windows
    ...list(tags.HierarchicalSubject).map((s) => hierarchical(s, '|')), // Lightroom
    ...list(tags.TagsList).map((s) => hierarchical(s, '/')), // digiKam
    ...list(tags.LastKeywordXMP).map((s) => hierarchical(s, '/')), // Windows Photo Gallery
    ...list(tags.CatalogSets).map((s) => hierarchical(s, '|')), // MediaPro
  ];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of all) {
    const k = raw.trim();
    if (k === '' || seen.has(k.toLowerCase())) continue;
    seen.add(k.toLowerCase());
    out.push(k);
  }
  return out;
}

/** The most names of people in one photo that are kept (a team photo has dozens; a list of thousands is junk). */
const MAX_PEOPLE_NAMED = 100;

/** `PersonInImage` names, each once (case-insensitively), as face regions' names are cleaned. */
export function peopleNamedOf(tags: TagBag): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of list(tags.PersonInImage)) {
    const name = regionPersonName(raw);
    if (!name || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    out.push(name);
    if (out.length === MAX_PEOPLE_NAMED) break;
  }
  return out;
}

/** What cameras write when nobody wrote a description. */
const DESCRIPTION_JUNK = new Set(
  [
    'OLYMPUS DIGITAL CAMERA',
    'SONY DSC',
    'DIGITAL CAMERA',
    'KONICA MINOLTA DIGITAL CAMERA',
    'MINOLTA DIGITAL CAMERA',
    'KODAK DIGITAL STILL CAMERA',
    'SAMSUNG DIGITAL CAMERA',
    'SAMSUNG CAMERA PICTURES',
    'DIGITAL STILL CAMERA',
    'EXIF_JPEG_PICTURE',
    'EXIF JPEG PICTURE',
    'CAMERA',
    'DCF 1.0',
    'PENTAX DIGITAL CAMERA',
    'NIKON DIGITAL CAMERA',
    'LEICA DIGITAL CAMERA',
    'CASIO DIGITAL CAMERA',
    'RICOH DIGITAL CAMERA',
    'FUJIFILM DIGITAL CAMERA',
    'DEFAULT',
    'IMAGE',
    'PICTURE',
  ].map((s) => s.toUpperCase()),
);

function isJunkDescription(s: string): boolean {
  return DESCRIPTION_JUNK.has(s.replace(/\s+/g, ' ').toUpperCase()) || /^[\s?._-]*$/.test(s);
}

function description(tags: TagBag): string | null {
  return firstText(tags, ['ImageDescription', 'Description', 'Caption-Abstract'], isJunkDescription);
}

/** Placeholders some software writes into empty location fields ("-", "---", "?"). */
const PLACE_JUNK = /^[\s\-?._,/]*$/;

/** The first entry of an XMP location structure (LocationCreated / LocationShown are bags of them). */
function locationStruct(value: unknown): TagBag | null {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === 'object' ? (first as TagBag) : null;
}

/**
 * Location names: the legacy IPTC / XMP-photoshop fields (City, State / Province-State, Country /
 * Country-PrimaryLocationName, CountryCode / Country-PrimaryLocationCode: MWG reconciles IPTC with
 * XMP), then XMP-iptcExt LocationCreated (where the photo was taken), then LocationShown, each field
 * from the first that has it. Null when there is none.
 */
export function placeOf(tags: TagBag): PlaceNames | null {
  const structs = [locationStruct(tags.LocationCreated), locationStruct(tags.LocationShown)];
  const field = (names: readonly string[], key: string): string | null => {
    const direct = firstText(tags, names, (s) => PLACE_JUNK.test(s));
    if (direct !== null) return direct;
    for (const st of structs) {
      const s = st ? firstText(st, [key], (v) => PLACE_JUNK.test(v)) : null;
      if (s !== null) return s;
    }
    // The same fields flattened (when structures are read with -struct 0).
    return firstText(tags, [`LocationCreated${key}`, `LocationShown${key}`], (s) => PLACE_JUNK.test(s));
  };
  const place: PlaceNames = {
    city: field(['City'], 'City'),
    state: field(['State', 'Province-State'], 'ProvinceState'),
    country: field(['Country', 'Country-PrimaryLocationName'], 'CountryName'),
    countryCode: field(['CountryCode', 'Country-PrimaryLocationCode'], 'CountryCode')?.toUpperCase() ?? null,
  };
  return Object.values(place).some((v) => v !== null) ? place : null;
}

function dimensions(tags: TagBag): { width: number | null; height: number | null } {
  // Composite ImageSize is the real image for RAW files, where ImageWidth may describe a preview.
  // `\d+x\d+` or `\d+ \d+`: a short value only (its spaces could be split three ways: quadratic on a long one)
  const text = typeof tags.ImageSize === 'string' ? tags.ImageSize.trim() : '';
  const size = text.length <= 32 ? /^(\d+)\s*[x ]\s*(\d+)$/.exec(text) : null;
  const pos = (n: number | null): number | null => (n !== null && Number.isInteger(n) && n > 0 ? n : null);
  if (size) {
    const w = pos(Number(size[1]));
    const h = pos(Number(size[2]));
    if (w !== null && h !== null) return { width: w, height: h };
  }
  return { width: pos(toNumber(tags.ImageWidth)), height: pos(toNumber(tags.ImageHeight)) };
}

function geoZone(latitude: number, longitude: number): string | null {
  try {
    return DefaultExifToolOptions.geoTz(latitude, longitude) ?? null;
  } catch {
    return null;
  }
}

/**
 * The file's tags with a Google Takeout sidecar's facts under them: each fact fills only what the file does not say
 * (its own date, position or description wins). The date goes in as a UTC instant (`DateTimeUTC`), so it is shown in
 * the zone of the photo's place, the file's or the sidecar's, as a UTC tag of the file would be.
 */
export function withTakeoutFacts(file: TagBag, facts: TakeoutSidecar): TagBag {
  const under: Record<string, unknown> = {};
  if (facts.takenAt) under.DateTimeUTC = `${facts.takenAt.toISOString().slice(0, 19).replace('T', ' ').replace(/-/gu, ':')}Z`;
  const merged: Record<string, unknown> = { ...under, ...file };
  if (facts.place && !gps(file)) {
    merged.GPSLatitude = facts.place.latitude;
    merged.GPSLongitude = facts.place.longitude;
    if (facts.place.altitude !== undefined && file.GPSAltitude === undefined) merged.GPSAltitude = facts.place.altitude;
  }
  if (facts.description && !description(file)) merged.ImageDescription = facts.description;
  if (facts.people.length > 0 && peopleNamedOf(file).length === 0) merged.PersonInImage = facts.people;
  return merged;
}

/**
 * Combines the tags of a file and of its sidecar into PhotoMetadata. Pure; exported for tests.
 * Sidecar values win field by field where present; width, height, MIME type, encoding and lineage come from the file. The
 * place is taken whole, from the sidecar when it names one, so that one source's city never sits with
 * another's country.
 */
export function metadataFromTags(file: TagBag, sidecar: TagBag | null, now?: Date | number): ReadMetadataResult {
  const position = (sidecar ? gps(sidecar) : null) ?? gps(file);
  const date = chooseDateTaken({
    file,
    sidecar,
    gpsTimeZone: position ? geoZone(position.latitude, position.longitude) : null,
    ...(now === undefined ? {} : { now }),
  });
  const pick = <T>(get: (t: TagBag) => T | null): T | null => (sidecar ? get(sidecar) : null) ?? get(file);
  const sidecarKeywords = sidecar ? keywordsOf(sidecar) : [];
  const { width, height } = dimensions(file);
  // the file's own: the decode turns the pixels upright by it; a sidecar's (write-back puts the user's turn on top
  // of the file's there, for other tools) is an edit, not how the file is stored
  const turns = orientation(file);
  const stored = width && height ? { width, height } : null;
  // A sidecar that names people (digiKam writes them there) speaks for the photo; else the file's own regions.
  const sidecarRegions = sidecar ? faceRegionsOf(sidecar, turns, stored) : [];
  const sidecarPeople = sidecar ? peopleNamedOf(sidecar) : [];
  return {
    takenAt: date.takenAt,
    timeZone: date.timeZone,
    latitude: position?.latitude ?? null,
    longitude: position?.longitude ?? null,
    orientation: turns,
    make: pick((t) => firstText(t, ['Make', 'AndroidMake'])),
    model: pick((t) => firstText(t, ['Model', 'AndroidModel'])),
    lens: pick(lens),
    rating: pick(rating),
    favorite: pick((t) => (cleanText(t.Label)?.toLowerCase() === 'favorite' ? true : null)) ?? false,
    keywords: sidecarKeywords.length > 0 ? sidecarKeywords : keywordsOf(file),
    description: pick(description),
    place: pick(placeOf),
    faceRegions: sidecarRegions.length > 0 ? sidecarRegions : faceRegionsOf(file, turns, stored),
    peopleNamed: sidecarPeople.length > 0 ? sidecarPeople : peopleNamedOf(file),
    width,
    height,
    mimeFromExif: cleanText(file.MIMEType),
    encoding: encodingOf(file),
    lineage: lineageOf(file),
  };
}
