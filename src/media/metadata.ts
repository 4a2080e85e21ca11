// Reading a photo's metadata with ExifTool (exiftool-vendored): the I/O edge around ./dates.ts.
//
// One ExifTool instance per process, created on first use, with as many perl workers as cores so that
// metadata never limits ingest; closeMetadataReader() ends them (a later read starts a new instance).

import { constants as fsConstants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DefaultExifToolOptions, ExifTool } from 'exiftool-vendored';
import { EXIFTOOL_MEMORY_BYTES, formatLimit } from './child-limits.js';
import { chooseDateTaken, type TagBag } from './dates.js';
import { withTempDir } from './decoders/tools.js';
import { watchedExiftoolFactory } from './exiftool-process.js';
import { faceRegionsOf, type FaceRegion } from './face-regions.js';
import { copyPngWithout, oversizedPngChunks } from './png-text.js';
import { capKeywords, sidecarProblem } from './sidecar-limits.js';
import type { PlaceNames } from './places.js';
import type { PhotoMetadata } from './types.js';

export type ReadMetadataResult = PhotoMetadata & {
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
  /** What was not read or kept, in words (a sidecar refused, PNG text too big, keywords past the cap); [] if none. */
  notes?: string[];
};

export interface ReadMetadataOptions {
  /**
   * XMP sidecar to merge (its values win field by field). undefined: look one up with findSidecar();
   * null: no sidecar. A sidecar that cannot be read is ignored.
   */
  sidecar?: string | null;
}

/**
 * Largest XMP sidecar read: Lightroom's and digiKam's are kilobytes (a long develop history a few hundred); a
 * 19 MB one held ExifTool for a minute. Larger ones are refused at upload and import, and ignored here.
 */
export const MAX_SIDECAR_BYTES = 4 * 1024 * 1024;

let instance: ExifTool | null = null;

/** The process's ExifTool (reads here; write-back writes sidecars through it too: library/in-place/write-back.ts). */
export function reader(): ExifTool {
  if (instance === null || instance.ended) {
    const processFactory = watchedExiftoolFactory(process.env);
    instance = new ExifTool({
      // each ExifTool under a watchdog that stops it when this process is gone, even by SIGKILL
      ...(processFactory ? { processFactory } : {}),
      maxProcs: Math.max(1, os.availableParallelism()),
      // Numbers, not labels, for these (Orientation 6, not "Rotate 90 CW"; signed decimal degrees).
      numericTags: [...DefaultExifToolOptions.numericTags, 'Rating', 'RatingPercent'],
      // MWG composites reconcile EXIF / IPTC / XMP copies of DateTimeOriginal, Description, Keywords…
      useMWG: true,
      // We choose zones ourselves (./dates.ts), from raw values.
      backfillTimezones: false,
    });
  }
  return instance;
}

/** Ends the ExifTool processes. Safe to call more than once, and before any read. */
export async function closeMetadataReader(): Promise<void> {
  const et = instance;
  instance = null;
  if (et && !et.ended) await et.end();
}

async function isReadableFile(p: string): Promise<boolean> {
  try {
    const s = await stat(p);
    if (!s.isFile()) return false;
    await access(p, fsConstants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The XMP sidecar of a file: `name.ext.xmp` first (darktable, digiKam, Immich), then `name.xmp`
 * (Lightroom, Capture One); extension .xmp or .XMP. Null when there is none.
 */
export async function findSidecar(file: string): Promise<string | null> {
  const parsed = path.parse(file);
  if (parsed.ext.toLowerCase() === '.xmp') return null;
  const stem = path.join(parsed.dir, parsed.name);
  const candidates = [`${file}.xmp`, `${file}.XMP`];
  if (parsed.ext !== '') candidates.push(`${stem}.xmp`, `${stem}.XMP`);
  for (const c of candidates) {
    if (await isReadableFile(c)) return c;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Field extraction (pure helpers over the tag objects exiftool-vendored returns)

function toNumber(value: unknown): number | null {
  if (Array.isArray(value)) return value.length > 0 ? toNumber(value[0]) : null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function cleanText(value: unknown): string | null {
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
 * Combines the tags of a file and of its sidecar into PhotoMetadata. Pure; exported for tests.
 * Sidecar values win field by field where present; width, height and MIME type come from the file. The
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
  const turns = pick(orientation);
  const stored = width && height ? { width, height } : null;
  // A sidecar that names people (digiKam writes them there) speaks for the photo; else the file's own regions.
  const sidecarRegions = sidecar ? faceRegionsOf(sidecar, turns, stored) : [];
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
    keywords: sidecarKeywords.length > 0 ? sidecarKeywords : keywordsOf(file),
    description: pick(description),
    place: pick(placeOf),
    faceRegions: sidecarRegions.length > 0 ? sidecarRegions : faceRegionsOf(file, turns, stored),
    width,
    height,
    mimeFromExif: cleanText(file.MIMEType),
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A clearer reason than ExifTool's for the common cases (a directory gives "Unexpected end of JSON"). */
async function explain(file: string, err: unknown): Promise<string> {
  try {
    const s = await stat(file);
    if (s.isDirectory()) return 'is a directory';
    if (!s.isFile()) return 'not a regular file';
  } catch (statErr) {
    const code = (statErr as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'file not found';
    if (code === 'EACCES') return 'permission denied';
  }
  return messageOf(err);
}

/** ExifTool's process ended mid-read (over its memory limit, or crashed), or it ran past its time. */
function toolFailure(err: unknown): string | null {
  const text = messageOf(err);
  if (/Process terminated before task completed/i.test(text)) {
    return `ExifTool stopped while reading it (it needed more than its ${formatLimit(EXIFTOOL_MEMORY_BYTES)} memory limit, or crashed)`;
  }
  if (/^waited \d+ms|timed? ?out/i.test(text)) return 'ExifTool ran out of time reading it';
  return null;
}

/** The tags of `file`; `name` is what messages call it (the original's path when `file` is a cleaned copy). */
async function readTags(file: string, name = file): Promise<TagBag> {
  let tags: TagBag;
  try {
    tags = (await reader().read(file)) as unknown as TagBag;
  } catch (err) {
    throw new Error(`Cannot read metadata of ${name}: ${toolFailure(err) ?? (await explain(file, err))}`, { cause: err });
  }
  // ExifTool reports "File format error", "File is empty", "Unknown file type"… in Error when it could
  // not parse the file at all. Partial reads (truncated files) only carry warnings: keep those.
  const error = cleanText(tags.Error);
  if (error !== null && cleanText(tags.FileType) === null) {
    throw new Error(`Cannot read metadata of ${name}: ${error}`);
  }
  return tags;
}

/** The photo's tags; a PNG's metadata chunks too big to read are left out (./png-text.ts), with a note. */
async function readPhotoTags(file: string, notes: string[]): Promise<TagBag> {
  const skip = await oversizedPngChunks(file).catch(() => null);
  if (!skip || skip.length === 0) return readTags(file);
  notes.push(...skip.map((chunk) => `${chunk.reason}: not read`));
  return withTempDir(async (dir) => {
    const copy = path.join(dir, path.basename(file));
    await copyPngWithout(file, copy, skip);
    return readTags(copy, file);
  });
}

/** The sidecar's tags, or null with a note saying why it was not read. */
async function readSidecarTags(sidecar: string, notes: string[]): Promise<TagBag | null> {
  const problem = await sidecarProblem(sidecar, MAX_SIDECAR_BYTES);
  if (problem !== null) {
    notes.push(`XMP sidecar not read: ${problem}`);
    return null;
  }
  try {
    return await readTags(sidecar);
  } catch (err) {
    notes.push(`XMP sidecar not read: ${messageOf(err).replace(/^Cannot read metadata of [^:]*: /, '')}`);
    return null;
  }
}

/**
 * Reads a photo's metadata, merged with its XMP sidecar. Throws an Error when ExifTool cannot read the
 * file at all (missing, not a file, unknown or empty content); a damaged file gives what can be read.
 */
export async function readMetadata(file: string, opts: ReadMetadataOptions = {}): Promise<ReadMetadataResult> {
  const sidecarPath = opts.sidecar === undefined ? await findSidecar(file) : opts.sidecar;
  const notes: string[] = [];
  const [tags, sidecarTags] = await Promise.all([
    readPhotoTags(file, notes),
    sidecarPath ? readSidecarTags(sidecarPath, notes) : Promise.resolve(null),
  ]);
  const meta = metadataFromTags(tags, sidecarTags);
  const capped = capKeywords(meta.keywords);
  if (capped.note) notes.push(capped.note);
  return { ...meta, keywords: capped.keywords, notes };
}

const PREVIEW_TAGS = ['JpgFromRaw', 'PreviewImage', 'OtherImage'] as const;

function binarySize(value: unknown): number {
  if (value !== null && typeof value === 'object' && 'bytes' in value) {
    const bytes = (value as { bytes?: unknown }).bytes;
    if (typeof bytes === 'number') return bytes;
  }
  if (typeof value === 'string') {
    const m = /Binary data (\d+) bytes/.exec(value);
    if (m) return Number(m[1]);
  }
  return 0;
}

function isJpeg(buf: Buffer): boolean {
  return buf.length > 4 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff;
}

/**
 * Writes the largest embedded JPEG (JpgFromRaw, PreviewImage or OtherImage — what RAW files carry) of
 * `file` to `dest`. Returns false when there is none (the small EXIF thumbnail does not count).
 */
export async function extractEmbeddedPreview(file: string, dest: string): Promise<boolean> {
  const et = reader();
  let tags: TagBag;
  try {
    // Without -fast: some previews sit in trailers that -fast skips.
    tags = (await et.read(file, { readArgs: [] })) as unknown as TagBag;
  } catch (err) {
    throw new Error(`Cannot read metadata of ${file}: ${await explain(file, err)}`, { cause: err });
  }
  const present = PREVIEW_TAGS.map((tag) => ({ tag, size: binarySize(tags[tag]) }))
    .filter((p) => p.size > 0)
    .sort((a, b) => b.size - a.size);
  for (const { tag } of present) {
    let buf: Buffer;
    try {
      buf = await et.extractBinaryTagToBuffer(tag, file);
    } catch {
      continue;
    }
    if (isJpeg(buf)) {
      await writeFile(dest, buf);
      return true;
    }
  }
  return false;
}
