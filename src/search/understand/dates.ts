// Dates in a query, read from folded words relative to the user's today: years, months, days, seasons (by the
// hemisphere of the place asked about, when known), holidays, "last summer", "this weekend", "3 years ago", "last
// 30 days", and ranges between two of them ("from 2018 to 2020", "since March", "before 2015"). Pure.
import { addDays, compare, daysInMonth, monthName, monthRange, rangeLabel, weekday, yearRange, type DayRange, type LocalDate } from './calendar.js';
import {
  AFTER,
  AGO_AFTER,
  BEFORE,
  BETWEEN,
  DAY_WORDS,
  FROM,
  HOLIDAYS,
  MONTHS,
  RELATIVE,
  SEASONS,
  SINCE,
  TO,
  UNITS,
  type Season,
  type Unit,
} from './lexicon.js';

/** A day of the year that recurs: month-day strings, inclusive; `from` after `to` wraps the new year. */
export interface Yearly {
  from: string;
  to: string;
  label: string;
}

export type DateMatch = { length: number; label: string } & ({ range: DayRange } | { yearly: Yearly });

export interface DateContext {
  today: LocalDate;
  /** Seasons turn round south of the equator. */
  southern: boolean;
}

const MIN_YEAR = 1826; // the oldest surviving photograph
const pad = (n: number) => String(n).padStart(2, '0');

function yearOf(word: string | undefined, today: LocalDate): number | null {
  if (!word || !/^\d{4}$/.test(word)) return null;
  const year = Number(word);
  return year >= MIN_YEAR && year <= today.year + 1 ? year : null;
}

function dayOf(word: string | undefined): number | null {
  const m = word ? /^(\d{1,2})(st|nd|rd|th|er|e|\.)?$/.exec(word) : null;
  if (!m) return null;
  const day = Number(m[1]);
  return day >= 1 && day <= 31 ? day : null;
}

/** Which months a season holds in a hemisphere: its first month and the year its last month falls in (0 or +1). */
function seasonMonths(season: Season, southern: boolean): { first: number; wraps: boolean } {
  const north: Record<Season, number> = { spring: 3, summer: 6, autumn: 9, winter: 12 };
  const first = southern ? ((north[season] + 5) % 12) + 1 : north[season];
  return { first, wraps: first === 12 };
}

/** The season that starts in `year` (winter: December of `year` to February after). */
function seasonRange(season: Season, year: number, southern: boolean): DayRange {
  const { first, wraps } = seasonMonths(season, southern);
  const lastMonth = ((first + 1) % 12) + 1;
  const lastYear = wraps ? year + 1 : year;
  return { from: { year, month: first, day: 1 }, to: { year: lastYear, month: lastMonth, day: daysInMonth(lastYear, lastMonth) } };
}

function seasonLabel(season: Season): string {
  return season[0]!.toUpperCase() + season.slice(1);
}

/** The season relative to today: -1 the last one over, 0 the one under way or this year's, +1 the next. */
function relativeSeason(season: Season, relative: -1 | 0 | 1, context: DateContext): DayRange {
  const { today } = context;
  // the occurrence that started most recently on or before today, or this year's if it has not started yet
  let year = today.year;
  let range = seasonRange(season, year, context.southern);
  if (compare(range.from, today) > 0) {
    const previous = seasonRange(season, year - 1, context.southern);
    if (compare(previous.to, today) >= 0) {
      year -= 1; // under way since last year (winter in January)
      range = previous;
    }
  }
  if (relative === 0) return range;
  if (relative === 1) return compare(range.from, today) > 0 ? range : seasonRange(season, year + 1, context.southern);
  // -1: the last one wholly over
  return compare(range.to, today) < 0 ? range : seasonRange(season, year - 1, context.southern);
}

function relativeUnit(unit: Unit, relative: -1 | 0 | 1, today: LocalDate): DayRange {
  switch (unit) {
    case 'day':
      return { from: addDays(today, relative), to: addDays(today, relative) };
    case 'week': {
      const monday = addDays(today, -weekday(today) + 7 * relative);
      return { from: monday, to: addDays(monday, 6) };
    }
    case 'weekend': {
      // this weekend: the coming one, or the one under way; last weekend: the one before that
      const wd = weekday(today);
      const saturday = addDays(today, (wd === 6 ? -1 : 5 - wd) + 7 * relative);
      return { from: saturday, to: addDays(saturday, 1) };
    }
    case 'month': {
      const index = today.year * 12 + (today.month - 1) + relative;
      return monthRange(Math.floor(index / 12), (index % 12) + 1);
    }
    case 'year':
      return yearRange(today.year + relative);
  }
}

/** "N units ago": that whole day, week, month or year. */
function ago(unit: Unit, count: number, today: LocalDate): DayRange {
  if (unit === 'weekend') return relativeUnit('weekend', -count as -1, today);
  if (unit === 'day') return { from: addDays(today, -count), to: addDays(today, -count) };
  if (unit === 'week') return relativeUnit('week', -count as -1, today);
  return relativeUnit(unit, -count as -1, today);
}

/** "the last N units": from N units back to today. */
function lastN(unit: Unit, count: number, today: LocalDate): DayRange {
  const days = unit === 'day' ? count : unit === 'week' || unit === 'weekend' ? 7 * count : 0;
  if (days) return { from: addDays(today, -(days - 1)), to: today };
  const back = unit === 'month' ? count : 12 * count;
  const index = today.year * 12 + (today.month - 1) - back;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { from: { year, month, day: Math.min(today.day, daysInMonth(year, month)) }, to: today };
}

const range = (length: number, r: DayRange, label = rangeLabel(r)): DateMatch => ({ length, range: r, label });

/** One date expression starting at `words[i]` (no ranges between two of them), or null. */
export function singleDate(words: readonly string[], i: number, context: DateContext): DateMatch | null {
  const { today } = context;
  const w = (k: number) => words[i + k];
  // ISO: 2024-05-01, 2024-05
  const isoDay = /^(\d{4})-(\d{2})-(\d{2})$/.exec(w(0) ?? '');
  if (isoDay) {
    const [year, month, day] = [Number(isoDay[1]), Number(isoDay[2]), Number(isoDay[3])];
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && yearOf(isoDay[1], today)) {
      const d = { year, month, day };
      return range(1, { from: d, to: d });
    }
  }
  const isoMonth = /^(\d{4})-(\d{2})$/.exec(w(0) ?? '');
  if (isoMonth && yearOf(isoMonth[1], today) && Number(isoMonth[2]) >= 1 && Number(isoMonth[2]) <= 12) {
    return range(1, monthRange(Number(isoMonth[1]), Number(isoMonth[2])));
  }
  const dayWord = DAY_WORDS[w(0) ?? ''];
  if (dayWord !== undefined) {
    const d = addDays(today, dayWord);
    return range(1, { from: d, to: d });
  }
  // last / this / next + unit or season; unit or season + dernier / letzte…
  const relative = RELATIVE[w(0) ?? ''];
  if (relative !== undefined) {
    const unit = UNITS[w(1) ?? ''];
    if (unit) return range(2, relativeUnit(unit, relative, today));
    const season = SEASONS[w(1) ?? ''];
    if (season) return range(2, relativeSeason(season, relative, context), `${seasonLabel(season)} ${labelYears(relativeSeason(season, relative, context))}`);
    // "the last 30 days", "letzten 3 Monate"
    const count = /^\d{1,3}$/.test(w(1) ?? '') ? Number(w(1)) : null;
    const countUnit = UNITS[w(2) ?? ''];
    if (relative === -1 && count && countUnit) return range(3, lastN(countUnit, count, today), `last ${count} ${w(2)}`);
  }
  const unitFirst = UNITS[w(0) ?? ''];
  const after = RELATIVE[w(1) ?? ''];
  if (unitFirst && after !== undefined && unitFirst !== 'day') return range(2, relativeUnit(unitFirst, after, today));
  // N units ago; il y a N …; vor N …
  const count = /^\d{1,3}$/.test(w(0) ?? '') ? Number(w(0)) : null;
  if (count !== null && UNITS[w(1) ?? ''] && AGO_AFTER.has(w(2) ?? '')) return range(3, ago(UNITS[w(1)!]!, count, today));
  if (w(0) === 'il' && w(1) === 'y' && w(2) === 'a' && /^\d{1,3}$/.test(w(3) ?? '') && UNITS[w(4) ?? '']) {
    return range(5, ago(UNITS[w(4)!]!, Number(w(3)), today));
  }
  if (w(0) === 'vor' && /^\d{1,3}$/.test(w(1) ?? '') && UNITS[w(2) ?? '']) return range(3, ago(UNITS[w(2)!]!, Number(w(1)), today));
  // seasons
  const season = SEASONS[w(0) ?? ''];
  if (season) {
    const relativeAfter = RELATIVE[w(1) ?? ''];
    if (relativeAfter !== undefined) {
      const r = relativeSeason(season, relativeAfter, context);
      return range(2, r, `${seasonLabel(season)} ${labelYears(r)}`);
    }
    const year = yearOf(w(1), today);
    if (year) {
      const r = seasonRange(season, year, context.southern);
      return range(2, r, `${seasonLabel(season)} ${labelYears(r)}`);
    }
    const { first } = seasonMonths(season, context.southern);
    const last = ((first + 1) % 12) + 1;
    return {
      length: 1,
      yearly: { from: `${pad(first)}-01`, to: `${pad(last)}-${pad(daysInMonth(2000, last))}`, label: seasonLabel(season) },
      label: seasonLabel(season),
    };
  }
  // holidays (longest name first), then a year
  for (let n = 4; n >= 1; n--) {
    const holiday = HOLIDAYS[words.slice(i, i + n).join(' ')];
    if (!holiday || i + n > words.length) continue;
    const year = yearOf(w(n), today);
    if (year) {
      const [fm, fd] = holiday.from.split('-').map(Number) as [number, number];
      const [tm, td] = holiday.to.split('-').map(Number) as [number, number];
      const wraps = holiday.from > holiday.to;
      // New Year 2023: 31 Dec 2022 to 1 Jan 2023
      const r = { from: { year: wraps ? year - 1 : year, month: fm, day: fd }, to: { year, month: tm, day: td } };
      return range(n + 1, r, `${holiday.label} ${year}`);
    }
    return { length: n, yearly: { from: holiday.from, to: holiday.to, label: holiday.label }, label: holiday.label };
  }
  // day month [year], month day [year], month [year]
  const dayFirst = dayOf(w(0));
  if (dayFirst !== null && MONTHS[w(1) ?? ''] !== undefined) return dayMonth(dayFirst, MONTHS[w(1)!]!, w(2), 2, today);
  const month = MONTHS[w(0) ?? ''];
  if (month !== undefined) {
    const day = dayOf(w(1));
    if (day !== null && !yearOf(w(1), today)) return dayMonth(day, month, w(2), 2, today);
    const year = yearOf(w(1), today);
    if (year) return range(2, monthRange(year, month));
    const last = daysInMonth(2000, month);
    return { length: 1, yearly: { from: `${pad(month)}-01`, to: `${pad(month)}-${pad(last)}`, label: monthName(month) }, label: monthName(month) };
  }
  const year = yearOf(w(0), today);
  if (year) return range(1, yearRange(year));
  return null;
}

function dayMonth(day: number, month: number, yearWord: string | undefined, used: number, today: LocalDate): DateMatch | null {
  if (day > daysInMonth(2000, month)) return null;
  const year = yearOf(yearWord, today);
  if (year) {
    if (day > daysInMonth(year, month)) return null;
    const d = { year, month, day };
    return range(used + 1, { from: d, to: d });
  }
  const md = `${pad(month)}-${pad(day)}`;
  return { length: used, yearly: { from: md, to: md, label: `${day} ${monthName(month)}` }, label: `${day} ${monthName(month)}` };
}

function labelYears(r: DayRange): string {
  return r.from.year === r.to.year ? String(r.from.year) : `${r.from.year}–${String(r.to.year).slice(2)}`;
}

const ALL_TIME: LocalDate = { year: MIN_YEAR, month: 1, day: 1 };

/** A date expression or a range between two: the longest reading at `words[i]`. */
export function dateAt(words: readonly string[], i: number, context: DateContext): DateMatch | null {
  const w = words[i] ?? '';
  // 2018-2020 (one word)
  const years = /^(\d{4})[-–](\d{4})$/.exec(w);
  if (years) {
    const a = singleDate([years[1]!], 0, context);
    const b = singleDate([years[2]!], 0, context);
    if (a && b && 'range' in a && 'range' in b && compare(a.range.from, b.range.to) <= 0) return range(1, { from: a.range.from, to: b.range.to });
  }
  // between X and Y, from X to Y
  if (BETWEEN.has(w) || FROM.has(w)) {
    const a = singleDate(words, i + 1, context);
    if (a && 'range' in a && TO.has(words[i + 1 + a.length] ?? '')) {
      const b = singleDate(words, i + 2 + a.length, context);
      if (b && 'range' in b && compare(a.range.from, b.range.to) <= 0) {
        return range(2 + a.length + b.length, { from: a.range.from, to: b.range.to });
      }
    }
    if (FROM.has(w) && a && 'range' in a) return { ...a, length: a.length + 1 }; // "from 2019": that year
  }
  if (SINCE.has(w) || AFTER.has(w) || BEFORE.has(w)) {
    const a = singleDate(words, i + 1, context);
    if (a && 'range' in a) {
      if (BEFORE.has(w)) {
        const r = { from: ALL_TIME, to: addDays(a.range.from, -1) };
        return range(a.length + 1, r, `before ${a.label}`);
      }
      const start = SINCE.has(w) ? a.range.from : addDays(a.range.to, 1);
      const to = compare(start, context.today) > 0 ? start : context.today;
      return range(a.length + 1, { from: start, to }, `${SINCE.has(w) ? 'since' : 'after'} ${a.label}`);
    }
  }
  const single = singleDate(words, i, context);
  if (single && 'range' in single) {
    // X - Y, X to Y, X until Y
    const next = words[i + single.length];
    if (next && (next === '-' || next === '–' || next === 'to' || next === 'until' || next === 'bis' || next === 'au')) {
      const b = singleDate(words, i + single.length + 1, context);
      if (b && 'range' in b && compare(single.range.from, b.range.to) <= 0)
        return range(single.length + 1 + b.length, { from: single.range.from, to: b.range.to });
    }
  }
  return single;
}
