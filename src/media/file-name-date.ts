// The date a phone or an app writes into a file's name — used when the file itself says nothing better (no EXIF,
// XMP or QuickTime date: a screenshot, a WhatsApp copy, a clip an app re-encoded): closer to the moment than the
// file's own time, which a copy, a download or a sync resets. Wall-clock digits, as EXIF's are: no zone.

/** Names phones and apps write, each with where its date and time are (pure patterns, tried in order). */
const PATTERNS: readonly RegExp[] = [
  // Android cameras and screenshots, Pixel, Samsung, Huawei: IMG_20190704_123456(789), PXL_20230101_123456789,
  // Screenshot_20210910-101010, VID_20190704_123456, 20190704_123456
  /(?:^|[^0-9])(\d{4})(\d{2})(\d{2})[_-](\d{2})(\d{2})(\d{2})/,
  // newer Android screenshots and screen recordings: Screenshot_2021-09-10-10-10-10-123_com.app
  /(?:^|[^0-9])(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})(?![0-9])/,
  // macOS and iOS exports: Screenshot 2021-09-10 at 10.10.10, Photo 2021-09-10 10 10 10; where the system clock is
  // 12-hour, "Screenshot 2021-09-10 at 1.05.03 PM" (macOS 13 on puts a narrow no-break space before PM)
  /(?:^|[^0-9])(\d{4})-(\d{2})-(\d{2})(?: at |_| )(\d{1,2})[.:_ ](\d{2})[.:_ ](\d{2})(?![0-9])(?:[ \u00a0\u202f]?([AP])\.?M\b\.?)?/i,
  // Windows' Snipping Tool: Screenshot 2023-09-10 130503
  /(?:^|[^0-9])(\d{4})-(\d{2})-(\d{2}) (\d{2})(\d{2})(\d{2})(?![0-9])/,
];

/**
 * WhatsApp's copies (IMG-20190704-WA0001) carry the day they were sent, not when the photo was taken: read as an
 * instant, that day would make the duplicates' rules keep a copy beside its original as another moment. They are
 * left to the file's time until a date keeps its source (which would let a day alone date a photo without an instant).
 */
const SENT_BY_CHAT = /(?:^|[^A-Za-z0-9])(?:IMG|VID|AUD|PTT|DOC|STK)-\d{8}-WA\d+/i;
const FIRST_YEAR = 1990;

/** A 12-hour clock's hour on the 24-hour clock: 12 AM is midnight, 12 PM noon; null for an hour it cannot write. */
function fromTwelveHour(hour: number, meridiem: string): number | null {
  if (hour < 1 || hour > 12) return null;
  return (hour % 12) + (meridiem.toUpperCase() === 'P' ? 12 : 0);
}

/**
 * The digits as a wall-clock date when they are one (a real day, a real time, not in the future); else null. A seventh
 * part, A or P, says the hour is on a 12-hour clock.
 */
function wallClock(parts: readonly (string | undefined)[], now: Date): string | null {
  const [year, month, day, hour24 = 0, minute = 0, second = 0] = parts.slice(0, 6).map(Number) as [number, number, number, number?, number?, number?];
  const meridiem = parts[6];
  const hour = meridiem ? fromTwelveHour(hour24, meridiem) : hour24;
  if (hour === null) return null;
  if (year < FIRST_YEAR || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const at = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (at.getUTCDate() !== day) return null; // 31 April
  if (at.getTime() > now.getTime() + 86_400_000) return null; // a day ahead at most: zones
  const two = (n: number) => String(n).padStart(2, '0');
  return `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}`;
}

/**
 * The date and time in a file name, as `YYYY-MM-DDTHH:mm:ss` wall-clock digits, or null when the name holds none
 * that is plausible (pure).
 */
export function dateInFileName(fileName: string, now = new Date()): string | null {
  const base = fileName.replace(/^.*[\\/]/, '');
  if (SENT_BY_CHAT.test(base)) return null;
  for (const pattern of PATTERNS) {
    const match = pattern.exec(base);
    if (!match) continue;
    const found = wallClock(match.slice(1, 8), now);
    if (found) return found;
  }
  return null;
}
