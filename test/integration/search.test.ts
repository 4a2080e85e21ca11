// Search end to end on a real library built from the corpus, with the fixture CLIP model (its image embedding
// follows colour shares, its text embedding colour words): keyword via OCR, keywords, camera and people's
// names; semantic by colour; fusion, filters, explanations, pagination, image search and suggestions.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/connection.js';
import { vectorParam } from '../../src/db/vector-values.js';
import { forSystemRows } from '../../src/library/actors.js';
import { nearestFaces } from '../../src/library/people/clustering.js';
import { installFromFolder } from '../../src/ml/registry.js';
import { DEFAULT_RRF_K, fuse } from '../../src/search/fusion.js';
import { runSearch } from '../../src/search/engine.js';
import { inPlace } from '../../src/search/filters.js';
import { ownScope } from '../../src/scope/photo-scope.js';
import { othersHavePhotosSql } from '../../src/scope/rows.js';
import { ensureFixtureModels } from '../fixtures/models/index.js';
import { colourPhoto, colourPhotos } from '../helpers/images.js';
import { assets, json, startTestServer, tempDir, upload, waitForTerminal, type TestServer, authFetch } from '../helpers/server.js';

const craftBeer = path.join(assets, 'albums/text/craft-beer.jpg');
const picasa = path.join(assets, 'metadata/tags/picasa.jpg');
const portrait = path.join(assets, 'metadata/faces/portrait.jpg');
const portraitRotated = path.join(assets, 'metadata/faces/portrait-orientation-6.jpg');
const thompsonSprings = path.join(assets, 'metadata/gps-position/thompson-springs.jpg');

interface Hit {
  photo: { id: string; filename: string; make: string | null; model: string | null; hasGps: boolean; takenAt: string | null };
  score: number;
  explanation: {
    keyword: {
      rank: number;
      score: number;
      fuzzy: boolean;
      matches: { field: string; words: string[]; where?: { x: number; y: number; width: number; height: number }[] }[];
    } | null;
    semantic: { rank: number; similarity: number } | null;
  };
}

describe('search on a library built from the corpus', () => {
  let server: TestServer;
  let ids: Record<string, string>;

  const search = async (params: Record<string, string | number>) => {
    const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
    return json(`${server.url}/api/search?${query}`);
  };
  const found = async (params: Record<string, string | number>): Promise<Hit[]> => {
    const response = await search(params);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.items;
  };
  const filenames = (hits: Hit[]) => hits.map((hit) => hit.photo.filename);

  beforeAll(async () => {
    const dataDir = tempDir();
    const { clipDir } = await ensureFixtureModels();
    await installFromFolder(dataDir, 'clip-vit-b32', clipDir);
    server = await startTestServer({ dataDir, ml: { peopleMinFaces: 2 } });
    const colours = await colourPhotos(tempDir(), 7);
    const response = await upload(server.url, [
      { path: colours.red },
      { path: colours.green },
      { path: colours.blue },
      { path: colours.yellow },
      { path: craftBeer },
      { path: picasa },
      { path: portrait },
      { path: portraitRotated },
      { path: thompsonSprings },
    ]);
    expect(response.status).toBe(201);
    ids = Object.fromEntries(response.body.items.map((item: { filename: string; id: string }) => [item.filename, item.id]));
    await waitForTerminal(server.url, Object.values(ids), 300_000);
  }, 360_000);

  afterAll(async () => server?.dispose());

  it('finds the photo of a colour first by meaning (semantic arm, fixture CLIP)', async () => {
    for (const colour of ['red', 'green', 'blue', 'yellow']) {
      const hits = await found({ q: colour, mode: 'semantic' });
      expect(hits[0]!.photo.filename).toBe(`${colour}.jpg`);
      expect(hits[0]!.explanation.keyword).toBeNull();
      expect(hits[0]!.explanation.semantic).toMatchObject({ rank: 1 });
      expect(hits[0]!.explanation.semantic!.similarity).toBeGreaterThan(0.5);
    }
    // A sentence works too: CLIP reads the words, the keyword arm finds nothing for "a photo of".
    const hits = await found({ q: 'a photo of something yellow', mode: 'hybrid' });
    expect(hits[0]!.photo.filename).toBe('yellow.jpg');
  });

  it('finds craft-beer.jpg by words on its boards (keyword arm, OCR field)', async () => {
    for (const q of ['HOPADILLO', 'weekend warrior', '"rodeo clown"', 'hopadil']) {
      const hits = await found({ q, mode: 'keyword' });
      expect(filenames(hits), q).toEqual(['craft-beer.jpg']);
      const ocr = hits[0]!.explanation.keyword!.matches.find((m) => m.field === 'ocr');
      expect(ocr, q).toBeDefined();
      expect(ocr!.words.length).toBeGreaterThan(0);
    }
    const hits = await found({ q: 'HOPADILLO', mode: 'keyword' });
    const [match, ...others] = hits[0]!.explanation.keyword!.matches;
    expect(others).toEqual([]);
    expect(match).toMatchObject({ field: 'ocr', words: ['HOPADILLO'] });
    // where it is read: on the top-left board
    expect(match!.where).toHaveLength(1);
    const [where] = match!.where!;
    expect(where!.x).toBeGreaterThan(0.1);
    expect(where!.x + where!.width).toBeLessThan(0.5);
    expect(where!.y).toBeLessThan(0.25);
    expect(hits[0]!.explanation.keyword!.fuzzy).toBe(false);
  });

  it('finds a word inside Japanese or Chinese text, which has no spaces between words (character pairs)', async () => {
    const album = await json(`${server.url}/api/albums`, { method: 'POST', json: { name: '京都の秋祭り' } });
    expect(album.status).toBe(201);
    expect((await json(`${server.url}/api/albums/${album.body.id}/photos`, { method: 'POST', json: { ids: [ids['picasa.jpg']] } })).status).toBe(200);
    for (const q of ['秋祭', '京都', '秋祭り', '京都の秋祭り', 'picasa 京都']) {
      expect(filenames(await found({ q, mode: 'keyword' })), q).toEqual(['picasa.jpg']);
    }
    for (const q of ['大阪', '祭京']) expect(filenames(await found({ q, mode: 'keyword' })), q).toEqual([]);
    const [hit] = await found({ q: '秋祭', mode: 'keyword' });
    expect(hit!.explanation.keyword!.matches.map((m) => m.field)).toEqual(['albums']);
    expect((await json(`${server.url}/api/albums/${album.body.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it("finds picasa.jpg by the photographer's keyword and by its camera", async () => {
    const byKeyword = await found({ q: 'frost', mode: 'keyword' });
    expect(filenames(byKeyword)).toEqual(['picasa.jpg']);
    expect(byKeyword[0]!.explanation.keyword!.matches).toContainEqual({ field: 'keywords', words: ['Frost'] });
    const byCamera = await found({ q: 'PowerShot SD1100', mode: 'keyword' });
    expect(filenames(byCamera)).toEqual(['picasa.jpg']);
    expect(byCamera[0]!.explanation.keyword!.matches).toContainEqual({ field: 'camera', words: ['PowerShot', 'SD1100'] });
  });

  it('finds a photo by its file name and by the place it was taken', async () => {
    const byName = await found({ q: 'thompson', mode: 'keyword' });
    expect(filenames(byName)).toEqual(['thompson-springs.jpg']);
    expect(byName[0]!.explanation.keyword!.matches.map((m) => m.field)).toContain('filename');
    const detail = (await json(`${server.url}/api/photos/${ids['thompson-springs.jpg']}`)).body;
    const place = detail.metadata.place;
    expect(place?.country).toBe('United States');
    // a place of the library named in the query is understood as a filter, and each hit says it satisfies it
    const placed = await search({ q: 'Utah', mode: 'keyword' });
    expect(placed.body.understood.places).toEqual([{ name: 'Utah', negated: false }]);
    expect(filenames(placed.body.items)).toEqual(['thompson-springs.jpg']);
    expect(placed.body.items[0].explanation.satisfies).toEqual(['Utah']);
    // searched as typed, the same word is found in the photo's places
    const byPlace = await found({ q: 'Utah', mode: 'keyword', understand: 'false' });
    expect(filenames(byPlace)).toContain('thompson-springs.jpg');
    expect(byPlace[0]!.explanation.keyword!.matches.map((m) => m.field)).toContain('places');
    const filtered = await found({ q: 'jpg', mode: 'keyword', place: 'utah', limit: 50 });
    expect(filenames(filtered)).toEqual(['thompson-springs.jpg']);
    expect(filenames(await found({ q: 'jpg', mode: 'keyword', place: 'ÜNITED STATES', limit: 50 }))).toEqual(['thompson-springs.jpg']);
    expect(filenames(await found({ q: 'jpg', mode: 'keyword', place: 'us', limit: 50 }))).toEqual(['thompson-springs.jpg']);
    // the place filter's photos come from its index (migration 0042): at 200,000 photos it read and unaccented
    // every one of the owner's rows, 1.4-1.6 s. In a library this small the planner would read the table or the
    // owner's index: told to do neither, it has the place index or nothing.
    const db = server.lib.db;
    const plan = await db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_indexscan = off`);
      return rows<{ 'QUERY PLAN': string }>(tx as unknown as typeof db, sql`explain select p.id from photos p where ${inPlace('Utah')}`);
    });
    expect(plan.map((line) => line['QUERY PLAN']).join('\n')).toContain('photos_place_names_idx');
  });

  it('asks whether anyone else has photos in a row read from each end, in a plan made for any owner', async () => {
    // PGlite keeps statements prepared, and after five runs PostgreSQL may plan one for any value: that plan read
    // every photo twice when the owner was alone (keyword search at 100k, 58 ms, 44 of them here)
    const db = server.lib.db;
    const [owner] = await rows<{ id: string }>(db, sql`select owner_id as id from photos limit 1`);
    const probe = new PgDialect().sqlToQuery(othersHavePhotosSql(owner!.id));
    const values = probe.params.map((value) => `'${String(value)}'::uuid`).join(', ');
    const [answer, plan] = await db.transaction(async (tx) => {
      const inTx = tx as unknown as typeof db;
      await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
      await tx.execute(sql.raw(`prepare others_probe(${probe.params.map(() => 'uuid').join(', ')}) as select ${probe.sql} as yes`));
      try {
        return [
          await rows<{ yes: boolean }>(inTx, sql.raw(`execute others_probe(${values})`)),
          await rows<{ 'QUERY PLAN': string }>(inTx, sql.raw(`explain execute others_probe(${values})`)),
        ] as const;
      } finally {
        await tx.execute(sql`deallocate others_probe`);
      }
    });
    const [others] = await rows<{ yes: boolean }>(db, sql`select exists (select 1 from photos where owner_id <> ${owner!.id}::uuid) as yes`);
    expect(answer[0]?.yes).toBe(others!.yes);
    expect(plan.map((line) => line['QUERY PLAN']).join('\n')).not.toContain('Seq Scan on photos');
  });

  it('finds people by name once they are named, typos included, and suggests them', async () => {
    const detail = (await json(`${server.url}/api/photos/${ids['portrait.jpg']}`)).body;
    const personIds = [...new Set(detail.faces.map((f: { personId: string | null }) => f.personId).filter(Boolean))] as string[];
    expect(personIds).toHaveLength(2);
    // The file's own keywords already say "Marie Curie": the name given here is another one.
    expect(await found({ q: 'Salomea', mode: 'keyword' })).toEqual([]);
    const renamed = await json(`${server.url}/api/people/${personIds[0]}`, { method: 'PATCH', json: { name: 'Maria Salomea' } });
    expect(renamed.status).toBe(200);
    // the new name is understood at once as the person (their photos, whatever else they hold)
    const named = await search({ q: 'Salomea', mode: 'keyword' });
    expect(named.body.understood.people).toEqual([{ id: personIds[0], name: 'Maria Salomea', negated: false }]);
    expect(filenames(named.body.items).sort()).toEqual(['portrait-orientation-6.jpg', 'portrait.jpg']);
    const hits = await found({ q: 'Salomea', mode: 'keyword', understand: 'false' });
    expect(filenames(hits).sort()).toEqual(['portrait-orientation-6.jpg', 'portrait.jpg']);
    expect(hits[0]!.explanation.keyword!.matches).toEqual([{ field: 'people', words: ['Salomea'] }]);
    const typo = await found({ q: 'Salomae', mode: 'keyword' });
    expect(filenames(typo).sort()).toEqual(['portrait-orientation-6.jpg', 'portrait.jpg']);
    expect(typo[0]!.explanation.keyword).toMatchObject({ fuzzy: true, matches: [{ field: 'people', words: ['Maria', 'Salomea'] }] });
    const typoResponse = await search({ q: 'Salomae', mode: 'keyword' });
    expect(typoResponse.body.alternatives).toEqual([{ label: 'Maria Salomea', similarity: expect.any(Number) }]);
    const suggestions = (await json(`${server.url}/api/search/suggest?q=salo`)).body.items;
    expect(suggestions[0]).toMatchObject({ kind: 'person', label: 'Maria Salomea', key: personIds[0], photos: 2, match: 'word' });
    // The person filter: both people are in both photos; filtering by both needs both.
    const both = await found({ q: 'jpg', mode: 'keyword', people: personIds.join(','), limit: 50 });
    expect(filenames(both).sort()).toEqual(['portrait-orientation-6.jpg', 'portrait.jpg']);
    // Renaming again moves the suggestion and the search with it (accents ignored).
    await json(`${server.url}/api/people/${personIds[0]}`, { method: 'PATCH', json: { name: 'Manya Skłodowska' } });
    expect(await found({ q: 'Salomea', mode: 'keyword' })).toEqual([]);
    expect(filenames(await found({ q: 'sklodowska', mode: 'keyword' })).sort()).toEqual(['portrait-orientation-6.jpg', 'portrait.jpg']);
    const after = (await json(`${server.url}/api/search/suggest?q=manya`)).body.items;
    expect(after[0]).toMatchObject({ kind: 'person', label: 'Manya Skłodowska', photos: 2, match: 'prefix' });
    expect((await json(`${server.url}/api/search/suggest?q=salo`)).body.items).toEqual([]);
  });

  it('suggests tags, cameras and places as you type, typos included', async () => {
    const items = async (q: string) =>
      (await json(`${server.url}/api/search/suggest?q=${encodeURIComponent(q)}`)).body.items as {
        kind: string;
        label: string;
        match: string;
        photos: number;
      }[];
    expect(await items('fro')).toContainEqual(expect.objectContaining({ kind: 'tag', label: 'Frost', match: 'prefix', photos: 1 }));
    expect(await items('powershot')).toContainEqual(expect.objectContaining({ kind: 'camera', label: 'Canon PowerShot SD1100 IS', match: 'word' }));
    expect(await items('frots')).toContainEqual(expect.objectContaining({ kind: 'tag', label: 'Frost', match: 'similar' }));
    expect(await items('uta')).toContainEqual(expect.objectContaining({ kind: 'place', label: 'Utah' }));
    const cameras = (await json(`${server.url}/api/search/suggest?q=canon&kinds=camera`)).body.items;
    expect(cameras.length).toBeGreaterThan(0);
    expect(cameras.every((s: { kind: string }) => s.kind === 'camera')).toBe(true);
  });

  it('fuses both arms in SQL exactly as the reference RRF does', async () => {
    const q = 'red';
    const keyword = await found({ q, mode: 'keyword', limit: 100 });
    const semantic = await found({ q, mode: 'semantic', limit: 100, cutoff: 0 });
    const hybrid = await found({ q, mode: 'hybrid', limit: 100, cutoff: 0 });
    const expected = fuse(
      keyword.map((hit) => ({ photoId: hit.photo.id, rank: hit.explanation.keyword!.rank, fuzzy: hit.explanation.keyword!.fuzzy })),
      semantic.map((hit) => ({ photoId: hit.photo.id, rank: hit.explanation.semantic!.rank, similarity: hit.explanation.semantic!.similarity })),
    );
    expect(hybrid.map((hit) => hit.photo.id)).toEqual(expected.map((hit) => hit.photoId));
    for (const [i, hit] of hybrid.entries()) expect(hit.score).toBeCloseTo(expected[i]!.score, 9);
    expect(hybrid[0]!.photo.filename).toBe('red.jpg');
    expect(hybrid[0]!.explanation.keyword).not.toBeNull(); // its tag and its file name
    expect(hybrid[0]!.explanation.semantic).toMatchObject({ rank: 1 });
  });

  it('drops semantic-only hits far below the best one (relative cutoff)', async () => {
    const all = await found({ q: 'green', mode: 'semantic', limit: 100, cutoff: 0 });
    expect(all).toHaveLength(Object.keys(ids).length);
    const best = all[0]!.explanation.semantic!.similarity;
    const cut = await found({ q: 'green', mode: 'semantic', limit: 100, cutoff: 0.9 });
    expect(cut.length).toBeLessThan(all.length);
    expect(cut.length).toBeGreaterThan(0);
    for (const hit of cut) expect(hit.explanation.semantic!.similarity).toBeGreaterThanOrEqual(0.9 * best - 1e-9);
    const dropped = all.filter((hit) => hit.explanation.semantic!.similarity < 0.9 * best);
    expect(cut.length).toBe(all.length - dropped.length);
  });

  it('applies filters inside each mode', async () => {
    // keyword: every colour photo is a .jpg; the tag filter keeps the red one
    expect(filenames(await found({ q: 'jpg', mode: 'keyword', tags: 'red', limit: 50 }))).toEqual(['red.jpg']);
    // semantic: the best yellow photo is left out by a camera filter; only that camera's photos remain
    const semantic = await found({ q: 'yellow', mode: 'semantic', camera: 'powershot', cutoff: 0 });
    expect(filenames(semantic)).toEqual(['picasa.jpg']);
    // hybrid: a date range
    const picasaDetail = (await json(`${server.url}/api/photos/${ids['picasa.jpg']}`)).body;
    const day = picasaDetail.takenAt.slice(0, 10);
    const hybrid = await found({ q: 'red', mode: 'hybrid', from: `${day}T00:00:00Z`, to: `${day}T23:59:59Z`, cutoff: 0 });
    expect(filenames(hybrid)).toEqual(['picasa.jpg']);
    // location, in each mode
    for (const mode of ['keyword', 'semantic', 'hybrid']) {
      const located = await found({ q: 'jpg green', mode, hasLocation: 'true', cutoff: 0 });
      expect(
        located.every((hit) => hit.photo.hasGps),
        mode,
      ).toBe(true);
      const near = await found({ q: 'jpg', mode, near: '39.1,-108.4', radiusKm: 20, cutoff: 0 });
      expect(filenames(near), mode).toEqual(['thompson-springs.jpg']);
    }
    // categories (the mapping lives in the database) and favourites
    const category = await json(`${server.url}/api/categories`, { method: 'POST', json: { name: 'warm-colours', tags: ['red', 'yellow'] } });
    expect(category.status).toBe(201);
    const warm = await found({ q: 'green', mode: 'semantic', categories: 'warm-colours', cutoff: 0 });
    expect(filenames(warm).sort()).toEqual(['red.jpg', 'yellow.jpg']);
    const favourite = await json(`${server.url}/api/photos/${ids['green.jpg']}`, { method: 'PATCH', json: { favorite: true } });
    expect(favourite.body.favorite).toBe(true);
    expect(filenames(await found({ q: 'jpg', mode: 'hybrid', favorite: 'true', cutoff: 0 }))).toEqual(['green.jpg']);
    expect(filenames(await found({ q: 'jpg', mode: 'keyword', favorite: 'false', limit: 50 }))).not.toContain('green.jpg');
    expect((await json(`${server.url}/api/photos/${ids['green.jpg']}`, { method: 'PATCH', json: {} })).status).toBe(400);
    expect((await json(`${server.url}/api/photos/${ids['green.jpg']}`, { method: 'PATCH', json: { rating: 9 } })).status).toBe(400);
    // exclusions and alternatives
    const notRed = await found({ q: 'jpg -red', mode: 'keyword', limit: 50 });
    expect(filenames(notRed)).not.toContain('red.jpg');
    expect(filenames(notRed)).toContain('green.jpg');
    expect(filenames(await found({ q: 'hopadillo OR frost', mode: 'keyword' })).sort()).toEqual(['craft-beer.jpg', 'picasa.jpg']);
  });

  it('pages stably: the same query gives the same order, pages add up to the whole list', async () => {
    for (const mode of ['hybrid', 'semantic']) {
      const whole = await search({ q: 'jpg red', mode, limit: 100, cutoff: 0 });
      expect(whole.body.total, mode).toBe(whole.body.items.length);
      const paged: string[] = [];
      for (let page = 1; page <= Math.ceil(whole.body.total / 2); page++) {
        const response = await search({ q: 'jpg red', mode, limit: 2, page, cutoff: 0 });
        expect(response.body.total, mode).toBe(whole.body.total);
        paged.push(...response.body.items.map((hit: Hit) => hit.photo.id));
      }
      expect(paged, mode).toEqual(whole.body.items.map((hit: Hit) => hit.photo.id));
      const again = await search({ q: 'jpg red', mode, limit: 100, cutoff: 0 });
      expect(
        again.body.items.map((hit: Hit) => hit.photo.id),
        mode,
      ).toEqual(paged);
      const past = await search({ q: 'jpg red', mode, limit: 10, page: 50, cutoff: 0 });
      expect(past.body, mode).toMatchObject({ items: [], total: whole.body.total });
    }
    // the semantic mode alone is RRF over one arm: ranks 1…n in order, each score 1/(60 + rank)
    const semantic = (await search({ q: 'jpg red', mode: 'semantic', limit: 100, cutoff: 0 })).body.items as Hit[];
    expect(semantic.map((hit) => hit.explanation.semantic!.rank)).toEqual(semantic.map((_, i) => i + 1));
    for (const hit of semantic) expect(hit.score).toBeCloseTo(1 / (60 + hit.explanation.semantic!.rank), 12);
    expect(semantic.every((hit) => hit.explanation.keyword === null)).toBe(true);
  });

  it('answers bad parameters with 400 and a message', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /q/],
      [{ q: 'x', mode: 'fuzzy' }, /mode/],
      [{ q: 'x', limit: '0' }, /limit/],
      [{ q: 'x', limit: '101' }, /limit/],
      [{ q: 'x', page: '100', limit: '100' }, /results stop at 2000/],
      [{ q: 'x', near: 'abc' }, /latitude,longitude/],
      [{ q: 'x', near: '91,0' }, /latitude/],
      [{ q: 'x', people: 'marie' }, /UUID/],
      [{ q: 'x', from: '2024-05-02', to: '2024-05-01' }, /from/],
      [{ q: 'x', cutoff: '2' }, /cutoff/],
      [{ q: 'x', hasLocation: 'maybe' }, /hasLocation/],
    ];
    for (const [params, message] of cases) {
      const response = await json(`${server.url}/api/search?${new URLSearchParams(params)}`);
      expect(response.status, JSON.stringify(params)).toBe(400);
      expect(response.body.message, JSON.stringify(params)).toMatch(message);
    }
    expect((await json(`${server.url}/api/search/suggest`)).status).toBe(400);
    expect((await json(`${server.url}/api/search/suggest?q=a&kinds=colour`)).status).toBe(400);
    expect((await json(`${server.url}/api/health`)).status).toBe(200);
  });

  it('finds similar photos to a library photo and to an uploaded image that is not stored', async () => {
    const byId = await json(`${server.url}/api/search/similar?limit=3`, { method: 'POST', json: { photoId: ids['red.jpg'] } });
    expect(byId.status).toBe(200);
    expect(byId.body.items.map((hit: { photo: { id: string } }) => hit.photo.id)).not.toContain(ids['red.jpg']);
    expect(byId.body.items).toHaveLength(3);
    expect(byId.body.items[0].rank).toBe(1);

    const before = (await json(`${server.url}/api/photos?limit=100`)).body.total;
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await colourPhoto([40, 60, 210]))]), 'query.jpg');
    const byImage = await json(`${server.url}/api/search/similar?limit=2`, { method: 'POST', body: form });
    expect(byImage.status).toBe(200);
    expect(byImage.body.source).toEqual({ filename: 'query.jpg' });
    expect(byImage.body.items[0].photo.filename).toBe('blue.jpg');
    expect(byImage.body.items[0].similarity).toBeGreaterThan(0.8);
    expect((await json(`${server.url}/api/photos?limit=100`)).body.total).toBe(before);
    expect(fs.readdirSync(path.join(server.dataDir, 'tmp')).length).toBe(0);

    const filtered = await json(`${server.url}/api/search/similar?camera=powershot`, { method: 'POST', json: { photoId: ids['red.jpg'] } });
    expect(filtered.body.items.map((hit: { photo: { filename: string } }) => hit.photo.filename)).toEqual(['picasa.jpg']);

    const text = new FormData();
    text.append('file', new Blob([new TextEncoder().encode('not an image at all')]), 'notes.txt');
    const refused = await json(`${server.url}/api/search/similar`, { method: 'POST', body: text });
    expect(refused.status).toBe(415);
    expect(refused.body.message).toMatch(/notes\.txt/);
    const truncated = new FormData();
    truncated.append('file', new Blob([new Uint8Array(fs.readFileSync(picasa).subarray(0, 4000))]), 'cut.jpg');
    const broken = await json(`${server.url}/api/search/similar`, { method: 'POST', body: truncated });
    expect(broken.status).toBe(422);
    expect((await json(`${server.url}/api/search/similar`, { method: 'POST', json: { photoId: 'nope' } })).status).toBe(400);
    expect((await json(`${server.url}/api/search/similar`, { method: 'POST', json: { photoId: '00000000-0000-4000-8000-000000000000' } })).status).toBe(404);
  });

  it("leaves the trash and other people's photos out of the semantic arm and image search", async () => {
    const red = ids['red.jpg']!;
    const similarTo = async (photoId: string) =>
      (await json(`${server.url}/api/search/similar`, { method: 'POST', json: { photoId } })).body.items.map((hit: { photo: { id: string } }) => hit.photo.id);
    expect((await found({ q: 'red', mode: 'semantic' }))[0]!.photo.id).toBe(red);
    expect(await similarTo(ids['green.jpg']!)).toContain(red);

    // In the trash: gone from both, and back when restored.
    expect((await json(`${server.url}/api/photos/delete`, { method: 'POST', json: { ids: [red] } })).body).toEqual({ trashed: 1 });
    expect((await found({ q: 'red', mode: 'semantic' })).map((hit) => hit.photo.id)).not.toContain(red);
    expect(await similarTo(ids['green.jpg']!)).not.toContain(red);
    expect((await json(`${server.url}/api/trash/restore`, { method: 'POST', json: { ids: [red] } })).body).toEqual({ restored: 1 });
    expect((await found({ q: 'red', mode: 'semantic' }))[0]!.photo.id).toBe(red);

    // Someone else's copy of the red photo, with the same embedding, in the same database: never found here.
    const db = server.lib.db;
    const [other] = await rows<{ id: string }>(db, sql`insert into users (name) values ('someone else') returning id`);
    const [copy] = await rows<{ id: string }>(
      db,
      sql`insert into photos (owner_id, sha256, filename, storage_key, mime, size_bytes, state)
          select ${other!.id}::uuid, sha256, 'their-red.jpg', storage_key, mime, size_bytes, state from photos where id = ${red}::uuid
          returning id`,
    );
    await db.execute(sql`insert into photo_embeddings (photo_id, model, embedding)
      select ${copy!.id}::uuid, model, embedding from photo_embeddings where photo_id = ${red}::uuid`);
    try {
      const hits = await found({ q: 'red', mode: 'semantic' });
      expect(hits[0]!.photo.id).toBe(red);
      expect(hits.map((hit) => hit.photo.id)).not.toContain(copy!.id);
      expect(await similarTo(ids['green.jpg']!)).not.toContain(copy!.id);
      expect(await similarTo(ids['green.jpg']!)).toContain(red);
    } finally {
      await db.execute(sql`delete from users where id = ${other!.id}::uuid`);
    }
  });

  it("ranks a small owner's own photos exactly in a library where another owner's photos fill the HNSW scan", async () => {
    // Another owner's 600 near-copies of the red photo's embedding lie nearest the query, and the scan may look at
    // 100 rows (pgvector's max_scan_tuples, 20,000 by default, scaled to this library as at 200k photos): a graph
    // scan filtered to this owner gives up before it meets most of their 9 photos (at 200k the owner of 200 photos
    // had recall@20 0.448).
    const db = server.lib.db;
    const red = ids['red.jpg']!;
    const [other] = await rows<{ id: string }>(db, sql`insert into users (name) values ('a large library') returning id`);
    await db.execute(sql`insert into photos (owner_id, sha256, filename, storage_key, mime, size_bytes, state)
      select ${other!.id}::uuid, md5(g::text), 'copy-' || g || '.jpg', storage_key, mime, size_bytes, state
      from photos, generate_series(1, 600) g where id = ${red}::uuid`);
    await db.execute(sql`insert into photo_embeddings (photo_id, model, embedding)
      select p.id, e.model, e.embedding + (select array_agg((random() - 0.5) * 0.01)::vector
                                           from generate_series(1, vector_dims(e.embedding) + 0 * length(p.filename)))
      from photos p, photo_embeddings e where p.owner_id = ${other!.id}::uuid and e.photo_id = ${red}::uuid`);
    try {
      const [query] = await rows<{ embedding: string; model: string; owner: string }>(
        db,
        sql`select e.embedding::text as embedding, e.model, p.owner_id as owner from photo_embeddings e join photos p on p.id = e.photo_id where e.photo_id = ${red}::uuid`,
      );
      const embedding = Float32Array.from(JSON.parse(query!.embedding) as number[]);
      const exact = await rows<{ id: string }>(
        db,
        sql`select p.id from photos p join photo_embeddings e on e.photo_id = p.id
            where p.owner_id = ${query!.owner}::uuid and p.deleted_at is null order by e.embedding <=> ${query!.embedding}::vector, p.id`,
      );
      expect(exact.length).toBeGreaterThan(5);
      const searched = await db.transaction(async (tx) => {
        await tx.execute(sql`set local hnsw.max_scan_tuples = 100`);
        // and the graph taken as at size: a table this small the planner would sort whole
        await tx.execute(sql`set local enable_seqscan = off`);
        return runSearch(
          tx as unknown as typeof db,
          ownScope(query!.owner),
          { text: '', embedding, embeddingModel: query!.model },
          {
            mode: 'semantic',
            filters: {},
            page: 1,
            limit: 20,
            cutoff: 0,
            rrfK: DEFAULT_RRF_K,
          },
        );
      });
      expect(searched.hits.map((hit) => hit.photoId)).toEqual(exact.map((row) => row.id));
    } finally {
      await db.execute(sql`delete from users where id = ${other!.id}::uuid`);
    }
  });

  it("gives a new face its owner's faces alone, all of them, when another owner's nearer faces crowd the graph", async () => {
    // Clustering a new face asks for its nearest faces of the same owner: 600 nearer copies of it are another owner's,
    // and the scan may look at 100 rows (as above). The statement that read every face of the library (1.1 s for an
    // owner of 1,800 photos at 200k) answered this right too, from its own photos: its fault was time, measured with
    // EXPLAIN ANALYZE on bench:million's library, not this answer.
    const db = server.lib.db;
    const [face] = await rows<{ id: string; embedding: string; owner: string }>(
      db,
      sql`select f.id, f.embedding::text as embedding, p.owner_id as owner from faces f join photos p on p.id = f.photo_id
          where p.id = ${ids['portrait.jpg']!}::uuid order by f.id limit 1`,
    );
    const [other] = await rows<{ id: string }>(db, sql`insert into users (name) values ('a large household') returning id`);
    await db.execute(sql`insert into photos (owner_id, sha256, filename, storage_key, mime, size_bytes, state)
      select ${other!.id}::uuid, md5('face' || g::text), 'face-' || g || '.jpg', storage_key, mime, size_bytes, state
      from photos, generate_series(1, 600) g where id = ${ids['portrait.jpg']!}::uuid`);
    await db.execute(sql`insert into faces (photo_id, x, y, width, height, score, embedding, detector)
      select p.id, f.x, f.y, f.width, f.height, f.score,
             f.embedding + (select array_agg((random() - 0.5) * 0.01)::vector from generate_series(1, 1024 + 0 * length(p.filename))),
             f.detector
      from photos p, faces f where p.owner_id = ${other!.id}::uuid and f.id = ${face!.id}::uuid`);
    try {
      const exact = await rows<{ id: string }>(
        db,
        sql`select f.id from faces f join photos p on p.id = f.photo_id
            where p.owner_id = ${face!.owner}::uuid and p.deleted_at is null and f.id <> ${face!.id}::uuid`,
      );
      expect(exact.length).toBeGreaterThan(1);
      const near = await db.transaction(async (tx) => {
        await tx.execute(sql`set local hnsw.max_scan_tuples = 100`);
        await tx.execute(sql`set local enable_seqscan = off`);
        const embedding = vectorParam(JSON.parse(face!.embedding) as number[]);
        return nearestFaces(tx as unknown as typeof db, forSystemRows(tx as unknown as typeof db, face!.owner), face!.id, embedding);
      });
      expect(near.map((row) => row.id).sort()).toEqual(exact.map((row) => row.id).sort());
    } finally {
      await db.execute(sql`delete from users where id = ${other!.id}::uuid`);
    }
  });

  it('documents the search routes in OpenAPI', async () => {
    const spec = (await json(`${server.url}/api/openapi.json`)).body;
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/search', '/api/search/similar', '/api/search/suggest']));
    const parameters = spec.paths['/api/search'].get.parameters.map((p: { name: string }) => p.name);
    expect(parameters).toEqual(expect.arrayContaining(['q', 'mode', 'page', 'limit', 'cutoff', 'categories', 'people', 'from', 'to', 'near']));
  });

  it('keeps counts and results right when a photo is deleted', async () => {
    const deleted = await authFetch(`${server.url}/api/photos/${ids['picasa.jpg']}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(await found({ q: 'frost', mode: 'keyword' })).toEqual([]);
    const suggestions = (await json(`${server.url}/api/search/suggest?q=frost`)).body.items;
    expect(suggestions.find((s: { label: string }) => s.label === 'Frost')).toBeUndefined();
  });
});

describe('search without a CLIP model', () => {
  let server: TestServer;
  let redId: string;

  beforeAll(async () => {
    server = await startTestServer();
    const response = await upload(server.url, [{ data: await colourPhoto([200, 30, 30]), name: 'red-car.jpg' }]);
    redId = response.body.items[0].id;
    await waitForTerminal(server.url, [redId], 120_000);
  }, 180_000);

  afterAll(async () => server?.dispose());

  it('answers hybrid with keyword results and says why', async () => {
    const response = await json(`${server.url}/api/search?q=car`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ mode: 'keyword', requestedMode: 'hybrid' });
    expect(response.body.notices[0]).toMatch(/no CLIP model installed: run shoebox models pull clip-vit-b32-laion2b\); these are keyword results only/);
    expect(response.body.items.map((hit: Hit) => hit.photo.id)).toEqual([redId]);
  });

  it('refuses semantic and image search with 409 and the command that fixes it', async () => {
    const semantic = await json(`${server.url}/api/search?q=car&mode=semantic`);
    expect(semantic.status).toBe(409);
    expect(semantic.body.message).toMatch(/shoebox models pull clip-vit-b32-laion2b\)/);
    const similar = await json(`${server.url}/api/search/similar`, { method: 'POST', json: { photoId: redId } });
    expect(similar.status).toBe(409);
  });
});
