// Times said the way people say them: "3 minutes ago", "in 29 days", "about 2 minutes". Pure functions.

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 minutes ago", "in 29 days", "now": the largest unit that fits, relative to `now`. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  if (!Number.isFinite(seconds)) return iso;
  if (Math.abs(seconds) < 10) return relative.format(0, 'second');
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return relative.format(Math.round(seconds / size), unit);
  }
  return iso;
}

const absolute = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** "3 May 2026, 14:05" in the viewer's zone (for instants: when something happened in this app). */
export function formatInstant(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? absolute.format(new Date(ms)) : iso;
}

/** A remaining time, rounded the way an estimate should be: "under a minute", "about 4 minutes", "about 2 h 10 min". */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'unknown';
  if (seconds < 60) return 'under a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours >= 24) {
    const days = Math.round(hours / 24);
    return `about ${days} ${days === 1 ? 'day' : 'days'}`;
  }
  return `about ${hours} h${rest ? ` ${rest} min` : ''}`;
}

/** "42 photos/min", "1.5 photos/min", "3 photos/h" for slow machines. */
export function formatRate(photosPerMinute: number): string {
  if (!Number.isFinite(photosPerMinute) || photosPerMinute <= 0) return '—';
  if (photosPerMinute < 1) return `${Math.round(photosPerMinute * 60)} photos/h`;
  return `${photosPerMinute < 10 ? photosPerMinute.toFixed(1) : Math.round(photosPerMinute)} photos/min`;
}
