// Calendar arithmetic for query understanding, on plain local dates (year, month, day) in the user's time zone;
// pure. A range is inclusive of both days; `instant` turns a local day's start into the UTC instant the photos'
// dates are compared with.
import { zoneOffsetForWallClock } from '../../media/time-zones.js';

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface DayRange {
  from: LocalDate;
  to: LocalDate;
}

export const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The day `days` after (or before) `date`. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** 0 = Monday … 6 = Sunday. */
export function weekday(date: LocalDate): number {
  return (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
}

export function yearRange(year: number): DayRange {
  return { from: { year, month: 1, day: 1 }, to: { year, month: 12, day: 31 } };
}

export function monthRange(year: number, month: number): DayRange {
  return { from: { year, month, day: 1 }, to: { year, month, day: daysInMonth(year, month) } };
}

export function compare(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

export function iso(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** Today in a time zone (an IANA name; an unknown one throws RangeError, as Intl does). */
export function todayIn(timeZone: string, now: Date = new Date()): LocalDate {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/**
 * The UTC instant a local day starts at in a zone: its midnight, or where clocks jump over midnight (Santiago,
 * Havana), the first moment of the day that exists.
 */
export function instant(date: LocalDate, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day);
  const at = wall - (zoneOffsetForWallClock(timeZone, wall) ?? 0) * 60_000;
  if (compare(todayIn(timeZone, new Date(at)), date) === 0) return new Date(at);
  // midnight never happened that day: the first minute that did, within the three hours a jump can take
  let before = at;
  let after = at + 3 * 3_600_000;
  while (after - before > 60_000) {
    const middle = before + Math.floor((after - before) / 120_000) * 60_000;
    if (compare(todayIn(timeZone, new Date(middle)), date) >= 0) after = middle;
    else before = middle;
  }
  return new Date(after);
}

/** The instants a range of local days covers: from its first day's start to just before the day after its last. */
export function instants(range: DayRange, timeZone: string): { from: Date; to: Date } {
  return { from: instant(range.from, timeZone), to: new Date(instant(addDays(range.to, 1), timeZone).getTime() - 1) };
}

/** Short words for a range: "2019", "March 2021", "Jun–Aug 2025", "2018–2020", "3 May 2024", "1–7 Jan 2024". */
export function rangeLabel(range: DayRange): string {
  const { from, to } = range;
  const month = (m: number) => MONTH_SHORT[m - 1]!;
  const wholeYears = from.month === 1 && from.day === 1 && to.month === 12 && to.day === 31;
  if (wholeYears) return from.year === to.year ? String(from.year) : `${from.year}–${to.year}`;
  const wholeMonths = from.day === 1 && to.day === daysInMonth(to.year, to.month);
  if (wholeMonths) {
    if (from.year === to.year && from.month === to.month) return `${MONTH_LONG[from.month - 1]} ${from.year}`;
    if (from.year === to.year) return `${month(from.month)}–${month(to.month)} ${from.year}`;
    return `${month(from.month)} ${from.year}–${month(to.month)} ${to.year}`;
  }
  if (compare(from, to) === 0) return `${from.day} ${month(from.month)} ${from.year}`;
  if (from.year === to.year && from.month === to.month) return `${from.day}–${to.day} ${month(from.month)} ${from.year}`;
  if (from.year === to.year) return `${from.day} ${month(from.month)}–${to.day} ${month(to.month)} ${from.year}`;
  return `${from.day} ${month(from.month)} ${from.year}–${to.day} ${month(to.month)} ${to.year}`;
}

const MONTH_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function monthName(month: number): string {
  return MONTH_LONG[month - 1]!;
}
