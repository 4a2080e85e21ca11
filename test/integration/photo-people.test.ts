// Each person's photos in date order (photo_people), kept by the database's own triggers as faces are found,
// moved, unassigned and deleted, as photos' dates change and as photos go: checked row by row on the real
// embedded database, and the listing of a name reading it in the library's own order.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/connection.js';
import { refreshSearchDocuments } from '../../src/search/documents.js';
import { colourPhoto } from '../helpers/images.js';
import { json, startTestServer, upload, waitForTerminal, type TestServer } from '../helpers/server.js';

describe('photo_people', () => {
  let server: TestServer;
  let photoIds: string[] = [];
  const people: Record<string, string> = {};

  const kept = async () =>
    (await rows<{ person: string; photo: number; sort_date: string }>(
      server.lib.db,
      sql`select pe.name as person, pp.photo_id::text as photo, pp.sort_date::text from photo_people pp join people pe on pe.id = pp.person_id order by 1, 2`,
    )).map((row) => `${row.person}:${photoIds.indexOf(String(row.photo))}`).sort();

  const addFace = async (photo: number, person: string) => {
    const [face] = await rows<{ id: string }>(
      server.lib.db,
      sql`insert into faces (photo_id, person_id, x, y, width, height, score, embedding, detector)
          values (${photoIds[photo]}::uuid, ${people[person]}::uuid, 0, 0, 10, 10, 0.9, array_fill(0.01, array[1024])::vector, 'test') returning id`,
    );
    return face!.id;
  };

  beforeAll(async () => {
    server = await startTestServer();
    const files = await Promise.all(
      [
        [200, 40, 40],
        [40, 200, 40],
        [40, 40, 200],
      ].map(async (rgb, i) => ({ name: `p${i}.jpg`, data: await colourPhoto(rgb as [number, number, number]) })),
    );
    const { body } = await upload(server.url, files);
    photoIds = body.items.map((item: { id: string }) => item.id);
    await waitForTerminal(server.url, photoIds);
    for (const name of ['Ada', 'Bea']) {
      const [row] = await rows<{ id: string }>(server.lib.db, sql`insert into people (owner_id, name) select owner_id, ${name} from photos limit 1 returning id`);
      people[name] = row!.id;
    }
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('follows faces as they are found, moved, unassigned and deleted', async () => {
    const first = await addFace(0, 'Ada');
    const second = await addFace(0, 'Ada');
    await addFace(1, 'Bea');
    expect(await kept()).toEqual(['Ada:0', 'Bea:1']);
    // one of two faces of Ada on the photo goes: the photo is still hers
    await server.lib.db.execute(sql`delete from faces where id = ${first}::uuid`);
    expect(await kept()).toEqual(['Ada:0', 'Bea:1']);
    // the other is Bea after all: the photo is Bea's now, no longer Ada's
    await server.lib.db.execute(sql`update faces set person_id = ${people.Bea}::uuid where id = ${second}::uuid`);
    expect(await kept()).toEqual(['Bea:0', 'Bea:1']);
    // unassigned ("not this person")
    await server.lib.db.execute(sql`update faces set person_id = null where id = ${second}::uuid`);
    expect(await kept()).toEqual(['Bea:1']);
  });

  const takenAt = (photo: number, iso: string) => server.lib.db.execute(sql`update photos set taken_at = ${iso}::timestamptz where id = ${photoIds[photo]}::uuid`);
  const listed = async (q: string) => {
    const response = await json(`${server.url}/api/search?${new URLSearchParams({ q, limit: '50' })}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return (response.body.items as { photo: { id: string } }[]).map((hit) => photoIds.indexOf(hit.photo.id));
  };

  it('lists a named person\'s photos newest first through it, with the other filters and a date changed', async () => {
    await addFace(0, 'Ada');
    await addFace(2, 'Ada');
    await addFace(2, 'Bea');
    await takenAt(0, '2020-06-01T12:00:00Z');
    await takenAt(2, '2010-06-01T12:00:00Z');
    await refreshSearchDocuments(server.lib.db, photoIds); // the names searchable, as the faces step does
    expect(await listed('Ada')).toEqual([0, 2]);
    await takenAt(0, '2000-06-01T12:00:00Z');
    expect(await listed('Ada')).toEqual([2, 0]);
    // together and either: Bea is on 1 and 2, taken 2010 and when it arrived (today)
    expect(await listed('Ada and Bea')).toEqual([2]);
    expect(await listed('Ada or Bea')).toEqual([1, 2, 0]);
    expect(await listed('Ada since 2005')).toEqual([2]);
  });

  it('follows photos: a new date moves them in the order, a photo gone takes its rows along', async () => {
    await takenAt(2, '2001-02-03T04:05:06Z');
    const [row] = await rows<{ sort_date: string }>(server.lib.db, sql`select sort_date::text from photo_people where photo_id = ${photoIds[2]}::uuid and person_id = ${people.Ada}::uuid`);
    expect(new Date(row!.sort_date).toISOString()).toBe('2001-02-03T04:05:06.000Z');
    expect((await json(`${server.url}/api/photos/delete`, { method: 'POST', json: { ids: [photoIds[1]], force: true } })).status).toBe(200);
    expect(await kept()).toEqual(['Ada:0', 'Ada:2', 'Bea:2']);
    // a person deleted takes theirs along
    await server.lib.db.execute(sql`delete from people where id = ${people.Ada}::uuid`);
    expect(await kept()).toEqual(['Bea:2']);
  });
});
