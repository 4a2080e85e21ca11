// What the web app asks of the server, on a real server with corpus photos and a few made for the purpose: the
// timeline and the photo list it pages through, bulk favourites and ratings (and a rating that outlives a
// reprocess), the photo's albums and duplicate group, downloads, the jobs snapshot and its event stream, and the
// suggestions the search bar shows.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { ExifTool } from 'exiftool-vendored';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/connection.js';
import { STEP_NAMES } from '../../src/model/photo-state.js';
import { mostly } from '../helpers/images.js';
import { assets, json, startTestServer, tempDir, waitForTerminal, type TestServer, authFetch } from '../helpers/server.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const nature = (name: string) => path.join(assets, 'albums/nature', name);
const NATURE = ['cyclamen_persicum.jpg', 'prairie_falcon.jpg', 'silver_fir.jpg', 'tanners_ridge.jpg', 'wood_anemones.jpg'];
const mongolels = path.join(assets, 'metadata/rating/mongolels.jpg'); // EXIF Rating 3
const thompson = path.join(assets, 'metadata/gps-position/thompson-springs.jpg'); // GPS
const UNICODE_NAME = 'Café Zürich – 東京 (1).jpg';

interface Item {
  id: string;
  filename: string;
  takenAt: string | null;
  favorite: boolean;
  rating: number | null;
  colour: string | null;
  state: string;
}
interface Bucket {
  key: string;
  count: number;
  offset: number;
}

/** A file to upload: where it is, the name to send, and the file date (`lastModified`) to send before it. */
interface Upload {
  path: string;
  name?: string;
  lastModified?: string;
}

async function uploadFiles(url: string, files: Upload[]): Promise<Record<string, string>> {
  const form = new FormData();
  for (const file of files) {
    if (file.lastModified) form.append('lastModified', file.lastModified);
    form.append('file', new Blob([new Uint8Array(fs.readFileSync(file.path))]), file.name ?? path.basename(file.path));
  }
  const response = await authFetch(`${url}/api/photos`, { method: 'POST', body: form });
  const body = (await response.json()) as { items: { id?: string; filename: string; error?: string }[] };
  expect(response.status, JSON.stringify(body)).toBe(201);
  return Object.fromEntries(body.items.map((item) => [item.filename, item.id!]));
}

/** Reads server-sent events from a streaming response: each `next()` answers the next event (comments skipped). */
function eventReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(): Promise<{ event: string; data: string } | null> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
          const data = lines
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n');
          if (event) return { event, data };
          continue; // a comment or the retry line
        }
        const { value, done } = await reader.read();
        if (done) return null;
        buffer += decoder.decode(value, { stream: true });
      }
    },
    /** The next `jobs` snapshot for which `accept` holds. */
    async until(accept: (snapshot: any) => boolean): Promise<any> {
      for (;;) {
        const next = await this.next();
        if (!next) throw new Error('the stream ended');
        expect(next.event).toBe('jobs');
        const snapshot = JSON.parse(next.data);
        if (accept(snapshot)) return snapshot;
      }
    },
    cancel: () => reader.cancel(),
  };
}

describe('the API the web app uses', () => {
  let server: TestServer;
  let url: string;
  let ids: Record<string, string>;
  let dir: string;
  const get = async (route: string) => {
    const response = await json(`${url}${route}`);
    expect(response.status, `${route}: ${JSON.stringify(response.body)}`).toBe(200);
    return response.body;
  };
  const list = async (query = ''): Promise<{ items: Item[]; total: number; page: number; limit: number; offset: number }> =>
    get(`/api/photos?${query.includes('limit=') ? query : `limit=500${query ? `&${query}` : ''}`}`);
  const timeline = async (query: string): Promise<{ total: number; groupBy: string; buckets: Bucket[] }> => get(`/api/timeline?${query}`);
  const patch = (route: string, body: unknown) => json(`${url}${route}`, { method: 'PATCH', json: body });
  const post = (route: string, body: unknown) => json(`${url}${route}`, { method: 'POST', json: body });

  beforeAll(async () => {
    server = await startTestServer();
    url = server.url;
    dir = tempDir('shoebox-web-api-');
    // Two photos whose camera clocks disagree with UTC about the day: east was taken at 01:00 on 16 June in
    // UTC+2 (15 June in UTC), west at 23:30 on 15 June in UTC−5 (16 June in UTC).
    const east = await mostly(path.join(dir, 'east.jpg'), [200, 30, 35], [120, 120, 120], 1);
    const west = await mostly(path.join(dir, 'west.jpg'), [35, 80, 200], [235, 215, 40], 2);
    const exiftool = new ExifTool();
    try {
      const write = (file: string, tags: Record<string, string | number>) => exiftool.write(file, tags, { writeArgs: ['-overwrite_original'] });
      await write(east, { DateTimeOriginal: '2021:06:16 01:00:00', OffsetTimeOriginal: '+02:00', Rating: 2 });
      await write(west, { DateTimeOriginal: '2021:06:15 23:30:00', OffsetTimeOriginal: '-05:00', Rating: 5 });
    } finally {
      await exiftool.end();
    }
    // No date in the file: one sent with a file date, one without (undated), and a near-copy of the falcon.
    await mostly(path.join(dir, 'filedate.jpg'), [50, 140, 45], [90, 140, 220], 3);
    await sharp(await mostly(path.join(dir, 'plain.jpg'), [235, 215, 40], [35, 80, 200], 4))
      .png()
      .toFile(path.join(dir, 'undated.png'));
    // a screenshot: no date inside, its name's beats the file's time
    await sharp(await mostly(path.join(dir, 'shot.jpg'), [200, 60, 60], [20, 200, 90], 5))
      .png()
      .toFile(path.join(dir, 'Screenshot_20200910-101010.png'));
    await sharp(nature('prairie_falcon.jpg')).jpeg({ quality: 60 }).toFile(path.join(dir, 'falcon-copy.jpg'));
    await sharp(nature('silver_fir.jpg')).rotate(180).jpeg({ quality: 90 }).toFile(path.join(dir, 'unicode.jpg'));
    // A JPEG cut short: recognised as one, but it cannot be decoded (a failure for the jobs page).
    fs.writeFileSync(path.join(dir, 'broken.jpg'), fs.readFileSync(nature('tanners_ridge.jpg')).subarray(0, 3000));

    ids = await uploadFiles(url, [
      ...NATURE.map((name) => ({ path: nature(name) })),
      { path: mongolels },
      { path: thompson },
      { path: east },
      { path: west },
      { path: path.join(dir, 'filedate.jpg'), lastModified: '2019-03-10T23:30:00Z' },
      { path: path.join(dir, 'undated.png') },
      { path: path.join(dir, 'Screenshot_20200910-101010.png'), lastModified: '2024-05-01T08:00:00Z' },
      { path: path.join(dir, 'falcon-copy.jpg') },
      { path: path.join(dir, 'unicode.jpg'), name: UNICODE_NAME },
      { path: path.join(dir, 'broken.jpg') },
    ]);
    await waitForTerminal(url, Object.values(ids), 240_000);
  }, 300_000);

  afterAll(async () => {
    await server?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('the timeline and the photo list', () => {
    it('groups by the day on the camera\u2019s clock, newest first, undated last, each bucket a stretch of the list', async () => {
      const all = await list();
      expect(all.total).toBe(Object.keys(ids).length);
      for (const groupBy of ['day', 'month'] as const) {
        const { total, buckets, groupBy: echoed } = await timeline(`groupBy=${groupBy}`);
        expect(echoed).toBe(groupBy);
        expect(total).toBe(all.total);
        expect(buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(total);
        const dated = buckets.filter((bucket) => bucket.key !== 'undated').map((bucket) => bucket.key);
        expect(dated).toEqual([...dated].sort().reverse());
        expect(new Set(dated).size).toBe(dated.length);
        expect(buckets.at(-1)!.key).toBe('undated');
        let offset = 0;
        for (const bucket of buckets) {
          expect(bucket.offset).toBe(offset);
          offset += bucket.count;
          // the bucket's photos are exactly the list's stretch at its offset, each showing the bucket's date
          const stretch = all.items.slice(bucket.offset, bucket.offset + bucket.count);
          const keyOf = (item: Item) => (item.takenAt === null ? 'undated' : item.takenAt.slice(0, groupBy === 'day' ? 10 : 7));
          expect(stretch.map(keyOf)).toEqual(stretch.map(() => bucket.key));
        }
      }
      const { buckets } = await timeline('groupBy=day');
      const bucketOf = (name: string) => buckets.find((b) => all.items.slice(b.offset, b.offset + b.count).some((i) => i.id === ids[name]))?.key;
      // by the instant west is the later one; by the camera's clock east is a day later
      expect(bucketOf('east.jpg')).toBe('2021-06-16');
      expect(bucketOf('west.jpg')).toBe('2021-06-15');
      expect(bucketOf('filedate.jpg')).toBe('2019-03-10');
      expect(bucketOf('prairie_falcon.jpg')).toBe('2022-03-31');
      expect(bucketOf('undated.png')).toBe('undated');
      const position = (name: string) => all.items.findIndex((item) => item.id === ids[name]);
      expect(position('east.jpg')).toBeLessThan(position('west.jpg'));
      expect(all.items.find((item) => item.id === ids['filedate.jpg'])!.takenAt).toBe('2019-03-10T23:30:00.000Z');
      expect(all.items.find((item) => item.id === ids['Screenshot_20200910-101010.png'])!.takenAt).toBe('2020-09-10T10:10:10');
      const months = await timeline('groupBy=month');
      expect(months.buckets.find((b) => b.key === '2021-06')!.count).toBe(2);
    });

    it('pages by offset or by page, in one stable order, with what a tile needs', async () => {
      const all = await list();
      const byOffset = await list('offset=3&limit=4');
      expect(byOffset.items.map((i) => i.id)).toEqual(all.items.slice(3, 7).map((i) => i.id));
      expect(byOffset).toMatchObject({ offset: 3, limit: 4, total: all.total });
      const byPage = await get('/api/photos?page=2&limit=4');
      expect(byPage.items.map((i: Item) => i.id)).toEqual(all.items.slice(4, 8).map((i) => i.id));
      expect(byPage).toMatchObject({ page: 2, offset: 4 });
      expect((await get('/api/photos?offset=4&limit=4&page=9')).items.map((i: Item) => i.id)).toEqual(byPage.items.map((i: Item) => i.id));
      // past the end: nothing, and the total still
      expect(await get(`/api/photos?offset=${all.total}&limit=10`)).toMatchObject({ items: [], total: all.total });
      // walking the list in small steps gives every photo once, in the same order
      const walked: string[] = [];
      for (let offset = 0; offset < all.total; offset += 3) walked.push(...(await list(`offset=${offset}&limit=3`)).items.map((i) => i.id));
      expect(walked).toEqual(all.items.map((i) => i.id));

      const falcon = all.items.find((item) => item.id === ids['prairie_falcon.jpg'])!;
      expect(falcon.colour).toMatch(/^#[0-9a-f]{6}$/);
      expect(falcon.favorite).toBe(false);
      expect(all.items.find((item) => item.id === ids['broken.jpg'])).toMatchObject({ state: 'failed', colour: null });
      expect(all.items.find((item) => item.id === ids['mongolels.jpg'])!.rating).toBe(3);
      const detail = await get(`/api/photos/${ids['prairie_falcon.jpg']}`);
      expect(falcon.colour).toBe(detail.palette[0].hex);
    });

    it('filters the list and the timeline alike: favourites, album, person, location, camera, dates, duplicates', async () => {
      const favourites = [ids['silver_fir.jpg']!, ids['west.jpg']!];
      expect((await patch('/api/photos', { ids: favourites, favorite: true })).body).toEqual({ updated: 2 });
      const album = await post('/api/albums', { name: 'Web filters', photoIds: [ids['cyclamen_persicum.jpg'], ids['east.jpg'], ids['undated.png']] });
      expect(album.status).toBe(201);
      const person = await addPerson(server, 'Ada', [ids['thompson-springs.jpg']!, ids['tanners_ridge.jpg']!]);

      const all = await list();
      const hasGps = all.items.filter((item) => (item as Item & { hasGps: boolean }).hasGps).map((item) => item.id);
      expect(hasGps).toContain(ids['thompson-springs.jpg']);
      const canon = all.items.filter((item) => /eos/i.test(`${(item as any).make} ${(item as any).model}`)).map((item) => item.id);
      expect(canon).toEqual(expect.arrayContaining([ids['prairie_falcon.jpg'], ids['mongolels.jpg']]));
      const cases: [string, string[]][] = [
        ['favorite=true', favourites],
        [`album=${album.body.id}`, [ids['cyclamen_persicum.jpg']!, ids['east.jpg']!, ids['undated.png']!]],
        [`person=${person}`, [ids['thompson-springs.jpg']!, ids['tanners_ridge.jpg']!]],
        ['hasGps=true', hasGps],
        ['camera=eos', canon],
        ['from=2021-01-01&to=2021-12-31T23:59:59Z', [ids['east.jpg']!, ids['west.jpg']!]],
      ];
      for (const [query, chosen] of cases) {
        const filtered = await list(query);
        // the same photos in the same order as the whole list
        expect(
          filtered.items.map((i) => i.id),
          query,
        ).toEqual(all.items.filter((item) => chosen.includes(item.id)).map((i) => i.id));
        expect(filtered.total, query).toBe(chosen.length);
        const groups = await timeline(`groupBy=day&${query}`);
        expect(groups.total, query).toBe(filtered.total);
        expect(
          groups.buckets.reduce((sum, bucket) => sum + bucket.count, 0),
          query,
        ).toBe(filtered.total);
      }
      expect((await list('favorite=false')).total).toBe(all.total - 2);

      // hideDuplicates: one photo per duplicate group (the falcon and its copy are one group)
      const hidden = await list('hideDuplicates=true');
      expect(hidden.total).toBe(all.total - 1);
      const shown = [ids['prairie_falcon.jpg'], ids['falcon-copy.jpg']].filter((id) => hidden.items.some((item) => item.id === id));
      expect(shown).toHaveLength(1);
      expect((await timeline('groupBy=month&hideDuplicates=true')).total).toBe(all.total - 1);
    });

    it('leaves the trash out, and takes a restored photo back in', async () => {
      const before = await timeline('groupBy=day');
      const id = ids['wood_anemones.jpg']!;
      expect((await post('/api/photos/delete', { ids: [id] })).body).toEqual({ trashed: 1 });
      const during = await timeline('groupBy=day');
      expect(during.total).toBe(before.total - 1);
      expect((await list()).items.some((item) => item.id === id)).toBe(false);
      expect((await list()).total).toBe(before.total - 1);
      // a trashed photo is not favourited by a bulk change either
      expect((await patch('/api/photos', { ids: [id], favorite: true })).body).toEqual({ updated: 0 });
      expect((await post('/api/trash/restore', { ids: [id] })).body).toEqual({ restored: 1 });
      expect(await timeline('groupBy=day')).toEqual(before);
    });

    it('answers bad parameters with 400 and a message', async () => {
      const bad = [
        '/api/timeline?groupBy=week',
        '/api/timeline?groupBy=day&from=yesterday',
        '/api/timeline?from=2024-02-01&to=2024-01-01',
        '/api/timeline?person=ada',
        '/api/timeline?favorite=maybe',
        '/api/timeline?album=1',
        '/api/photos?offset=-1',
        '/api/photos?offset=ten',
        '/api/photos?limit=501',
        '/api/photos?person=ada',
        '/api/photos?favorite=yes',
        `/api/photos/${UNKNOWN}/original?download=perhaps`,
      ];
      for (const route of bad) {
        const response = await json(`${url}${route}`);
        expect(response.status, route).toBe(400);
        expect(response.body.message, route).toMatch(/\w{3}/);
      }
      expect((await json(`${url}/api/timeline?groupBy=week`)).body.message).toMatch(/groupBy/);
      expect((await json(`${url}/api/photos?person=ada`)).body.message).toMatch(/person/);
      // the default grouping is by day
      expect((await get('/api/timeline')).groupBy).toBe('day');
    });

    it('keeps a timeline only while nothing it counts changed', async () => {
      const mark = async () =>
        Number((await rows<{ version: string }>(server.lib.db, sql`select version from change_marks where name = 'photo_order'`))[0]!.version);
      const id = ids['tanners_ridge.jpg']!;
      const favourites = await timeline('groupBy=day&favorite=true');
      expect(await timeline('groupBy=day&favorite=true')).toEqual(favourites);

      // what the pipeline writes all day long (states, steps) does not move the mark
      const before = await mark();
      await server.lib.db.execute(sql`update photos set state = state, updated_at = now() where id = ${id}::uuid`);
      await server.lib.db.execute(sql`update photo_steps set attempts = attempts where photo_id = ${id}::uuid`);
      expect(await mark()).toBe(before);

      // a favourite, a date taken, a trip to the trash each do: the next timeline and list total count again
      expect((await patch('/api/photos', { ids: [id], favorite: true })).body).toEqual({ updated: 1 });
      expect(await mark()).toBeGreaterThan(before);
      const more = await timeline('groupBy=day&favorite=true');
      expect(more.total).toBe(favourites.total + 1);
      expect((await list('favorite=true&limit=1')).total).toBe(more.total);

      const whole = await timeline('groupBy=month');
      const [row] = await rows<{ at: string | null; text: string | null }>(
        server.lib.db,
        sql`select taken_at::text as at, taken_at_text as text from photos where id = ${id}::uuid`,
      );
      await server.lib.db.execute(sql`update photos set taken_at = '1999-12-31T12:00:00Z', taken_at_text = '1999-12-31T12:00:00' where id = ${id}::uuid`);
      const moved = await timeline('groupBy=month');
      expect(moved.buckets.find((bucket) => bucket.key === '1999-12')?.count).toBe(1);
      expect(moved.total).toBe(whole.total);
      // put back as it was (the other tests read the photo's date)
      await server.lib.db.execute(sql`update photos set taken_at = ${row!.at}::timestamptz, taken_at_text = ${row!.text} where id = ${id}::uuid`);
      expect(await timeline('groupBy=month')).toEqual(whole);
      await patch('/api/photos', { ids: [id], favorite: false });
    });
  });

  describe('favourites and ratings', () => {
    it('changes many photos at once and counts only the library\u2019s', async () => {
      const chosen = [ids['cyclamen_persicum.jpg']!, ids['tanners_ridge.jpg']!];
      const response = await patch('/api/photos', { ids: [...chosen, chosen[0], UNKNOWN], favorite: true, rating: 4 });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ updated: 2 });
      for (const id of chosen) expect(await get(`/api/photos/${id}`)).toMatchObject({ favorite: true, rating: 4, metadata: { rating: 4 } });
      expect((await list('favorite=true')).items.map((i) => i.id)).toEqual(expect.arrayContaining(chosen));
      // rating alone, then cleared; favourite untouched
      expect((await patch('/api/photos', { ids: chosen, rating: null })).body).toEqual({ updated: 2 });
      for (const id of chosen) expect(await get(`/api/photos/${id}`)).toMatchObject({ favorite: true, rating: null });
      expect((await patch('/api/photos', { ids: chosen, favorite: false })).body).toEqual({ updated: 2 });
      // one photo: favourite and rating, answered with the photo
      const one = await patch(`/api/photos/${chosen[0]}`, { rating: 5 });
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ id: chosen[0], rating: 5, favorite: false });
      expect((await patch(`/api/photos/${UNKNOWN}`, { rating: 1 })).status).toBe(404);
    });

    it('refuses what is not a change of favourite or rating', async () => {
      const id = ids['cyclamen_persicum.jpg']!;
      const bad: [string, unknown][] = [
        ['/api/photos', { ids: [id] }],
        ['/api/photos', { ids: [], favorite: true }],
        ['/api/photos', { ids: ['not-a-uuid'], favorite: true }],
        ['/api/photos', { ids: Array.from({ length: 5001 }, () => id), favorite: true }],
        ['/api/photos', { ids: [id], rating: 6 }],
        ['/api/photos', { ids: [id], rating: -1 }],
        ['/api/photos', { ids: [id], rating: 2.5 }],
        ['/api/photos', { ids: [id], favorite: 'yes' }],
        ['/api/photos', { ids: [id], favorite: true, caption: 'nice' }],
        [`/api/photos/${id}`, { rating: 7 }],
        [`/api/photos/${id}`, {}],
      ];
      for (const [route, body] of bad) {
        const response = await patch(route, body);
        expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
        expect(response.body.message).toMatch(/\w{3}/);
      }
      expect((await patch('/api/photos', { ids: [id] })).body.message).toMatch(/favorite, rating/);
      expect((await patch('/api/photos', { ids: [id], rating: 6 })).body.message).toMatch(/0 to 5/);
    });

    it('keeps the user\u2019s rating when the metadata is read again, and the file\u2019s where the user gave none', async () => {
      // mongolels: file 3, user 1; east: file 2, user cleared it; west: file 5, untouched
      expect((await patch(`/api/photos/${ids['mongolels.jpg']}`, { rating: 1 })).status).toBe(200);
      expect((await patch(`/api/photos/${ids['east.jpg']}`, { rating: null })).status).toBe(200);
      expect((await get(`/api/photos/${ids['west.jpg']}`)).rating).toBe(5);
      const before = await rows<{ finished: string }>(server.lib.db, sql`select max(finished_at)::text as finished from photo_steps where step = 'metadata'`);
      const queued = await post('/api/reprocess', { step: 'metadata', all: true });
      expect(queued.status).toBe(202);
      await waitForTerminal(url, Object.values(ids), 240_000);
      const after = await rows<{ finished: string }>(server.lib.db, sql`select min(finished_at)::text as finished from photo_steps where step = 'metadata'`);
      expect(after[0]!.finished > before[0]!.finished, 'every photo read again').toBe(true);
      expect((await get(`/api/photos/${ids['mongolels.jpg']}`)).rating).toBe(1);
      expect((await get(`/api/photos/${ids['east.jpg']}`)).rating).toBeNull();
      expect((await get(`/api/photos/${ids['west.jpg']}`)).rating).toBe(5);
    }, 300_000);
  });

  describe('the photo page', () => {
    it('names the albums the photo is in and its duplicate group', async () => {
      const manual = await post('/api/albums', { name: 'Birds', photoIds: [ids['prairie_falcon.jpg']] });
      expect(manual.status).toBe(201);
      const dismissed = await post('/api/albums', { name: 'Gone', photoIds: [ids['prairie_falcon.jpg']] });
      await server.lib.db.execute(sql`update albums set kind = 'auto', status = 'dismissed' where id = ${dismissed.body.id}::uuid`);
      const auto = await post('/api/albums', { name: 'Wings', photoIds: [ids['prairie_falcon.jpg']] });
      await server.lib.db.execute(sql`update albums set kind = 'auto' where id = ${auto.body.id}::uuid`);

      const falcon = await get(`/api/photos/${ids['prairie_falcon.jpg']}`);
      expect(falcon.albums).toEqual([
        { id: manual.body.id, name: 'Birds', kind: 'manual' },
        { id: auto.body.id, name: 'Wings', kind: 'auto' },
      ]);
      const copy = await get(`/api/photos/${ids['falcon-copy.jpg']}`);
      const groups = (await get('/api/duplicates?kind=duplicate')).items as {
        id: string;
        keeperId: string;
        members: { photo: { id: string }; tier: string }[];
      }[];
      const group = groups.find((g) => g.members.some((m) => m.photo.id === ids['falcon-copy.jpg']))!;
      expect(group.members).toHaveLength(2);
      for (const photo of [falcon, copy]) {
        expect(photo.duplicateGroup).toEqual({ id: group.id, kind: 'duplicate', tier: 'pdq', keeperId: group.keeperId, size: 2 });
      }
      expect((await get(`/api/photos/${ids['east.jpg']}`)).duplicateGroup).toBeNull();
      expect(falcon).toMatchObject({ favorite: false, colour: falcon.palette[0].hex });
    });

    it('downloads the original under its own name', async () => {
      const id = ids[UNICODE_NAME]!;
      expect((await get(`/api/photos/${id}`)).filename).toBe(UNICODE_NAME);
      const download = await authFetch(`${url}/api/photos/${id}/original?download=1`);
      expect(download.status).toBe(200);
      const disposition = download.headers.get('content-disposition')!;
      expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''[\w%.!~-]+$/);
      expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe(UNICODE_NAME);
      expect(Buffer.from(await download.arrayBuffer()).equals(fs.readFileSync(path.join(dir, 'unicode.jpg')))).toBe(true);
      const inline = await authFetch(`${url}/api/photos/${id}/original`);
      expect(inline.headers.get('content-disposition')).toMatch(/^inline; /);
      await inline.arrayBuffer();
      const plain = await authFetch(`${url}/api/photos/${ids['prairie_falcon.jpg']}/original?download=true`);
      expect(plain.headers.get('content-disposition')).toBe(`attachment; filename="prairie_falcon.jpg"; filename*=UTF-8''prairie_falcon.jpg`);
      await plain.arrayBuffer();
      // quotes and backslashes cannot break out of the quoted name
      await server.lib.db.execute(sql`update photos set filename = ${'say "cheese"\\.jpg'} where id = ${ids['filedate.jpg']}::uuid`);
      const quoted = await authFetch(`${url}/api/photos/${ids['filedate.jpg']}/original?download=1`);
      expect(quoted.headers.get('content-disposition')).toBe(`attachment; filename="say \\"cheese\\"\\\\.jpg"; filename*=UTF-8''say%20%22cheese%22%5C.jpg`);
      await quoted.arrayBuffer();
    });
  });

  describe('jobs', () => {
    it('sums up the pipeline: states, steps in order, rate, failures', async () => {
      const snapshot = await get('/api/jobs');
      const total = (await list()).total;
      expect(Object.values(snapshot.states as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(total);
      expect(snapshot.states).toMatchObject({ pending: 0, processing: 0, failed: 1 });
      expect(snapshot.run).toBeNull(); // idle: no run of work under way
      // a library without the creation tools has no catalogue step to count
      const run = STEP_NAMES.filter((name) => name !== 'catalogue');
      expect(Object.keys(snapshot.steps)).toEqual(run);
      for (const name of run) {
        const counts = snapshot.steps[name];
        expect(counts.pending + counts.running + counts.done + counts.skipped + counts.failed, name).toBe(total);
      }
      expect(snapshot.steps.preprocessing.failed).toBe(1);
      expect(snapshot.queue).toEqual({ depth: 0 });
      // everything finished within the last minutes (the metadata was read again just now)
      expect(snapshot.rate.photosPerMinute).toBeGreaterThan(0);
      expect(snapshot.rate.windowSeconds).toBeGreaterThan(0);
      expect(snapshot.rate.windowSeconds).toBeLessThanOrEqual(300);
      expect(snapshot.etaSeconds).toBeNull();
      expect(snapshot.failuresTotal).toBe(1);
      expect(snapshot.failures).toEqual([
        { photoId: ids['broken.jpg'], filename: 'broken.jpg', step: 'preprocessing', error: expect.stringMatching(/\w/), at: expect.any(String) },
      ]);
      expect(Date.parse(snapshot.failures[0].at)).toBeLessThanOrEqual(Date.parse(snapshot.at));
    });

    it("counts a run from when its photos joined it, not from a step's later write to one still working (issue 61)", async () => {
      const pair = [ids['silver_fir.jpg']!, ids['tanners_ridge.jpg']!];
      const db = server.lib.db;
      const before = await rows<{ id: string; state: string }>(db, sql`select id, state from photos where id in (${pair[0]}::uuid, ${pair[1]}::uuid)`);
      try {
        // two photos join a run; the first finishes, then a step of the second writes its row (updated_at) later
        await db.execute(sql`update photos set state = 'pending' where id in (${pair[0]}::uuid, ${pair[1]}::uuid)`);
        await db.execute(sql`update photos set state = 'completed', updated_at = now() + interval '1 second' where id = ${pair[0]}::uuid`);
        await db.execute(sql`update photos set state = 'processing', updated_at = now() + interval '2 seconds' where id = ${pair[1]}::uuid`);
        // before: the run began at the second photo's step, after the first had finished ("0 of 1 done")
        // the snapshot is at most a few seconds old
        await expect.poll(async () => (await get('/api/jobs')).run, { timeout: 15_000, interval: 250 }).toEqual({ done: 1, total: 2 });
      } finally {
        for (const photo of before) await db.execute(sql`update photos set state = ${photo.state}, updated_at = now() where id = ${photo.id}::uuid`);
      }
      await expect.poll(async () => (await get('/api/jobs')).run, { timeout: 15_000, interval: 250 }).toBeNull();
    });

    it('streams a snapshot at once and another when something changes, the same one to every client', async () => {
      const controllers = [new AbortController(), new AbortController()];
      const responses = await Promise.all(controllers.map((c) => authFetch(`${url}/api/jobs/events`, { signal: c.signal })));
      for (const response of responses) {
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
        expect(response.headers.get('cache-control')).toMatch(/no-cache/);
      }
      const [first, second] = responses.map(eventReader);
      const initial = await first!.until(() => true);
      const total = (await list()).total;
      expect(Object.values(initial.states as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(total);
      await second!.until(() => true);

      // a new photo: pending (or already on its way), then done, seen by both clients in the same snapshots
      const added = await uploadFiles(url, [{ path: path.join(assets, 'metadata/faces/portrait.jpg') }]);
      const grown = (s: any) => Object.values(s.states as Record<string, number>).reduce((a, b) => a + b, 0) === total + 1;
      const settled = (s: any) => grown(s) && s.states.pending === 0 && s.states.processing === 0;
      const [a, b] = await Promise.all([first!.until(settled), second!.until(settled)]);
      expect(a.at).toBe(b.at);
      expect(a).toEqual(b);
      await waitForTerminal(url, Object.values(added));

      // clients that go away are let go
      for (const controller of controllers) controller.abort();
      await Promise.allSettled([first!.cancel(), second!.cancel()]);
    });

    it('ends open streams when the server closes, without waiting for the clients', async () => {
      const other = await startTestServer();
      let closed = false;
      try {
        const response = await authFetch(`${other.url}/api/jobs/events`);
        const reader = eventReader(response);
        const empty = await reader.until(() => true);
        expect(empty.states).toEqual({ pending: 0, processing: 0, completed: 0, partial: 0, failed: 0 });
        expect(empty.etaSeconds).toBeNull();
        expect(empty.failures).toEqual([]);
        await other.dispose();
        closed = true;
        expect(await reader.next()).toBeNull(); // the stream ended
      } finally {
        if (!closed) await other.dispose();
      }
    });
  });

  it('documents every route it serves in OpenAPI', async () => {
    const doc = await get('/api/openapi.json');
    expect(doc.paths['/api/timeline'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['groupBy', 'album', 'person', 'favorite', 'hideDuplicates', 'from', 'to', 'camera', 'hasGps']),
    );
    expect(doc.paths['/api/photos'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['offset', 'limit', 'page', 'person', 'favorite']),
    );
    expect(doc.paths['/api/photos'].patch.requestBody.content['application/json'].schema.properties).toHaveProperty('rating');
    expect(doc.paths['/api/photos/{id}/original'].get.parameters.map((p: { name: string }) => p.name)).toContain('download');
    for (const route of ['/api/timeline', '/api/jobs', '/api/jobs/events']) {
      expect(doc.paths[route].get.summary.length, route).toBeGreaterThan(20);
      expect(doc.paths[route].get.description.length, route).toBeGreaterThan(100);
    }
    const detail = doc.paths['/api/photos/{id}'].get.responses['200'].content['application/json'].schema.properties;
    expect(Object.keys(detail)).toEqual(expect.arrayContaining(['favorite', 'rating', 'colour', 'albums', 'duplicateGroup']));
  });

  describe('suggestions', () => {
    it('suggests tags, people, places, cameras and albums, each with its kind and key', async () => {
      const album = await post('/api/albums', { name: 'Zanzibar trip', photoIds: [ids['thompson-springs.jpg']] });
      const suggest = async (q: string) =>
        (await get(`/api/search/suggest?q=${encodeURIComponent(q)}&limit=20`)).items as { kind: string; label: string; key: string }[];
      expect(await suggest('zanz')).toContainEqual(expect.objectContaining({ kind: 'album', label: 'Zanzibar trip', key: album.body.id }));
      expect(await suggest('canon')).toContainEqual(expect.objectContaining({ kind: 'camera' }));
      const person = (await suggest('ada')).find((item) => item.kind === 'person');
      expect(person?.label).toBe('Ada');
      const places = await suggest('utah');
      expect(places.some((item) => item.kind === 'place')).toBe(true);
      const kinds = await get('/api/search/suggest?q=a&kinds=album,camera&limit=50');
      expect(kinds.items.every((item: { kind: string }) => ['album', 'camera'].includes(item.kind))).toBe(true);
      expect((await json(`${url}/api/search/suggest?q=a&kinds=lens`)).status).toBe(400);
    });
  });
});

/** A named person with one face on each photo (the face model is not needed to test the filters). */
async function addPerson(server: TestServer, name: string, photoIds: string[]): Promise<string> {
  const [person] = await rows<{ id: string }>(
    server.lib.db,
    sql`insert into people (owner_id, name) values (${server.lib.ownerId}::uuid, ${name}) returning id`,
  );
  for (const photoId of photoIds) {
    await server.lib.db.execute(sql`
      insert into faces (photo_id, person_id, assigned_by, x, y, width, height, score, embedding, detector)
      values (${photoId}::uuid, ${person!.id}::uuid, 'user', 10, 10, 50, 50, 0.99, array_fill(0.01, array[1024])::real[]::vector, 'test')`);
  }
  const { refreshSearchDocuments } = await import('../../src/search/documents.js');
  await refreshSearchDocuments(server.lib.db, photoIds);
  return person!.id;
}
