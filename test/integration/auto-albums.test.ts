// Automatic albums on a real library: the fixture CLIP model's image embedding follows the colours of a photo, so
// six reddish and six bluish pictures (different shades, bands and dates) make two groups, and a few others stay
// out. A loopback OpenAI-compatible server captions each photo (by its dominant colour) and, once it is told to,
// names albums. Covers: fallback names when the endpoint cannot name, regenerating again changes nothing, the
// provider's name replaces a fallback one, album names are searchable, a new photo joins its album when its
// pipeline ends, time gaps split an album into events and back, dismissed and kept albums are not made again,
// one regeneration at a time, and 409 without a CLIP model.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runAlbumsRegenerate } from '../../src/cli/auto-albums.js';
import { loadSettings } from '../../src/config/settings.js';
import { rows } from '../../src/db/connection.js';
import { regenerateAutoAlbums } from '../../src/library/albums/auto.js';
import { clusterSignature, matchClusters } from '../../src/library/albums/auto-matching.js';
import { UserError } from '../../src/base/errors.js';
import { installFromFolder } from '../../src/ml/registry.js';
import { ensureFixtureModels } from '../fixtures/models/index.js';
import { rawPicture, seededNoise, type Rgb } from '../helpers/images.js';
import { json, startTestServer, tempDir, upload, waitForTerminal, type TestServer, withoutFacesOrText } from '../helpers/server.js';

/** A photo-like JPEG: `share` of it one colour, the rest a band of another, seeded noise, a date taken. */
async function picture(main: Rgb, band: Rgb, share: number, seed: number, taken: string | null): Promise<Buffer> {
  const width = 320;
  const height = 240;
  const noise = seededNoise(seed, 15);
  let image = rawPicture(width, height, (_x, y) => (y < height * share ? main : band), noise).jpeg({ quality: 85 });
  if (taken) image = image.withExif({ IFD0: { Make: 'Shoebox', Model: 'Test' }, IFD2: { DateTimeOriginal: taken } });
  return image.toBuffer();
}

const GREY: Rgb = [125, 125, 125];
const WHITE: Rgb = [240, 240, 240];
const BLACK: Rgb = [15, 15, 15];

const REDS: { name: string; data: () => Promise<Buffer> }[] = [
  { name: 'red-1.jpg', data: () => picture([200, 30, 35], GREY, 0.75, 1, '2024:05:03 10:00:00') },
  { name: 'red-2.jpg', data: () => picture([215, 25, 30], WHITE, 0.8, 2, '2024:05:10 11:00:00') },
  { name: 'red-3.jpg', data: () => picture([185, 35, 30], BLACK, 0.7, 3, '2024:05:24 12:00:00') },
  { name: 'red-4.jpg', data: () => picture([205, 20, 40], GREY, 0.85, 4, '2024:09:02 09:00:00') },
  { name: 'red-5.jpg', data: () => picture([190, 28, 28], WHITE, 0.72, 5, '2024:09:08 15:00:00') },
  { name: 'red-6.jpg', data: () => picture([220, 35, 45], BLACK, 0.78, 6, '2024:09:20 18:00:00') },
];
const BLUES: { name: string; data: () => Promise<Buffer> }[] = [
  { name: 'blue-1.jpg', data: () => picture([35, 80, 200], GREY, 0.75, 11, '2023:01:05 10:00:00') },
  { name: 'blue-2.jpg', data: () => picture([30, 70, 210], WHITE, 0.8, 12, '2023:01:07 10:00:00') },
  { name: 'blue-3.jpg', data: () => picture([40, 90, 190], BLACK, 0.7, 13, '2023:01:12 10:00:00') },
  { name: 'blue-4.jpg', data: () => picture([25, 75, 205], GREY, 0.85, 14, '2023:01:15 10:00:00') },
  { name: 'blue-5.jpg', data: () => picture([45, 85, 215], WHITE, 0.72, 15, '2023:01:20 10:00:00') },
  { name: 'blue-6.jpg', data: () => picture([30, 65, 185], BLACK, 0.78, 16, '2023:01:28 10:00:00') },
];
const OTHERS: { name: string; data: () => Promise<Buffer> }[] = [
  { name: 'green.jpg', data: () => picture([50, 140, 45], GREY, 0.75, 21, null) },
  { name: 'yellow.jpg', data: () => picture([235, 215, 40], GREY, 0.75, 22, null) },
  { name: 'purple.jpg', data: () => picture([128, 38, 153], WHITE, 0.75, 23, null) },
];

type Naming = 'broken' | 'good';

/** The loopback caption endpoint: captions by dominant colour; album names when `naming` is 'good'. */
function captionEndpoint() {
  const state = { naming: 'broken' as Naming, namingRequests: [] as string[] };
  const colourOf = async (dataUrl: string): Promise<string> => {
    const { dominant } = await sharp(Buffer.from(dataUrl.split(',')[1]!, 'base64')).stats();
    if (dominant.r > 140 && dominant.g < 100 && dominant.b < 100) return 'red';
    if (dominant.b > 140 && dominant.r < 100) return 'blue';
    return 'other';
  };
  const reply = (content: string) => JSON.stringify({ choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }] });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const last = body.messages.at(-1).content;
        const image = Array.isArray(last) ? last.find((part: { type: string }) => part.type === 'image_url') : undefined;
        res.writeHead(200, { 'content-type': 'application/json' });
        if (image) {
          const colour = await colourOf(image.image_url.url);
          const caption = colour === 'other' ? 'A plain coloured card' : `A ${colour === 'red' ? 'scarlet' : 'navy'} card with a stripe`;
          return res.end(
            reply(
              JSON.stringify({
                caption,
                description: `${caption}, photographed flat.`,
                primary_category: 'object',
                tags: colour === 'other' ? ['card'] : [colour, 'card'],
                detected_objects: [],
                scene_type: 'indoor',
                suggested_cluster_name: null,
                quality_grade: 'B',
                quality_reason: 'Flat and sharp.',
              }),
            ),
          );
        }
        // Album naming: captions in, a name out.
        const prompt = body.messages.map((m: { content: unknown }) => (typeof m.content === 'string' ? m.content : '')).join('\n');
        state.namingRequests.push(prompt);
        if (state.naming === 'broken') return res.end(reply('I would call it something nice.'));
        const red = /scarlet/.test(prompt);
        return res.end(
          reply(
            JSON.stringify({
              cluster_name: red ? 'Crimson Afternoons' : 'Cobalt Evenings',
              description: red ? 'Scarlet cards with stripes.' : 'Navy cards with stripes.',
              tags: red ? ['scarlet', 'card'] : ['navy', 'card'],
              primary_category: 'object',
            }),
          ),
        );
      })().catch((error: unknown) => res.writeHead(500).end(String(error)));
    });
  });
  return { server, state };
}

interface AlbumRow {
  id: string;
  name: string;
  kind: string;
  status: string;
  name_source: string | null;
  signature: string | null;
  description: string | null;
  tags: string[];
}

describe('automatic albums on a library of coloured photos', () => {
  let endpoint: Server;
  let endpointState: ReturnType<typeof captionEndpoint>['state'];
  let server: TestServer;
  let ids: Record<string, string>;
  let redIds: string[];
  let blueIds: string[];
  let redAlbum: string;
  let blueAlbum: string;

  const regenerate = (body?: unknown) => json(`${server.url}/api/albums/auto/regenerate`, { method: 'POST', ...(body === undefined ? {} : { json: body }) });
  const albums = () =>
    rows<AlbumRow>(server.lib.db, sql`select id, name, kind, status, name_source, signature, description, tags from albums order by created_at, id`);
  const membersOf = async (albumId: string) =>
    (await rows<{ photo_id: string }>(server.lib.db, sql`select photo_id from album_photos where album_id = ${albumId}::uuid`)).map((r) => r.photo_id).sort();
  const keywordHits = async (q: string) => {
    const response = await json(`${server.url}/api/search?${new URLSearchParams({ q, mode: 'keyword', limit: '100' })}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.items as { photo: { id: string }; explanation: { keyword: { matches: { field: string; words: string[] }[] } } }[];
  };

  beforeAll(async () => {
    const made = captionEndpoint();
    endpoint = made.server;
    endpointState = made.state;
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/v1`;
    const dataDir = tempDir();
    const { clipDir } = await ensureFixtureModels();
    await installFromFolder(dataDir, 'clip-vit-b32', clipDir);
    server = await startTestServer(withoutFacesOrText({ dataDir, ml: { caption: { url, model: 'test-vlm', timeoutMs: 10_000, maxAttempts: 2 } } }));
    const files = await Promise.all([...REDS, ...BLUES, ...OTHERS].map(async (f) => ({ name: f.name, data: await f.data() })));
    const response = await upload(server.url, files);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    ids = Object.fromEntries(response.body.items.map((item: { filename: string; id: string }) => [item.filename, item.id]));
    const states = await waitForTerminal(server.url, Object.values(ids), 300_000);
    expect(
      Object.values(states).every((s) => s === 'completed'),
      JSON.stringify(states),
    ).toBe(true);
    redIds = REDS.map((f) => ids[f.name]!).sort();
    blueIds = BLUES.map((f) => ids[f.name]!).sort();
  }, 360_000);

  afterAll(async () => {
    await server?.dispose();
    await new Promise((resolve) => endpoint?.close(resolve));
  });

  it('makes a red and a blue album, named from tags and dates when the endpoint cannot name them', async () => {
    const response = await regenerate();
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const summary = response.body;
    expect(summary).toMatchObject({ created: 2, updated: 0, unchanged: 0, removed: 0, skipped: 0, photos: 15, pending: 0 });
    expect(summary.params).toEqual({ minSize: 5, minSimilarity: 0.8, timeGapDays: null });
    // The endpoint was asked (and answered prose each time): the fallback names the albums.
    expect(endpointState.namingRequests.length).toBeGreaterThanOrEqual(2);
    const [first, second] = summary.albums;
    const red = [first, second].find((a: { representativeIds: string[] }) => redIds.includes(a.representativeIds[0]!));
    const blue = [first, second].find((a: { representativeIds: string[] }) => blueIds.includes(a.representativeIds[0]!));
    expect(red).toBeDefined();
    expect(blue).toBeDefined();
    redAlbum = red.id;
    blueAlbum = blue.id;
    expect(await membersOf(redAlbum)).toEqual(redIds);
    expect(await membersOf(blueAlbum)).toEqual(blueIds);
    expect(red).toMatchObject({ nameSource: 'fallback', photoCount: 6, change: 'created', start: '2024-05-03T10:00:00.000Z', end: '2024-09-20T18:00:00.000Z' });
    expect(red.name).toMatch(/^Red · May – Sep 2024$/);
    expect(red.tags[0]).toBe('red');
    expect(red.description).toMatch(/^6 photos of red/);
    expect(blue).toMatchObject({ nameSource: 'fallback', photoCount: 6 });
    expect(blue.name).toBe('Blue · Jan 2023');
    expect(red.representativeIds).toHaveLength(5);
    for (const id of red.representativeIds) expect(redIds).toContain(id);

    const stored = await albums();
    expect(stored.map((a) => a.id).sort()).toEqual([redAlbum, blueAlbum].sort());
    const storedRed = stored.find((a) => a.id === redAlbum)!;
    expect(storedRed).toMatchObject({ kind: 'auto', status: 'active', name_source: 'fallback', name: red.name });
    expect(storedRed.signature).toBe(clusterSignature(redIds));
  });

  it('changes nothing when regenerated again', async () => {
    const before = await albums();
    const response = await regenerate({});
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ created: 0, updated: 0, unchanged: 2, removed: 0, skipped: 0 });
    expect(response.body.albums.map((a: { id: string }) => a.id).sort()).toEqual([redAlbum, blueAlbum].sort());
    expect(await albums()).toEqual(before);
    expect(await membersOf(redAlbum)).toEqual(redIds);
    // Large libraries cluster in a worker thread: the same clusters.
    const inWorker = await regenerateAutoAlbums(server.lib, { clusterInWorker: true });
    expect(inWorker).toMatchObject({ created: 0, updated: 0, unchanged: 2, removed: 0 });
    expect(await albums()).toEqual(before);
  });

  it('is what `shoebox albums regenerate` runs through a running server', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const quiet = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await runAlbumsRegenerate(loadSettings({ dataDir: server.dataDir }, {}), { server: server.url, json: true });
    } finally {
      spy.mockRestore();
      quiet.mockRestore();
    }
    const printed = JSON.parse(written.join(''));
    expect(printed).toMatchObject({ created: 0, unchanged: 2, removed: 0 });
    expect(printed.albums.map((a: { id: string }) => a.id).sort()).toEqual([redAlbum, blueAlbum].sort());
  });

  it('finds photos by the name of their album', async () => {
    // "May" is in no tag, caption or file name of the red photos: only the album name has it.
    const hits = await keywordHits('may');
    expect(hits.map((h) => h.photo.id).sort()).toEqual(redIds);
    expect(hits[0]!.explanation.keyword.matches).toContainEqual({ field: 'albums', words: expect.arrayContaining(['May']) });
  });

  it("takes the caption endpoint's name over a fallback one, and keeps it", async () => {
    endpointState.naming = 'good';
    endpointState.namingRequests.length = 0;
    const response = await regenerate();
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ created: 0, updated: 2, unchanged: 0, removed: 0 });
    const red = response.body.albums.find((a: { id: string }) => a.id === redAlbum);
    expect(red).toMatchObject({
      name: 'Crimson Afternoons',
      description: 'Scarlet cards with stripes.',
      tags: ['scarlet', 'card'],
      primaryCategory: 'object',
      nameSource: 'provider',
      change: 'updated',
    });
    expect(response.body.albums.find((a: { id: string }) => a.id === blueAlbum)).toMatchObject({ name: 'Cobalt Evenings', nameSource: 'provider' });
    // What the model read: up to five numbered captions, and the facts.
    const redPrompt = endpointState.namingRequests.find((p) => p.includes('scarlet'))!;
    expect(redPrompt).toMatch(/1\. A scarlet card with a stripe/);
    expect(redPrompt).toMatch(/5\. A scarlet card/);
    expect(redPrompt).not.toMatch(/6\. /);
    expect(redPrompt).toContain('6 photos');
    expect(redPrompt).toContain('May – Sep 2024');

    const crimson = await keywordHits('crimson');
    expect(crimson.map((h) => h.photo.id).sort()).toEqual(redIds);
    expect(crimson[0]!.explanation.keyword.matches).toEqual([{ field: 'albums', words: ['Crimson'] }]);
    expect(await keywordHits('may')).toEqual([]); // the old name is gone from the search rows

    // A name from the endpoint is kept: not asked again, nothing changes.
    endpointState.namingRequests.length = 0;
    const again = await regenerate();
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 2, removed: 0 });
    expect(endpointState.namingRequests).toEqual([]);
  });

  it('puts a new reddish photo in the red album when its pipeline finishes', async () => {
    const data = await picture([210, 30, 38], GREY, 0.8, 31, '2024:06:10 12:00:00');
    const response = await upload(server.url, [{ name: 'red-new.jpg', data }]);
    expect(response.status).toBe(201);
    const id = response.body.items[0].id as string;
    ids['red-new.jpg'] = id;
    expect((await waitForTerminal(server.url, [id], 120_000))[id]).toBe('completed');
    expect(await membersOf(redAlbum)).toEqual([...redIds, id].sort());
    expect(await membersOf(blueAlbum)).toEqual(blueIds);
    // Its search row was written with the album in it.
    expect((await keywordHits('crimson')).map((h) => h.photo.id)).toContain(id);
  });

  it('splits an album into events with timeGapDays, and joins them again without', async () => {
    const allReds = [...redIds, ids['red-new.jpg']!].sort();
    const split = await regenerate({ minSize: 3, timeGapDays: 30 });
    expect(split.status, JSON.stringify(split.body)).toBe(200);
    // May–June (4 photos) continues the red album (Jaccard 4/7); September (3) is a new album; blue is one event.
    expect(split.body).toMatchObject({ created: 1, updated: 1, unchanged: 1, removed: 0, params: { minSize: 3, timeGapDays: 30 } });
    const september = split.body.albums.find((a: { change: string }) => a.change === 'created');
    expect(await membersOf(september.id)).toEqual([ids['red-4.jpg'], ids['red-5.jpg'], ids['red-6.jpg']].sort());
    expect(await membersOf(redAlbum)).toEqual([ids['red-1.jpg'], ids['red-2.jpg'], ids['red-3.jpg'], ids['red-new.jpg']].sort());
    // The red album keeps its provider name; the new one is named afresh.
    expect(split.body.albums.find((a: { id: string }) => a.id === redAlbum).name).toBe('Crimson Afternoons');
    expect(september).toMatchObject({ nameSource: 'provider', start: '2024-09-02T09:00:00.000Z' });

    const joined = await regenerate();
    expect(joined.body).toMatchObject({ created: 0, updated: 1, unchanged: 1, removed: 1 });
    expect(await membersOf(redAlbum)).toEqual(allReds);
    expect((await albums()).map((a) => a.id)).not.toContain(september.id);
  });

  it('leaves photos in the trash out, and keeps them in the album for a restore', async () => {
    const trashed = ids['red-1.jpg']!;
    await server.lib.db.execute(sql`update photos set deleted_at = now() where id = ${trashed}::uuid`);
    const response = await regenerate();
    expect(response.body).toMatchObject({ created: 0, removed: 0, updated: 1, unchanged: 1, photos: 15 });
    expect(response.body.albums.find((a: { id: string }) => a.id === redAlbum)).toMatchObject({ photoCount: 6, name: 'Crimson Afternoons' });
    expect(await membersOf(redAlbum)).toContain(trashed);
    await server.lib.db.execute(sql`update photos set deleted_at = null where id = ${trashed}::uuid`);
    const restored = await regenerate();
    expect(restored.body).toMatchObject({ created: 0, removed: 0, updated: 1, photos: 16 });
    expect(restored.body.albums.find((a: { id: string }) => a.id === redAlbum)).toMatchObject({ photoCount: 7 });
  });

  it('never makes a dismissed album again, nor touches one the user kept', async () => {
    await server.lib.db.execute(sql`update albums set status = 'dismissed' where id = ${blueAlbum}::uuid`);
    const response = await regenerate();
    expect(response.body).toMatchObject({ created: 0, removed: 0, skipped: 1, unchanged: 1 });
    expect(response.body.albums.map((a: { id: string }) => a.id)).toEqual([redAlbum]);
    const stored = await albums();
    expect(stored.find((a) => a.id === blueAlbum)).toMatchObject({ status: 'dismissed', kind: 'auto' });
    expect(stored).toHaveLength(2);

    // Kept: the album is manual now; the red group is the user's and is not made into another album.
    await server.lib.db.execute(sql`update albums set kind = 'manual', name = 'Our red things', name_source = 'user' where id = ${redAlbum}::uuid`);
    const kept = await regenerate();
    expect(kept.body).toMatchObject({ created: 0, updated: 0, removed: 0, skipped: 2, albums: [] });
    const after = await albums();
    expect(after).toHaveLength(2);
    expect(after.find((a) => a.id === redAlbum)).toMatchObject({ kind: 'manual', name: 'Our red things' });
    expect(await membersOf(redAlbum)).toHaveLength(7);

    // A new reddish photo does not join the kept album by itself.
    const data = await picture([200, 28, 33], WHITE, 0.82, 41, '2024:06:12 12:00:00');
    const uploaded = await upload(server.url, [{ name: 'red-later.jpg', data }]);
    const id = uploaded.body.items[0].id as string;
    await waitForTerminal(server.url, [id], 120_000);
    expect(await membersOf(redAlbum)).not.toContain(id);
  });

  it('runs one regeneration at a time', async () => {
    const results = await Promise.allSettled([regenerateAutoAlbums(server.lib), regenerateAutoAlbums(server.lib)]);
    expect(results[0].status).toBe('fulfilled');
    expect(results[1].status).toBe('rejected');
    const error = (results[1] as PromiseRejectedResult).reason;
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ kind: 'conflict', message: expect.stringMatching(/already being regenerated/) });
    expect((await regenerate({ minSimilarity: 1.5 })).status).toBe(400);
    expect((await regenerate({ minSize: 1 })).status).toBe(400);
  });
});

describe('automatic albums without a CLIP model', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
  });
  afterAll(async () => server?.dispose());

  it('answers 409 and says how to install one', async () => {
    const response = await json(`${server.url}/api/albums/auto/regenerate`, { method: 'POST' });
    expect(response.status).toBe(409);
    expect(response.body.message).toMatch(/automatic albums need a CLIP model \(no CLIP model installed: run shoebox models pull clip-vit-b32-laion2b\)/);
  });

  it('is documented in the OpenAPI description', async () => {
    const spec = (await json(`${server.url}/api/openapi.json`)).body;
    const operation = spec.paths['/api/albums/auto/regenerate'].post;
    expect(operation.tags).toEqual(['albums']);
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '409']));
  });
});

describe('matchClusters', () => {
  const cluster = (members: string[]) => ({ members, signature: clusterSignature(members) });
  const album = (id: string, members: string[], role: 'active' | 'blocking' = 'active', signature: string | null = null) => ({
    id,
    role,
    signature,
    members: new Set(members),
  });

  it('pairs by signature first, then by the largest overlap, one to one', () => {
    const a = cluster(['1', '2', '3', '4']);
    const b = cluster(['5', '6', '7', '8']);
    const result = matchClusters(
      [a, b],
      [
        album('x', ['9'], 'active', a.signature), // same signature, whatever its members now
        album('y', ['1', '2', '3', '4']), // Jaccard 1 with a, but a is taken by its signature
        album('z', ['5', '6', '7']), // 3/4
        album('w', ['5', '6']), // 2/4, loses to z
      ],
    );
    expect([...result.continues]).toEqual([
      [0, 'x'],
      [1, 'z'],
    ]);
    expect(result.orphans).toEqual(['w', 'y']);
    expect(result.blocked.size).toBe(0);
  });

  it('skips a cluster that matches a dismissed or kept album, and leaves below 0.5 alone', () => {
    const result = matchClusters(
      [cluster(['1', '2', '3', '4']), cluster(['5', '6', '7', '8'])],
      [album('d', ['1', '2', '3'], 'blocking'), album('e', ['5', '6', '9', '10'], 'active')],
    );
    expect([...result.blocked]).toEqual([[0, 'd']]);
    expect(result.continues.size).toBe(0); // 2/6 < 0.5
    expect(result.orphans).toEqual(['e']);
  });
});
