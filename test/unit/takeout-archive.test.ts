// An export's archives and CSVs read as untrusted input (issue 59): entries that share their compressed data refuse
// the archive before anything is inflated, the bytes inflated across an archive are bounded whatever each entry
// says, and a CSV is streamed within bounds on bytes, rows and row length — past one it is not read, with the
// reason; its rows that name no file of the export are counted, not kept. And how a server's start counts the
// crashes an import left behind (library/imports/stops.ts).
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTakeout, ZipBombError, type TakeoutFile } from '../../src/library/takeout/archive.js';
import { CsvLimitError, csvRecords, type CsvLimits } from '../../src/library/takeout/csv-rows.js';
import { planICloud } from '../../src/library/takeout/icloud.js';
import { takeoutReport } from '../../src/library/takeout/import.js';
import { readReport } from '../../web/src/lib/importReport.js';
import { planTakeout } from '../../src/library/takeout/plan.js';
import { afterStop, CRASHES_TO_FAIL } from '../../src/library/imports/stops.js';
import { makeTempDir } from '../helpers/temp.js';
import { deflatedZip } from '../helpers/zip.js';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('shoebox-takeout-archive-');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const MB = 1024 * 1024;

/** A file of an export held in memory. */
function memoryFile(label: string, text: string): TakeoutFile {
  const parts = label.split('/');
  return {
    label,
    folder: parts.at(-2) ?? '',
    dir: parts.slice(0, -1).join('/'),
    name: parts.at(-1)!,
    size: Buffer.byteLength(text),
    open: async () => Readable.from([Buffer.from(text)]),
  };
}

async function records(text: string, limits: CsvLimits): Promise<string[][]> {
  const out: string[][] = [];
  for await (const record of csvRecords(Readable.from([Buffer.from(text)]), limits)) out.push(record);
  return out;
}

describe('zip archives of an export', () => {
  it('refuses an archive whose entries share one compressed stream, before inflating any', async () => {
    // 1,000 entries of 1 MB each (each one passes the per-entry ratio rule) from one 1 kB stream: 1 GB from 2 kB
    const names = Array.from({ length: 1000 }, (_, i) => `Takeout/Google Photos/Photos from 2020/IMG_${i}.jpg`);
    const bomb = deflatedZip(names, Buffer.alloc(MB), { shared: true });
    expect(bomb.length).toBeLessThan(100_000);
    const file = path.join(dir, 'shared.zip');
    await writeFile(file, bomb);
    const source = await openTakeout([file]);
    source.close();
    expect(source.files).toEqual([]);
    expect(source.refused).toEqual([{ label: file, reason: expect.stringMatching(/^its entries overlap .*: a zip bomb$/) }]);
  });

  it('stops at a bound on the bytes an archive inflates in all, whatever each entry says', async () => {
    // 300 honest entries of 1 MB of spaces (each under the per-entry rule): 300 MB from 300 kB
    const names = Array.from({ length: 300 }, (_, i) => `Takeout/Google Photos/Photos from 2020/${i}.json`);
    const file = path.join(dir, 'many.zip');
    await writeFile(file, deflatedZip(names, Buffer.alloc(MB, ' ')));
    const source = await openTakeout([file]);
    try {
      expect(source.files).toHaveLength(300);
      const planned = planTakeout(source.files);
      await expect(planned).rejects.toBeInstanceOf(ZipBombError);
      await expect(planned).rejects.toThrow(/^many\.zip unpacks to more than 256 MB from \d+ bytes \(over 10 times its size\): a zip bomb; the import stops$/);
    } finally {
      source.close();
    }
  });
});

describe('CSV files of an export', () => {
  const limits: CsvLimits = { maxBytes: 10_000, maxRows: 100, maxRowChars: 200 };

  it('streams records, the header first, fields trimmed, empty lines and a BOM left out', async () => {
    expect(await records('\uFEFFimgName,favorite\n IMG_1.JPG , yes\n\n"IMG,2.JPG",no\n', limits)).toEqual([
      ['imgName', 'favorite'],
      ['IMG_1.JPG', 'yes'],
      ['IMG,2.JPG', 'no'],
    ]);
  });

  it('stops at the bounds on bytes, rows and the length of a row, saying which', async () => {
    await expect(records(`a\n${'x,'.repeat(90)}\n`.repeat(60), limits)).rejects.toThrow(new CsvLimitError('larger than 10000 bytes'));
    await expect(records('a\nb\n'.repeat(60), limits)).rejects.toThrow(new CsvLimitError('more than 100 rows'));
    await expect(records(`a,b\n"${'x'.repeat(300)}",1\n`, limits)).rejects.toThrow(new CsvLimitError('a row is longer than 200 characters'));
  });

  it('keeps the rows that name a file of the export; a CSV past a bound says nothing, with the reason', async () => {
    const header = 'imgName,fileChecksum,favorite,hidden,deleted,originalCreationDate';
    const strays = Array.from({ length: 5000 }, (_, i) => `GONE_${i}.JPG,x,yes,no,no,"Saturday January 15,2022 7:31 PM GMT"`);
    const files = [
      memoryFile('part1/Photos/IMG_1.JPG', 'jpeg'),
      memoryFile('part1/Photos/IMG_2.JPG', 'jpeg'),
      memoryFile('part1/Photos/Photo Details.csv', [header, ...strays, 'IMG_1.JPG,a,yes,no,no,"Saturday January 15,2022 7:31 PM GMT"', ''].join('\n')),
      // over the bound below: its row for IMG_2 is not taken
      memoryFile('part1/Photos/Photo Details-1.csv', [header, 'IMG_2.JPG,b,yes,yes,yes,', ...strays, ...strays].join('\n')),
      memoryFile('part1/Albums/Winter\u0001.csv', 'Images\nIMG_2.JPG\nGONE_1.JPG\nIMG_2.JPG\n'),
    ];
    const plan = await planICloud(files, { csvLimits: { maxBytes: 500_000, maxRows: 20_000, maxRowChars: 1000 } });
    expect(plan.items.map((item) => [item.file.name, item.sidecar?.marks.favorited ?? null, item.albums.map((a) => a.title)])).toEqual([
      ['IMG_1.JPG', true, []],
      ['IMG_2.JPG', null, ['Winter']],
    ]);
    expect(plan.badJson).toEqual([{ label: 'part1/Photos/Photo Details-1.csv', reason: 'not read: larger than 500000 bytes' }]);
    // the 5,000 rows of files the export does not hold: counted, the first 1,000 kept for the report
    expect(plan.unusedSidecars).toHaveLength(1000);
    expect(plan.unusedSidecarsLeftOut).toBe(4000);
    const report = takeoutReport(
      plan,
      { added: [], videos: 0, alreadyThere: 0, copies: 0, failed: [], favourites: 0, trashed: 0, archived: 0, albums: [], withPeople: 0 },
      [],
    );
    expect(report).toContain('Sidecars (or detail rows) without their file (5000):\n  part1/Photos/Photo Details.csv: GONE_0.JPG\n');
    expect(report).toContain('  … and 4800 more');
    // the Import page reads it back into headings with counts and lists (web/src/lib/importReport.ts)
    const read = readReport(report);
    expect(read.summary[0]).toBe('Added 0, already in the library 0, copies in several folders 0, failed 0.');
    expect(read.sections.map((s) => [s.title, s.count, s.items.length, s.more])).toEqual([
      ['Without a sidecar (dates from the file alone)', 1, 1, null],
      ['Sidecars (or detail rows) without their file', 5000, 200, '… and 4800 more'],
      ['Sidecars not read', 1, 1, null],
    ]);
  });
});

describe('crashes an import left behind', () => {
  const fresh = null;

  it('runs it again after one crash, fails it after two at the same place, saying where', () => {
    const first = afterStop(fresh, { done: 0, total: 0 }, 2);
    expect(first).toEqual({ stops: { done: 0, total: 0, crashes: 1, orderly: false }, failure: null });
    const second = afterStop(first.stops, { done: 0, total: 0 }, 2);
    expect(second.stops.crashes).toBe(CRASHES_TO_FAIL);
    expect(second.failure).toMatch(
      /^the server stopped \(crashed or was killed\) 2 times in a row at the same place in this import, while it read its archives: /,
    );
    // two items go in side by side: a crash at one leaves the count one short or not, by chance
    const midway = afterStop(fresh, { done: 41, total: 90 }, 2);
    expect(afterStop(midway.stops, { done: 40, total: 90 }, 2).failure).toMatch(/at item 41 of 90: /);
    expect(afterStop(midway.stops, { done: 42, total: 90 }, 2).failure).not.toBeNull();
    expect(afterStop({ done: 90, total: 90, crashes: 1, orderly: false }, { done: 90, total: 90 }, 2).failure).toMatch(/albums, favourites and trash/);
  });

  it('counts a crash at another place as the first there, and a stop in order as none', () => {
    const midway = afterStop(fresh, { done: 41, total: 90 }, 2).stops;
    expect(afterStop(midway, { done: 60, total: 90 }, 2)).toEqual({ stops: { done: 60, total: 90, crashes: 1, orderly: false }, failure: null });
    expect(afterStop(midway, { done: 41, total: 0 }, 2).failure).toBeNull();
    const orderly = afterStop({ ...midway, orderly: true }, { done: 70, total: 90 }, 2);
    expect(orderly).toEqual({ stops: { ...midway, orderly: false }, failure: null });
    // the crash after it, at the first place again, is the second there
    expect(afterStop(orderly.stops, { done: 41, total: 90 }, 2).failure).not.toBeNull();
  });
});
