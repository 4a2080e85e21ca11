import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { ExifTool } from 'exiftool-vendored';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/connection.js';
import { expireOfflinePhotos } from '../../src/library/in-place/offline.js';
import { IN_TRASH } from '../../src/model/lanes.js';
import { visitorCopiesPrefix } from '../../src/storage/keys.js';
import { assets, authFetch, json, startTestServer, upload, waitForTerminal, type TestServer } from '../helpers/server.js';

/** This file's own ExifTool (the package's shared one would be ended for the files run after it in this process). */
const exiftool = new ExifTool();

// A library in place on a real folder made from the corpus: indexed where it is, followed through additions (the
// watcher), edits, renames, sidecars written by exiftool, deletions and a disk taken away and brought back.
describe('libraries in place', () => {
  let server: TestServer;
  let root: string;
  let folder: string;
  let libraryId: string;
  const ids: Record<string, string> = {};

  const api = (route: string, init: { method?: string; json?: unknown } = {}) => json(`${server.url}${route}`, init);
  const library = async () => (await api(`/api/libraries/${libraryId}`)).body;
  const photosOf = async () =>
    (await api(`/api/photos?limit=100`)).body.items as { id: string; filename: string; libraryId: string | null; offline: boolean }[];
  const byName = async (name: string) => (await photosOf()).find((photo) => photo.filename === name);
  const until = async <T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> => {
    for (const deadline = Date.now() + timeoutMs; ;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  /** Asks for a scan and waits for it to finish. */
  const scan = async () => {
    const before = (await library()).lastScanAt;
    expect((await api(`/api/libraries/${libraryId}/scan`, { method: 'POST' })).status).toBe(202);
    return until('the scan', async () => {
      const current = await library();
      return current.scanState === 'idle' && current.lastScanAt !== before && current.scan;
    });
  };
  const stepAttempts = async () => (await rows<{ n: number }>(server.lib.db, sql`select coalesce(sum(attempts), 0)::int as n from photo_steps`))[0]!.n;

  beforeAll(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-in-place-')));
    folder = path.join(root, 'Pictures');
    fs.mkdirSync(path.join(folder, 'trip'), { recursive: true });
    fs.mkdirSync(path.join(folder, 'misc'), { recursive: true });
    fs.mkdirSync(path.join(folder, 'trip', '@eaDir'), { recursive: true });
    fs.mkdirSync(path.join(folder, '.hidden'), { recursive: true });
    fs.copyFileSync(path.join(assets, 'formats/jpg/el_torcal_rocks.jpg'), path.join(folder, 'trip', 'rocks.jpg'));
    fs.copyFileSync(path.join(assets, 'metadata/faces/portrait.jpg'), path.join(folder, 'trip', 'portrait.jpg'));
    fs.copyFileSync(path.join(assets, 'formats/png/density_plot.png'), path.join(folder, 'misc', 'plot.png'));
    fs.copyFileSync(path.join(assets, 'formats/webp/denali.webp'), path.join(folder, 'misc', 'denali.webp'));
    fs.copyFileSync(path.join(assets, 'formats/jpg/el_torcal_rocks.jpg'), path.join(folder, 'trip', '@eaDir', 'rocks-thumb.jpg'));
    fs.copyFileSync(path.join(assets, 'formats/webp/denali.webp'), path.join(folder, '.hidden', 'secret.webp'));
    fs.writeFileSync(path.join(folder, 'misc', 'broken.jpg'), 'this is a text file with a photo’s name\n');
    fs.writeFileSync(path.join(folder, 'misc', 'notes.txt'), 'not a photo, not even by name\n');
    // a file that settled a while ago, like the ones on a disk
    const past = new Date(Date.now() - 60_000);
    for (const file of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
      if (file.isFile()) fs.utimesSync(path.join(file.parentPath, file.name), past, past);
    }
    // the data folder inside the allowed root, beside the photos (as on a NAS with one share)
    server = await startTestServer({ dataDir: path.join(root, 'shoebox-data'), libraryRoots: [root], librarySettleMs: 300, libraryOfflineDays: 7 });
  }, 60_000);

  afterAll(async () => {
    await exiftool.end(); // its perl process would outlive this file, reading on for ever (-stay_open)
    await server?.dispose();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('refuses folders outside the allowed roots, through `..` or a link', async () => {
    const outside = await api('/api/libraries', { method: 'POST', json: { name: 'etc', paths: ['/etc'] } });
    expect(outside.status).toBe(403);
    expect(outside.body.message).toMatch(/outside the folders allowed/);
    expect((await api('/api/libraries', { method: 'POST', json: { name: 'up', paths: [`${root}/../`] } })).status).toBe(403);
    fs.symlinkSync('/etc', path.join(root, 'escape'));
    expect((await api('/api/libraries', { method: 'POST', json: { name: 'link', paths: [path.join(root, 'escape')] } })).status).toBe(403);
    expect((await api('/api/libraries', { method: 'POST', json: { name: 'rel', paths: ['Pictures'] } })).status).toBe(400);
    expect((await api('/api/libraries', { method: 'POST', json: { name: 'nul', paths: [`${root}/a\u0000b`] } })).status).toBe(400);
    // Shoebox's own data folder (its thumbnails) is not a photo folder
    for (const paths of [[root], [path.join(root, 'shoebox-data', 'derived')]]) {
      const own = await api('/api/libraries', { method: 'POST', json: { name: 'own', paths } });
      expect(own.status).toBe(400);
      expect(own.body.message).toMatch(/Shoebox's own data folder/);
    }
    expect((await api('/api/libraries')).body.items).toEqual([]);
  });

  it('indexes the folder where it is: no copy in the data folder, excluded and hidden files left out, a refused file listed with why', async () => {
    const created = await api('/api/libraries', {
      method: 'POST',
      json: { name: 'Pictures', paths: [folder], exclude: ['**/@eaDir/**'], watch: 'off' },
    });
    expect(created.status).toBe(201);
    libraryId = created.body.id;
    const done = await until('the first scan', async () => {
      const current = await library();
      return current.scanState === 'idle' && current.lastScanAt && current;
    });
    expect(done.scan).toMatchObject({ phase: 'done', total: 5, new: 4, failed: 1, gone: 0 });
    expect(done.counts).toMatchObject({ photos: 4, offline: 0, refused: 1 });
    const listed = await photosOf();
    expect(listed.map((photo) => photo.filename).sort()).toEqual(['denali.webp', 'plot.png', 'portrait.jpg', 'rocks.jpg']);
    expect(listed.every((photo) => photo.libraryId === libraryId && !photo.offline)).toBe(true);
    for (const photo of listed) ids[photo.filename] = photo.id;
    await waitForTerminal(server.url, Object.values(ids));
    // read where they are: no original in the data folder
    const stored = fs.existsSync(path.join(server.dataDir, 'originals'))
      ? fs.readdirSync(path.join(server.dataDir, 'originals'), { recursive: true, withFileTypes: true })
      : [];
    expect(stored.filter((entry) => entry.isFile())).toEqual([]);
    const original = await authFetch(`${server.url}/api/photos/${ids['rocks.jpg']}/original`);
    expect(Buffer.from(await original.arrayBuffer()).equals(fs.readFileSync(path.join(folder, 'trip', 'rocks.jpg')))).toBe(true);
    const problems = (await api(`/api/libraries/${libraryId}/files?problems=true`)).body;
    expect(problems.items).toEqual([
      expect.objectContaining({
        path: path.join(folder, 'misc', 'broken.jpg'),
        photoId: null,
        error: expect.stringMatching(/not a supported photo or video \(detected text/),
      }),
    ]);
    // the user's marks, an album and a person's name, which the changes below must keep
    expect((await api(`/api/photos/${ids['rocks.jpg']}`, { method: 'PATCH', json: { favorite: true, rating: 4 } })).status).toBe(200);
    ids.album = (await api('/api/albums', { method: 'POST', json: { name: 'Kept', photoIds: [ids['rocks.jpg'], ids['portrait.jpg']] } })).body.id;
    const face = (await api(`/api/photos/${ids['portrait.jpg']}/faces`)).body.items[0];
    expect(face).toBeDefined();
    ids.person = (await api(`/api/faces/${face.id}/assign`, { method: 'POST', json: { name: 'Ada' } })).body.personId;
  }, 180_000);

  it('sees a new file within seconds of it being written (the watcher), and a copy of a photo as that photo', async () => {
    const inbox = path.join(root, 'Inbox');
    fs.mkdirSync(inbox);
    const created = await api('/api/libraries', { method: 'POST', json: { name: 'Inbox', paths: [inbox] } });
    expect(created.body.watch).toBe('auto');
    await until('the empty first scan', async () => (await api(`/api/libraries/${created.body.id}`)).body.lastScanAt);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the watcher set up
    const started = Date.now();
    fs.mkdirSync(path.join(inbox, 'phone'));
    fs.copyFileSync(path.join(assets, 'formats/heic/IMG_2682.heic'), path.join(inbox, 'phone', 'IMG_2682.heic'));
    const fresh = await until('the new file', async () => byName('IMG_2682.heic'), 20_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(fresh.libraryId).toBe(created.body.id);
    // the same bytes as a photo of the other library: that photo, one more file of it
    fs.copyFileSync(path.join(folder, 'misc', 'plot.png'), path.join(inbox, 'plot-copy.png'));
    await until('the copy seen', async () => (await api(`/api/libraries/${created.body.id}`)).body.counts.files === 2, 20_000);
    // two files, two photos: the copy's photo counts in this library too, though the other library made it
    expect((await api(`/api/libraries/${created.body.id}`)).body.counts).toMatchObject({ photos: 2, files: 2, offline: 0 });
    expect((await photosOf()).filter((photo) => photo.filename.startsWith('plot'))).toEqual([expect.objectContaining({ id: ids['plot.png'] })]);
    expect((await api(`/api/libraries/${created.body.id}`, { method: 'DELETE' })).body.removedPhotos).toBe(1);
    expect(fs.existsSync(path.join(inbox, 'phone', 'IMG_2682.heic'))).toBe(true);
  }, 60_000);

  it('follows an edit: new bytes, the same photo (album, favourite, rating kept), analysed again', async () => {
    const file = path.join(folder, 'trip', 'rocks.jpg');
    const before = (await api(`/api/photos/${ids['rocks.jpg']}`)).body;
    // a link's visitor downloaded it: their copy, of these bytes, is kept
    const link = (await api('/api/shared-links', { method: 'POST', json: { photoIds: [ids['rocks.jpg']], allowDownload: true } })).body;
    expect((await fetch(`${server.url}/api/s/${link.token}/photos/${ids['rocks.jpg']}/original`)).status).toBe(200);
    const copies = path.join(server.dataDir, visitorCopiesPrefix(ids['rocks.jpg']!));
    expect(fs.readdirSync(copies)).toHaveLength(1);
    fs.writeFileSync(file, await sharp(fs.readFileSync(file)).jpeg({ quality: 60 }).toBuffer());
    // Still being written, as far as a scan can tell: its time is moved 3 s ahead, as a copy under way keeps moving it.
    // With only the write's own time, a scan that this busy machine started more than the 300 ms settle time later
    // read the file at once (CI, 2026-11-28).
    const writing = new Date(Date.now() + 3000);
    fs.utimesSync(file, writing, writing);
    // a scan right away leaves a file still being written for later, and asks for another once it has settled
    expect((await scan()).settling).toBe(1);
    await until('the edit read', async () => (await library()).scan.changed === 1);
    // the copy of the old bytes went with them (before: kept until the photo was deleted)
    expect(fs.existsSync(copies)).toBe(false);
    await until('the edited photo analysed', async () => {
      const photo = (await api(`/api/photos/${ids['rocks.jpg']}`)).body;
      return photo.sha256 !== before.sha256 && ['completed', 'partial'].includes(photo.state) && photo;
    });
    const after = (await api(`/api/photos/${ids['rocks.jpg']}`)).body;
    expect(after).toMatchObject({ id: ids['rocks.jpg'], favorite: true, rating: 4, sizeBytes: fs.statSync(file).size });
    const album = (await api(`/api/albums/${ids.album}`)).body.photos.items.map((photo: { id: string }) => photo.id);
    expect(album).toContain(ids['rocks.jpg']);
  }, 120_000);

  it('follows a rename into another folder: the same photo, its person named', async () => {
    // a visitor's copy, named by the file it was made from
    const link = (await api('/api/shared-links', { method: 'POST', json: { photoIds: [ids['portrait.jpg']], allowDownload: true } })).body;
    expect((await fetch(`${server.url}/api/s/${link.token}/photos/${ids['portrait.jpg']}/original`)).status).toBe(200);
    const copies = path.join(server.dataDir, visitorCopiesPrefix(ids['portrait.jpg']!));
    expect(fs.readdirSync(copies)).toHaveLength(1);
    fs.mkdirSync(path.join(folder, 'people'));
    fs.renameSync(path.join(folder, 'trip', 'portrait.jpg'), path.join(folder, 'people', 'ada.jpg'));
    const scanned = await scan();
    expect(scanned).toMatchObject({ moved: 1, gone: 0, new: 0 });
    // it went with the old name (before: kept, never asked for again, until the photo was deleted)
    expect(fs.existsSync(copies)).toBe(false);
    const photo = (await api(`/api/photos/${ids['portrait.jpg']}`)).body;
    expect(photo.offline).toBe(false);
    // the photo takes the file's new name, and is found by it
    expect(photo.filename).toBe('ada.jpg');
    const found = (await api('/api/search?q=ada.jpg&mode=keyword')).body;
    const hit = found.items.find((item: { photo: { id: string } }) => item.photo.id === ids['portrait.jpg']);
    expect(hit?.explanation.keyword.matches.map((match: { field: string }) => match.field)).toContain('filename');
    const original = await authFetch(`${server.url}/api/photos/${ids['portrait.jpg']}/original`);
    expect(original.status).toBe(200);
    expect((await api(`/api/people/${ids.person}`)).body.name).toBe('Ada');
  }, 60_000);

  it('reads a sidecar another tool wrote', async () => {
    const sidecar = path.join(folder, 'misc', 'plot.png.xmp');
    await exiftool.write(sidecar, { Description: 'Density plot from the lab', Subject: ['lab', 'charts'] }, { writeArgs: ['-overwrite_original'] });
    const scanned = await scan();
    expect(scanned.changed).toBe(1);
    const photo = await until('the sidecar read', async () => {
      const found = (await api(`/api/photos/${ids['plot.png']}`)).body;
      return found.metadata?.description === 'Density plot from the lab' && ['completed', 'partial'].includes(found.state) && found;
    });
    expect(photo.metadata.keywords).toEqual(expect.arrayContaining(['lab', 'charts']));
  }, 60_000);

  it('marks a deleted file’s photo offline (kept, searchable), and trashes it after the grace period', async () => {
    fs.rmSync(path.join(folder, 'misc', 'denali.webp'));
    const scanned = await scan();
    expect(scanned.gone).toBe(1);
    const photo = (await api(`/api/photos/${ids['denali.webp']}`)).body;
    expect(photo.offline).toBe(true);
    expect(photo.deletedAt).toBeNull();
    expect((await api('/api/search?q=denali')).body.items.map((item: { photo: { id: string } }) => item.photo.id)).toContain(ids['denali.webp']);
    const original = await api(`/api/photos/${ids['denali.webp']}/original`);
    expect(original.status).toBe(404);
    expect(original.body.message).toMatch(/not in its folder/);
    expect(await expireOfflinePhotos(server.lib, 7, new Date(Date.now() + 6 * 86_400_000))).toBe(0);
    expect(await expireOfflinePhotos(server.lib, 7, new Date(Date.now() + 8 * 86_400_000))).toBe(1);
    expect((await api(`/api/photos/${ids['denali.webp']}`)).body.deletedAt).not.toBeNull();
  }, 60_000);

  it('keeps the photos of a folder taken away (offline) and brings them back, nothing redone', async () => {
    const attempts = await stepAttempts();
    const away = `${folder}.away`;
    fs.renameSync(folder, away);
    const gone = await scan();
    expect(gone.missingRoots).toEqual([folder]);
    expect((await library()).counts.offline).toBe(3); // denali.webp is in the trash
    expect((await photosOf()).filter((photo) => photo.libraryId === libraryId).every((photo) => photo.offline)).toBe(true);
    fs.renameSync(away, folder);
    const back = await scan();
    expect(back).toMatchObject({ new: 0, changed: 0, returned: 3, failed: 1 });
    expect((await library()).counts.offline).toBe(0);
    expect(await stepAttempts()).toBe(attempts);
    expect((await api(`/api/people/${ids.person}`)).body.name).toBe('Ada');
  }, 60_000);

  it('an unchanged rescan reads no file and runs no step', async () => {
    const attempts = await stepAttempts();
    const scanned = await scan();
    expect(scanned).toMatchObject({ read: 0, new: 0, changed: 0, gone: 0, moved: 0 });
    expect(await stepAttempts()).toBe(attempts);
  }, 30_000);

  it('writes back to sidecars beside the files, keeping what other tools wrote there, never into the file', async () => {
    const ada = path.join(folder, 'people', 'ada.jpg');
    const adaBytes = fs.readFileSync(ada);
    const sidecar = `${ada}.xmp`;
    await exiftool.write(sidecar, { Rights: '© the photographer', Subject: ['portrait'], CreatorTool: 'darktable 4.6' } as never, {
      writeArgs: ['-overwrite_original'],
    });
    expect((await scan()).changed).toBe(1); // another tool's sidecar: read
    await waitForTerminal(server.url, [ids['portrait.jpg']!]);
    expect((await api(`/api/libraries/${libraryId}`, { method: 'PATCH', json: { writeBack: true } })).body.writeBack).toBe(true);
    expect((await api(`/api/photos/${ids['portrait.jpg']}`, { method: 'PATCH', json: { rating: 5, favorite: true } })).status).toBe(200);
    const written = await until(
      'the sidecar written back',
      async () => {
        const tags = (await exiftool.read(sidecar)) as Record<string, any>;
        return tags.Rating === 5 && tags;
      },
      20_000,
    );
    expect(written).toMatchObject({ Rating: 5, Label: 'Favorite', Rights: '© the photographer', CreatorTool: 'darktable 4.6' });
    expect(written.Subject).toEqual(expect.arrayContaining(['portrait', 'Ada']));
    const regions = written.RegionInfo.RegionList as { Name: string; Type: string; Area: { X: number; Y: number; W: number; H: number } }[];
    // every named face of the photo (the file itself names another person in it)
    const named = (await api(`/api/photos/${ids['portrait.jpg']}/faces`)).body.items.filter((item: { personName: string | null }) => item.personName);
    expect(regions.map((region) => region.Name).sort()).toEqual(named.map((item: { personName: string }) => item.personName).sort());
    expect(regions.every((region) => region.Type === 'Face')).toBe(true);
    const adaRegion = regions.find((region) => region.Name === 'Ada')!;
    // the region is the face Shoebox found, on the upright image
    const photo = (await api(`/api/photos/${ids['portrait.jpg']}`)).body;
    const face = (await api(`/api/photos/${ids['portrait.jpg']}/faces`)).body.items.find((item: { personId: string }) => item.personId === ids.person);
    expect(written.RegionInfo.AppliedToDimensions).toMatchObject({ W: photo.width, H: photo.height });
    expect(adaRegion.Area.X).toBeCloseTo((face.box.x + face.box.width / 2) / photo.width, 3);
    expect(adaRegion.Area.W).toBeCloseTo(face.box.width / photo.width, 3);
    // the rocks photo had marks (favourite, rating 4) and no sidecar: it has one now
    const rocks = await until(
      'the rocks sidecar',
      async () => fs.existsSync(path.join(folder, 'trip', 'rocks.jpg.xmp')) && (await exiftool.read(path.join(folder, 'trip', 'rocks.jpg.xmp'))),
      20_000,
    );
    expect(rocks).toMatchObject({ Rating: 4, Label: 'Favorite' });
    // the file itself untouched; Shoebox's own writes are not taken for another tool's
    expect(fs.readFileSync(ada).equals(adaBytes)).toBe(true);
    expect((await scan()).changed).toBe(0);
    // a person renamed in Shoebox is renamed in the sidecar
    expect((await api(`/api/people/${ids.person}`, { method: 'PATCH', json: { name: 'Ada Lovelace' } })).status).toBe(200);
    const renamed = await until(
      'the rename written back',
      async () => {
        const tags = (await exiftool.read(sidecar)) as Record<string, any>;
        return tags.RegionInfo?.RegionList?.some((region: { Name: string }) => region.Name === 'Ada Lovelace') && tags;
      },
      20_000,
    );
    expect(renamed.RegionInfo.RegionList).toHaveLength(regions.length);
    expect(renamed.RegionInfo.RegionList.map((region: { Name: string }) => region.Name)).not.toContain('Ada');
    expect(renamed.Subject).toEqual(expect.arrayContaining(['portrait', 'Ada Lovelace']));
    expect(renamed.Subject).not.toContain('Ada');
    // taken back in Shoebox, taken back in the sidecar: the favourite label and the rating go, the rest stays
    expect((await api(`/api/photos/${ids['portrait.jpg']}`, { method: 'PATCH', json: { favorite: false, rating: null } })).status).toBe(200);
    const cleared = await until(
      'the favourite taken back',
      async () => {
        const tags = (await exiftool.read(sidecar)) as Record<string, any>;
        return tags.Label === undefined && tags;
      },
      20_000,
    );
    expect(cleared.Rating).toBeUndefined();
    expect(cleared).toMatchObject({ Rights: '© the photographer', CreatorTool: 'darktable 4.6' });
    // a position set on the map goes to the sidecar too, south and east as signs
    expect((await api(`/api/photos/${ids['portrait.jpg']}`, { method: 'PATCH', json: { location: { latitude: -33.8688, longitude: 151.2093 } } })).status).toBe(
      200,
    );
    const placed = await until(
      'the position written back',
      async () => {
        const tags = (await exiftool.read(sidecar)) as Record<string, any>;
        return typeof tags.GPSLatitude === 'number' && tags;
      },
      20_000,
    );
    expect(placed.GPSLatitude).toBeCloseTo(-33.8688, 4);
    expect(placed.GPSLongitude).toBeCloseTo(151.2093, 4);
    expect(placed).toMatchObject({ Rights: '© the photographer', CreatorTool: 'darktable 4.6' });
    expect(fs.readFileSync(ada).equals(adaBytes)).toBe(true);
  }, 90_000);

  it('writes a turn and a crop to the sidecar as other tools read them, faces on the original; taken back, cleared', async () => {
    const ada = path.join(folder, 'people', 'ada.jpg');
    const adaBytes = fs.readFileSync(ada);
    const sidecar = `${ada}.xmp`;
    const id = ids['portrait.jpg']!;
    const before = (await exiftool.read(sidecar)) as Record<string, any>;
    const adaBefore = (before.RegionInfo.RegionList as { Name: string; Area: { X: number; Y: number; W: number } }[]).find((r) => r.Name.startsWith('Ada'))!;
    // a quarter turn clockwise, then the right half of the turned image: the top half of the file as stored
    const edited = await api(`/api/photos/${id}/edit`, { method: 'PUT', json: { rotate: 90, crop: { x: 0.5, y: 0, width: 0.5, height: 1 } } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    await waitForTerminal(server.url, [id]);
    const tags = await until(
      'the edit written back',
      async () => {
        const read = (await exiftool.read(sidecar)) as Record<string, any>;
        return read.HasCrop !== undefined && read;
      },
      20_000,
    );
    expect([6, 'Rotate 90 CW']).toContain(tags.Orientation);
    expect(tags).toMatchObject({ HasCrop: true, CropLeft: 0, CropTop: 0, CropRight: 1, CropBottom: 0.5, CropAngle: 0 });
    expect(tags).toMatchObject({ Rights: '© the photographer', CreatorTool: 'darktable 4.6' });
    // the face found again on the edited image, its region back on the original where it was
    const adaAfter = (tags.RegionInfo.RegionList as { Name: string; Area: { X: number; Y: number; W: number } }[]).find((r) => r.Name.startsWith('Ada'))!;
    expect(adaAfter.Area.X).toBeCloseTo(adaBefore.Area.X, 1);
    expect(adaAfter.Area.Y).toBeCloseTo(adaBefore.Area.Y, 1);
    expect(tags.RegionInfo.AppliedToDimensions).toMatchObject(before.RegionInfo.AppliedToDimensions);
    expect(fs.readFileSync(ada).equals(adaBytes)).toBe(true);
    expect((await scan()).changed).toBe(0); // Shoebox's own write
    // taken back: the sidecar says nothing of a turn or a crop any more
    expect((await api(`/api/photos/${id}/edit`, { method: 'DELETE' })).status).toBe(200);
    await waitForTerminal(server.url, [id]);
    const cleared = await until(
      'the edit taken back',
      async () => {
        const read = (await exiftool.read(sidecar)) as Record<string, any>;
        return read.HasCrop === undefined && read;
      },
      20_000,
    );
    expect(cleared.Orientation).toBeUndefined();
    expect(cleared.CropLeft).toBeUndefined();
    expect(cleared).toMatchObject({ Rights: '© the photographer' });
  }, 90_000);

  it('finds duplicates across the library and uploads; resolving hides the copy in place and leaves its file', async () => {
    const rocksFile = path.join(folder, 'trip', 'rocks.jpg');
    const copy = await sharp(rocksFile).resize(900).jpeg({ quality: 85 }).toBuffer();
    const uploaded = await upload(server.url, [{ data: copy, name: 'rocks-upload.jpg' }]);
    const uploadId = uploaded.body.items[0].id as string;
    await waitForTerminal(server.url, [uploadId]);
    const group = await until('the duplicate group', async () =>
      ((await api('/api/duplicates')).body.items as { id: string; members: { photo: { id: string } }[] }[]).find((item) =>
        item.members.some((member) => member.photo.id === ids['rocks.jpg']),
      ),
    );
    expect(group.members.map((member) => member.photo.id)).toContain(uploadId);
    // the file in place is the camera's (its EXIF; the upload has none): it goes only when named, the user's own choice
    expect((await api(`/api/duplicates/${group.id}/resolve`, { method: 'POST', json: { keep: [uploadId] } })).status).toBe(409);
    const resolved = await api(`/api/duplicates/${group.id}/resolve`, { method: 'POST', json: { keep: [uploadId], trash: [ids['rocks.jpg']] } });
    expect(resolved.status).toBe(200);
    expect(resolved.body.filesKept).toEqual([ids['rocks.jpg']]);
    expect(resolved.body.notice).toMatch(/library in place: hidden in Shoebox, the file stays in its folder/);
    expect((await api('/api/trash/empty', { method: 'POST', json: { ids: [ids['rocks.jpg']] } })).body.deleted).toBe(1);
    expect(fs.existsSync(rocksFile)).toBe(true);
    // hidden: the next scan does not bring it back
    await scan();
    expect((await photosOf()).map((photo) => photo.filename)).not.toContain('rocks.jpg');
  }, 120_000);

  it('a photo the trash took for being offline runs the work the trash skipped once its file is back', async () => {
    const id = ids['denali.webp']!;
    // asked again while in the trash (as a new version's steps are at a start): skipped there, to run once out of it
    expect((await api(`/api/photos/${id}/retry`, { method: 'POST' })).status).toBe(202);
    const inTrash = await until('the work skipped in the trash', async () => {
      const steps = Object.entries((await api(`/api/photos/${id}`)).body.steps as Record<string, { status: string; error: string | null }>);
      const skipped = steps.filter(([, step]) => step.error === IN_TRASH).map(([name]) => name);
      return steps.every(([, step]) => !['pending', 'running'].includes(step.status)) && skipped.length > 0 && skipped;
    });
    const back = path.join(folder, 'misc', 'denali.webp');
    fs.copyFileSync(path.join(assets, 'formats/webp/denali.webp'), back);
    fs.utimesSync(back, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000)); // settled, as a disk's file
    await scan();
    expect((await api(`/api/photos/${id}`)).body).toMatchObject({ deletedAt: null, offline: false });
    await waitForTerminal(server.url, [id]);
    const steps = (await api(`/api/photos/${id}`)).body.steps as Record<string, { status: string; error: string | null }>;
    for (const name of inTrash) expect(steps[name], name).not.toMatchObject({ error: IN_TRASH });
  }, 60_000);

  it('removing the library removes its photos from Shoebox and leaves every file where it was', async () => {
    const files = fs.readdirSync(folder, { recursive: true }).sort();
    const removed = await api(`/api/libraries/${libraryId}`, { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(removed.body.removedPhotos).toBe(3); // ada.jpg, plot.png, and denali.webp from the trash
    expect(fs.readdirSync(folder, { recursive: true }).sort()).toEqual(files);
    expect((await api(`/api/libraries/${libraryId}`)).status).toBe(404);
  }, 60_000);
});
