// Parsing the date, time and offset values of metadata tags: ExifTool's strings ("2023:02:02 02:00:00",
// "2000:09:27 14:35:33+02:00"), XMP/ISO ones ("2000-09-27T14:35:33+02:00") or the `rawValue` of exiftool-vendored's
// ExifDateTime / ExifDate / ExifTime objects. Pure; the rules that choose among them are ./dates.ts's.

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

const MAX_OFFSET_MINUTES = 14 * 60;

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

const DATE_RE = /^(\d{4})[:-](\d{2})[:-](\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
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

export interface ParsedTime {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  offsetMinutes: number | null;
}

/** A time of day ("HH:MM[:SS][.fff][Z|±HH:MM]", IPTC TimeCreated), or null. */
export function parseTime(value: unknown): ParsedTime | null {
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
export function wallMillis(p: ParsedDateTime): number {
  const d = new Date(0);
  d.setUTCFullYear(p.year, p.month - 1, p.day);
  d.setUTCHours(p.hour, p.minute, p.second, p.millisecond);
  return d.getTime();
}
