// The XMP sidecar an exported photo gets: everything Shoebox knows of it that another tool should see — the date
// with its zone, the place, the rating, the favourite, keywords, the description, people as MWG face regions (and as
// a PersonInImage list, with those named without a face), the user's turn and crop — in the tags digiKam,
// Lightroom, darktable and Immich read. The marks are write-back's
// (library/write-back/write-back.ts), so that a library in place and an export say the same.
import type { StoredEdit } from '../../model/photo-edit.js';
import { sidecarTags } from '../write-back/write-back.js';

/** A photo as GET /api/photos/:id describes it: what an export reads, from a server or from the library. */
export interface ExportPhoto {
  id: string;
  filename: string;
  sha256: string;
  favorite: boolean;
  /** The date it is listed by: its date text, else the instant of the file's time that dates it (absent: none). */
  takenAt?: string | null;
  /** In the archive (absent from a server before it). */
  archived?: boolean;
  width: number | null;
  height: number | null;
  edit: StoredEdit | null;
  metadata: {
    takenAt: string | null;
    /** The zone it was taken in (an IANA name or an offset), when known. */
    timeZone?: string | null;
    latitude: number | null;
    longitude: number | null;
    orientation: number | null;
    rating: number | null;
    keywords: string[];
    description: string | null;
  };
  faces: { personName: string | null; box: { x: number; y: number; width: number; height: number } }[];
  albums: { name: string; kind: string }[];
  /** People the file named without a place, on none of the faces (absent from a server before them). */
  peopleHints?: string[];
}

/** Everyone named in the photo: the people on its faces, then those it names without a place. */
function everyone(photo: ExportPhoto): string[] {
  return [...new Set([...photo.faces.flatMap((face) => (face.personName ? [face.personName] : [])), ...(photo.peopleHints ?? [])])];
}

/** `2019-07-14T11:00:00.170+01:00` → `2019:07:14 11:00:00.170+01:00` (ExifTool's form; an offset only when known). */
export function exifDate(iso: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?([+-]\d{2}:\d{2}|Z)?$/u.exec(iso);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  // whole seconds as they were read (`.000` is how Shoebox writes a date without fractions)
  const sub = fraction && fraction !== '.000' ? fraction : '';
  return `${y}:${mo}:${d} ${h}:${mi}:${s}${sub}${zone === 'Z' ? '+00:00' : (zone ?? '')}`;
}

/** The tags to write into a new sidecar (none is read from an existing one: an export writes its own). */
export function exportXmpTags(photo: ExportPhoto): Record<string, unknown> {
  const named = photo.faces.filter((face) => face.personName);
  const tags = sidecarTags(
    {
      rating: photo.metadata.rating,
      rating_by_user: false,
      favorite: photo.favorite,
      keywords: photo.metadata.keywords,
      description: photo.metadata.description,
      width: photo.width,
      height: photo.height,
      edit: photo.edit,
      orientation: photo.metadata.orientation,
      faces: named.map((face) => ({ name: face.personName!, ...face.box })),
    },
    {},
    new Set(),
  );
  const taken = photo.metadata.takenAt ? exifDate(photo.metadata.takenAt) : null;
  if (taken) {
    tags['XMP-exif:DateTimeOriginal'] = taken;
    tags['XMP-photoshop:DateCreated'] = taken;
  }
  // the people as a plain list too: tools that read no regions (and Shoebox, for a name without a face) read this
  const people = everyone(photo);
  if (people.length > 0) tags['XMP-iptcExt:PersonInImage'] = people;
  const { latitude, longitude } = photo.metadata;
  if (latitude !== null && longitude !== null) {
    tags['XMP-exif:GPSLatitude'] = latitude;
    tags['XMP-exif:GPSLongitude'] = longitude;
  }
  // null means "clear it" to ExifTool; a new file has nothing to clear
  for (const [key, value] of Object.entries(tags)) if (value === null || (Array.isArray(value) && value.length === 0)) delete tags[key];
  return tags;
}

/**
 * The photo's Google Takeout-style JSON sidecar (`--takeout-json`): for tools that read Takeout exports, and read back
 * by `shoebox import --from google-takeout`. A date without a zone is taken as UTC; a photo dated by its file's time
 * has that time (a Takeout import unpacks files with the time of the import: it would date them then).
 */
export function takeoutJson(photo: ExportPhoto): string {
  const { latitude, longitude, description } = photo.metadata;
  const takenAt = photo.metadata.takenAt ?? photo.takenAt ?? null;
  const instant = takenAt ? Date.parse(/(?:[+-]\d{2}:\d{2}|Z)$/u.test(takenAt) ? takenAt : `${takenAt}Z`) : NaN;
  const people = everyone(photo);
  return `${JSON.stringify(
    {
      title: photo.filename,
      description: description ?? '',
      ...(Number.isFinite(instant) ? { photoTakenTime: { timestamp: String(Math.floor(instant / 1000)), formatted: new Date(instant).toUTCString() } } : {}),
      geoData: { latitude: latitude ?? 0, longitude: longitude ?? 0, altitude: 0, latitudeSpan: 0, longitudeSpan: 0 },
      ...(people.length > 0 ? { people: people.map((name) => ({ name })) } : {}),
      favorited: photo.favorite,
      ...(photo.archived ? { archived: true } : {}),
    },
    null,
    2,
  )}\n`;
}

/** Google's name for a photo's sidecar: `IMG.jpg.supplemental-metadata.json`, cut to 51 characters as Google cuts it. */
export function takeoutJsonName(fileName: string): string {
  return `${`${fileName}.supplemental-metadata`.slice(0, 46)}.json`;
}
