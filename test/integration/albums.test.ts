// Albums end to end on a real server with corpus photos: manual albums (create, rename, describe, add, remove,
// cover, counts, delete with the photos kept), their page's order and kept counts through what moves the timeline
// (migration 0045: date changes, trash, restore, archive; the counts' fold and the hourly check), their errors, how albums reach search (keyword field, suggestions,
// filter) and the photo detail, and keep/dismiss of an automatic album written directly into the database.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runAlbums } from '../../src/cli/albums.js';
import { loadSettings } from '../../src/config/settings.js';
import { rows } from '../../src/db/connection.js';
import { createAlbum } from '../../src/library/albums/manual.js';
import { foldAlbumCounts, repairAlbumOrder } from '../../src/library/albums/counts.js';
import { albumPhotoCount } from '../../src/library/photos/album-order.js';
import { openLibraryAsOwner } from '../../src/app/open.js';
import { createLogger } from '../../src/base/logger.js';
import { refreshSearchDocuments } from '../../src/search/documents.js';
import { testClips } from '../helpers/clips.js';
import {
  assets,
  json,
  startTestServer,
  tempDir,
  upload,
  waitForTerminal,
  type TestServer,
  libraryDatabaseUrl,
  withoutFacesOrText,
  onPostgres,
} from '../helpers/server.js';

const nature = (name: string) => path.join(assets, 'albums/nature', name);
const files = ['cyclamen_persicum.jpg', 'prairie_falcon.jpg', 'silver_fir.jpg', 'tanners_ridge.jpg', 'wood_anemones.jpg'];

interface Album {
  id: string;
  name: string;
  description: string | null;
  kind: 'manual' | 'auto';
  status: 'active' | 'dismissed';
  photoCount: number;
  coverPhotoId: string | null;
  coverChosen: boolean;
  nameSource: string | null;
}

describe('albums', () => {
  let server: TestServer;
  let url: string;
  let ids: Record<string, string>;
  const id = (file: string) => ids[file]!;
  /** Photo ids, newest taken first (the order an album shows them in). */
  let newestFirst: string[];

  const listed = async (query = ''): Promise<Album[]> => {
    const response = await json(`${url}/api/albums${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.items;
  };
  const create = async (body: unknown) => json(`${url}/api/albums`, { method: 'POST', json: body });
  const keywordSearch = async (params: Record<string, string>) => {
    const response = await json(`${url}/api/search?${new URLSearchParams({ mode: 'keyword', limit: '100', ...params })}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.items as { photo: { id: string }; explanation: { keyword: { matches: { field: string; words: string[] }[] } | null } }[];
  };
  const suggestions = async (q: string) => {
    const response = await json(`${url}/api/search/suggest?${new URLSearchParams({ q, kinds: 'album' })}`);
    expect(response.status).toBe(200);
    return response.body.items as { kind: string; key: string; label: string; photos: number }[];
  };

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
    url = server.url;
    const response = await upload(
      url,
      files.map((file) => ({ path: nature(file) })),
    );
    expect(response.status).toBe(201);
    ids = Object.fromEntries(response.body.items.map((item: { filename: string; id: string }) => [item.filename, item.id]));
    await waitForTerminal(url, Object.values(ids), 240_000);
    const found = await rows<{ id: string }>(
      server.lib.db,
      sql`select id from photos order by taken_local desc nulls last, created_at desc, id desc`, // the timeline's order
    );
    newestFirst = found.map((row) => row.id);
  }, 300_000);

  afterAll(async () => server?.dispose());

  /** Album rows whose copies differ from their photo, plus albums whose kept counts differ from their photos. */
  const drift = async () => {
    const [found] = await rows<{ n: number }>(
      server.lib.db,
      sql`select (select count(*) from album_photos ap join photos p on p.id = ap.photo_id
                  where ap.taken_local is distinct from p.taken_local or ap.photo_created_at is distinct from p.created_at
                    or ap.trashed <> (p.deleted_at is not null))
               + (select count(*) from albums a where a.photo_count + coalesce((select sum(photos) from album_count_deltas d where d.album_id = a.id), 0)
                  <> (select count(*) from album_photos ap join photos p on p.id = ap.photo_id and p.deleted_at is null where ap.album_id = a.id)
                  or a.video_count + coalesce((select sum(videos) from album_count_deltas d where d.album_id = a.id), 0)
                  <> (select count(*) from album_photos ap join photos p on p.id = ap.photo_id and p.deleted_at is null
                      where ap.album_id = a.id and p.mime like 'video/%')) as n`,
    );
    return Number(found!.n);
  };

  it('creates, renames, describes, fills, empties and deletes a manual album; the photos stay', async () => {
    const made = await create({
      name: '  Spring walk  ',
      description: 'flowers by the river',
      photoIds: [id('cyclamen_persicum.jpg'), id('wood_anemones.jpg')],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const album = made.body as Album;
    expect(album).toMatchObject({
      name: 'Spring walk',
      description: 'flowers by the river',
      kind: 'manual',
      status: 'active',
      photoCount: 2,
      coverChosen: false,
      nameSource: 'user',
    });
    // The cover follows the most recent photo until one is chosen.
    const newestOfTwo = newestFirst.find((p) => [id('cyclamen_persicum.jpg'), id('wood_anemones.jpg')].includes(p));
    expect(album.coverPhotoId).toBe(newestOfTwo);

    const renamed = await json(`${url}/api/albums/${album.id}`, { method: 'PATCH', json: { name: 'Spring flowers', description: '' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Spring flowers', description: null, kind: 'manual' });

    const added = await json(`${url}/api/albums/${album.id}/photos`, { method: 'POST', json: { ids: [id('silver_fir.jpg'), id('wood_anemones.jpg')] } });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body.added).toBe(1); // the anemones were in it already
    expect(added.body.album.photoCount).toBe(3);

    const cover = await json(`${url}/api/albums/${album.id}`, { method: 'PATCH', json: { coverPhotoId: id('silver_fir.jpg') } });
    expect(cover.status).toBe(200);
    expect(cover.body).toMatchObject({ coverPhotoId: id('silver_fir.jpg'), coverChosen: true });

    // The album's photos, newest first, paged.
    const members = [id('cyclamen_persicum.jpg'), id('wood_anemones.jpg'), id('silver_fir.jpg')];
    const expected = newestFirst.filter((p) => members.includes(p));
    const page1 = await json(`${url}/api/albums/${album.id}?limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.body.photos.total).toBe(3);
    expect(page1.body.photos.items.map((p: { id: string }) => p.id)).toEqual(expected.slice(0, 2));
    const page2 = await json(`${url}/api/albums/${album.id}?limit=2&page=2`);
    expect(page2.body.photos.items.map((p: { id: string }) => p.id)).toEqual(expected.slice(2));

    // Removing the cover photo brings the automatic cover back; DELETE with a body and its POST twin both work.
    const removed = await json(`${url}/api/albums/${album.id}/photos`, { method: 'DELETE', json: { ids: [id('silver_fir.jpg')] } });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body.removed).toBe(1);
    expect(removed.body.album).toMatchObject({ photoCount: 2, coverChosen: false, coverPhotoId: newestOfTwo });
    // the first page gives the cover from its first photo, a later one looks for it: the same either way
    for (const page of [1, 2]) {
      const opened = await json(`${url}/api/albums/${album.id}?limit=1&page=${page}`);
      expect(opened.body, `page ${page}`).toMatchObject({ photoCount: 2, videoCount: 0, coverChosen: false, coverPhotoId: newestOfTwo });
    }
    const again = await json(`${url}/api/albums/${album.id}/photos/remove`, {
      method: 'POST',
      json: { ids: [id('silver_fir.jpg'), id('cyclamen_persicum.jpg')] },
    });
    expect(again.status).toBe(200);
    expect(again.body.removed).toBe(1);
    expect(again.body.album.photoCount).toBe(1);

    // The photo detail names the albums a photo is in.
    const detail = await json(`${url}/api/photos/${id('wood_anemones.jpg')}`);
    expect(detail.body.albums).toEqual([{ id: album.id, kind: 'manual', name: 'Spring flowers' }]);

    const deleted = await json(`${url}/api/albums/${album.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect((await json(`${url}/api/albums/${album.id}`)).status).toBe(404);
    expect((await listed()).map((a) => a.id)).not.toContain(album.id);
    for (const file of files) expect((await json(`${url}/api/photos/${id(file)}`)).status).toBe(200);
    expect((await json(`${url}/api/photos/${id('wood_anemones.jpg')}`)).body.albums).toEqual([]);
  });

  it('lists albums with counts that leave out photos in the trash', async () => {
    const made = (await create({ name: 'Counted', photoIds: [id('prairie_falcon.jpg'), id('tanners_ridge.jpg')] })).body as Album;
    const empty = (await create({ name: 'Empty' })).body as Album;
    try {
      let items = await listed();
      expect(items.find((a) => a.id === made.id)).toMatchObject({ photoCount: 2, kind: 'manual' });
      expect(items.find((a) => a.id === empty.id)).toMatchObject({ photoCount: 0, coverPhotoId: null });
      // In the trash (the column the trash feature sets): not counted, not shown, not the cover.
      await server.lib.db.execute(sql`update photos set deleted_at = now() where id = ${id('prairie_falcon.jpg')}::uuid`);
      items = await listed();
      expect(items.find((a) => a.id === made.id)).toMatchObject({ photoCount: 1, coverPhotoId: id('tanners_ridge.jpg') });
      const detail = await json(`${url}/api/albums/${made.id}`);
      expect(detail.body.photos.items.map((p: { id: string }) => p.id)).toEqual([id('tanners_ridge.jpg')]);
      // A photo in the trash cannot be added, nor be the cover.
      const add = await json(`${url}/api/albums/${empty.id}/photos`, { method: 'POST', json: { ids: [id('prairie_falcon.jpg')] } });
      expect(add.status).toBe(400);
      expect(add.body.message).toContain(id('prairie_falcon.jpg'));
      const cover = await json(`${url}/api/albums/${made.id}`, { method: 'PATCH', json: { coverPhotoId: id('prairie_falcon.jpg') } });
      expect(cover.status).toBe(400);
    } finally {
      await server.lib.db.execute(sql`update photos set deleted_at = null where id = ${id('prairie_falcon.jpg')}::uuid`);
      await json(`${url}/api/albums/${made.id}`, { method: 'DELETE' });
      await json(`${url}/api/albums/${empty.id}`, { method: 'DELETE' });
    }
  });

  it("keeps an album's page in the timeline's order and its counts through adds, removals, dates, trash and archive", async () => {
    const all = Object.values(ids);
    const album = (await create({ name: 'Kept in order', photoIds: all.slice(0, 4) })).body as Album;
    /** The album's live photos as the timeline orders them, read from the photos themselves. */
    const timelineOrder = async () =>
      (
        await rows<{ id: string }>(
          server.lib.db,
          sql`select p.id from photos p join album_photos ap on ap.photo_id = p.id and ap.album_id = ${album.id}::uuid
              where p.deleted_at is null order by p.taken_local desc nulls last, p.created_at desc, p.id desc`,
        )
      ).map((row) => row.id);
    const expectInOrder = async (count: number) => {
      const expected = await timelineOrder();
      expect(expected).toHaveLength(count);
      const page = await json(`${url}/api/albums/${album.id}?limit=200`);
      expect(page.body).toMatchObject({ photoCount: count, videoCount: 0, coverPhotoId: expected[0] ?? null });
      expect(page.body.photos.items.map((p: { id: string }) => p.id)).toEqual(expected);
      const second = await json(`${url}/api/albums/${album.id}?limit=2&page=2`);
      expect(second.body.photos.items.map((p: { id: string }) => p.id)).toEqual(expected.slice(2, 4));
      const filtered = await json(`${url}/api/photos?album=${album.id}&offset=1&limit=3`);
      expect(filtered.body).toMatchObject({ total: count, offset: 1 });
      expect(filtered.body.items.map((p: { id: string }) => p.id)).toEqual(expected.slice(1, 4));
      expect((await listed()).find((a) => a.id === album.id)).toMatchObject({ photoCount: count, coverPhotoId: expected[0] ?? null });
    };
    const oldest = newestFirst.filter((photo) => all.slice(1, 4).includes(photo)).at(-1)!;
    const [dated] = await rows<{ text: string | null; at: Date | null }>(
      server.lib.db,
      sql`select taken_at_text as text, taken_at as at from photos where id = ${oldest}::uuid`,
    );
    try {
      await expectInOrder(4);
      expect((await json(`${url}/api/albums/${album.id}/photos`, { method: 'POST', json: { ids: [all[4]] } })).status).toBe(200);
      await expectInOrder(5);
      expect((await json(`${url}/api/albums/${album.id}/photos`, { method: 'DELETE', json: { ids: [all[0]] } })).status).toBe(200);
      await expectInOrder(4);
      // a new date (the metadata step writing what a file says): the oldest becomes the newest, in the album too
      await server.lib.db.execute(sql`update photos set taken_at_text = '2099-05-01T10:00:00', taken_at = '2099-05-01T10:00:00Z' where id = ${oldest}::uuid`);
      await expectInOrder(4);
      expect((await timelineOrder())[0]).toBe(oldest);
      expect((await json(`${url}/api/photos/${oldest}`, { method: 'DELETE' })).status).toBe(204);
      await expectInOrder(3);
      expect((await json(`${url}/api/trash/restore`, { method: 'POST', json: { ids: [oldest] } })).body).toEqual({ restored: 1 });
      await expectInOrder(4);
      // archived photos stay in albums, counted and in their place
      expect((await json(`${url}/api/photos/${oldest}`, { method: 'PATCH', json: { archived: true } })).status).toBe(200);
      await expectInOrder(4);
      // deleted for good (rolled back): the counts drop before its rows cascade away
      await server.lib.db
        .transaction(async (tx) => {
          await tx.execute(sql`delete from photos where id = ${oldest}::uuid`);
          expect(await albumPhotoCount(tx as unknown as typeof server.lib.db, album.id)).toBe(3);
          tx.rollback();
        })
        .catch((error: unknown) => expect(String(error)).toMatch(/rollback/i));
      // the fold moves the waiting changes into the album's row; the triggers left nothing for the check to put right
      expect(await foldAlbumCounts(server.lib.db)).toBeGreaterThan(0);
      expect(await rows(server.lib.db, sql`select 1 from album_count_deltas`)).toEqual([]);
      expect(await drift()).toBe(0);
      await expectInOrder(4);
      // what two transactions at once can leave behind (a stale copy of a date, a count off by one): put right
      await server.lib.db.execute(sql`update album_photos set taken_local = null where photo_id = ${oldest}::uuid`);
      const other = all.slice(1, 4).find((photo) => photo !== oldest)!;
      await server.lib.db.execute(sql`update album_photos set trashed = true where album_id = ${album.id}::uuid and photo_id = ${other}::uuid`);
      await server.lib.db.execute(sql`update albums set photo_count = photo_count + 1 where id = ${album.id}::uuid`);
      expect(await drift()).toBe(3);
      expect(await repairAlbumOrder(server.lib.db)).toBe(3);
      expect(await drift()).toBe(0);
      await expectInOrder(4);
    } finally {
      await server.lib.db.execute(sql`update photos set archived = false, taken_at_text = ${dated!.text}, taken_at = ${dated!.at} where id = ${oldest}::uuid`);
      await json(`${url}/api/albums/${album.id}`, { method: 'DELETE' });
    }
  }, 60_000);

  it("counts a video in an album through add, trash and restore; a page with many changes waiting folds its album's", async () => {
    const clips = await testClips();
    const video = (await upload(url, [{ path: clips.mp4 }])).body.items[0].id as string;
    await waitForTerminal(url, [video], 120_000);
    const album = (await create({ name: 'With a clip', photoIds: [id('silver_fir.jpg')] })).body as Album;
    const counts = async () => {
      const page = await json(`${url}/api/albums/${album.id}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      return [page.body.photoCount, page.body.videoCount];
    };
    try {
      expect(await counts()).toEqual([1, 0]);
      expect((await json(`${url}/api/albums/${album.id}/photos`, { method: 'POST', json: { ids: [video] } })).status).toBe(200);
      expect(await counts()).toEqual([2, 1]);
      expect((await json(`${url}/api/photos/${video}`, { method: 'DELETE' })).status).toBe(204);
      expect(await counts()).toEqual([1, 0]);
      expect((await json(`${url}/api/trash/restore`, { method: 'POST', json: { ids: [video] } })).body).toEqual({ restored: 1 });
      expect(await counts()).toEqual([2, 1]);
      expect(await drift()).toBe(0);
      // an import of thousands into it (as many changes as it makes, netting to nothing): its page folds them
      await server.lib.db.execute(
        sql`insert into album_count_deltas (album_id, photos, videos) select ${album.id}::uuid, 1 - 2 * (i % 2), 0 from generate_series(1, 2000) i`,
      );
      expect(await counts()).toEqual([2, 1]);
      expect(await rows(server.lib.db, sql`select 1 from album_count_deltas where album_id = ${album.id}::uuid`)).toEqual([]);
      // and the ?album= total
      await server.lib.db.execute(
        sql`insert into album_count_deltas (album_id, photos, videos) select ${album.id}::uuid, 1 - 2 * (i % 2), 0 from generate_series(1, 2000) i`,
      );
      expect((await json(`${url}/api/photos?album=${album.id}`)).body.total).toBe(2);
      expect(await rows(server.lib.db, sql`select 1 from album_count_deltas where album_id = ${album.id}::uuid`)).toEqual([]);
      // a deleted album's changes (no row to lock) are dropped by the fold
      await server.lib.db.execute(sql`insert into album_count_deltas (album_id, photos, videos) values (gen_random_uuid(), 1, 1)`);
      await foldAlbumCounts(server.lib.db);
      expect(await rows(server.lib.db, sql`select 1 from album_count_deltas`)).toEqual([]);
    } finally {
      await json(`${url}/api/albums/${album.id}`, { method: 'DELETE' });
      await server.lib.db.execute(sql`delete from photos where id = ${video}::uuid`);
    }
  }, 150_000);

  // PostgreSQL only: PGlite runs one transaction at a time, so nothing holds an album while a fold runs
  it.runIf(onPostgres())(
    'folds around an album another transaction holds instead of waiting for it',
    async () => {
      const held = (await create({ name: 'Held' })).body as Album;
      const free = (await create({ name: 'Free' })).body as Album;
      try {
        await server.lib.db.execute(sql`insert into album_count_deltas (album_id, photos, videos) values (${held.id}::uuid, 0, 0), (${free.id}::uuid, 0, 0)`);
        const waiting = async (albumId: string) => (await rows(server.lib.db, sql`select 1 from album_count_deltas where album_id = ${albumId}::uuid`)).length;
        // as an auto-album regeneration holds its albums; a fold that waited for it would never end here
        await server.lib.db.transaction(async (tx) => {
          await tx.execute(sql`select 1 from albums where id = ${held.id}::uuid for no key update`);
          const timeout = new Promise((resolve) => setTimeout(() => resolve('waited'), 5_000));
          expect(await Promise.race([foldAlbumCounts(server.lib.db), timeout])).toBe(1);
        });
        expect([await waiting(held.id), await waiting(free.id)]).toEqual([1, 0]);
        await foldAlbumCounts(server.lib.db);
        expect(await waiting(held.id)).toBe(0);
      } finally {
        for (const album of [held, free]) await json(`${url}/api/albums/${album.id}`, { method: 'DELETE' });
      }
    },
    30_000,
  );

  it('answers clear errors', async () => {
    const blank = await create({ name: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.message).toMatch(/name/);
    expect((await create({ name: 'x'.repeat(201) })).status).toBe(400);
    expect((await create({})).status).toBe(400);

    const unknown = '00000000-0000-4000-8000-000000000001';
    const missing = await create({ name: 'Ghosts', photoIds: [id('silver_fir.jpg'), unknown] });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain(unknown);
    expect(missing.body.message).not.toContain(id('silver_fir.jpg'));
    expect((await listed()).map((a) => a.name)).not.toContain('Ghosts');

    const album = (await create({ name: 'Errors', photoIds: [id('silver_fir.jpg')] })).body as Album;
    try {
      const cover = await json(`${url}/api/albums/${album.id}`, { method: 'PATCH', json: { coverPhotoId: id('prairie_falcon.jpg') } });
      expect(cover.status).toBe(400);
      expect(cover.body.message).toMatch(/not in this album/);
      const add = await json(`${url}/api/albums/${album.id}/photos`, { method: 'POST', json: { ids: [unknown] } });
      expect(add.status).toBe(400);
      expect(add.body.message).toContain(unknown);
      expect((await json(`${url}/api/albums/${album.id}/photos`, { method: 'POST', json: { ids: [] } })).status).toBe(400);
      expect((await json(`${url}/api/albums/${album.id}`, { method: 'PATCH', json: { name: '' } })).status).toBe(400);
      expect((await json(`${url}/api/albums/${album.id}`, { method: 'PATCH', json: {} })).status).toBe(400);
      const dismiss = await json(`${url}/api/albums/${album.id}/dismiss`, { method: 'POST' });
      expect(dismiss.status).toBe(409);
      expect((await json(`${url}/api/albums/${unknown}`)).status).toBe(404);
      expect((await json(`${url}/api/albums/${unknown}`, { method: 'PATCH', json: { name: 'x' } })).status).toBe(404);
      expect((await json(`${url}/api/albums/not-a-uuid`)).status).toBe(400);
      expect((await json(`${url}/api/albums?kind=smart`)).status).toBe(400);
    } finally {
      await json(`${url}/api/albums/${album.id}`, { method: 'DELETE' });
    }
  });

  it('finds photos by album name, suggests the album and filters by it', async () => {
    const album = (await create({ name: 'Zanzibar holiday', photoIds: [id('prairie_falcon.jpg'), id('silver_fir.jpg')] })).body as Album;
    try {
      const hits = await keywordSearch({ q: 'zanzibar' });
      expect(hits.map((h) => h.photo.id).sort()).toEqual([id('prairie_falcon.jpg'), id('silver_fir.jpg')].sort());
      for (const hit of hits) expect(hit.explanation.keyword!.matches).toContainEqual({ field: 'albums', words: ['Zanzibar'] });

      expect(await suggestions('zanz')).toContainEqual(expect.objectContaining({ kind: 'album', key: album.id, label: 'Zanzibar holiday', photos: 2 }));

      // The album filter narrows a search ("jpg" is in every file name) and the photo list.
      const filtered = await keywordSearch({ q: 'jpg', album: album.id });
      expect(filtered.map((h) => h.photo.id).sort()).toEqual([id('prairie_falcon.jpg'), id('silver_fir.jpg')].sort());
      expect((await keywordSearch({ q: 'jpg' })).length).toBe(files.length);
      const list = await json(`${url}/api/photos?album=${album.id}`);
      expect(list.body.total).toBe(2);

      // Adding a photo counts at once; a rename moves both the words and the suggestion.
      await json(`${url}/api/albums/${album.id}/photos`, { method: 'POST', json: { ids: [id('tanners_ridge.jpg')] } });
      expect((await keywordSearch({ q: 'zanzibar' })).length).toBe(3);
      await json(`${url}/api/albums/${album.id}`, { method: 'PATCH', json: { name: 'Madagascar trip' } });
      expect(await keywordSearch({ q: 'zanzibar' })).toEqual([]);
      expect((await keywordSearch({ q: 'madagascar' })).length).toBe(3);
      expect(await suggestions('zanz')).toEqual([]);
      expect(await suggestions('madag')).toContainEqual(expect.objectContaining({ key: album.id, label: 'Madagascar trip', photos: 3 }));

      // Removing takes the photo out of the search.
      await json(`${url}/api/albums/${album.id}/photos`, { method: 'DELETE', json: { ids: [id('tanners_ridge.jpg')] } });
      expect((await keywordSearch({ q: 'madagascar' })).map((h) => h.photo.id)).not.toContain(id('tanners_ridge.jpg'));
    } finally {
      await json(`${url}/api/albums/${album.id}`, { method: 'DELETE' });
    }
    expect(await keywordSearch({ q: 'madagascar' })).toEqual([]);
    expect(await suggestions('madag')).toEqual([]);
  });

  it('keeps and dismisses automatic albums', async () => {
    const insertAuto = async (name: string, members: string[]) => {
      const [row] = await rows<{ id: string }>(
        server.lib.db,
        sql`insert into albums (owner_id, name, kind, name_source, tags, signature)
            values (${server.lib.ownerId}::uuid, ${name}, 'auto', 'fallback', '{nature}', ${members.slice().sort().join(',')})
            returning id`,
      );
      for (const member of members) {
        await server.lib.db.execute(sql`insert into album_photos (album_id, photo_id) values (${row!.id}::uuid, ${member}::uuid)`);
      }
      await refreshSearchDocuments(server.lib.db, members);
      return row!.id;
    };
    const rocks = await insertAuto('Quartzite ridges', [id('tanners_ridge.jpg'), id('silver_fir.jpg')]);
    const birds = await insertAuto('Raptor sightings', [id('prairie_falcon.jpg')]);
    const blooms = await insertAuto('Blossom time', [id('cyclamen_persicum.jpg')]);
    const manual = (await create({ name: 'Mine', photoIds: [id('wood_anemones.jpg')] })).body as Album;
    try {
      // Both kinds are listed with their kind; the filter takes one.
      const all = await listed();
      expect(all.find((a) => a.id === rocks)).toMatchObject({ kind: 'auto', photoCount: 2, nameSource: 'fallback' });
      expect(all.find((a) => a.id === manual.id)).toMatchObject({ kind: 'manual' });
      expect(all.findIndex((a) => a.id === manual.id)).toBeLessThan(all.findIndex((a) => a.id === rocks)); // manual first
      expect((await listed('?kind=auto')).map((a) => a.id).sort()).toEqual([rocks, birds, blooms].sort());
      expect((await listed('?kind=manual')).map((a) => a.id)).toEqual([manual.id]);
      expect((await keywordSearch({ q: 'quartzite' })).length).toBe(2);

      // Dismissed: not listed, not searched by, not suggested, not on the photo; twice is fine.
      const dismissed = await json(`${url}/api/albums/${rocks}/dismiss`, { method: 'POST' });
      expect(dismissed.status).toBe(200);
      expect(dismissed.body).toMatchObject({ kind: 'auto', status: 'dismissed' });
      expect((await json(`${url}/api/albums/${rocks}/dismiss`, { method: 'POST' })).status).toBe(200);
      expect((await listed()).map((a) => a.id)).not.toContain(rocks);
      expect(await keywordSearch({ q: 'quartzite' })).toEqual([]);
      expect(await suggestions('quartz')).toEqual([]);
      expect((await json(`${url}/api/photos/${id('tanners_ridge.jpg')}`)).body.albums).toEqual([]);
      // The row stays (regenerating must recognise it).
      const [kept] = await rows<{ status: string }>(server.lib.db, sql`select status from albums where id = ${rocks}::uuid`);
      expect(kept!.status).toBe('dismissed');

      // Keep: it becomes manual (and a dismissed one comes back).
      const keep = await json(`${url}/api/albums/${birds}/keep`, { method: 'POST' });
      expect(keep.status).toBe(200);
      expect(keep.body).toMatchObject({ kind: 'manual', status: 'active', name: 'Raptor sightings', nameSource: 'fallback' });
      expect((await json(`${url}/api/albums/${birds}/dismiss`, { method: 'POST' })).status).toBe(409);
      const back = await json(`${url}/api/albums/${rocks}/keep`, { method: 'POST' });
      expect(back.body).toMatchObject({ kind: 'manual', status: 'active' });
      expect((await keywordSearch({ q: 'quartzite' })).length).toBe(2);

      // Editing an automatic album keeps it too.
      const renamed = await json(`${url}/api/albums/${blooms}`, { method: 'PATCH', json: { name: 'Cyclamen' } });
      expect(renamed.body).toMatchObject({ kind: 'manual', name: 'Cyclamen', nameSource: 'user' });
      expect((await listed('?kind=auto')).map((a) => a.id)).toEqual([]);
    } finally {
      for (const album of [rocks, birds, blooms, manual.id]) await json(`${url}/api/albums/${album}`, { method: 'DELETE' });
    }
  });

  it('adding photos to an automatic album makes it manual', async () => {
    const [row] = await rows<{ id: string }>(
      server.lib.db,
      sql`insert into albums (owner_id, name, kind, name_source) values (${server.lib.ownerId}::uuid, 'Auto firs', 'auto', 'provider') returning id`,
    );
    const added = await json(`${url}/api/albums/${row!.id}/photos`, { method: 'POST', json: { ids: [id('silver_fir.jpg')] } });
    expect(added.status).toBe(200);
    expect(added.body.album).toMatchObject({ kind: 'manual', photoCount: 1, nameSource: 'provider' });
    expect((await keywordSearch({ q: 'firs' })).map((h) => h.photo.id)).toContain(id('silver_fir.jpg'));
    await json(`${url}/api/albums/${row!.id}`, { method: 'DELETE' });
  });

  it('documents the album routes in OpenAPI', async () => {
    const doc = await json(`${url}/api/openapi.json`);
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/albums', '/api/albums/{id}', '/api/albums/{id}/photos', '/api/albums/{id}/keep', '/api/albums/{id}/dismiss']),
    );
  });

  it('`shoebox albums` lists through the running server, or on the library folder', async () => {
    const output = async (work: () => Promise<void>) => {
      let out = '';
      const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
      const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        await work();
      } finally {
        write.mockRestore();
        err.mockRestore();
      }
      return out;
    };
    const album = (await create({ name: 'Through the server', photoIds: [id('silver_fir.jpg'), id('prairie_falcon.jpg')] })).body as Album;
    try {
      // The server is found through the library's lock (on PostgreSQL, which several servers share, there is none:
      // the CLI opens the same database).
      const settings = loadSettings({ dataDir: server.dataDir, databaseUrl: await libraryDatabaseUrl(server.dataDir), logLevel: 'silent' }, {});
      const printed = JSON.parse(await output(() => runAlbums(settings, { json: true })));
      expect(printed.items).toContainEqual(expect.objectContaining({ id: album.id, name: 'Through the server', kind: 'manual', photoCount: 2 }));
      expect(await output(() => runAlbums(settings, { kind: 'auto' }))).toBe('');
    } finally {
      await json(`${url}/api/albums/${album.id}`, { method: 'DELETE' });
    }

    const dataDir = tempDir();
    const settings = loadSettings({ dataDir, databaseUrl: await libraryDatabaseUrl(dataDir), logLevel: 'silent' }, {});
    const lib = await openLibraryAsOwner(settings, createLogger('silent'));
    await createAlbum(lib, { name: 'On the folder' });
    await lib.close();
    const text = await output(() => runAlbums(settings, {})).finally(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    expect(text).toMatch(/^0 {2}manual {2}On the folder {2}[0-9a-f-]{36}\n$/);
  }, 60_000);
});
