// Memories through the real server, for a fixed today (2026-06-15): photos with dates and GPS positions written by
// ExifTool — home in Lyon over several years, a trip to Porto and Lisbon, one to Tokyo, a day in Madrid, a burst
// on this day three years ago, and the corpus portrait's two people on six photos over three years. On this day,
// trips named from the places visited, a named person over the years; hiding, keeping as an album, turning a kind
// off, the periodic job, and another user seeing none of it.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ExifTool } from 'exiftool-vendored';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshMemories } from '../../src/library/memories/job.js';
import { assets, json, startTestServer, tempDir, upload, waitForTerminal, type TestServer } from '../helpers/server.js';

const TODAY = '2026-06-15';
const LYON: [number, number] = [45.764, 4.8357];
const PORTO: [number, number] = [41.1579, -8.6291];
const LISBON: [number, number] = [38.7223, -9.1393];
const TOKYO: [number, number] = [35.6895, 139.6917];
const MADRID: [number, number] = [40.4168, -3.7038];

interface Shot {
  name: string;
  at: string;
  where?: [number, number];
  faces?: boolean;
}

const near = ([lat, lng]: [number, number], i: number): [number, number] => [lat + i * 0.002, lng - i * 0.003];

const SHOTS: Shot[] = [
  // home, over the years
  ...['2021-02-03', '2022-08-19', '2023-04-11', '2024-10-02', '2025-01-20', '2025-12-24'].map((day, i) => ({
    name: `home-${i}.jpg`,
    at: `${day} 12:00:00`,
    where: near(LYON, i),
  })),
  // on this day: 2024 (one photo), 2023 (a burst of five frames and one more photo), none this year
  { name: 'this-day-2024.jpg', at: '2024-06-15 18:30:00', where: near(LYON, 7) },
  ...[0, 1, 2, 3, 4].map((s) => ({ name: `burst-${s}.jpg`, at: `2023-06-15 10:00:0${s}`, where: near(LYON, 8) })),
  { name: 'this-day-2023-evening.jpg', at: '2023-06-15 20:15:00', where: near(LYON, 9) },
  { name: 'today-2026.jpg', at: '2026-06-15 08:00:00', where: near(LYON, 10) },
  // a trip: Porto, then Lisbon (and an indoor photo without a position on its middle day)
  { name: 'porto-1.jpg', at: '2024-05-03 11:00:00', where: near(PORTO, 0) },
  { name: 'porto-2.jpg', at: '2024-05-03 16:00:00', where: near(PORTO, 1) },
  { name: 'indoors.jpg', at: '2024-05-04 13:00:00' },
  { name: 'lisbon-1.jpg', at: '2024-05-05 10:00:00', where: near(LISBON, 0) },
  { name: 'lisbon-2.jpg', at: '2024-05-06 17:00:00', where: near(LISBON, 1) },
  { name: 'back-home.jpg', at: '2024-05-08 09:00:00', where: near(LYON, 11) },
  // another trip, and a single day away (not a trip)
  ...[10, 11, 12].map((d, i) => ({ name: `tokyo-${i}.jpg`, at: `2025-03-${d} 14:00:00`, where: near(TOKYO, i) })),
  { name: 'madrid.jpg', at: '2023-09-01 12:00:00', where: near(MADRID, 0) },
  // the portrait's two people over three years
  ...['2019-07-01', '2019-09-09', '2021-05-05', '2021-11-11', '2023-03-03', '2023-08-08'].map((day, i) => ({
    name: `curies-${i}.jpg`,
    at: `${day} 15:00:00`,
    faces: true,
  })),
];

/** A distinct made-up scene per seed: shapes of several colours, no two alike to a perceptual hash. */
function scene(seed: number, width: number, height: number): Buffer {
  let state = seed * 7919 + 17;
  const next = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const colour = () => `rgb(${Math.floor(next() * 255)},${Math.floor(next() * 255)},${Math.floor(next() * 255)})`;
  const shapes = Array.from({ length: 14 }, () =>
    next() > 0.5
      ? `<circle cx="${next() * width}" cy="${next() * height}" r="${20 + next() * height * 0.3}" fill="${colour()}"/>`
      : `<rect x="${next() * width}" y="${next() * height}" width="${30 + next() * width * 0.4}" height="${30 + next() * height * 0.4}" fill="${colour()}"/>`,
  ).join('');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="${colour()}"/>${shapes}</svg>`,
  );
}

interface Memory {
  id: string;
  kind: string;
  title: string;
  subtitle: string;
  from: string;
  to: string;
  count: number;
  coverId: string;
  previewIds: string[];
}

describe('memories', () => {
  let server: TestServer;
  const idOf = new Map<string, string>();
  const nameOf = new Map<string, string>();
  const get = async (route: string) => {
    const response = await json(`${server.url}${route}`);
    expect(response.status, `${route}: ${JSON.stringify(response.body)}`).toBe(200);
    return response.body;
  };
  const memories = async (today = TODAY) => (await get(`/api/memories?today=${today}`)).items as Memory[];

  beforeAll(async () => {
    server = await startTestServer();
    const dir = tempDir();
    const portrait = await sharp(path.join(assets, 'metadata', 'faces', 'portrait.jpg'))
      .resize({ width: 560 })
      .toBuffer();
    const exiftool = new ExifTool();
    try {
      for (const [i, shot] of SHOTS.entries()) {
        const file = path.join(dir, shot.name);
        const base = sharp(scene(i + 1, shot.faces ? 900 : 480, shot.faces ? 700 : 360));
        await (shot.faces ? base.composite([{ input: portrait, left: 40 + (i % 4) * 60, top: 30 + (i % 3) * 40 }]) : base).jpeg({ quality: 88 }).toFile(file);
        const tags: Record<string, string | number> = { DateTimeOriginal: shot.at.replace(/-/g, ':') };
        if (shot.where) Object.assign(tags, { GPSLatitude: shot.where[0], GPSLongitude: shot.where[1] });
        await exiftool.write(file, tags, { writeArgs: ['-overwrite_original'] });
      }
    } finally {
      await exiftool.end();
    }
    const { body } = await upload(
      server.url,
      SHOTS.map((shot) => ({ path: path.join(dir, shot.name) })),
    );
    body.items.forEach((item: { id: string; filename: string }) => {
      idOf.set(item.filename, item.id);
      nameOf.set(item.id, item.filename);
    });
    expect(idOf.size).toBe(SHOTS.length);
    await waitForTerminal(server.url, [...idOf.values()], 400_000);
    fs.rmSync(dir, { recursive: true, force: true });
    // the burst's third frame is the one the user liked
    await json(`${server.url}/api/photos/${idOf.get('burst-2.jpg')}`, { method: 'PATCH', json: { favorite: true } });
    // Marie named: the person on the most of the portrait's photos
    const detail = await get(`/api/photos/${idOf.get('curies-0.jpg')}`);
    const personIds = [...new Set(detail.faces.map((f: { personId: string | null }) => f.personId).filter(Boolean))] as string[];
    expect(personIds.length).toBeGreaterThanOrEqual(1);
    expect((await json(`${server.url}/api/people/${personIds[0]}`, { method: 'PATCH', json: { name: 'Marie Curie' } })).status).toBe(200);
  }, 500_000);

  afterAll(async () => {
    await server?.dispose();
  });

  it('brings back this day in earlier years, the best first and a burst as one photo', async () => {
    const list = await memories();
    const onThisDay = list.filter((m) => m.kind === 'on-this-day');
    expect(onThisDay.map((m) => m.from)).toEqual(['2024-06-15', '2023-06-15']); // the most recent year first, none for today
    expect(onThisDay[0]).toMatchObject({ title: 'On this day', subtitle: '15 June 2024 · 2 years ago', count: 1 });
    const threeYears = await get(`/api/memories/${onThisDay[1]!.id}`);
    expect(threeYears.subtitle).toBe('15 June 2023 · 3 years ago');
    // five frames within seconds are one photo: the favourite among them, first
    expect(threeYears.items.map((item: { filename: string }) => item.filename)).toEqual(['burst-2.jpg', 'this-day-2023-evening.jpg']);
    expect(threeYears.coverId).toBe(idOf.get('burst-2.jpg'));
  });

  it('finds the trips away from home, named after the places visited, and not a single day away', async () => {
    const trips = (await memories()).filter((m) => m.kind === 'trip');
    expect(trips.map((m) => [m.from, m.to])).toEqual([
      ['2025-03-10', '2025-03-12'],
      ['2024-05-03', '2024-05-06'],
    ]);
    expect(trips[0]!.title).toMatch(/, March 2025$/);
    expect(trips[1]).toMatchObject({ title: 'Porto and Lisbon, May 2024', subtitle: '4 days · 5 items', count: 5 });
    const portugal = await get(`/api/memories/${trips[1]!.id}`);
    // a trip reads as it happened: by time (its cover is still its best)
    expect(portugal.items.map((item: { filename: string }) => item.filename)).toEqual([
      'porto-1.jpg',
      'porto-2.jpg',
      'indoors.jpg',
      'lisbon-1.jpg',
      'lisbon-2.jpg',
    ]);
    const settings = await get('/api/memories/settings');
    expect(settings.home).toBeNull();
    expect(settings.learnedHome.latitude).toBeCloseTo(LYON[0], 0);
    expect(settings.learnedHome.longitude).toBeCloseTo(LYON[1], 0);
  });

  it('remembers a named person over the years', async () => {
    const people = (await memories()).filter((m) => m.kind === 'person-years');
    expect(people.map((m) => m.title)).toEqual(['Marie Curie, 2019–2023']);
    expect(people[0]!.subtitle).toBe('3 years · 6 photos');
    const marie = await get(`/api/memories/${people[0]!.id}`);
    // two a year at most, in the order of the years
    expect(marie.items.map((item: { filename: string }) => item.filename)).toEqual([
      'curies-0.jpg',
      'curies-1.jpg',
      'curies-2.jpg',
      'curies-3.jpg',
      'curies-4.jpg',
      'curies-5.jpg',
    ]);
  });

  it('hides a memory for good, until the user asks for the hidden ones again', async () => {
    const tokyo = (await memories()).find((m) => m.kind === 'trip' && m.from === '2025-03-10')!;
    expect((await json(`${server.url}/api/memories/${tokyo.id}/hide`, { method: 'POST' })).status).toBe(204);
    expect((await memories()).some((m) => m.from === '2025-03-10')).toBe(false);
    const run = await json(`${server.url}/api/memories/refresh`, { method: 'POST', json: { today: TODAY } });
    expect(run.status).toBe(200);
    expect(run.body.written.trip).toBe(1);
    expect((await memories()).some((m) => m.from === '2025-03-10')).toBe(false);
    expect((await json(`${server.url}/api/memories/${tokyo.id}`)).status).toBe(404);
    expect((await json(`${server.url}/api/memories/hidden`, { method: 'DELETE' })).body).toEqual({ restored: 1 });
    expect((await memories()).some((m) => m.kind === 'trip' && m.from === '2025-03-10')).toBe(true);
  });

  it('keeps a memory as an album', async () => {
    const portugal = (await memories()).find((m) => m.title === 'Porto and Lisbon, May 2024')!;
    const album = await json(`${server.url}/api/memories/${portugal.id}/album`, { method: 'POST', json: {} });
    expect(album.status, JSON.stringify(album.body)).toBe(201);
    expect(album.body).toMatchObject({ name: 'Porto and Lisbon, May 2024', photoCount: 5 });
  });

  it('turns a kind off, and home set by hand makes other trips', async () => {
    let settings = await json(`${server.url}/api/memories/settings`, { method: 'PUT', json: { kindsOff: ['trip', 'person-years'] } });
    expect(settings.body.kindsOff).toEqual(['trip', 'person-years']);
    expect(new Set((await memories()).map((m) => m.kind))).toEqual(new Set(['on-this-day']));
    // home in Lisbon: the days in Lyon are away now
    settings = await json(`${server.url}/api/memories/settings`, {
      method: 'PUT',
      json: { kindsOff: [], home: { latitude: LISBON[0], longitude: LISBON[1] } },
    });
    expect(settings.body.home).toEqual({ latitude: LISBON[0], longitude: LISBON[1] });
    const trips = (await memories()).filter((m) => m.kind === 'trip');
    expect(trips.some((m) => m.title.startsWith('Porto and Lisbon'))).toBe(false);
    expect(trips.some((m) => m.from === '2024-05-08' || m.from === '2023-06-15')).toBe(false); // single days in Lyon
    await json(`${server.url}/api/memories/settings`, { method: 'PUT', json: { home: null } });
    expect((await memories()).some((m) => m.title === 'Porto and Lisbon, May 2024')).toBe(true);
  });

  it('is computed by the periodic job for every user once a day, a memory keeping its id from day to day', async () => {
    const portugal = (await memories()).find((m) => m.title === 'Porto and Lisbon, May 2024')!;
    expect(await refreshMemories(server.lib, '2026-06-17')).toBeGreaterThanOrEqual(1);
    expect(await refreshMemories(server.lib, '2026-06-17')).toBe(0); // done for the day
    const list = await get('/api/memories?today=2026-06-17');
    expect(list.computedFor).toBe('2026-06-17');
    expect(list.items.filter((m: Memory) => m.kind === 'on-this-day')).toEqual([]);
    expect(list.items.find((m: Memory) => m.title === 'Porto and Lisbon, May 2024').id).toBe(portugal.id);
    // asked for another day than the last computed: the last ones at once, that day's computed meanwhile
    const stale = await get(`/api/memories?today=${TODAY}`);
    expect(stale.computedFor).toBe('2026-06-17');
    await expect.poll(async () => (await get(`/api/memories?today=${TODAY}`)).computedFor, { timeout: 20_000 }).toBe(TODAY);
    expect((await memories()).filter((m) => m.kind === 'on-this-day')).toHaveLength(2);
  });

  it('refuses what it cannot read, and shows another user none of it', async () => {
    for (const route of ['/api/memories?today=2026-13-01', '/api/memories?today=yesterday', '/api/memories/not-an-id']) {
      expect((await json(`${server.url}${route}`)).status, route).toBe(400);
    }
    expect((await json(`${server.url}/api/memories/settings`, { method: 'PUT', json: { home: { latitude: 91, longitude: 0 } } })).status).toBe(400);
    expect((await json(`${server.url}/api/memories/settings`, { method: 'PUT', json: { kindsOff: ['birthdays'] } })).status).toBe(400);
    const mine = (await memories())[0]!;
    const created = await json(`${server.url}/api/admin/users`, {
      method: 'POST',
      json: { name: 'Bob', email: 'bob@example.org', password: 'bob password 1' },
    });
    expect(created.status).toBe(201);
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ email: 'bob@example.org', password: 'bob password 1' }),
    });
    const cookie = /shoebox_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    const asBob = (route: string, init: { method?: string; json?: unknown } = {}) =>
      json(`${server.url}${route}`, { ...init, headers: { cookie, origin: server.url } });
    expect((await asBob(`/api/memories?today=${TODAY}`)).body.items).toEqual([]);
    // computed on Bob's empty library: his first photos, one taken on this day two years ago, make them stale
    const dir = tempDir();
    /** A photo of Bob's taken at `when` (EXIF form), uploaded and analysed. */
    const bobUploads = async (name: string, seed: number, when: string) => {
      const file = path.join(dir, name);
      await sharp(scene(seed, 480, 360))
        .jpeg()
        .withExif({ IFD0: { DateTime: when }, IFD2: { DateTimeOriginal: when } })
        .toFile(file);
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(fs.readFileSync(file))]), name);
      const sent = await fetch(`${server.url}/api/photos`, { method: 'POST', body: form, headers: { cookie, origin: server.url } });
      expect(sent.status).toBe(201);
      const id = ((await sent.json()) as { items: { id: string }[] }).items[0]!.id;
      await expect.poll(async () => (await asBob(`/api/photos/${id}`)).body.state, { timeout: 60_000 }).toMatch(/^(completed|partial|failed)$/);
      return id;
    };
    await bobUploads('bob-2024.jpg', 99, '2024:06:15 09:00:00');
    const bobs = (await asBob(`/api/memories?today=${TODAY}`)).body.items as Memory[];
    expect(bobs.map((m) => [m.kind, m.from, m.count])).toEqual([['on-this-day', '2024-06-15', 1]]);

    // Memories are stale when the user's own items change, not another user's (the photo_order mark is the
    // library's). Seen through a rating, which moves no mark but ranks the items when they are computed.
    const bobsDay = async () => ((await asBob(`/api/memories?today=${TODAY}`)).body.items as Memory[]).find((m) => m.from === '2024-06-15')!;
    await bobUploads('bob-2024-afternoon.jpg', 98, '2024:06:15 15:00:00');
    await expect.poll(async () => (await bobsDay()).count, { timeout: 20_000 }).toBe(2);
    const { coverId, previewIds } = await bobsDay();
    const other = previewIds.find((id) => id !== coverId)!;
    expect((await asBob(`/api/photos/${other}`, { method: 'PATCH', json: { rating: 5 } })).status).toBe(200);
    // the admin's upload: Bob's memories are not computed again (before: they were, the 5 stars' photo their cover)
    const adminDir = tempDir();
    await sharp(scene(97, 480, 360))
      .jpeg()
      .toFile(path.join(adminDir, 'admin.jpg'));
    const adminSent = await upload(server.url, [{ path: path.join(adminDir, 'admin.jpg') }]);
    await waitForTerminal(server.url, [adminSent.body.items[0].id]);
    for (let ask = 0; ask < 8; ask++) {
      expect((await bobsDay()).coverId).toBe(coverId);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // Bob's own upload, on another day: his memories are computed again, with the rating
    await bobUploads('bob-2023.jpg', 96, '2023:01:02 10:00:00');
    await expect.poll(async () => (await bobsDay()).coverId, { timeout: 20_000 }).toBe(other);
    expect((await asBob(`/api/memories/${mine.id}`)).status).toBe(404);
    expect((await asBob(`/api/memories/${mine.id}/hide`, { method: 'POST' })).status).toBe(404);
    expect((await json(`${server.url}/api/memories/${mine.id}`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/memories`)).status).toBe(401);
  });
});
