// Time zones and offsets for dates taken: an IANA zone's offset at an instant or at a wall-clock time (through
// Intl), and the "+HH:MM" / "YYYY-MM-DDTHH:mm:ss.SSS" forms dates are written in. Pure.

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
export function zoneOffsetForWallClock(zone: string, wallMs: number): number | null {
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
export function formatWall(wallMs: number): string {
  const d = new Date(wallMs);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
  );
}
