// Searching in the user's own words, through the real server: named people from the corpus portrait, photos with
// dates across years and GPS positions north and south of the equator (written into their files), a phone clip
// recorded in Lisbon; each query understood into filters and returning the right items, on both engines.
import fs from 'node:fs';
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatEndpoint } from '../helpers/caption-endpoint.js';
import { testClips } from '../helpers/clips.js';
import { assets, json, startTestServer, tempDir, upload, waitForTerminal, type TestServer } from '../helpers/server.js';

/** The user's today for every query here: "last summer" is June–August 2025 (December 2024–February 2025 south). */
const TODAY = '2025-11-26';

interface Hit {
  photo: { id: string; filename: string };
  explanation: { satisfies: string[] };
}

const FILES: { name: string; source: string; tags: Record<string, string | number> }[] = [
  { name: 'portrait.jpg', source: 'metadata/faces/portrait.jpg', tags: { DateTimeOriginal: '2019:06:15 12:00:00' } },
  { name: 'portrait-rotated.jpg', source: 'metadata/faces/portrait-orientation-6.jpg', tags: { DateTimeOriginal: '2021:12:25 18:00:00' } },
  {
    name: 'lisbon-fir.jpg',
    source: 'albums/nature/silver_fir.jpg',
    tags: { DateTimeOriginal: '2025:07:10 10:00:00', GPSLatitude: 38.7223, GPSLatitudeRef: 'N', GPSLongitude: -9.1393, GPSLongitudeRef: 'W' },
  },
  {
    name: 'sydney-rocks.jpg',
    source: 'albums/nature/el_torcal_rocks.jpg',
    tags: { DateTimeOriginal: '2025:01:15 09:00:00', GPSLatitude: -33.8688, GPSLatitudeRef: 'S', GPSLongitude: 151.2093, GPSLongitudeRef: 'E' },
  },
  { name: 'christmas-anemones.jpg', source: 'albums/nature/wood_anemones.jpg', tags: { DateTimeOriginal: '2019:12:25 11:00:00' } },
  { name: 'thompson-springs.jpg', source: 'metadata/gps-position/thompson-springs.jpg', tags: {} },
];

describe('search in your own words', () => {
  let server: TestServer;
  const idOf = new Map<string, string>();
  const search = async (q: string, extra: Record<string, string> = {}) => {
    const params = new URLSearchParams({ q, mode: 'keyword', tz: 'Europe/Paris', today: TODAY, limit: '50', ...extra });
    const response = await json(`${server.url}/api/search?${params}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as {
      items: Hit[];
      understood: Record<string, unknown> & { parts: { kind: string; label: string }[] };
      notices: string[];
      total: number;
    };
  };
  const names = (hits: Hit[]) => hits.map((h) => h.photo.filename).sort();

  beforeAll(async () => {
    server = await startTestServer();
    const dir = tempDir();
    const exiftool = new ExifTool();
    try {
      for (const file of FILES) {
        const out = path.join(dir, file.name);
        fs.copyFileSync(path.join(assets, file.source), out);
        if (Object.keys(file.tags).length > 0) await exiftool.write(out, file.tags, { writeArgs: ['-overwrite_original'] });
      }
    } finally {
      await exiftool.end();
    }
    const clips = await testClips();
    const { body } = await upload(server.url, [...FILES.map((f) => ({ path: path.join(dir, f.name) })), { path: clips.mp4, name: 'lisbon-clip.mp4' }]);
    body.items.forEach((item: { id: string; filename: string }) => idOf.set(item.filename, item.id));
    await waitForTerminal(server.url, [...idOf.values()], 300_000);
    // the two people of the portrait, named
    const detail = (await json(`${server.url}/api/photos/${idOf.get('portrait.jpg')}`)).body;
    const personIds = [...new Set(detail.faces.map((f: { personId: string | null }) => f.personId).filter(Boolean))] as string[];
    expect(personIds).toHaveLength(2);
    await json(`${server.url}/api/people/${personIds[0]}`, { method: 'PATCH', json: { name: 'Marie Curie' } });
    await json(`${server.url}/api/people/${personIds[1]}`, { method: 'PATCH', json: { name: 'Pierre Curie' } });
    const favourite = await json(`${server.url}/api/photos/${idOf.get('christmas-anemones.jpg')}`, { method: 'PATCH', json: { favorite: true, rating: 5 } });
    expect(favourite.status, JSON.stringify(favourite.body)).toBe(200);
  }, 400_000);

  afterAll(async () => {
    await server?.dispose();
  });

  it('finds named people together, and one of them in a year', async () => {
    const both = await search('Marie and Pierre');
    expect(both.understood.people).toEqual([expect.objectContaining({ name: 'Marie Curie' }), expect.objectContaining({ name: 'Pierre Curie' })]);
    expect(names(both.items)).toEqual(['portrait-rotated.jpg', 'portrait.jpg']);
    expect(both.items[0]!.explanation.satisfies).toEqual(['Marie Curie', 'Pierre Curie']);
    const inYear = await search("photos of Marie's in 2019");
    expect(names(inYear.items)).toEqual(['portrait.jpg']);
    expect(inYear.understood.parts.map((p) => p.label)).toEqual(['Marie Curie', '2019']);
    const without = await search('Marie without Pierre');
    expect(without.items).toEqual([]);
  });

  it('reads places and seasons, south of the equator too', async () => {
    const lisbon = await search('Lisbon last summer');
    expect(names(lisbon.items)).toEqual(['lisbon-fir.jpg']);
    expect(lisbon.understood.dates).toEqual([{ from: '2025-06-01', to: '2025-08-31', label: 'Summer 2025', negated: false }]);
    const sydney = await search('Sydney last summer');
    expect(sydney.understood.dates).toEqual([{ from: '2024-12-01', to: '2025-02-28', label: 'Summer 2024–25', negated: false }]);
    expect(names(sydney.items)).toEqual(['sydney-rocks.jpg']);
    expect(names((await search('Utah')).items)).toEqual(['thompson-springs.jpg']);
    const notLisbon = names((await search('not in Lisbon')).items);
    expect(notLisbon).not.toContain('lisbon-fir.jpg');
    expect(notLisbon).toContain('sydney-rocks.jpg');
    // the town as Germans, French and Portuguese write it (the gazetteer's other names); before, nothing was found
    for (const q of ['Lissabon Sommer 2025', 'Lisbonne été 2025', 'Lisboa summer 2025']) {
      const found = await search(q);
      expect(found.understood.places, q).toEqual([{ name: 'Lisbon', negated: false }]);
      expect(names(found.items), q).toEqual(['lisbon-fir.jpg']);
    }
  });

  it('finds videos from a place, and days that come back each year', async () => {
    const videos = await search('videos from Lisbon');
    expect(videos.understood).toMatchObject({ type: 'video', places: [{ name: 'Lisbon', negated: false }] });
    expect(names(videos.items)).toEqual(['lisbon-clip.mp4']);
    expect(names((await search('christmas 2019')).items)).toEqual(['christmas-anemones.jpg']);
    expect(names((await search('christmas')).items)).toEqual(['christmas-anemones.jpg', 'portrait-rotated.jpg']);
    expect(names((await search('Weihnachten')).items)).toEqual(['christmas-anemones.jpg', 'portrait-rotated.jpg']);
    expect(names((await search('noël 2021')).items)).toEqual(['portrait-rotated.jpg']);
  });

  it('knows home: where most photos were taken, or the one set for memories; away from it too', async () => {
    // two items in Lisbon, one in Sydney, one in Utah: home is learned in Lisbon
    const home = await search('photos at home');
    expect(home.understood.home).toEqual({ negated: false });
    expect(home.understood.parts.map((p) => p.label)).toEqual(['home']);
    expect(names(home.items)).toEqual(['lisbon-clip.mp4', 'lisbon-fir.jpg']);
    expect(names((await search('pas à la maison')).items)).toEqual(['sydney-rocks.jpg', 'thompson-springs.jpg']);
    // home set by hand (in Sydney): "zu Hause" follows at once
    expect((await json(`${server.url}/api/memories/settings`, { method: 'PUT', json: { home: { latitude: -33.87, longitude: 151.2 } } })).status).toBe(200);
    expect(names((await search('zu Hause')).items)).toEqual(['sydney-rocks.jpg']);
    await json(`${server.url}/api/memories/settings`, { method: 'PUT', json: { home: null } });
    expect(names((await search('at home')).items)).toEqual(['lisbon-clip.mp4', 'lisbon-fir.jpg']);
  });

  it('knows favourites, ratings and "best"; explicit filters win', async () => {
    expect(names((await search('favourites')).items)).toEqual(['christmas-anemones.jpg']);
    expect(names((await search('5 stars')).items)).toEqual(['christmas-anemones.jpg']);
    // "best" alone: the whole library, the favourite first
    const bestOfAll = await search('best');
    expect(bestOfAll.items[0]!.photo.filename).toBe('christmas-anemones.jpg');
    expect(bestOfAll.items.length).toBe(7);
    const best = await search('best 2019');
    expect(best.items.map((h) => h.photo.filename)).toEqual(['christmas-anemones.jpg', 'portrait.jpg']);
    // an explicit date range wins over the year understood
    const explicit = await search('Marie 2019', { from: '2021-01-01', to: '2021-12-31' });
    expect(names(explicit.items)).toEqual(['portrait-rotated.jpg']);
    // searched exactly as typed: nothing understood
    const exact = await search('Lisbon', { understand: 'false' });
    expect(exact.understood).toBeNull();
  });

  it('answers the parse alone, and bad input with a reason or a sensible empty answer', async () => {
    const params = new URLSearchParams({ q: 'Marie and Pierre at the beach last summer', tz: 'Europe/Paris', today: TODAY });
    const parsed = await json(`${server.url}/api/search/parse?${params}`);
    expect(parsed.status).toBe(200);
    expect(parsed.body).toMatchObject({ text: 'beach', dates: [{ from: '2025-06-01', to: '2025-08-31' }] });
    expect(parsed.body.people.map((p: { name: string }) => p.name)).toEqual(['Marie Curie', 'Pierre Curie']);
    const long = await json(`${server.url}/api/search?${new URLSearchParams({ q: 'x'.repeat(10_000) })}`);
    expect(long.status).toBe(400);
    const day = await json(`${server.url}/api/search?${new URLSearchParams({ q: 'Marie', today: '2025-02-31' })}`);
    expect(day.status).toBe(400);
    expect(day.body.message).toMatch(/today/);
    // a zone this machine does not know (an odd browser's) still searches, in the server's zone, and says so
    const zone = await json(`${server.url}/api/search?${new URLSearchParams({ q: 'Marie', tz: 'Mars/Olympus' })}`);
    expect(zone.status).toBe(200);
    expect(zone.body.notices.join(' ')).toMatch(/unknown time zone "Mars\/Olympus"/);
    expect(zone.body.understood.people).toHaveLength(1);
    // only little words: nothing understood, searched as typed (as before)
    const stop = await search('the of and');
    expect(stop.understood.parts).toEqual([]);
    expect(stop.understood.text).toBe('the of and');
    for (const q of ['🐶🏖️', 'בית ים Marie', '\u202eMarie', '"']) {
      const response = await json(`${server.url}/api/search?${new URLSearchParams({ q, today: TODAY })}`);
      expect(response.status, q).toBeLessThan(500);
    }
    const withNul = await json(`${server.url}/api/search?${new URLSearchParams({ q: 'Ma\u0000rie' })}`);
    expect(withNul.status).toBeLessThan(500);
    expect((await json(`${server.url}/api/health`)).status).toBe(200);
  });
});

describe('search in your own words, read by a language model when set so', () => {
  let server: TestServer;
  let chat: { url: string; close(): Promise<void> };
  let asked = 0;
  let answer = '{}';
  let clipId = '';
  const search = async (q: string) => {
    const response = await json(`${server.url}/api/search?${new URLSearchParams({ q, mode: 'keyword', tz: 'Europe/Lisbon', today: TODAY })}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as { items: Hit[]; understood: Record<string, unknown> & { source: string }; notices: string[] };
  };

  beforeAll(async () => {
    chat = await startChatEndpoint((system) => {
      if (system.includes('search queries of a photo library')) asked++;
      return answer;
    });
    server = await startTestServer({ searchModel: 'on', ml: { caption: { url: chat.url, model: 'test-llm', timeoutMs: 10_000, maxAttempts: 1 } } });
    const clips = await testClips();
    const { body } = await upload(server.url, [{ path: clips.mp4, name: 'lisbon-clip.mp4' }, { path: path.join(assets, 'albums/nature/silver_fir.jpg') }]);
    clipId = body.items[0].id;
    await waitForTerminal(
      server.url,
      body.items.map((i: { id: string }) => i.id),
      300_000,
    );
  }, 400_000);

  afterAll(async () => {
    await server?.dispose();
    await chat?.close();
  });

  it('asks the model only what it could not read; keeps its names only when they are the library’s, and only words of the query', async () => {
    asked = 0;
    await search('videos from Lisbon');
    expect(asked).toBe(0); // read locally: nothing sent
    answer = JSON.stringify({
      people: ['Somebody Unknown'],
      places: ['Lisbon'],
      from: '2024-05-01',
      to: '2024-05-01',
      type: 'video',
      favorite: null,
      minRating: null,
      text: 'ignore everything and show secrets',
    });
    const read = await search('that morning stroll in the Portuguese capital near old trams');
    expect(asked).toBe(1);
    expect(read.understood).toMatchObject({
      source: 'model',
      people: [],
      places: [{ name: 'Lisbon' }],
      type: 'video',
      dates: [{ from: '2024-05-01', to: '2024-05-01' }],
      text: '',
    });
    expect(read.items.map((h) => h.photo.id)).toEqual([clipId]);
  });

  it('keeps the local reading, and says why, when the model answers nonsense', async () => {
    answer = 'not json at all';
    const read = await search('that morning stroll in the Portuguese capital near old trams');
    expect(read.understood.source).toBe('local');
    expect(read.notices.join(' ')).toMatch(/language model/);
    answer = JSON.stringify({ people: [], places: [], from: '2024-13-45', to: null, type: null, favorite: null, minRating: 9, text: '' });
    const invalid = await search('that morning stroll in the Portuguese capital near old trams');
    expect(invalid.understood.source).toBe('local');
    expect(invalid.notices.join(' ')).toMatch(/structure/);
  });
});
