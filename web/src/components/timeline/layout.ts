// Where every month header, day label and row of tiles goes, computed from the timeline's day buckets alone
// (no photo needs to be loaded): the whole scroll height of a 100k-photo library is known at once, and the rows
// on screen are found by a binary search. Pure functions, no React.
import type { TimelineBucket } from '../../client/library.js';
import type { GridSize } from '../../hooks/useGridSize.js';

/** Height of a month header, its top margin included. */
export const MONTH_HEIGHT = 52;
/** Height of the day labels above the tiles of a row where a day starts. */
export const DAY_HEIGHT = 30;

/** The photos of one day (or part of a big day) in a row of tiles. */
export interface Segment {
  /** 'YYYY-MM-DD', or 'undated'. */
  day: string;
  /** The day's label, on the row where the day starts; null on the rows that continue it. */
  label: string | null;
  /** First photo's offset in the ordering, and how many of the day's photos this row shows. */
  start: number;
  count: number;
  /** First column (0-based). */
  column: number;
  /** The whole day, for "select all in this day", and how many of its items are videos (its label names them). */
  dayStart: number;
  dayCount: number;
  dayVideos: number;
}

export type Row =
  | { kind: 'month'; key: string; top: number; height: number; month: string; label: string; start: number; count: number; videos: number }
  | { kind: 'tiles'; key: string; top: number; height: number; labelled: boolean; segments: Segment[] };

export interface MonthMark {
  /** 'YYYY-MM' or 'undated'. */
  month: string;
  label: string;
  year: string;
  top: number;
  start: number;
  count: number;
}

export interface Layout {
  rows: Row[];
  months: MonthMark[];
  height: number;
  /** The grid it was computed for. */
  grid: GridSize;
}

const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });

/** "July 2015" for '2015-07'; "Undated" for photos without a date. */
export function monthName(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return m ? monthFormat.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1))) : 'Undated';
}

/** "Sat, 4 Jul" for '2015-07-04' (the month header says the year). */
export function dayName(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? dayFormat.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))) : 'Undated';
}

const monthOf = (key: string) => (/^\d{4}-\d{2}/.test(key) ? key.slice(0, 7) : 'undated');

/**
 * Lays the buckets out: a header per month, then its days flowing side by side on rows of `columns` tiles
 * (a day of two photos does not take a whole row), a day longer than the room left starting a new row.
 */
export function computeLayout(buckets: readonly TimelineBucket[], grid: GridSize): Layout {
  const { columns, tile, gap } = grid;
  const rows: Row[] = [];
  const months: MonthMark[] = [];
  let current: Extract<Row, { kind: 'tiles' }> | null = null;
  let used = 0;

  const newRow = (start: number): Extract<Row, { kind: 'tiles' }> => {
    const row: Extract<Row, { kind: 'tiles' }> = { kind: 'tiles', key: `t${start}`, top: 0, height: 0, labelled: false, segments: [] };
    rows.push(row);
    used = 0;
    return row;
  };

  for (let i = 0; i < buckets.length;) {
    const month = monthOf(buckets[i]!.key);
    // The month's buckets: those that follow with the same month (the API sorts them newest first).
    let j = i;
    let count = 0;
    let videos = 0;
    for (; j < buckets.length && monthOf(buckets[j]!.key) === month; j++) {
      count += buckets[j]!.count;
      videos += buckets[j]!.videos;
    }
    const start = buckets[i]!.offset;
    const label = monthName(month);
    rows.push({ kind: 'month', key: `m${month}`, top: 0, height: MONTH_HEIGHT, month, label, start, count, videos });
    months.push({ month, label, year: month === 'undated' ? 'Undated' : month.slice(0, 4), top: 0, start, count });
    current = null;
    used = 0;
    for (; i < j; i++) {
      const bucket = buckets[i]!;
      if (bucket.count <= 0) continue;
      const dated = bucket.key !== 'undated';
      let left = bucket.count;
      let offset = bucket.offset;
      let first = true;
      // Room left on the current row for the whole day: it goes there, beside the day before (not beside the
      // end of a long day, whose row has no labels: a label there would open a gap inside that day).
      if (current && current.labelled && dated && left <= columns - used) {
        current.segments.push({
          day: bucket.key,
          label: dayName(bucket.key),
          start: offset,
          count: left,
          column: used,
          dayStart: bucket.offset,
          dayCount: bucket.count,
          dayVideos: bucket.videos,
        });
        current.labelled = true;
        used += left;
        continue;
      }
      while (left > 0) {
        current = newRow(offset);
        const take = Math.min(columns, left);
        const label = dated && first ? dayName(bucket.key) : null;
        current.segments.push({
          day: bucket.key,
          label,
          start: offset,
          count: take,
          column: 0,
          dayStart: bucket.offset,
          dayCount: bucket.count,
          dayVideos: bucket.videos,
        });
        current.labelled = label !== null;
        used = take;
        left -= take;
        offset += take;
        first = false;
      }
    }
  }

  let top = 0;
  let m = 0;
  for (const row of rows) {
    if (row.kind === 'tiles') row.height = (row.labelled ? DAY_HEIGHT : 0) + tile + gap;
    else months[m++]!.top = top;
    row.top = top;
    top += row.height;
  }
  return { rows, months, height: top, grid };
}

/** Index of the first row that reaches below `y` (rows are sorted by top). */
export function rowAt(rows: readonly Row[], y: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const row = rows[mid]!;
    if (row.top + row.height <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The rows between `top` and `bottom` (inclusive indices), or null when there are none. */
export function rowsBetween(rows: readonly Row[], top: number, bottom: number): [number, number] | null {
  if (rows.length === 0) return null;
  const first = rowAt(rows, Math.max(0, top));
  let last = first;
  while (last + 1 < rows.length && rows[last + 1]!.top < bottom) last++;
  return [first, last];
}

/** The photo offsets the rows `first`…`last` show, [start, end). */
export function offsetsOf(rows: readonly Row[], first: number, last: number): [number, number] {
  let start = Infinity;
  let end = -Infinity;
  for (let i = first; i <= last; i++) {
    const row = rows[i]!;
    if (row.kind === 'month') {
      start = Math.min(start, row.start);
      end = Math.max(end, row.start + Math.min(row.count, 1));
    } else
      for (const segment of row.segments) {
        start = Math.min(start, segment.start);
        end = Math.max(end, segment.start + segment.count);
      }
  }
  return start === Infinity ? [0, 0] : [start, end];
}

/** The month whose rows are at `y`. */
export function monthAt(months: readonly MonthMark[], y: number): number {
  let lo = 0;
  let hi = months.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (months[mid]!.top <= y) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}
