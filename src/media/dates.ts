// Choosing a photo's date taken and its time zone from metadata tags. Pure: no I/O, no clock except
// the optional `now` used for the sanity range.
//
// Input values may be plain strings exactly as ExifTool prints them ("2023:02:02 02:00:00",
// "2000:09:27 14:35:33+02:00", "2023:11:15 12:30:00Z") or XMP/ISO strings ("2000-09-27T14:35:33+02:00"),
// or exiftool-vendored's ExifDateTime / ExifDate / ExifTime objects: only their `rawValue` string is
// used, never the zone exiftool-vendored inferred, so the rules below are the only rules.
//
// Priority of date tags (first valid one wins; all tags of a sidecar are tried before the file's):
//   1. SubSecDateTimeOriginal  DateTimeOriginal    shutter time (EXIF, or MWG composite of EXIF/IPTC/XMP)
//   2. SubSecCreateDate        CreateDate          digitised time (same as 1 for cameras; scan time for scans)
//   3. CreationDate                                QuickTime Keys (phones' videos; first in a QuickTime file), XMP-pdf
//   4. DateTimeCreated                             IPTC DateCreated + TimeCreated (composite)
//   5. DateCreated (+ TimeCreated when date-only)  XMP-photoshop / IPTC
//   6. MediaCreateDate                             QuickTime media header
//   7. GPSDateTime  DateTimeUTC  SonyDateTime2     UTC instants: right instant, but local zone unknown (so are a
//      QuickTime file's CreateDate and MediaCreateDate, the movie header's)
//   8. DateCreated date-only, with no TimeCreated  (midnight; scans often carry only a day)
// ModifyDate, MetadataDate and file-system dates are never a date taken. TimeCreated without a date
// is ignored (a time of day is not a timestamp).
//
// Time zone, for a wall-clock value (no offset inside it):
//   offset tags of the same source (OffsetTimeOriginal for DateTimeOriginal, OffsetTimeDigitized for
//   CreateDate, then OffsetTime, TimeZone (Nikon: +1h when DaylightSavings), TimeZoneOffset), then the
//   zone inferred from GPS coordinates, then (for a sidecar date) the file's offset tags, else none.
// For a value with its own non-zero offset, that offset. A zero offset ("Z", "+00:00") and the UTC-only
// tags of 7 are treated as instants and shown in the local zone when one is known (GPS first).
// timeZone is the IANA name when the GPS zone is known and agrees with the offset used, else "+HH:MM".

import { parseDateTime, parseOffset, parseTime, wallMillis, type ParsedDateTime } from './date-parse.js';
import { formatOffset, formatWall, isIanaTimeZone, zoneOffsetAt, zoneOffsetForWallClock } from './time-zones.js';

export type TagBag = Readonly<Record<string, unknown>>;

export interface DateInput {
  /** Tags read from the media file. */
  file: TagBag;
  /** Tags read from its XMP sidecar, if any: a date found there wins over the file's. */
  sidecar?: TagBag | null;
  /** IANA zone inferred from the photo's GPS position (exiftool-vendored's geoTz), or null. */
  gpsTimeZone?: string | null;
  /** Reference time for the sanity range (dates after now + 1 year are rejected). Default: Date.now(). */
  now?: Date | number;
}

export interface DateChoice {
  /** "YYYY-MM-DDTHH:mm:ss.SSS±HH:MM" when the offset is known, else "YYYY-MM-DDTHH:mm:ss.SSS"; null if none. */
  takenAt: string | null;
  /** IANA zone name, or a fixed offset "+HH:MM", or null when unknown (always null when takenAt is). */
  timeZone: string | null;
  /** The tag the date came from, e.g. "DateTimeOriginal", or null. */
  tag: string | null;
  from: 'file' | 'sidecar' | null;
  /** Where the zone came from. */
  zoneFrom: 'value' | 'offset-tag' | 'gps' | null;
}

/** Full date-time tags, in priority order (see the header of this file). */
export const DATE_TAG_PRIORITY = [
  'SubSecDateTimeOriginal',
  'DateTimeOriginal',
  'SubSecCreateDate',
  'CreateDate',
  'CreationDate',
  'DateTimeCreated',
  'DateCreated',
  'MediaCreateDate',
  'GPSDateTime',
  'DateTimeUTC',
  'SonyDateTime2',
] as const;

/** Tags whose value is UTC by definition, whatever (or whether) an offset is written. */
const UTC_TAGS: ReadonlySet<string> = new Set(['GPSDateTime', 'DateTimeUTC', 'SonyDateTime2']);

/**
 * A QuickTime file (MOV, MP4, M4V, 3GP: phones' videos): its CreateDate and MediaCreateDate are the movie
 * header's, UTC by the format's definition (ExifTool prints them without a zone), and the Keys CreationDate, with
 * its zone, is the camera's local time: it comes first.
 */
const QUICKTIME_UTC_TAGS: ReadonlySet<string> = new Set(['CreateDate', 'MediaCreateDate']);
const QUICKTIME_PRIORITY = ['CreationDate', ...DATE_TAG_PRIORITY.filter((tag) => tag !== 'CreationDate')];

function isQuickTime(tags: TagBag): boolean {
  const mime = tags.MIMEType;
  return typeof mime === 'string' && /^video\/(mp4|quicktime|x-m4v|3gpp2?)$/i.test(mime);
}

const isUtcTag = (tag: string, tags: TagBag) => UTC_TAGS.has(tag) || (QUICKTIME_UTC_TAGS.has(tag) && isQuickTime(tags));

/** The first photograph that survives is from 1826/27. */
export const MIN_YEAR = 1826;
const YEAR_MS = 366 * 24 * 3600 * 1000;

function inSaneRange(p: ParsedDateTime, nowMs: number): boolean {
  if (p.year < MIN_YEAR) return false;
  const instant = wallMillis(p) - (p.offsetMinutes ?? 0) * 60_000;
  return instant <= nowMs + YEAR_MS;
}

// ---------------------------------------------------------------------------------------------------
// Offset tags

function isNikon(tags: TagBag): boolean {
  const make = tags.Make;
  return typeof make === 'string' && /nikon/i.test(make);
}

function isTrue(value: unknown): boolean {
  return value === true || value === 1 || (typeof value === 'string' && /^(yes|on|true|1)$/i.test(value.trim()));
}

/** Offset from the offset tags of one source, tag-specific ones first. */
function offsetFromTags(tags: TagBag, dateTag: string): number | null {
  const specific =
    dateTag === 'DateTimeOriginal' || dateTag === 'SubSecDateTimeOriginal'
      ? ['OffsetTimeOriginal']
      : dateTag === 'CreateDate' || dateTag === 'SubSecCreateDate'
        ? ['OffsetTimeDigitized']
        : [];
  for (const name of [...specific, 'OffsetTime', 'OffsetTimeOriginal', 'OffsetTimeDigitized']) {
    const off = parseOffset(tags[name]);
    if (off !== null) return off;
  }
  let tz = parseOffset(tags.TimeZone);
  if (tz !== null) {
    // Nikon stores the standard-time zone and a separate DST flag (exiftool-vendored issue #215).
    if (isNikon(tags) && isTrue(tags.DaylightSavings)) tz += 60;
    return tz;
  }
  return parseOffset(tags.TimeZoneOffset);
}

// ---------------------------------------------------------------------------------------------------
// Choosing

interface Candidate {
  tag: string;
  parsed: ParsedDateTime;
}

function findCandidate(tags: TagBag, nowMs: number): Candidate | null {
  const ok = (p: ParsedDateTime | null): p is ParsedDateTime => p !== null && inSaneRange(p, nowMs);
  for (const tag of isQuickTime(tags) ? QUICKTIME_PRIORITY : DATE_TAG_PRIORITY) {
    const parsed = parseDateTime(tags[tag]);
    if (!ok(parsed)) continue;
    if (parsed.hasTime) return { tag, parsed };
    if (tag === 'DateCreated') {
      // IPTC DateCreated is a date; its time is in TimeCreated.
      const time = parseTime(tags.TimeCreated);
      if (time) {
        const combined: ParsedDateTime = { ...parsed, ...time, hasTime: true };
        if (ok(combined)) return { tag: 'DateCreated+TimeCreated', parsed: combined };
      }
    }
  }
  // Last resort: a date without a time of day.
  const dateOnly = parseDateTime(tags.DateCreated);
  if (ok(dateOnly) && !dateOnly.hasTime) return { tag: 'DateCreated', parsed: dateOnly };
  return null;
}

const NONE: DateChoice = { takenAt: null, timeZone: null, tag: null, from: null, zoneFrom: null };

/**
 * Picks the date taken and its time zone. See the header of this file for the rules.
 */
export function chooseDateTaken(input: DateInput): DateChoice {
  const nowMs = input.now === undefined ? Date.now() : typeof input.now === 'number' ? input.now : input.now.getTime();
  const gpsZone = isIanaTimeZone(input.gpsTimeZone) ? input.gpsTimeZone : null;

  let from: 'file' | 'sidecar' = 'sidecar';
  let candidate = input.sidecar ? findCandidate(input.sidecar, nowMs) : null;
  if (!candidate) {
    from = 'file';
    candidate = findCandidate(input.file, nowMs);
  }
  if (!candidate) return { ...NONE };

  const { tag, parsed } = candidate;
  const sourceTags = from === 'sidecar' ? (input.sidecar ?? {}) : input.file;
  const wall = wallMillis(parsed);
  const done = (wallMs: number, offset: number | null, timeZone: string | null, zoneFrom: DateChoice['zoneFrom']): DateChoice => ({
    takenAt: offset === null ? formatWall(wallMs) : formatWall(wallMs) + formatOffset(offset),
    timeZone,
    tag,
    from,
    zoneFrom,
  });
  /** The GPS zone's name when it agrees with `offset` at that instant, else the offset itself. */
  const zoneName = (instant: number, offset: number): string =>
    gpsZone !== null && zoneOffsetAt(gpsZone, instant) === offset ? gpsZone : formatOffset(offset);

  const utcTag = isUtcTag(tag, sourceTags);
  const isInstant = utcTag || parsed.offsetMinutes === 0;
  if (isInstant || parsed.offsetMinutes !== null) {
    const offset = parsed.offsetMinutes ?? 0; // UTC tags without an offset are UTC
    const instant = wall - offset * 60_000;
    if (!isInstant) return done(wall, offset, zoneName(instant, offset), 'value');
    // A UTC instant: show it in the local zone when one is known.
    if (gpsZone !== null) {
      const local = zoneOffsetAt(gpsZone, instant);
      if (local !== null) return done(instant + local * 60_000, local, gpsZone, 'gps');
    }
    const fromTags = offsetFromTags(sourceTags, tag) ?? (from === 'sidecar' ? offsetFromTags(input.file, tag) : null);
    if (fromTags !== null) return done(instant + fromTags * 60_000, fromTags, formatOffset(fromTags), 'offset-tag');
    // UTC-only tags say nothing about where the photo was taken; an explicit "+00:00" does.
    return utcTag ? done(instant, 0, null, null) : done(instant, 0, formatOffset(0), 'value');
  }

  // Wall-clock value.
  const own = offsetFromTags(sourceTags, tag);
  if (own !== null) return done(wall, own, zoneName(wall - own * 60_000, own), 'offset-tag');
  if (gpsZone !== null) {
    const off = zoneOffsetForWallClock(gpsZone, wall);
    if (off !== null) return done(wall, off, gpsZone, 'gps');
  }
  if (from === 'sidecar') {
    const fileOffset = offsetFromTags(input.file, tag);
    if (fileOffset !== null) return done(wall, fileOffset, formatOffset(fileOffset), 'offset-tag');
  }
  return done(wall, null, null, null);
}
