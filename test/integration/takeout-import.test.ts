// `shoebox import --from google-takeout` on a synthetic export built here: two zips given in reverse order, the new
// and old sidecar names, a name cut to 51 characters, `(1)` counters, an edited copy, an album folder with its
// metadata.json, a photo in a year folder and an album (stored once, placed in the album), 0,0 for no place, the
// file's own date and place winning, favourites and the trash; then bad input (a zip that is not one, a name that
// climbs out, a sidecar that is not JSON) reported while the rest goes on; then the same import again adds nothing.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { runCli, spawnServer } from '../helpers/cli.js';
import { assets, authFetch, tempDir, waitForTerminal } from '../helpers/server.js';

const YEAR19 = 'Takeout/Google Photos/Photos from 2019';
const YEAR20 = 'Takeout/Google Photos/Photos from 2020';
const ALBUM = 'Takeout/Google Photos/Trip to Lisbon';
const LONG = 'PXL_20200612_184512345.NIGHT.PORTRAIT-01.COVER.jpg'; // 50 characters: its sidecar's name is cut

const lisbon = { latitude: 38.7223, longitude: -9.1393, altitude: 0 };
const seconds = (iso: string) => String(Date.parse(iso) / 1000);
const sidecar = (title: string, fields: Record<string, unknown> = {}) => Buffer.from(JSON.stringify({ title, description: '', ...fields }, null, 2));

/** A small JPEG of one colour, without EXIF (its date can only come from its sidecar). */
const jpeg = (r: number, g: number, b: number) =>
  sharp({ create: { width: 96, height: 64, channels: 3, background: { r, g, b } } })
    .jpeg()
    .toBuffer();

function writeZip(file: string, entries: [string, Buffer][]): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name);
  zip.end();
  return new Promise((resolve, reject) => {
    zip.outputStream.pipe(fs.createWriteStream(file)).on('close', resolve).on('error', reject);
  });
}

describe('a Google Takeout import', () => {
  const work = tempDir('shoebox-takeout-');
  const dataDir = path.join(work, 'library');
  const zips = [path.join(work, 'takeout-001.zip'), path.join(work, 'takeout-002.zip'), path.join(work, 'not-a-zip.zip')];
  let first: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    const [tram, tram2, night, original, edited, lone, bad, odd] = await Promise.all([
      jpeg(200, 30, 30),
      jpeg(30, 200, 30),
      jpeg(10, 10, 60),
      jpeg(240, 240, 20),
      jpeg(250, 200, 20),
      jpeg(90, 90, 90),
      jpeg(20, 140, 200),
      jpeg(140, 20, 200),
    ]);
    const utah = fs.readFileSync(path.join(assets, 'metadata/gps-position/thompson-springs.jpg'));
    await writeZip(zips[0]!, [
      [`${YEAR19}/IMG_0001.jpg`, tram],
      [
        `${YEAR19}/IMG_0001.jpg.supplemental-metadata.json`,
        sidecar('IMG_0001.jpg', {
          description: 'Tram 28',
          photoTakenTime: { timestamp: seconds('2019-07-14T10:00:00Z') },
          geoData: lisbon,
          favorited: true,
          people: [{ name: 'Marie' }],
        }),
      ],
      [`${YEAR19}/IMG_0001(1).jpg`, tram2],
      [
        `${YEAR19}/IMG_0001.jpg.supplemental-metadata(1).json`,
        sidecar('IMG_0001.jpg', { photoTakenTime: { timestamp: seconds('2019-08-01T08:30:00Z') }, geoData: { latitude: 0, longitude: 0 } }),
      ],
      // the album's copy of IMG_0001.jpg: the same bytes
      [`${ALBUM}/IMG_0001.jpg`, tram],
      [
        `${ALBUM}/IMG_0001.jpg.supplemental-metadata.json`,
        sidecar('IMG_0001.jpg', { photoTakenTime: { timestamp: seconds('2019-07-14T10:00:00Z') }, geoData: lisbon }),
      ],
      // as older exports write it: with the album's place (geoData, a photo's sidecar's field too)
      [
        `${ALBUM}/metadata.json`,
        sidecar('Trip to Lisbon', { access: 'protected', location: 'Lisbon', date: { timestamp: seconds('2019-07-20T00:00:00Z') }, geoData: lisbon }),
      ],
      // a photo with its own date and place: they win over the sidecar's
      [`${YEAR19}/thompson-springs.jpg`, utah],
      [
        `${YEAR19}/thompson-springs.jpg.json`,
        sidecar('thompson-springs.jpg', { photoTakenTime: { timestamp: seconds('2019-01-01T00:00:00Z') }, geoData: lisbon }),
      ],
      // a name that climbs out of the archive (renamed below, in the bytes)
      [`${YEAR19}/xx/evil.jpg`, lone],
    ]);
    // the second zip, given first on the command line
    await writeZip(zips[1]!, [
      [`${YEAR20}/${LONG}`, night],
      [
        `${YEAR20}/${`${LONG}.supplemental-metadata`.slice(0, 46)}.json`,
        sidecar(LONG, { photoTakenTime: { timestamp: seconds('2020-06-12T18:45:12Z') }, trashed: true }),
      ],
      // the trashed photo is in the album too (the album's copy of it)
      [`${ALBUM}/${LONG}`, night],
      [
        `${ALBUM}/${`${LONG}.supplemental-metadata`.slice(0, 46)}.json`,
        sidecar(LONG, { photoTakenTime: { timestamp: seconds('2020-06-12T18:45:12Z') }, trashed: true }),
      ],
      [`${YEAR20}/IMG_0002.jpg`, original],
      [`${YEAR20}/IMG_0002-edited.jpg`, edited],
      [`${YEAR20}/IMG_0002.jpg.json`, sidecar('IMG_0002.jpg', { photoTakenTime: { timestamp: seconds('2020-03-03T12:00:00Z') } })],
      [`${YEAR20}/no-sidecar.jpg`, lone],
      [`${YEAR20}/lost.jpg.supplemental-metadata.json`, sidecar('lost.jpg', { photoTakenTime: { timestamp: seconds('2020-01-01T00:00:00Z') } })],
      [`${YEAR20}/bad.jpg`, bad],
      [`${YEAR20}/bad.jpg.json`, Buffer.from('{"title": "bad.jpg", "photoTakenTime": ')],
      [`${YEAR20}/odd.jpg`, odd],
      [
        `${YEAR20}/odd.jpg.supplemental-metadata.json`,
        sidecar('odd.jpg', { photoTakenTime: { timestamp: '99999999999' }, geoData: { latitude: 91, longitude: 10 } }),
      ],
      // 5 MB of zeros: compressed a thousand times over
      [`${YEAR20}/bomb.jpg`, Buffer.alloc(5 * 1024 * 1024)],
    ]);
    const bytes = fs.readFileSync(zips[0]!);
    fs.writeFileSync(zips[0]!, Buffer.from(bytes.toString('latin1').replaceAll(`${YEAR19}/xx/evil.jpg`, `${YEAR19}/../evil.jpg`), 'latin1'));
    fs.writeFileSync(zips[2]!, 'PK this is not a zip archive');
    first = await runCli(['import', '--from', 'google-takeout', zips[1]!, zips[0]!, zips[2]!, '--data', dataDir, '--wait']);
  }, 300_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('imports every item once, and reports what did not fit', () => {
    if (process.env.SHOW_TAKEOUT) console.log(first.stderr);
    expect(first.code, first.stderr).toBe(0);
    // 11 files; the album's IMG_0001.jpg and night portrait are the year folders'
    expect(first.stderr).toMatch(/Added 9, already in the library 0, copies in several folders 2, failed 0\./);
    expect(first.stderr).toMatch(/Favourites 1, moved to the trash 1, archived 0, with people named 1\./);
    expect(first.stderr).toContain('Albums: Trip to Lisbon (2).');
    expect(first.stderr).toMatch(/not-a-zip\.zip: not a zip archive/);
    expect(first.stderr).toContain('takeout-001.zip:Takeout/Google Photos/Photos from 2019/../evil.jpg: its name climbs out of the archive (..)');
    expect(first.stderr).toMatch(/Without a sidecar \(dates from the file alone\) \(2\):\n(\s+.*\n)*\s+takeout-002\.zip:.*no-sidecar\.jpg/);
    expect(first.stderr).toContain('takeout-002.zip:Takeout/Google Photos/Photos from 2020/bad.jpg');
    expect(first.stderr).toMatch(/Sidecars \(or detail rows\) without their file \(1\):\n\s+takeout-002\.zip:.*lost\.jpg\.supplemental-metadata\.json/);
    expect(first.stderr).toMatch(/Sidecars not read \(1\):\n\s+takeout-002\.zip:.*bad\.jpg\.json: bad\.jpg\.json is not JSON/);
    expect(first.stderr).toMatch(
      /Values not taken \(2\):\n\s+.*odd\.jpg\.supplemental-metadata\.json: photoTakenTime: timestamp 99999999999 .* is out of range\n\s+.*odd\.jpg\.supplemental-metadata\.json: geoData: place 91, 10 is out of range/,
    );
    expect(first.stderr).toMatch(/bomb\.jpg: it unpacks to 5242880 bytes from \d+: a zip bomb/);
    expect(first.stderr).toMatch(/Processed: 9 completed/);
    expect(fs.existsSync(path.join(work, 'evil.jpg'))).toBe(false);
  });

  it('takes dates, places and descriptions from the sidecars where the files have none, and the files’ own where they do', async () => {
    const server = await spawnServer(dataDir, { LOG_LEVEL: 'warn' });
    try {
      // every photo of a stack (an edited copy is stacked with its original)
      const list = await (await authFetch(`${server.url}/api/photos?limit=50&stacks=expand`)).json();
      const byName = new Map<string, { id: string }[]>();
      for (const item of list.items) byName.set(item.filename, [...(byName.get(item.filename) ?? []), item]);
      const detail = async (name: string, index = 0) => (await authFetch(`${server.url}/api/photos/${byName.get(name)![index]!.id}`)).json();

      // the trashed one is out of the list
      expect(list.total).toBe(8);
      expect([...byName.keys()].sort()).toEqual([
        'IMG_0001(1).jpg',
        'IMG_0001.jpg',
        'IMG_0002-edited.jpg',
        'IMG_0002.jpg',
        'bad.jpg',
        'no-sidecar.jpg',
        'odd.jpg',
        'thompson-springs.jpg',
      ]);

      const tram = await detail('IMG_0001.jpg');
      expect(tram.metadata.takenAt).toBe('2019-07-14T11:00:00.000+01:00'); // UTC in the zone of its place
      expect(tram.metadata.timeZone).toBe('Europe/Lisbon');
      expect(tram.metadata.latitude).toBeCloseTo(38.7223, 4);
      expect(tram.metadata.longitude).toBeCloseTo(-9.1393, 4);
      // people[] of a photo with no face to put them on: a hint on the photo
      expect(tram.peopleHints).toEqual(['Marie']);
      expect(tram.metadata.description).toBe('Tram 28');
      expect(tram.favorite).toBe(true);
      expect(tram.hasSidecar).toBe(true);
      expect(tram.sidecar).toBe('takeout-json'); // not an XMP one

      const counted = await detail('IMG_0001(1).jpg');
      expect(counted.metadata.takenAt).toMatch(/^2019-08-01T08:30:00\.000/); // its own sidecar, not the first copy's
      expect(counted.metadata.latitude).toBeNull(); // 0,0: no place
      expect(counted.favorite).toBe(false);

      const utah = await detail('thompson-springs.jpg');
      expect(utah.metadata.takenAt).toMatch(/^2022-01-10T15:15:44/);
      expect(utah.metadata.latitude).toBeCloseTo(39.115, 3);

      expect((await detail('IMG_0002.jpg')).metadata.takenAt).toMatch(/^2020-03-03T12:00:00/);
      const edited = await detail('IMG_0002-edited.jpg');
      expect(edited.metadata.takenAt).toMatch(/^2020-03-03T12:00:00/);
      // the edited copy and its original are one stack (they share the sidecar, so the moment)
      expect(edited.stack).toMatchObject({ kind: 'edits', count: 2 });
      expect((await detail('IMG_0002.jpg')).stack.id).toBe(edited.stack.id);
      expect((await detail('no-sidecar.jpg')).metadata.takenAt).toBeNull(); // never the moment of unzipping
      const odd = await detail('odd.jpg');
      expect([odd.metadata.takenAt, odd.metadata.latitude]).toEqual([null, null]);
      expect(odd.steps.metadata.error).toMatch(/Google Takeout sidecar: photoTakenTime: timestamp 99999999999 .* is out of range, not taken/);

      const trash = await (await authFetch(`${server.url}/api/trash`)).json();
      expect(trash.items.map((item: { filename: string }) => item.filename)).toEqual([LONG]);
      const trashed = await (await authFetch(`${server.url}/api/photos/${trash.items[0].id}`)).json();
      expect(trashed.metadata.takenAt).toMatch(/^2020-06-12T18:45:12/);

      const albums = await (await authFetch(`${server.url}/api/albums?kind=manual`)).json();
      expect(albums.items.map((a: { name: string; photoCount: number }) => [a.name, a.photoCount])).toEqual([['Trip to Lisbon', 1]]);

      // the same import again, through the running server: nothing added, nothing changed; the trashed photo is not
      // put back in its album (said), and the rest goes on
      const again = await runCli(['import', '--from', 'google-takeout', zips[0]!, zips[1]!, '--data', dataDir]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/into the server at http/);
      expect(again.stderr).toMatch(/Added 0, already in the library 11, copies in several folders 0, failed 1\./);
      expect(again.stderr).toMatch(
        new RegExp(`Failed \\(1\\):\\n\\s+takeout-002\\.zip:.*${LONG.replaceAll('.', '\\.')}: not put in the album Trip to Lisbon: `),
      );
      expect(again.stderr).toContain('Albums: Trip to Lisbon (1).');
      expect((await (await authFetch(`${server.url}/api/photos?limit=50&stacks=expand`)).json()).total).toBe(8);
      const albumsAgain = await (await authFetch(`${server.url}/api/albums?kind=manual`)).json();
      expect(albumsAgain.items.map((a: { name: string; photoCount: number }) => [a.name, a.photoCount])).toEqual([['Trip to Lisbon', 1]]);

      // a new part of the export, through the server: the sidecar travels with its upload
      const third = path.join(work, 'takeout-003.zip');
      await writeZip(third, [
        [`${ALBUM}/IMG_0003.jpg`, await jpeg(5, 250, 250)],
        [
          `${ALBUM}/IMG_0003.jpg.supplemental-metadata.json`,
          sidecar('IMG_0003.jpg', { photoTakenTime: { timestamp: seconds('2019-07-15T19:30:00Z') }, geoData: lisbon, favorited: true }),
        ],
        [`${ALBUM}/metadata.json`, sidecar('Trip to Lisbon')],
      ]);
      const viaServer = await runCli(['import', '--from', 'google-takeout', third, '--data', dataDir, '--wait']);
      expect(viaServer.code, viaServer.stderr).toBe(0);
      expect(viaServer.stderr).toMatch(/Added 1, already in the library 0/);
      const added = (await (await authFetch(`${server.url}/api/photos?limit=50&stacks=expand`)).json()).items.find(
        (p: { filename: string }) => p.filename === 'IMG_0003.jpg',
      );
      const newOne = await (await authFetch(`${server.url}/api/photos/${added.id}`)).json();
      expect(newOne.metadata.takenAt).toBe('2019-07-15T20:30:00.000+01:00');
      expect(newOne.favorite).toBe(true);
      const albumsThird = await (await authFetch(`${server.url}/api/albums?kind=manual`)).json();
      expect(albumsThird.items.map((a: { name: string; photoCount: number }) => [a.name, a.photoCount])).toEqual([['Trip to Lisbon', 2]]);

      // a JSON part that is not a Takeout sidecar is refused with the reason; its photo is kept
      const form = new FormData();
      form.append('file', new Blob([await jpeg(1, 2, 3)]), 'x.jpg');
      form.append('file', new Blob(['{"title": 12}']), 'x.jpg.json');
      const upload = await authFetch(`${server.url}/api/photos`, { method: 'POST', body: form });
      const items = (await upload.json()).items;
      expect(items[0].id).toBeDefined();
      expect(items[1]).toMatchObject({ filename: 'x.jpg.json', error: expect.stringMatching(/^x\.jpg\.json is not a Google Photos sidecar: .*, not read$/) });

      // Google's later sidecar names sent by the web app with their photos (a Takeout folder dropped on Upload) go to
      // their photo as the import matches them: before, "Google Takeout sidecar without its photo in this upload"
      const cut = `${`${LONG}.supplemental-metadata`.slice(0, 46)}.json`; // …COVER.jpg.suppl.json
      const later = new FormData();
      later.append('file', new Blob([await jpeg(7, 8, 9)]), 'y.jpg');
      later.append(
        'file',
        new Blob([sidecar('y.jpg', { photoTakenTime: { timestamp: seconds('2016-03-04T10:00:00Z') }, favorited: true })]),
        'y.jpg.supplemental-metadata.json',
      );
      later.append('file', new Blob([await jpeg(9, 8, 7)]), LONG);
      later.append('file', new Blob([sidecar(LONG, { photoTakenTime: { timestamp: seconds('2016-03-04T10:00:00Z') }, archived: true })]), cut);
      const sent = (await (await authFetch(`${server.url}/api/photos`, { method: 'POST', body: later })).json()).items;
      expect(sent.map((item: { filename: string; id?: string; error?: string }) => [item.filename, item.error ?? item.id])).toEqual([
        ['y.jpg', sent[0].id],
        ['y.jpg.supplemental-metadata.json', sent[0].id],
        [LONG, sent[2].id],
        [cut, sent[2].id],
      ]);
      await waitForTerminal(server.url, [sent[0].id, sent[2].id]);
      // the sidecar's date is the photo's (its file has none)
      for (const photo of [sent[0], sent[2]]) {
        const taken = (await (await authFetch(`${server.url}/api/photos/${photo.id}`)).json()).metadata.takenAt;
        expect(Date.parse(taken)).toBe(Date.parse('2016-03-04T10:00:00Z'));
      }
      // and its marks, as the import gives them: before, an uploaded sidecar's favourite and archive were dropped
      const marks = async (id: string) => {
        const photo = await (await authFetch(`${server.url}/api/photos/${id}`)).json();
        return { favorite: photo.favorite, archived: photo.archived };
      };
      expect(await marks(sent[0].id)).toEqual({ favorite: true, archived: false });
      expect(await marks(sent[2].id)).toEqual({ favorite: false, archived: true });
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
  }, 300_000);
});
