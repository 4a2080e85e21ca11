// Display helpers. Pure functions, no React.

export { formatBytes } from '../../../src/model/byte-size.js';

export interface WallClock {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** "+02:00", "Z", or null when the value carries no offset. */
  offset: string | null;
}

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Reads an ISO 8601 date as the wall clock it names, without moving it into the viewer's zone: a photo taken
 * at 16:43 in Madrid was taken at 16:43, wherever it is looked at.
 */
export function parseWallClock(value: string): WallClock | null {
  const m = WALL_CLOCK.exec(value.trim());
  if (!m) return null;
  const offset = m[7] ? (m[7].toUpperCase() === 'Z' ? 'Z' : m[7].includes(':') ? m[7] : `${m[7].slice(0, 3)}:${m[7].slice(3)}`) : null;
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    offset,
  };
}

const wallMs = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZone: 'UTC',
});
const shortDateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
const shortMonthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "Fri, 31 Jul 2015, 16:43:07" — the wall clock as written, in the viewer's language. */
export function formatWallClock(value: string | null): string | null {
  if (!value) return null;
  const w = parseWallClock(value);
  if (!w) return value;
  return dateTimeFormat.format(new Date(wallMs(w)));
}

export function formatShortDate(value: string | null): string | null {
  if (!value) return null;
  const w = parseWallClock(value);
  return w ? shortDateFormat.format(new Date(wallMs(w))) : value;
}

/** "July 2015" (short: "Jul 2015"), for grouping the gallery; "Undated" when there is no usable date. */
export function monthLabel(value: string | null): { key: string; label: string; short: string } {
  const w = value ? parseWallClock(value) : null;
  if (!w) return { key: 'undated', label: 'Undated', short: 'Undated' };
  const first = new Date(Date.UTC(w.year, w.month - 1, 1));
  return { key: `${w.year}-${w.month}`, label: monthFormat.format(first), short: shortMonthFormat.format(first) };
}

/** "Europe/Madrid (UTC+02:00)", "UTC+02:00", or null when neither zone nor offset is known. */
export function formatZone(takenAt: string | null, timeZone: string | null): string | null {
  const offset = takenAt ? (parseWallClock(takenAt)?.offset ?? null) : null;
  const utcOffset = offset ? (offset === 'Z' || offset === '+00:00' ? 'UTC' : `UTC${offset}`) : null;
  if (timeZone && /^[+-]\d{2}:\d{2}$/.test(timeZone)) return `UTC${timeZone}`;
  if (timeZone && timeZone !== 'UTC' && utcOffset) return `${timeZone} (${utcOffset})`;
  return timeZone ?? utcOffset;
}

const numberFormat = new Intl.NumberFormat();
export const formatCount = (n: number): string => numberFormat.format(n);

/** "1 photo", "1,234 photos": the count, then the word that agrees with it. */
export const plural = (n: number, one: string, many: string): string => `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * A count of items that names what they are, videos apart where there are any: "1 photo", "3 videos", "2 photos and
 * 1 video" — a video is not a photo, and a count that calls it one reads as a mistake.
 */
export function photosAndVideos(total: number, videos: number): string {
  const photos = total - videos;
  if (videos <= 0) return plural(total, 'photo', 'photos');
  if (photos <= 0) return plural(total, 'video', 'videos');
  return `${plural(photos, 'photo', 'photos')} and ${plural(videos, 'video', 'videos')}`;
}

/** A count of chosen items in words: `n` of them, with the noun that fits what they are. */
export type Counted = (n: number) => string;

/**
 * Words for counts of chosen items, by their types (undefined: an item not loaded, its kind unknown): all of them
 * "2 photos and 1 video"; some of them (those an action changed) "3 photos" or "3 videos" when all are one kind, else
 * "3 items". A video is not a photo: "Move 1 photo to the trash?" over a clip reads as a mistake.
 */
export function countedByMime(mimes: readonly (string | undefined)[]): Counted {
  const known = mimes.filter((mime) => mime !== undefined);
  const videos = known.filter((mime) => mime.startsWith('video/')).length;
  const allKnown = known.length === mimes.length;
  return (n) => {
    if (allKnown && videos === 0) return plural(n, 'photo', 'photos');
    if (allKnown && videos === known.length && videos > 0) return plural(n, 'video', 'videos');
    if (allKnown && n === mimes.length) return photosAndVideos(n, videos);
    return plural(n, 'item', 'items');
  };
}

/** A stack's members in words: "3 photos", "2 photos and 1 video" (a burst or a hand-made stack may hold clips). */
export const stackedItems = (members: readonly { photo: { mime: string } }[]): string =>
  photosAndVideos(members.length, members.filter((m) => m.photo.mime.startsWith('video/')).length);

export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (ms < 1) return '< 1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A clip's length as players show it: 0:07, 12:45, 1:02:03. */
export function formatClipLength(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** 40.0126, -109.6834 → "40.01260° N, 109.68340° W". */
export function formatCoordinates(latitude: number, longitude: number): string {
  const lat = `${Math.abs(latitude).toFixed(5)}° ${latitude >= 0 ? 'N' : 'S'}`;
  const lon = `${Math.abs(longitude).toFixed(5)}° ${longitude >= 0 ? 'E' : 'W'}`;
  return `${lat}, ${lon}`;
}

export function openStreetMapUrl(latitude: number, longitude: number, zoom = 15): string {
  const lat = latitude.toFixed(6);
  const lon = longitude.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=${zoom}/${lat}/${lon}`;
}

const ORIENTATIONS: Record<number, string> = {
  1: 'normal',
  2: 'mirrored horizontally',
  3: 'rotated 180°',
  4: 'mirrored vertically',
  5: 'mirrored, rotated 90° counter-clockwise',
  6: 'rotated 90° clockwise',
  7: 'mirrored, rotated 90° clockwise',
  8: 'rotated 90° counter-clockwise',
};

export function formatOrientation(orientation: number | null): string | null {
  if (orientation === null) return null;
  const name = ORIENTATIONS[orientation];
  return name ? `${orientation} (${name})` : String(orientation);
}

/** "Canon EOS 5D" — the model usually repeats the make; do not say it twice. */
export function formatCamera(make: string | null, model: string | null): string | null {
  const mk = make?.trim() || null;
  const md = model?.trim() || null;
  if (!mk) return md;
  if (!md) return mk;
  const first = mk.split(/\s+/)[0]!.toLowerCase();
  return md.toLowerCase().startsWith(first) ? md : `${mk} ${md}`;
}

const MIME_NAMES: Record<string, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'image/gif': 'GIF',
  'image/heic': 'HEIC',
  'image/heif': 'HEIF',
  'image/avif': 'AVIF',
  'image/tiff': 'TIFF',
  'image/bmp': 'BMP',
};

export function formatMime(mime: string): string {
  const name = MIME_NAMES[mime.toLowerCase()];
  return name ? `${name} (${mime})` : mime;
}

export function formatPercent(share: number): string {
  const pct = share * 100;
  return `${pct < 1 ? pct.toFixed(1) : Math.round(pct)}%`;
}

export function megapixels(width: number | null, height: number | null): string | null {
  if (!width || !height) return null;
  const mp = (width * height) / 1_000_000;
  return `${mp < 1 ? mp.toFixed(2) : mp.toFixed(1)} MP`;
}

/** A least rating in words: "★★★ and up", "★★★★★ only" (the favourites view and the search filter). */
export const leastRatingText = (stars: number): string => (stars === 5 ? '★★★★★ only' : `${'★'.repeat(stars)} and up`);
