// The timeline's layout (web/src/components/timeline/layout.ts) and the upload grouping, as pure functions: every
// photo gets exactly one place, days share rows when they fit, rows are found again by position.
import { describe, expect, it } from 'vitest';
import { computeLayout, monthAt, offsetsOf, rowAt, rowsBetween, type Row } from '../../web/src/components/timeline/layout.js';
import { groupFiles } from '../../web/src/store/uploads.js';

const grid = { columns: 5, tile: 100, gap: 4 };

/** Buckets with offsets from their counts, newest first. */
function buckets(entries: [string, number][]) {
  let offset = 0;
  return entries.map(([key, count]) => {
    const bucket = { key, count, videos: 0, offset };
    offset += count;
    return bucket;
  });
}

const tileRows = (rows: Row[]) => rows.filter((row): row is Extract<Row, { kind: 'tiles' }> => row.kind === 'tiles');

describe('timeline layout', () => {
  it('places every photo once, in order, under a header per month', () => {
    const input = buckets([
      ['2024-06-30', 2],
      ['2024-06-29', 3],
      ['2024-06-20', 12],
      ['2024-05-01', 1],
      ['undated', 4],
    ]);
    const layout = computeLayout(input, grid);
    expect(layout.months.map((m) => [m.month, m.count, m.start])).toEqual([
      ['2024-06', 17, 0],
      ['2024-05', 1, 17],
      ['undated', 4, 18],
    ]);
    const offsets = tileRows(layout.rows).flatMap((row) => row.segments.flatMap((s) => Array.from({ length: s.count }, (_, i) => s.start + i)));
    expect(offsets).toEqual(Array.from({ length: 22 }, (_, i) => i));
    for (const row of tileRows(layout.rows)) {
      for (const segment of row.segments) expect(segment.column + segment.count).toBeLessThanOrEqual(grid.columns);
    }
    // Rows follow each other without gaps; the height is their sum.
    layout.rows.forEach((row, i) => {
      if (i > 0) expect(row.top).toBe(layout.rows[i - 1]!.top + layout.rows[i - 1]!.height);
    });
    const last = layout.rows[layout.rows.length - 1]!;
    expect(layout.height).toBe(last.top + last.height);
  });

  it('puts short days side by side, starts a long day on its own rows, and labels only where a day starts', () => {
    const layout = computeLayout(
      buckets([
        ['2024-06-30', 2],
        ['2024-06-29', 3],
        ['2024-06-20', 7],
        ['2024-06-19', 1],
      ]),
      grid,
    );
    const rows = tileRows(layout.rows);
    // 2 + 3 fill the first row; the 7 take a row and a half; the single photo does not join the long day's
    // unlabelled second row.
    expect(rows.map((row) => row.segments.map((s) => [s.day, s.count, s.column, s.label !== null]))).toEqual([
      [
        ['2024-06-30', 2, 0, true],
        ['2024-06-29', 3, 2, true],
      ],
      [['2024-06-20', 5, 0, true]],
      [['2024-06-20', 2, 0, false]],
      [['2024-06-19', 1, 0, true]],
    ]);
    expect(rows.map((row) => row.labelled)).toEqual([true, true, false, true]);
    // A labelled row is taller by the label; every segment knows its whole day (for "select the day").
    expect(rows[0]!.height - rows[2]!.height).toBeGreaterThan(0);
    expect(rows[2]!.segments[0]).toMatchObject({ dayStart: 5, dayCount: 7 });
  });

  it('finds the rows on screen and the photos they show by position', () => {
    const input = buckets(
      Array.from(
        { length: 40 },
        (_, i) => [`2020-${String(12 - Math.floor(i / 4)).padStart(2, '0')}-${String(28 - (i % 4)).padStart(2, '0')}`, 1 + (i % 7)] as [string, number],
      ),
    );
    const layout = computeLayout(input, grid);
    for (const y of [0, 1, 250, 777, layout.height / 2, layout.height - 1]) {
      const i = rowAt(layout.rows, y);
      const row = layout.rows[i]!;
      expect(row.top).toBeLessThanOrEqual(y);
      expect(row.top + row.height).toBeGreaterThan(y);
    }
    const [first, last] = rowsBetween(layout.rows, 300, 900)!;
    expect(layout.rows[first]!.top).toBeLessThanOrEqual(300);
    expect(layout.rows[last]!.top).toBeLessThan(900);
    expect(layout.rows[last + 1]!.top).toBeGreaterThanOrEqual(900);
    const [start, end] = offsetsOf(layout.rows, first, last);
    expect(start).toBeLessThan(end);
    const month = monthAt(layout.months, layout.height - 1);
    expect(month).toBe(layout.months.length - 1);
    expect(monthAt(layout.months, 0)).toBe(0);
  });

  it('lays out an empty timeline as nothing', () => {
    const layout = computeLayout([], grid);
    expect(layout.rows).toEqual([]);
    expect(layout.height).toBe(0);
    expect(rowsBetween(layout.rows, 0, 100)).toBeNull();
  });
});

describe('upload grouping', () => {
  const file = (name: string) => new File([new Uint8Array(3)], name);

  it('sends each photo on its own, with its sidecars, and keeps same-named files of different folders apart', () => {
    const groups = groupFiles([
      { file: file('IMG_1.jpg') },
      { file: file('IMG_1.jpg.xmp') },
      { file: file('IMG_2.jpg') },
      { file: file('IMG_1.heic') },
      { file: file('IMG_1.jpg'), folder: 'Holiday' },
      { file: file('IMG_1.xmp'), folder: 'Holiday' },
      // a Google Takeout sidecar travels with its photo as an XMP one does (the server attaches both kinds)
      { file: file('IMG_3.jpg.json'), folder: 'Takeout' },
      { file: file('IMG_3.jpg'), folder: 'Takeout' },
    ]);
    expect(groups.map((group) => group.map((item) => `${item.folder ?? ''}/${item.file.name}`))).toEqual([
      ['/IMG_1.jpg', '/IMG_1.jpg.xmp'],
      ['/IMG_2.jpg'],
      ['/IMG_1.heic'],
      ['Holiday/IMG_1.jpg', 'Holiday/IMG_1.xmp'],
      ['Takeout/IMG_3.jpg.json', 'Takeout/IMG_3.jpg'],
    ]);
  });

  it("sends Google's later sidecar names with their photo: supplemental-metadata, cut to 51 characters, counted (issue 61)", () => {
    const long = 'PXL_20200612_184512345.NIGHT.PORTRAIT.jpg';
    const groups = groupFiles([
      { file: file('IMG_4.jpg') },
      { file: file('IMG_4.jpg.supplemental-metadata.json') },
      { file: file(long) },
      { file: file(`${`${long}.supplemental-metadata`.slice(0, 46)}.json`) },
      { file: file('IMG_5.jpg') },
      { file: file('IMG_5(1).jpg') },
      { file: file('IMG_5.jpg.supplemental-metadata(1).json') },
      { file: file('IMG_5.jpg.supplemental-metadata.json') },
    ]);
    expect(groups.map((group) => group.map((item) => item.file.name))).toEqual([
      ['IMG_4.jpg', 'IMG_4.jpg.supplemental-metadata.json'],
      [long, 'PXL_20200612_184512345.NIGHT.PORTRAIT.jpg.supp.json'],
      ['IMG_5.jpg', 'IMG_5.jpg.supplemental-metadata.json'],
      ['IMG_5(1).jpg', 'IMG_5.jpg.supplemental-metadata(1).json'],
    ]);
  });
});
