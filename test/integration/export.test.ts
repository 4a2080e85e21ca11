// `shoebox export` (issue 35 item 8): originals byte for byte in folders by date or album, an XMP sidecar each with
// what Shoebox knows (dates with zones, GPS, rating, favourite, keywords, description, people as MWG regions), a
// manifest with checksums; resumable; and the round trip (issue 61 item 4): the export imported into a fresh library
// gives the same items with the same facts, field by field — dates (from the file, its name or its file's time) with
// their zones, places, ratings, favourites, archive, keywords, descriptions, people, albums, edits, stacks (a RAW and
// its JPEG) and a motion photo's video in its still.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import sharp from 'sharp';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraRaw } from '../helpers/camera-raw.js';
import { runCli, spawnServer } from '../helpers/cli.js';
import { assets, authFetch, tempDir } from '../helpers/server.js';

type Photo = {
  id: string;
  sha256: string;
  filename: string;
  favorite: boolean;
  takenAt: string | null;
  type: string;
  motion: boolean;
  width: number;
  height: number;
  edit: { rotate: number; crop: { x: number; y: number; width: number; height: number } | null } | null;
  stack: { id: string; kind: string; coverId: string | null; count: number; coverByUser?: boolean } | null;
  metadata: {
    takenAt: string | null;
    timeZone: string | null;
    place: object | null;
    latitude: number | null;
    longitude: number | null;
    rating: number | null;
    keywords: string[];
    description: string | null;
  };
  faces: { personName: string | null }[];
  peopleHints: string[];
  archived: boolean;
  albums: { name: string; kind: string }[];
};

async function withServer<T>(dataDir: string, use: (url: string) => Promise<T>): Promise<T> {
  const server = await spawnServer(dataDir, { LOG_LEVEL: 'warn' });
  try {
    return await use(server.url);
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }
}

async function allPhotos(url: string): Promise<Photo[]> {
  const list = await (await authFetch(`${url}/api/photos?limit=100&archived=include&stacks=expand`)).json();
  return Promise.all(
    list.items.map(async (item: { id: string }) => {
      const photo = (await (await authFetch(`${url}/api/photos/${item.id}`)).json()) as Photo;
      // whether its stack's cover was picked by hand
      if (photo.stack) photo.stack.coverByUser = (await (await authFetch(`${url}/api/stacks/${photo.stack.id}`)).json()).coverByUser;
      return photo;
    }),
  );
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The day a photo is filed under in an export by date: its date, else its file's time that dates it. */
const yearOf = (p: Photo) => (p.metadata.takenAt ?? p.takenAt)?.slice(0, 4) ?? 'undated';

/** Photos dated by nothing but their file's time: a scan, and a RAW and its JPEG (stacked by name and time). */
async function fileTimePhotos(dir: string): Promise<void> {
  const ridge = sharp(path.join(assets, 'albums/nature/tanners_ridge.jpg')).resize(1200, 1200, { fit: 'inside' });
  const preview = await ridge.jpeg({ quality: 85 }).toBuffer(); // sharp writes no EXIF: no date in it
  const { width, height } = await sharp(preview).metadata();
  fs.writeFileSync(path.join(dir, 'DSC_0202.CR2'), cameraRaw({ preview, width: width!, height: height!, make: 'Canon', model: 'EOS 5D' }));
  fs.writeFileSync(path.join(dir, 'DSC_0202.JPG'), preview);
  const scan = await sharp(path.join(assets, 'albums/nature/cyclamen_persicum.jpg')).resize(900, 900, { fit: 'inside' }).jpeg().toBuffer();
  fs.writeFileSync(path.join(dir, 'scan.jpg'), scan);
  const shot = new Date('2021-06-05T10:00:00Z');
  for (const name of ['DSC_0202.CR2', 'DSC_0202.JPG']) fs.utimesSync(path.join(dir, name), shot, shot);
  fs.utimesSync(path.join(dir, 'scan.jpg'), new Date('2020-03-04T05:06:07Z'), new Date('2020-03-04T05:06:07Z'));
}

describe('shoebox export', () => {
  const work = tempDir('shoebox-export-');
  const source = path.join(work, 'source');
  const libraryA = path.join(work, 'a');
  const byAlbum = path.join(work, 'by-album');
  const byDate = path.join(work, 'by-date');
  let before: Photo[];
  /** The photo chosen as the album's cover (not the one it would show by itself). */
  let albumCover: string;

  beforeAll(async () => {
    fs.mkdirSync(source);
    for (const file of [
      'metadata/gps-position/thompson-springs.jpg',
      'metadata/rating/mongolels.jpg',
      'metadata/tags/picasa.jpg',
      'metadata/faces/portrait.jpg',
      'albums/nature/silver_fir.jpg',
      'formats/motionphoto/samsung-one-ui-6.heic',
    ]) {
      fs.copyFileSync(path.join(assets, file), path.join(source, path.basename(file)));
    }
    await fileTimePhotos(source);
    // dated by nothing but its file's time, as portrait.jpg is
    fs.utimesSync(path.join(source, 'silver_fir.jpg'), new Date('2019-07-14T09:30:00Z'), new Date('2019-07-14T09:30:00Z'));
    const imported = await runCli(['import', source, '--data', libraryA, '--wait']);
    expect(imported.code, imported.stderr).toBe(0);
    before = await withServer(libraryA, async (url) => {
      const photos = await allPhotos(url);
      const id = (name: string) => photos.find((p) => p.filename === name)!.id;
      const patch = (route: string, json: unknown) =>
        authFetch(`${url}${route}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
      expect((await patch(`/api/photos/${id('silver_fir.jpg')}`, { favorite: true, rating: 4 })).status).toBe(200);
      expect((await patch(`/api/photos/${id('mongolels.jpg')}`, { archived: true })).status).toBe(200);
      // turned and cropped (the original stays as it was)
      const edit = await authFetch(`${url}/api/photos/${id('thompson-springs.jpg')}/edit`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rotate: 90, crop: { x: 0.1, y: 0.2, width: 0.5, height: 0.6 } }),
      });
      expect(edit.status).toBe(200);
      const people = await (await authFetch(`${url}/api/people`)).json();
      const portrait = photos.find((p) => p.filename === 'portrait.jpg')!;
      expect(portrait.faces.length).toBeGreaterThan(0);
      for (const person of people.items) expect((await patch(`/api/people/${person.id}`, { name: 'Ada Lovelace' })).status).toBe(200);
      const album = await authFetch(`${url}/api/albums`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Walks / hikes', description: 'Sundays in the Jura, 2019', photoIds: [id('silver_fir.jpg'), id('thompson-springs.jpg')] }),
      });
      expect(album.status).toBe(201);
      const walks = (await album.json()) as { id: string; coverPhotoId: string };
      albumCover = ['silver_fir.jpg', 'thompson-springs.jpg'].find((name) => id(name) !== walks.coverPhotoId)!;
      expect((await patch(`/api/albums/${walks.id}`, { coverPhotoId: id(albumCover) })).status).toBe(200);
      // stacks by hand: the JPEG of a RAW+JPEG pair stacked with the scan and picasa.jpg (the pair's stack takes them),
      // the RAW moved out of it (the rules would stack it with its JPEG again), and a cover picked that is not the best shot
      const post = (route: string, json: unknown, method = 'POST') =>
        authFetch(`${url}${route}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
      const made = await post('/api/stacks', { photoIds: [id('DSC_0202.JPG'), id('scan.jpg'), id('picasa.jpg')] });
      expect(made.status).toBe(201);
      const stack = (await made.json()) as { id: string; members: unknown[] };
      expect(stack.members).toHaveLength(4);
      const movedOut = await authFetch(`${url}/api/stacks/${stack.id}/photos/${id('DSC_0202.CR2')}`, { method: 'DELETE' });
      expect(movedOut.status).toBe(200);
      const bestShot = ((await movedOut.json()) as { stack: { coverId: string } }).stack.coverId;
      const cover = [id('scan.jpg'), id('picasa.jpg')].find((other) => other !== bestShot)!;
      expect((await post(`/api/stacks/${stack.id}/cover`, { photoId: cover }, 'PUT')).status).toBe(200);
      // through the running server, by album
      const exported = await runCli(['export', byAlbum, '--by', 'album', '--data', libraryA]);
      expect(exported.code, exported.stderr).toBe(0);
      // 9 originals, their sidecars, and the motion photo's video
      expect(exported.stderr).toMatch(/Exported 9 photos .*: 19 files written, 0 already there, 0 failed\./);
      return allPhotos(url);
    });
  }, 300_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('writes originals byte for byte, in album folders, with sidecars and a manifest of checksums', () => {
    // the album's name made safe for any file system; the photos in no album by year and day
    const top = fs.readdirSync(byAlbum).sort();
    expect(top).toContain('Walks _ hikes');
    expect(top).toContain('manifest.jsonl');
    for (const name of top.filter((n) => !['Walks _ hikes', 'manifest.jsonl', 'albums.json', 'photos.json'].includes(n))) {
      expect(name).toMatch(/^(\d{4}|undated)$/);
      if (name !== 'undated') for (const day of fs.readdirSync(path.join(byAlbum, name))) expect(day).toMatch(new RegExp(`^${name}-\\d{2}-\\d{2}$`));
    }
    expect(fs.readdirSync(path.join(byAlbum, 'Walks _ hikes')).sort()).toEqual([
      'silver_fir.jpg',
      'silver_fir.jpg.xmp',
      'thompson-springs.jpg',
      'thompson-springs.jpg.xmp',
    ]);
    const manifest = fs
      .readFileSync(path.join(byAlbum, 'manifest.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { path: string; sha256: string; bytes: number; kind: string; photoId: string });
    expect(manifest).toHaveLength(19);
    for (const entry of manifest) {
      const file = path.join(byAlbum, entry.path);
      expect(sha256(file), entry.path).toBe(entry.sha256);
      expect(fs.statSync(file).size).toBe(entry.bytes);
    }
    const originals = manifest.filter((entry) => entry.kind === 'original');
    expect(originals.map((entry) => entry.sha256).sort()).toEqual(before.map((p) => p.sha256).sort());
    // the album by its whole name, with its originals: how an import of the export puts them back
    expect(JSON.parse(fs.readFileSync(path.join(byAlbum, 'albums.json'), 'utf8'))).toEqual({
      shoebox: 'albums',
      version: 1,
      albums: [
        // newest first, as exported (silver_fir.jpg is dated 2019 by its file's time)
        {
          name: 'Walks / hikes',
          description: 'Sundays in the Jura, 2019',
          files: ['Walks _ hikes/thompson-springs.jpg', 'Walks _ hikes/silver_fir.jpg'],
          cover: `Walks _ hikes/${albumCover}`,
        },
      ],
      archived: [expect.stringMatching(/^\d{4}\/\d{4}-\d{2}-\d{2}\/mongolels\.jpg$/)],
    });
    // the stack made by hand and the RAW moved out of it, as the server told them (POST /api/stacks/by-hand)
    const facts = JSON.parse(fs.readFileSync(path.join(byAlbum, 'photos.json'), 'utf8'));
    expect(facts.stacks).toMatchObject([{ kind: 'mixed', byHand: true, coverByHand: true }]);
    expect(facts.stacks[0].files).toHaveLength(3);
    expect(facts.apart).toHaveLength(3);
  });

  it('puts what Shoebox knows in each sidecar, as other tools read it', async () => {
    const tool = new ExifTool({ maxProcs: 1 });
    try {
      const fir = await tool.read(path.join(byAlbum, 'Walks _ hikes/silver_fir.jpg.xmp'));
      expect(fir.Rating).toBe(4);
      expect(fir.Label).toBe('Favorite');
      const utah = await tool.read(path.join(byAlbum, 'Walks _ hikes/thompson-springs.jpg.xmp'));
      expect(String((utah.DateTimeOriginal as { rawValue?: string })?.rawValue)).toMatch(/^2022:01:10 15:15:44/);
      expect(Number(utah.GPSLatitude)).toBeCloseTo(39.115, 3);
      const portraitDir = fs
        .readdirSync(byAlbum, { recursive: true })
        .map(String)
        .find((file) => file.endsWith('portrait.jpg.xmp'))!;
      const portrait = (await tool.read(path.join(byAlbum, portraitDir))) as {
        RegionInfo?: { RegionList?: { Name?: string; Type?: string }[] };
        Subject?: string[];
      };
      expect(portrait.RegionInfo?.RegionList?.map((r) => [r.Name, r.Type])).toContainEqual(['Ada Lovelace', 'Face']);
      // and as a plain list, for tools that read no regions
      expect((portrait as { PersonInImage?: string[] }).PersonInImage).toEqual(['Ada Lovelace']);
    } finally {
      await tool.end();
    }
  });

  it('writes Takeout-style JSON sidecars on request, which a Takeout import pairs with every photo, albums included', async () => {
    const byTakeout = path.join(work, 'takeout-style');
    const exported = await runCli(['export', byTakeout, '--takeout-json', '--by', 'album', '--data', libraryA]);
    expect(exported.code, exported.stderr).toBe(0);
    // no motion photo's video: a Takeout-style export keeps it in the still, as Google's own does
    expect(exported.stderr).toMatch(/Exported 9 photos .*: 27 files written/);
    expect(JSON.parse(fs.readFileSync(path.join(byTakeout, 'Walks _ hikes/metadata.json'), 'utf8'))).toMatchObject({ title: 'Walks / hikes' });
    const files = fs.readdirSync(byTakeout, { recursive: true }).map(String);
    const utah = JSON.parse(
      fs.readFileSync(
        path.join(
          byTakeout,
          files.find((f) => f.endsWith('thompson-springs.jpg.supplemental-metadata.json'))!,
        ),
        'utf8',
      ),
    );
    expect(utah.photoTakenTime.timestamp).toBe(String(Math.floor(Date.parse('2022-01-10T15:15:44.310-07:00') / 1000)));
    expect(utah.geoData.latitude).toBeCloseTo(39.115, 3);
    const fir = JSON.parse(
      fs.readFileSync(
        path.join(
          byTakeout,
          files.find((f) => f.endsWith('silver_fir.jpg.supplemental-metadata.json'))!,
        ),
        'utf8',
      ),
    );
    expect(fir).toMatchObject({ title: 'silver_fir.jpg', favorited: true, geoData: { latitude: 0, longitude: 0 } });
    const imported = await runCli(['import', '--from', 'google-takeout', byTakeout, '--data', path.join(work, 'c')]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/Added 9, already in the library 0, copies in several folders 0, failed 0\./);
    expect(imported.stderr).toMatch(/Favourites 1, moved to the trash 0, archived 1,/);
    expect(imported.stderr).toContain('Albums: Walks / hikes (2).');
    expect(imported.stderr).not.toMatch(/Without a sidecar|without their file|not read/);
  }, 300_000);

  it('goes on where it stopped, and the round trip keeps every item as it was', async () => {
    const first = await runCli(['export', byDate, '--data', libraryA]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/Exported 9 photos .*: 19 files written, 0 already there/);
    // a photo dated by its file's time is filed under that day (the RAW of a pair went to undated/), and its copy has
    // that time: an import of the folder dates it the same
    const written = fs.readdirSync(byDate, { recursive: true }).map(String);
    for (const [name, time] of <[string, string][]>[
      ['DSC_0202.CR2', '2021-06-05T10:00:00.000Z'],
      ['DSC_0202.JPG', '2021-06-05T10:00:00.000Z'],
      ['scan.jpg', '2020-03-04T05:06:07.000Z'],
    ]) {
      expect(written).toContain(path.join(time.slice(0, 4), time.slice(0, 10), name));
      expect(fs.statSync(path.join(byDate, time.slice(0, 4), time.slice(0, 10), name)).mtime.toISOString()).toBe(time);
    }
    expect(written).toContain(path.join('2024', '2024-01-12', 'samsung-one-ui-6-motion.mp4'));
    // a file lost (a disk swapped, a copy stopped): the next run writes that one only
    const lost = fs
      .readdirSync(byDate, { recursive: true })
      .map(String)
      .find((file) => file.endsWith('mongolels.jpg'))!;
    fs.rmSync(path.join(byDate, lost));
    const again = await runCli(['export', byDate, '--data', libraryA]);
    expect(again.stderr).toMatch(/Exported 9 photos .*: 1 file written, 18 already there, 0 failed\./);

    const libraryB = path.join(work, 'b');
    const reimported = await runCli(['import', byDate, '--data', libraryB, '--wait']);
    expect(reimported.code, reimported.stderr).toBe(0);
    // the manifest, the albums and photos files are the export's own: read, not imported; so is the motion photo's
    // video, which its still holds (it came back as a video item of its own)
    expect(reimported.stderr).toMatch(/Added 9, already in the library 0, skipped 0\./);
    expect(reimported.stderr).toContain('Albums read back from the export: Walks / hikes (2); covers chosen 1; archived 1; edited 1.');
    // the stack made by hand (of the JPEG, which the rules stack with its RAW, the scan and picasa.jpg), the RAW
    // moved out of it, and its cover, each by its first file
    const exportedFacts = JSON.parse(fs.readFileSync(path.join(byDate, 'photos.json'), 'utf8'));
    const fileOf = (name: string) =>
      written
        .find((file) => path.basename(file) === name)!
        .split(path.sep)
        .join('/');
    const cover = before.find((p) => p.filename === 'scan.jpg')!.stack!;
    const coverName = before.find((p) => p.id === cover.coverId)!.filename;
    expect(exportedFacts.stacks).toEqual([
      {
        files: expect.arrayContaining(['DSC_0202.JPG', 'scan.jpg', 'picasa.jpg'].map(fileOf)),
        kind: 'mixed',
        byHand: true,
        cover: fileOf(coverName),
        coverByHand: true,
      },
    ]);
    expect(exportedFacts.stacks[0].files).toHaveLength(3);
    expect(exportedFacts.apart.map((pair: string[]) => [...pair].sort())).toEqual(
      expect.arrayContaining(['DSC_0202.JPG', 'scan.jpg', 'picasa.jpg'].map((name) => [fileOf('DSC_0202.CR2'), fileOf(name)].sort())),
    );
    expect(exportedFacts.apart).toHaveLength(3);
    expect(reimported.stderr).toContain('Stacks read back from the export: made by hand 1, taken apart 1, covers picked 1.');
    const [after, albumsB] = await withServer(
      libraryB,
      async (url) => [await allPhotos(url), await (await authFetch(`${url}/api/albums?kind=manual`)).json()] as const,
    );
    // the album comes back with its description and the cover chosen (issue 61 item 4: they were lost)
    type Album = { name: string; description: string | null; coverChosen: boolean; coverPhotoId: string };
    const albumCoverOf = (a: Album) => after.find((p) => p.id === a.coverPhotoId)?.filename;
    expect(albumsB.items.map((a: Album) => [a.name, a.description, a.coverChosen, albumCoverOf(a)])).toEqual([
      ['Walks / hikes', 'Sundays in the Jura, 2019', true, albumCover],
    ]);
    const key = (p: Photo, all: Photo[]) => ({
      sha256: p.sha256,
      filename: p.filename,
      type: p.type,
      motion: p.motion,
      // the date as shown (a file's time when nothing else dates it), its text (null: the file's time) and zone
      listedAt: p.takenAt,
      takenAt: p.metadata.takenAt,
      timeZone: p.metadata.timeZone,
      place: p.metadata.place,
      edit: p.edit,
      stack: p.stack && {
        kind: p.stack.kind,
        count: p.stack.count,
        cover: all.find((other) => other.id === p.stack!.coverId)?.filename,
        coverByUser: p.stack.coverByUser,
      },
      latitude: p.metadata.latitude,
      longitude: p.metadata.longitude,
      rating: p.metadata.rating,
      keywords: [...p.metadata.keywords].sort(),
      description: p.metadata.description,
      people: p.faces.map((f) => f.personName).filter(Boolean),
      // every name went out on a face: none comes back as a name without one
      peopleHints: p.peopleHints,
      albums: p.albums.filter((a) => a.kind === 'manual').map((a) => a.name),
      archived: p.archived,
      favorite: p.favorite,
    });
    const sort = (photos: Photo[]) => photos.map((p) => key(p, photos)).sort((a, b) => a.sha256.localeCompare(b.sha256));
    // the people's names went out as keywords too (as digiKam and Lightroom keep them)
    const expected = sort(before).map((p) => ({ ...p, keywords: [...new Set([...p.keywords, ...p.people])].sort() }));
    expect(sort(after)).toEqual(expected);
  }, 300_000);

  it('never writes through a link already in the export folder: a linked manifest is refused, linked folders and files are reported', async () => {
    // what lies outside the export folder, and links to it planted inside
    const outside = path.join(work, 'outside');
    fs.mkdirSync(path.join(outside, 'folder'), { recursive: true });
    fs.writeFileSync(path.join(outside, 'manifest.jsonl'), 'not yours\n');
    fs.writeFileSync(path.join(outside, 'albums.json'), 'not yours either\n');
    const listing = () =>
      fs
        .readdirSync(outside, { recursive: true })
        .map(String)
        .sort()
        .map((name) => [name, fs.statSync(path.join(outside, name)).isFile() ? fs.readFileSync(path.join(outside, name), 'utf8') : '']);
    const untouched = listing();

    // a manifest that is a link, then a hard link, to a file elsewhere: nothing is appended to it, nothing exported
    const linkedManifest = path.join(work, 'linked-manifest');
    fs.mkdirSync(linkedManifest);
    fs.symlinkSync(path.join(outside, 'manifest.jsonl'), path.join(linkedManifest, 'manifest.jsonl'));
    const refused = await runCli(['export', linkedManifest, '--data', libraryA]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('manifest.jsonl in the export folder is a link: not followed');
    fs.rmSync(path.join(linkedManifest, 'manifest.jsonl'));
    fs.linkSync(path.join(outside, 'manifest.jsonl'), path.join(linkedManifest, 'manifest.jsonl'));
    const hard = await runCli(['export', linkedManifest, '--data', libraryA]);
    expect(hard.code).toBe(1);
    expect(hard.stderr).toContain('manifest.jsonl in the export folder is a hard link to another file: not written to');
    expect(fs.readdirSync(linkedManifest)).toEqual(['manifest.jsonl']);

    // every year folder the export writes into, a link to a folder elsewhere; albums.json a link to a file elsewhere
    const linkedFolders = path.join(work, 'linked-folders');
    fs.mkdirSync(linkedFolders);
    const years = [...new Set(before.map(yearOf))];
    for (const year of years) fs.symlinkSync(path.join(outside, 'folder'), path.join(linkedFolders, year));
    fs.symlinkSync(path.join(outside, 'albums.json'), path.join(linkedFolders, 'albums.json'));
    const linked = await runCli(['export', linkedFolders, '--data', libraryA]);
    expect(linked.code).toBe(1);
    expect(linked.stderr).toMatch(new RegExp(`failed [0-9a-f-]+: ${years[0]} in the export folder is a link: not followed`));
    expect(linked.stderr).toContain('failed albums.json: albums.json in the export folder is a link: not followed');
    expect(listing()).toEqual(untouched);
    // what was written is inside, as its manifest says; nothing of the export's work is left
    expect(fs.readdirSync(linkedFolders).sort()).toEqual(['albums.json', 'manifest.jsonl', 'photos.json', ...years].sort());
    expect(fs.readFileSync(path.join(linkedFolders, 'manifest.jsonl'), 'utf8')).toBe('');
  }, 120_000);

  it('imports an export whose albums file is broken, saying the albums were not read back', async () => {
    const broken = path.join(work, 'broken');
    fs.cpSync(byAlbum, broken, { recursive: true });
    fs.writeFileSync(path.join(broken, 'albums.json'), '{"shoebox": "albums", "version": 1, "albums": [');
    const imported = await runCli(['import', broken, '--data', path.join(work, 'd')]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toMatch(/Added 9, already in the library 0, skipped 0\./);
    expect(imported.stderr).toContain('Albums of the export not read back (albums.json: albums.json is not JSON); the photos are imported.');
  }, 120_000);

  it('gives the same export as a ZIP from the API: the whole library, an album or a selection, checked by its manifest', async () => {
    await withServer(libraryA, async (url) => {
      const all = await authFetch(`${url}/api/export?all=true&by=album`);
      expect(all.status).toBe(200);
      expect(all.headers.get('content-type')).toBe('application/zip');
      expect(all.headers.get('content-disposition')).toMatch(/^attachment; filename="shoebox-library-\d{4}-\d{2}-\d{2}\.zip"$/);
      const times = new Map<string, Date>();
      const entries = await unzip(Buffer.from(await all.arrayBuffer()), times);
      // an original dated by its file's time has that time in the ZIP, for the folder it is unpacked to
      expect(times.get('2021/2021-06-05/DSC_0202.CR2')?.toISOString()).toBe('2021-06-05T10:00:00.000Z');
      const manifest = entries
        .get('manifest.jsonl')!
        .toString('utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { path: string; sha256: string; kind: string });
      // the same files as the folder export by album (9 originals, 9 sidecars, a motion photo's video), each as the manifest says
      expect(
        manifest
          .filter((m) => m.kind === 'original')
          .map((m) => m.sha256)
          .sort(),
      ).toEqual(before.map((p) => p.sha256).sort());
      expect(manifest).toHaveLength(19);
      for (const entry of manifest) expect(createHash('sha256').update(entries.get(entry.path)!).digest('hex'), entry.path).toBe(entry.sha256);
      expect([...entries.keys()].filter((name) => name.startsWith('Walks _ hikes/')).sort()).toEqual([
        'Walks _ hikes/silver_fir.jpg',
        'Walks _ hikes/silver_fir.jpg.xmp',
        'Walks _ hikes/thompson-springs.jpg',
        'Walks _ hikes/thompson-springs.jpg.xmp',
      ]);
      expect(JSON.parse(entries.get('albums.json')!.toString('utf8')).albums[0].name).toBe('Walks / hikes');

      const albums = await (await authFetch(`${url}/api/albums?kind=manual`)).json();
      const album = await unzip(Buffer.from(await (await authFetch(`${url}/api/export?album=${albums.items[0].id}`)).arrayBuffer()));
      expect(
        [...album.keys()]
          .filter((name) => /\.jpg$/u.test(name))
          .map((name) => path.basename(name))
          .sort(),
      ).toEqual(['silver_fir.jpg', 'thompson-springs.jpg']);
      const fir = before.find((p) => p.filename === 'silver_fir.jpg')!;
      const one = await unzip(Buffer.from(await (await authFetch(`${url}/api/export?ids=${fir.id}&takeoutJson=true`)).arrayBuffer()));
      expect(
        [...one.keys()]
          .filter((name) => !['manifest.jsonl', 'albums.json', 'photos.json'].includes(name))
          .map((name) => path.basename(name))
          .sort(),
      ).toEqual(['silver_fir.jpg', 'silver_fir.jpg.supplemental-metadata.json', 'silver_fir.jpg.xmp']);

      // what to export is said once and well (nothing said: everything)
      expect((await authFetch(`${url}/api/export`)).status).toBe(200);
      expect((await authFetch(`${url}/api/export?ids=not-an-id`)).status).toBe(400);
      expect((await authFetch(`${url}/api/export?all=true&ids=${fir.id}`)).status).toBe(400);
      expect((await authFetch(`${url}/api/export?album=00000000-0000-4000-8000-000000000000`)).status).toBe(404);

      // the stack by hand of a selection, one of its photos (not the cover) deleted before the import: the rest of
      // the stack is made again, and the report says which file it is without
      const stacked = ['DSC_0202.CR2', 'DSC_0202.JPG', 'scan.jpg', 'picasa.jpg'].map((name) => before.find((p) => p.filename === name)!);
      const coverId = stacked[2]!.stack!.coverId;
      const dropped = stacked.slice(2).find((p) => p.id !== coverId)!.filename;
      const selection = await unzip(Buffer.from(await (await authFetch(`${url}/api/export?ids=${stacked.map((p) => p.id).join(',')}`)).arrayBuffer()));
      const folder = path.join(work, 'selection');
      for (const [name, data] of selection) {
        if (path.basename(name).startsWith(dropped)) continue; // and its sidecar
        fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
        fs.writeFileSync(path.join(folder, name), data);
      }
      const partial = await runCli(['import', folder, '--data', path.join(work, 'e'), '--wait']);
      expect(partial.code, partial.stderr).toBe(0);
      expect(partial.stderr).toContain('Stacks read back from the export: made by hand 1, taken apart 1, covers picked 1.');
      expect(partial.stderr).toMatch(new RegExp(`the stack of .*: made without [\\w/-]*${dropped.replace('.', '\\.')}, not imported`));
      // through the server, into the library it came from: the stack is as it was, and its cover picked again
      const again = await runCli(['import', folder, '--data', libraryA]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/Added 0, already in the library 3, skipped 0\./);
      expect(again.stderr).toContain('Stacks read back from the export: made by hand 1, taken apart 0, covers picked 1.');
      expect((await (await authFetch(`${url}/api/photos/${stacked[2]!.id}`)).json()).stack).toMatchObject({ count: 3, coverId });

      // a photo whose file is gone from storage: the album's ZIP and the export's leave it out and list it, and end whole
      const gone = before.find((p) => p.filename === 'thompson-springs.jpg')!;
      const stored = fs
        .readdirSync(path.join(libraryA, 'originals'), { recursive: true, encoding: 'utf8' })
        .find((name) => path.basename(name).startsWith(gone.sha256))!;
      fs.rmSync(path.join(libraryA, 'originals', stored));
      const zipped = await authFetch(`${url}/api/albums/${albums.items[0].id}/zip`);
      expect(zipped.status).toBe(200);
      const albumTimes = new Map<string, Date>();
      const albumZip = await unzip(Buffer.from(await zipped.arrayBuffer()), albumTimes);
      const listed = JSON.parse(albumZip.get('manifest.json')!.toString('utf8'));
      expect(listed.files.map((f: { originalName: string }) => f.originalName)).toEqual(['silver_fir.jpg']);
      expect(listed.failed).toEqual([{ id: gone.id, file: 'thompson-springs.jpg', reason: 'the file is missing from storage' }]);
      expect(albumZip.get('failed.jsonl')!.toString('utf8').trim()).toBe(JSON.stringify(listed.failed[0]));
      expect(sha256Of(albumZip.get(listed.files[0].file)!)).toBe(fir.sha256);
      // with its file's time, which dates it (it had the time of its upload)
      expect(albumTimes.get(listed.files[0].file)?.toISOString()).toBe('2019-07-14T09:30:00.000Z');
      const exported = await unzip(Buffer.from(await (await authFetch(`${url}/api/export?album=${albums.items[0].id}`)).arrayBuffer()));
      expect(JSON.parse(exported.get('failed.jsonl')!.toString('utf8'))).toMatchObject({ id: gone.id });
    });
  }, 120_000);
});

/** A ZIP's files by name; `times`, when given, gets each entry's time. */
function unzip(data: Buffer, times?: Map<string, Date>): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const files = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        times?.set(entry.fileName, entry.getLastModDate());
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
