// `shoebox import --from icloud` (issue 35 item 5) on a synthetic iCloud Photos export, two parts extracted to folders:
// dates from the Photo Details CSVs (GMT), favourites, hidden and deleted photos, an album CSV, a row without its
// file, a file without its row and a date that is not one — each said in the report — and the file's own date winning.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnServer } from '../helpers/cli.js';
import { assets, authFetch, tempDir } from '../helpers/server.js';

const jpeg = (r: number, g: number, b: number) =>
  sharp({ create: { width: 80, height: 60, channels: 3, background: { r, g, b } } })
    .jpeg()
    .toBuffer();
const HEADER = 'imgName,fileChecksum,favorite,hidden,deleted,originalCreationDate,viewCount,importDate';

describe('an iCloud Photos import', () => {
  const work = tempDir('shoebox-icloud-');
  const part1 = path.join(work, 'iCloud Photos Part 1 of 2');
  const part2 = path.join(work, 'iCloud Photos Part 2 of 2');
  const dataDir = path.join(work, 'library');
  let first: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    for (const dir of [path.join(part1, 'Photos'), path.join(part2, 'Photos'), path.join(part2, 'Albums')]) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(part1, 'Photos/IMG_0001.JPG'), await jpeg(200, 0, 0));
    fs.writeFileSync(path.join(part1, 'Photos/IMG_0002.JPG'), await jpeg(0, 200, 0));
    fs.copyFileSync(path.join(assets, 'metadata/gps-position/thompson-springs.jpg'), path.join(part1, 'Photos/IMG_0006.JPG'));
    fs.writeFileSync(
      path.join(part1, 'Photos/Photo Details.csv'),
      [
        HEADER,
        'IMG_0001.JPG,abc,yes,no,no,"Saturday January 15,2022 7:31 PM GMT",3,"Saturday January 15,2022 7:35 PM GMT"',
        'IMG_0002.JPG,abd,no,yes,no,"Monday September 9,2019 12:05 AM GMT",0,"Monday September 9,2019 12:06 AM GMT"',
        'IMG_0006.JPG,abg,no,no,no,"Monday September 9,2019 12:05 AM GMT",0,"Monday September 9,2019 12:06 AM GMT"',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(part2, 'Photos/IMG_0003.JPG'), await jpeg(0, 0, 200));
    fs.writeFileSync(path.join(part2, 'Photos/IMG_0005.JPG'), await jpeg(90, 90, 0));
    fs.writeFileSync(path.join(part2, 'Photos/IMG_0007.JPG'), await jpeg(9, 90, 90));
    // the camera's counter came round again: another IMG_0001.JPG, described by its own part's Photo Details
    fs.writeFileSync(path.join(part2, 'Photos/IMG_0001.JPG'), await jpeg(120, 30, 200));
    fs.writeFileSync(
      path.join(part2, 'Photos/Photo Details.csv'),
      [
        HEADER,
        'IMG_0001.JPG,abz,no,no,no,"Friday June 5,2015 6:00 AM GMT",1,"Friday June 5,2015 6:01 AM GMT"',
        'IMG_0003.JPG,abe,no,no,yes,"Tuesday March 1,2016 12:40 PM GMT",1,"Tuesday March 1,2016 12:41 PM GMT"',
        'IMG_0004.JPG,abf,no,no,no,"Tuesday March 1,2016 12:40 PM GMT",1,"Tuesday March 1,2016 12:41 PM GMT"',
        'IMG_0007.JPG,abh,no,no,no,sometime last spring,1,"Tuesday March 1,2016 12:41 PM GMT"',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(part2, 'Albums/Winter walks.csv'), 'Images\nIMG_0001.JPG\nIMG_0003.JPG\nIMG_0005.JPG\n');
    first = await runCli(['import', '--from', 'icloud', part2, part1, '--data', dataDir, '--wait']);
  }, 300_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('imports every photo with its facts, and reports what did not fit', async () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('of an iCloud Photos export');
    expect(first.stderr).toMatch(/Added 7, already in the library 0, copies in several folders 0, failed 0\./);
    expect(first.stderr).toMatch(/Favourites 1, moved to the trash 1, archived 1,/);
    // the album's CSV names IMG_0001.JPG: both photos of that name go in it
    expect(first.stderr).toContain('Albums: Winter walks (4).');
    expect(first.stderr).toMatch(/Without a sidecar \(dates from the file alone\) \(1\):\n\s+.*IMG_0005\.JPG/);
    expect(first.stderr).toMatch(/Sidecars \(or detail rows\) without their file \(1\):\n\s+.*Part 2 of 2\/Photos\/Photo Details\.csv: IMG_0004\.JPG/);
    expect(first.stderr).toMatch(
      /Values not taken \(1\):\n\s+.*Photo Details\.csv \(IMG_0007\.JPG\): originalCreationDate "sometime last spring" is not a date/,
    );

    const server = await spawnServer(dataDir, { LOG_LEVEL: 'warn' });
    try {
      const list = await (await authFetch(`${server.url}/api/photos?limit=50`)).json();
      const details = (name: string) =>
        Promise.all(
          list.items
            .filter((p: { filename: string }) => p.filename === name)
            .map(async (p: { id: string }) => (await authFetch(`${server.url}/api/photos/${p.id}`)).json()),
        );
      const detail = async (name: string) => (await details(name))[0];
      expect(list.total).toBe(5); // IMG_0003 is in the trash, IMG_0002 (hidden in iCloud) in the archive
      const archive = await (await authFetch(`${server.url}/api/photos?archived=only`)).json();
      expect(archive.items.map((p: { filename: string; archived: boolean }) => [p.filename, p.archived])).toEqual([['IMG_0002.JPG', true]]);
      list.items.push(...archive.items);
      const ones = await details('IMG_0001.JPG');
      expect(ones.map((p: { metadata: { takenAt: string }; favorite: boolean }) => [p.metadata.takenAt, p.favorite]).sort()).toEqual([
        ['2015-06-05T06:00:00.000+00:00', false],
        ['2022-01-15T19:31:00.000+00:00', true],
      ]);
      expect((await detail('IMG_0002.JPG')).metadata.takenAt).toBe('2019-09-09T00:05:00.000+00:00');
      expect((await detail('IMG_0006.JPG')).metadata.takenAt).toMatch(/^2022-01-10T15:15:44/); // the file's own
      expect((await detail('IMG_0005.JPG')).metadata.takenAt).toBeNull();
      const trash = await (await authFetch(`${server.url}/api/trash`)).json();
      expect(trash.items.map((p: { filename: string }) => p.filename)).toEqual(['IMG_0003.JPG']);
      const albums = await (await authFetch(`${server.url}/api/albums?kind=manual`)).json();
      expect(albums.items.map((a: { name: string; photoCount: number }) => [a.name, a.photoCount])).toEqual([['Winter walks', 3]]);
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
  }, 300_000);
});
