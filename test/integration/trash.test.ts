// The trash end to end on a real server with corpus photos: deleting moves a photo out of every list, count and
// search into the trash; restoring brings it back whole; force, emptying and the expiry remove files and rows.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { rows } from '../../src/db/connection.js';
import { DAY_MS, purgeExpiredTrash, trashExpiry } from '../../src/library/trash/trash.js';
import { assets, json, startTestServer, tempDir, upload, waitForTerminal, type TestServer, authFetch } from '../helpers/server.js';

const falcon = path.join(assets, 'albums/nature/prairie_falcon.jpg');
const picasa = path.join(assets, 'metadata/tags/picasa.jpg');
const portrait = path.join(assets, 'metadata/faces/portrait.jpg');
const portraitRotated = path.join(assets, 'metadata/faces/portrait-orientation-6.jpg');
const cyclamen = path.join(assets, 'albums/nature/cyclamen_persicum.jpg');
const fir = path.join(assets, 'albums/nature/silver_fir.jpg');
const anemones = path.join(assets, 'albums/nature/wood_anemones.jpg');
const ridge = path.join(assets, 'albums/nature/tanners_ridge.jpg');

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

interface Item {
  id: string;
  filename: string;
  deletedAt: string | null;
  expiresAt?: string | null;
}

/** Where a photo's files are: its original (content-addressed) and its derived folder. */
function filesOf(dataDir: string, id: string, sha256: string, ext = 'jpg') {
  return {
    original: path.join(dataDir, 'originals', sha256.slice(0, 2), sha256.slice(2, 4), `${sha256}.${ext}`),
    derived: path.join(dataDir, 'derived', id.slice(0, 2), id),
  };
}

describe('the trash', () => {
  let server: TestServer;
  let url: string;
  let ids: Record<string, string>;

  const listed = async () => ((await json(`${url}/api/photos?limit=500`)).body.items as Item[]).map((item) => item.filename);
  const trash = async () => (await json(`${url}/api/trash?limit=500`)).body as { items: Item[]; total: number; retentionDays: number };
  const searched = async (q: string, filters: Record<string, string> = {}) => {
    const query = new URLSearchParams({ mode: 'keyword', limit: '50', q, ...filters });
    const response = await json(`${url}/api/search?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return (response.body.items as { photo: Item }[]).map((hit) => hit.photo.filename);
  };
  const suggested = async (q: string, kinds = 'tag,person') =>
    (await json(`${url}/api/search/suggest?q=${encodeURIComponent(q)}&kinds=${kinds}`)).body.items as { label: string; key: string; photos: number }[];
  const del = (id: string, force = false) => authFetch(`${url}/api/photos/${id}${force ? '?force=true' : ''}`, { method: 'DELETE' });
  const post = (route: string, body?: unknown) => json(`${url}${route}`, { method: 'POST', json: body });
  const rowCount = async (table: string, id: string) =>
    (
      await rows<{ n: number }>(
        server.lib.db,
        sql`select count(*)::int as n from ${sql.identifier(table)} where ${sql.identifier(table === 'photos' ? 'id' : 'photo_id')} = ${id}::uuid`,
      )
    )[0]!.n;

  beforeAll(async () => {
    server = await startTestServer({ ml: { peopleMinFaces: 2 } });
    url = server.url;
    const files = [falcon, picasa, portrait, portraitRotated, cyclamen, fir, anemones, ridge];
    const response = await upload(
      url,
      files.map((file) => ({ path: file })),
    );
    expect(response.status).toBe(201);
    ids = Object.fromEntries(response.body.items.map((item: { filename: string; id: string }) => [item.filename, item.id]));
    await waitForTerminal(url, Object.values(ids), 300_000);
  }, 360_000);

  afterAll(async () => server?.dispose());

  it('moves a deleted photo to the trash: out of the list, search, suggestions and counts; its page still opens', async () => {
    const id = ids['prairie_falcon.jpg']!;
    expect(await searched('falcon')).toEqual(['prairie_falcon.jpg']);
    expect(await searched('frost')).toEqual(['picasa.jpg']);
    expect(await suggested('frost')).toContainEqual(expect.objectContaining({ label: 'Frost', photos: 1 }));
    const statsBefore = (await json(`${url}/api/stats`)).body;
    expect(statsBefore).toMatchObject({ total: 8, trashed: 0 });

    const before = Date.now();
    expect((await del(id)).status).toBe(204);
    expect((await post('/api/photos/delete', { ids: [ids['picasa.jpg']] })).body).toEqual({ trashed: 1 });

    expect(await listed()).not.toContain('prairie_falcon.jpg');
    expect(await listed()).not.toContain('picasa.jpg');
    expect((await json(`${url}/api/photos`)).body.total).toBe(6);
    expect(await searched('falcon')).toEqual([]);
    expect(await searched('frost')).toEqual([]);
    expect(await searched('jpg')).not.toContain('picasa.jpg');
    expect((await suggested('frost')).find((s) => s.label === 'Frost')).toBeUndefined();
    const stats = (await json(`${url}/api/stats`)).body;
    expect(stats).toMatchObject({ total: 6, trashed: 2 });
    expect(stats.steps.preprocessing.done).toBe(6);
    const health = (await json(`${url}/api/health`)).body.photos as Record<string, number>;
    expect(Object.values(health).reduce((a, b) => a + b, 0)).toBe(6);

    const inTrash = await trash();
    expect(inTrash.retentionDays).toBe(30);
    expect(inTrash.total).toBe(2);
    expect(inTrash.items.map((item) => item.filename)).toEqual(['picasa.jpg', 'prairie_falcon.jpg']); // latest first
    const item = inTrash.items.find((i) => i.id === id)!;
    const deletedAt = Date.parse(item.deletedAt!);
    expect(deletedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(deletedAt).toBeLessThanOrEqual(Date.now() + 1000);
    expect(Date.parse(item.expiresAt!) - deletedAt).toBe(30 * DAY_MS);

    // The photo page still opens, says it is in the trash, and its files are still served.
    const detail = await json(`${url}/api/photos/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.deletedAt).toBe(item.deletedAt);
    expect((await authFetch(`${url}/api/photos/${id}/thumbnail`)).status).toBe(200);
    expect((await authFetch(`${url}/api/photos/${id}/original`)).status).toBe(200);
    // Deleting again leaves it in the trash with its first date.
    expect((await del(id)).status).toBe(204);
    expect((await post('/api/photos/delete', { ids: [id] })).body).toEqual({ trashed: 0 });
    expect((await json(`${url}/api/photos/${id}`)).body.deletedAt).toBe(item.deletedAt);
    // A live photo says so.
    expect((await json(`${url}/api/photos/${ids['silver_fir.jpg']}`)).body.deletedAt).toBeNull();
  });

  it('restores photos into the list, the search and the suggestion counts', async () => {
    const restored = await post('/api/trash/restore', { ids: [ids['prairie_falcon.jpg'], ids['picasa.jpg'], ids['silver_fir.jpg']] });
    expect(restored).toMatchObject({ status: 200, body: { restored: 2 } }); // silver_fir was not in the trash
    expect(await listed()).toEqual(expect.arrayContaining(['prairie_falcon.jpg', 'picasa.jpg']));
    expect((await json(`${url}/api/photos`)).body.total).toBe(8);
    expect(await searched('falcon')).toEqual(['prairie_falcon.jpg']);
    expect(await searched('frost')).toEqual(['picasa.jpg']);
    expect(await suggested('frost')).toContainEqual(expect.objectContaining({ label: 'Frost', photos: 1 }));
    expect((await json(`${url}/api/photos/${ids['picasa.jpg']}`)).body.deletedAt).toBeNull();
    expect(await trash()).toMatchObject({ items: [], total: 0 });
    expect((await json(`${url}/api/stats`)).body).toMatchObject({ total: 8, trashed: 0 });
  });

  it("takes a trashed photo's faces out of its people, and hides a person left with none unless named", async () => {
    const detail = (await json(`${url}/api/photos/${ids['portrait.jpg']}`)).body;
    const personIds = [...new Set(detail.faces.map((f: { personId: string | null }) => f.personId).filter(Boolean))] as string[];
    expect(personIds.length).toBeGreaterThan(0);
    const [named, ...unnamed] = personIds as [string, ...string[]];
    expect((await json(`${url}/api/people/${named}`, { method: 'PATCH', json: { name: 'Ada Trashworthy' } })).status).toBe(200);
    // The portrait names both Curies in its face regions: the others lose their names, as people found by clustering.
    for (const id of unnamed) expect((await json(`${url}/api/people/${id}`, { method: 'PATCH', json: { name: null } })).status).toBe(200);
    const person = async (id: string) => (await json(`${url}/api/people/${id}`)).body as { photoCount: number; faceCount: number };
    const listedPeople = async () => ((await json(`${url}/api/people?limit=500`)).body.items as { id: string }[]).map((p) => p.id);
    expect((await person(named)).photoCount).toBe(2);

    expect((await post('/api/photos/delete', { ids: [ids['portrait-orientation-6.jpg']] })).body).toEqual({ trashed: 1 });
    expect(await person(named)).toMatchObject({ photoCount: 1, faceCount: 1 });
    const faces = (await json(`${url}/api/people/${named}/faces`)).body.items as { photoId: string }[];
    expect(faces.map((f) => f.photoId)).toEqual([ids['portrait.jpg']]);
    expect(await suggested('trashworthy', 'person')).toEqual([expect.objectContaining({ key: named, photos: 1 })]);
    // A person filter finds only the live photo.
    expect(await searched('jpg', { people: named })).toEqual(['portrait.jpg']);

    expect((await post('/api/photos/delete', { ids: [ids['portrait.jpg']] })).body).toEqual({ trashed: 1 });
    expect(await person(named)).toMatchObject({ photoCount: 0, faceCount: 0 });
    const shown = await listedPeople();
    expect(shown).toContain(named); // named people are the user's
    for (const id of unnamed) expect(shown).not.toContain(id);
    expect(await suggested('trashworthy', 'person')).toEqual([]);
    // A recluster leaves the faces in the trash with their people.
    expect((await post('/api/people/recluster')).status).toBe(200);

    expect((await post('/api/trash/restore', { ids: [ids['portrait.jpg'], ids['portrait-orientation-6.jpg']] })).body).toEqual({ restored: 2 });
    expect(await person(named)).toMatchObject({ photoCount: 2, faceCount: 2 });
    expect(await listedPeople()).toEqual(expect.arrayContaining(personIds));
    expect(await suggested('trashworthy', 'person')).toEqual([expect.objectContaining({ key: named, photos: 2 })]);
  });

  it('answers bad ids with 400 or 404 and a message, and changes nothing', async () => {
    const live = ids['cyclamen_persicum.jpg']!;
    const missing = await post('/api/photos/delete', { ids: [live, UNKNOWN] });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain(UNKNOWN);
    expect(missing.body.message).not.toContain(live);
    expect((await json(`${url}/api/photos/${live}`)).body.deletedAt).toBeNull();

    for (const body of [{ ids: ['nope'] }, { ids: [] }, {}, { ids: [live], force: 'yes' }]) {
      const refused = await post('/api/photos/delete', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.message, JSON.stringify(body)).toMatch(/ids|force|UUID/);
    }
    expect((await post('/api/trash/restore', { ids: ['nope'] })).body.message).toMatch(/UUID/);
    expect((await post('/api/trash/restore', { ids: [UNKNOWN] })).status).toBe(404);
    expect((await post('/api/trash/empty', { ids: [UNKNOWN] })).body).toMatchObject({ statusCode: 404, message: expect.stringContaining(UNKNOWN) });
    expect((await post('/api/trash/empty', { ids: 'all' })).status).toBe(400);
    expect((await json(`${url}/api/trash?limit=0`)).status).toBe(400);

    const single = await json(`${url}/api/photos/${UNKNOWN}`, { method: 'DELETE' });
    expect(single).toMatchObject({ status: 404, body: { message: `no photo with id ${UNKNOWN}` } });
    expect((await del(UNKNOWN, true)).status).toBe(404);
    expect((await json(`${url}/api/photos/not-a-uuid`, { method: 'DELETE' })).body.message).toMatch(/UUID/);
    expect((await authFetch(`${url}/api/photos/${live}?force=maybe`, { method: 'DELETE' })).status).toBe(400);
    expect((await json(`${url}/api/photos`)).body.total).toBe(8);
  });

  it('deletes for good with force: the original, the derived files and every row', async () => {
    const id = ids['cyclamen_persicum.jpg']!;
    const detail = (await json(`${url}/api/photos/${id}`)).body;
    const files = filesOf(server.dataDir, id, detail.sha256);
    expect(fs.existsSync(files.original)).toBe(true);
    expect(fs.existsSync(path.join(files.derived, 'thumbnail.webp'))).toBe(true);
    expect(await rowCount('photo_steps', id)).toBeGreaterThan(0);
    expect(await rowCount('photo_search', id)).toBe(1);

    expect((await del(id, true)).status).toBe(204);
    expect((await json(`${url}/api/photos/${id}`)).status).toBe(404);
    expect(fs.existsSync(files.original)).toBe(false);
    expect(fs.existsSync(files.derived)).toBe(false);
    for (const table of ['photos', 'photo_steps', 'photo_search', 'faces', 'photo_tags', 'photo_embeddings']) {
      expect(await rowCount(table, id), table).toBe(0);
    }
    expect((await trash()).total).toBe(0);
    expect(await listed()).not.toContain('cyclamen_persicum.jpg');
    expect((await del(id, true)).status).toBe(404);

    // A photo already in the trash goes for good too, and many at once.
    const fir = ids['silver_fir.jpg']!;
    const firFiles = filesOf(server.dataDir, fir, (await json(`${url}/api/photos/${fir}`)).body.sha256);
    expect((await del(fir)).status).toBe(204);
    expect((await post('/api/photos/delete', { ids: [fir], force: true })).body).toEqual({ deleted: 1 });
    expect(fs.existsSync(firFiles.original)).toBe(false);
    expect(fs.existsSync(firFiles.derived)).toBe(false);
    expect(await rowCount('photos', fir)).toBe(0);
    expect((await trash()).total).toBe(0);
  });

  it('empties the trash: only the photos given (live ones are left alone), then all of it', async () => {
    const anemones = ids['wood_anemones.jpg']!;
    const ridge = ids['tanners_ridge.jpg']!;
    const falcon = ids['prairie_falcon.jpg']!;
    const sha = async (id: string) => (await json(`${url}/api/photos/${id}`)).body.sha256 as string;
    const anemonesFiles = filesOf(server.dataDir, anemones, await sha(anemones));
    const ridgeFiles = filesOf(server.dataDir, ridge, await sha(ridge));
    expect((await post('/api/photos/delete', { ids: [anemones, ridge] })).body).toEqual({ trashed: 2 });

    expect((await post('/api/trash/empty', { ids: [anemones, falcon] })).body).toEqual({ deleted: 1 });
    expect((await json(`${url}/api/photos/${anemones}`)).status).toBe(404);
    expect(fs.existsSync(anemonesFiles.original)).toBe(false);
    expect(fs.existsSync(anemonesFiles.derived)).toBe(false);
    expect((await json(`${url}/api/photos/${falcon}`)).body.deletedAt).toBeNull(); // live: not touched
    expect((await trash()).items.map((item) => item.id)).toEqual([ridge]);
    expect(fs.existsSync(ridgeFiles.original)).toBe(true);

    const emptied = await json(`${url}/api/trash/empty`, { method: 'POST' });
    expect(emptied).toMatchObject({ status: 200, body: { deleted: 1 } });
    expect(fs.existsSync(ridgeFiles.original)).toBe(false);
    expect(fs.existsSync(ridgeFiles.derived)).toBe(false);
    expect(await rowCount('photos', ridge)).toBe(0);
    expect(await trash()).toMatchObject({ items: [], total: 0 });
    expect((await post('/api/trash/empty', {})).body).toEqual({ deleted: 0 });
    expect((await json(`${url}/api/stats`)).body).toMatchObject({ total: 4, trashed: 0 });
  });

  it('removes what has been in the trash for the configured days, and nothing else', async () => {
    const old = ids['picasa.jpg']!;
    const recent = ids['prairie_falcon.jpg']!;
    expect((await post('/api/photos/delete', { ids: [old, recent] })).body).toEqual({ trashed: 2 });
    await server.lib.db.execute(sql`update photos set deleted_at = now() - interval '31 days' where id = ${old}::uuid`);
    const oldItem = (await trash()).items.find((item) => item.id === old)!;
    expect(Date.parse(oldItem.expiresAt!)).toBeLessThan(Date.now());

    expect(await purgeExpiredTrash(server.lib, 0)).toBe(0); // 0: never by itself
    expect(await purgeExpiredTrash(server.lib, 32)).toBe(0);
    expect(await purgeExpiredTrash(server.lib, 30)).toBe(1);
    expect(await rowCount('photos', old)).toBe(0);
    expect((await trash()).items.map((item) => item.id)).toEqual([recent]);
    // Thirty days on, the other one's time is up too.
    expect(await purgeExpiredTrash(server.lib, 30, new Date(Date.now() + 30 * DAY_MS + 60_000))).toBe(1);
    expect((await trash()).total).toBe(0);
    expect((await json(`${url}/api/photos/${recent}`)).status).toBe(404);
  });

  it('documents the trash routes in OpenAPI', async () => {
    const spec = (await json(`${url}/api/openapi.json`)).body;
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/trash', '/api/trash/restore', '/api/trash/empty', '/api/photos/delete']));
    expect(spec.paths['/api/photos/{id}'].delete.parameters.map((p: { name: string }) => p.name)).toContain('force');
  });
});

describe('the trash setting', () => {
  it('reads SHOEBOX_TRASH_DAYS: 30 by default, 0 for never, refuses nonsense', () => {
    expect(loadSettings({}, {}).trashDays).toBe(30);
    expect(loadSettings({}, { SHOEBOX_TRASH_DAYS: '7' }).trashDays).toBe(7);
    expect(loadSettings({}, { SHOEBOX_TRASH_DAYS: '0' }).trashDays).toBe(0);
    expect(() => loadSettings({}, { SHOEBOX_TRASH_DAYS: '-1' })).toThrow(/trashDays/);
    expect(() => loadSettings({}, { SHOEBOX_TRASH_DAYS: 'soon' })).toThrow(/trashDays/);
    expect(trashExpiry(new Date('2024-01-01T00:00:00Z'), 7)?.toISOString()).toBe('2024-01-08T00:00:00.000Z');
    expect(trashExpiry(new Date('2024-01-01T00:00:00Z'), 0)).toBeNull();
  });

  it('purges the expired trash when the server starts', async () => {
    const dataDir = tempDir();
    let server = await startTestServer({ dataDir, trashDays: 7 });
    try {
      const image = await sharp({ create: { width: 80, height: 60, channels: 3, background: '#c08020' } })
        .png()
        .toBuffer();
      const { body } = await upload(server.url, [{ name: 'old.png', data: image }, { path: falcon }]);
      const [oldId, keptId] = body.items.map((item: { id: string }) => item.id) as [string, string];
      await waitForTerminal(server.url, [oldId, keptId]);
      expect((await json(`${server.url}/api/photos/delete`, { method: 'POST', json: { ids: [oldId, keptId] } })).body).toEqual({ trashed: 2 });
      const sha256 = (await json(`${server.url}/api/photos/${oldId}`)).body.sha256 as string;
      const files = filesOf(dataDir, oldId, sha256, 'png');
      await server.lib.db.execute(sql`update photos set deleted_at = now() - interval '8 days' where id = ${oldId}::uuid`);
      const listing = (await json(`${server.url}/api/trash`)).body;
      expect(listing.retentionDays).toBe(7);
      await server.close();

      server = await startTestServer({ dataDir, trashDays: 7 });
      // The purge runs in the background: the row goes first, then the files.
      const deadline = Date.now() + 30_000;
      let left: string[] = [];
      for (;;) {
        left = ((await json(`${server.url}/api/trash`)).body.items as Item[]).map((item) => item.id);
        const gone = left.length < 2 && !fs.existsSync(files.original) && !fs.existsSync(files.derived);
        if (gone || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(left).toEqual([keptId]);
      expect(fs.existsSync(files.original)).toBe(false);
      expect(fs.existsSync(files.derived)).toBe(false);
      expect((await json(`${server.url}/api/photos/${keptId}`)).body.deletedAt).not.toBeNull();
    } finally {
      await server.dispose();
    }
  }, 180_000);
});
