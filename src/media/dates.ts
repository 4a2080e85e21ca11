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
//   3. CreationDate                                QuickTime Keys (phones' videos), XMP-pdf
//   4. DateTimeCreated                             IPTC DateCreated + TimeCreated (composite)
//   5. DateCreated (+ TimeCreated when date-only)  XMP-photoshop / IPTC
//   6. MediaCreateDate                             QuickTime media header
//   7. GPSDateTime  DateTimeUTC  SonyDateTime2     UTC instants: right instant, but local zone unknown
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

/** A parsed date-time; offsetMinutes null when the value carries no offset. */
export interface ParsedDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  offsetMinutes: number | null;
  hasTime: boolean;
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

/** The first photograph that survives is from 1826/27. */
export const MIN_YEAR = 1826;
const YEAR_MS = 366 * 24 * 3600 * 1000;
const MAX_OFFSET_MINUTES = 14 * 60;

// ---------------------------------------------------------------------------------------------------
// Parsing

function rawString(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && 'rawValue' in value) {
    const raw = (value as { rawValue?: unknown }).rawValue;
    if (typeof raw === 'string') return raw;
  }
  return null;
}

/** Parses "+01:00", "-0530", "+05", "Z", "UTC+2", "UTC-03:30", "UTC" into minutes east of UTC. */
export function parseOffset(value: unknown): number | null {
  if (typeof value === 'number') {
    // EXIF TimeZoneOffset: whole hours
    if (!Number.isInteger(value) || Math.abs(value) > 14) return null;
    return value * 60;
  }
  if (Array.isArray(value)) return value.length > 0 ? parseOffset(value[0]) : null;
  const s = rawString(value)?.trim();
  if (!s) return null;
  if (s === 'Z' || /^(UTC|GMT)$/i.test(s)) return 0;
  const m = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(s);
  if (!m) {
    // TimeZoneOffset printed as "1" or "-5 -5"
    const hours = /^(-?\d{1,2})(?:\s+-?\d{1,2})?$/.exec(s);
    return hours ? parseOffset(Number(hours[1])) : null;
  }
  const sign = m[1] === '-' ? -1 : 1;
  const h = Number(m[2]);
  const min = m[3] === undefined ? 0 : Number(m[3]);
  if (min > 59) return null;
  const total = sign * (h * 60 + min);
  return Math.abs(total) <= MAX_OFFSET_MINUTES ? total : null;
}

const DATE_RE =
  /^(\d{4})[:-](\d{2})[:-](\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function fractionToMillis(fraction: string | undefined): number {
  if (!fraction) return 0;
  return Number(`${fraction}00`.slice(0, 3));
}

function fieldsValid(p: ParsedDateTime): boolean {
  if (p.month < 1 || p.month > 12 || p.day < 1) return false;
  if (p.hour > 23 || p.minute > 59 || p.second > 59) return false;
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day));
  // Date.UTC maps years 0..99 to 1900..1999; the year range check rejects those anyway.
  return d.getUTCMonth() === p.month - 1 && d.getUTCDate() === p.day;
}

/**
 * Parses an EXIF ("YYYY:MM:DD HH:MM:SS[.fff][±HH:MM]") or ISO/XMP ("YYYY-MM-DDTHH:MM[:SS][.fff][Z|±HH:MM]")
 * date-time, or a date alone ("YYYY:MM:DD"). Returns null for anything else and for impossible
 * values ("0000:00:00 00:00:00", February 30th, hour 24). No year range check here.
 */
export function parseDateTime(value: unknown): ParsedDateTime | null {
  const s = rawString(value)?.trim();
  if (!s) return null;
  const m = DATE_RE.exec(s);
  if (!m) return null;
  let offsetMinutes: number | null = null;
  if (m[8] !== undefined) {
    offsetMinutes = parseOffset(m[8]);
    if (offsetMinutes === null) return null;
  }
  const p: ParsedDateTime = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: m[4] === undefined ? 0 : Number(m[4]),
    minute: m[5] === undefined ? 0 : Number(m[5]),
    second: m[6] === undefined ? 0 : Number(m[6]),
    millisecond: fractionToMillis(m[7]),
    offsetMinutes,
    hasTime: m[4] !== undefined,
  };
  if (!p.hasTime && offsetMinutes !== null) return null;
  return fieldsValid(p) ? p : null;
}

interface ParsedTime {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  offsetMinutes: number | null;
}

function parseTime(value: unknown): ParsedTime | null {
  const s = rawString(value)?.trim();
  if (!s) return null;
  const m = TIME_RE.exec(s);
  if (!m) return null;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  const second = m[3] === undefined ? 0 : Number(m[3]);
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes: number | null = null;
  if (m[5] !== undefined) {
    offsetMinutes = parseOffset(m[5]);
    if (offsetMinutes === null) return null;
  }
  return { hour, minute, second, millisecond: fractionToMillis(m[4]), offsetMinutes };
}

/** Milliseconds since the epoch of the wall-clock fields read as if they were UTC. */
function wallMillis(p: ParsedDateTime): number {
  const d = new Date(0);
  d.setUTCFullYear(p.year, p.month - 1, p.day);
  d.setUTCHours(p.hour, p.minute, p.second, p.millisecond);
  return d.getTime();
}

function inSaneRange(p: ParsedDateTime, nowMs: number): boolean {
  if (p.year < MIN_YEAR) return false;
  const instant = wallMillis(p) - (p.offsetMinutes ?? 0) * 60_000;
  return instant <= nowMs + YEAR_MS;
}

// ---------------------------------------------------------------------------------------------------
// Time zones

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        era: 'short',
      });
    } catch {
      f = null;
    }
    formatters.set(zone, f);
  }
  return f;
}

/** True for an IANA zone name this runtime knows ("Europe/Paris", "Etc/GMT-2"), false for offsets. */
export function isIanaTimeZone(zone: unknown): zone is string {
  return typeof zone === 'string' && /^[A-Za-z]/.test(zone) && formatterFor(zone) !== null;
}

/** Offset (minutes east of UTC) of an IANA zone at an instant, rounded to whole minutes. */
export function zoneOffsetAt(zone: string, epochMs: number): number | null {
  const f = formatterFor(zone);
  if (!f) return null;
  const base = Math.floor(epochMs / 1000) * 1000;
  const parts: Record<string, string> = {};
  for (const part of f.formatToParts(new Date(base))) parts[part.type] = part.value;
  let year = Number(parts.year);
  if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
  const d = new Date(0);
  d.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
  d.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), 0);
  const minutes = Math.round((d.getTime() - base) / 60_000);
  return Number.isFinite(minutes) ? minutes : null;
}

/**
 * Offset of an IANA zone for a local wall-clock time. A time that happens twice (DST ends) gets the
 * offset found first (standard time here); a time that never happens (DST starts) gets the larger one.
 */
function zoneOffsetForWallClock(zone: string, wallMs: number): number | null {
  const first = zoneOffsetAt(zone, wallMs);
  if (first === null) return null;
  const second = zoneOffsetAt(zone, wallMs - first * 60_000);
  if (second === null || second === first) return first;
  const third = zoneOffsetAt(zone, wallMs - second * 60_000);
  // third === second: the wall clock exists with `second`; otherwise it falls in a DST gap.
  return third === second ? second : Math.max(first, second);
}

/** "+01:00", "-05:30", "+00:00". */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Formats wall-clock milliseconds (fields read as UTC) as "YYYY-MM-DDTHH:mm:ss.SSS". */
function formatWall(wallMs: number): string {
  const d = new Date(wallMs);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
  );
}

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
  for (const tag of DATE_TAG_PRIORITY) {
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

  const isInstant = UTC_TAGS.has(tag) || parsed.offsetMinutes === 0;
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
    return UTC_TAGS.has(tag) ? done(instant, 0, null, null) : done(instant, 0, formatOffset(0), 'value');
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
