// Each person's photos in date order (photo_people), kept by the database's own triggers as faces are found,
// moved, unassigned and deleted, as photos' dates change and as photos go: checked row by row on the real
// embedded database, and the listing of a name reading it in the library's own order.
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/connection.js';
import { scheduleUpkeep } from '../../src/app/upkeep.js';
import { refreshSearchDocuments } from '../../src/search/documents.js';
import { repairPersonPhotos } from '../../src/search/person-photos.js';
import { FOLD_AT_DELTAS, foldPeopleCounts } from '../../src/library/people/counts.js';
import { colourPhoto } from '../helpers/images.js';
import { json, libraryDatabaseUrl, onPostgres, startTestServer, upload, waitForTerminal, type TestServer } from '../helpers/server.js';

describe('photo_people', () => {
  let server: TestServer;
  let photoIds: string[] = [];
  const people: Record<string, string> = {};

  const kept = async () =>
    (
      await rows<{ person: string; photo: number; faces: number }>(
        server.lib.db,
        sql`select pe.name as person, pp.photo_id::text as photo, pp.faces from photo_people pp join people pe on pe.id = pp.person_id order by 1, 2`,
      )
    )
      .map((row) => `${row.person}:${photoIds.indexOf(String(row.photo))}${row.faces > 1 ? `×${row.faces}` : ''}`)
      .sort();

  const addFace = async (photo: number, person: string) => {
    const [face] = await rows<{ id: string }>(
      server.lib.db,
      sql`insert into faces (photo_id, person_id, x, y, width, height, score, embedding, detector)
          values (${photoIds[photo]}::uuid, ${people[person]}::uuid, 0, 0, 10, 10, 0.9, array_fill(0.01, array[1024])::vector, 'test') returning id`,
    );
    return face!.id;
  };

  /** A person's counts as readers take them: the row's columns plus the changes waiting to be folded. */
  const keptCounts = (id: string) =>
    sql`select pe.face_count + coalesce(sum(d.faces), 0)::int as face_count, pe.photo_count + coalesce(sum(d.photos), 0)::int as photo_count
        from people pe left join people_count_deltas d on d.person_id = pe.id where pe.id = ${id}::uuid group by pe.id`;
  const waiting = async () => (await rows<{ n: number }>(server.lib.db, sql`select count(*)::int as n from people_count_deltas`))[0]!.n;

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
      const [row] = await rows<{ id: string }>(
        server.lib.db,
        sql`insert into people (owner_id, name) select owner_id, ${name} from photos limit 1 returning id`,
      );
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
    expect(await kept()).toEqual(['Ada:0×2', 'Bea:1']);
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

  const takenAt = (photo: number, iso: string) =>
    server.lib.db.execute(sql`update photos set taken_at = ${iso}::timestamptz where id = ${photoIds[photo]}::uuid`);
  const listed = async (q: string) => {
    const response = await json(`${server.url}/api/search?${new URLSearchParams({ q, limit: '50' })}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return (response.body.items as { photo: { id: string } }[]).map((hit) => photoIds.indexOf(hit.photo.id));
  };

  it("lists a named person's photos newest first through it, with the other filters and a date changed", async () => {
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

  it('is what a name lists, and the upkeep puts it right where it drifted', async () => {
    const ada = people.Ada!;
    // a row gone: the name's listing reads this table, so the photo drops out of it…
    await server.lib.db.execute(sql`delete from photo_people where person_id = ${ada}::uuid and photo_id = ${photoIds[0]}::uuid`);
    expect(await listed('Ada')).toEqual([2]);
    // …a count and a date gone wrong too; the upkeep brings all three back in line with the faces and the photos
    await server.lib.db.execute(
      sql`update photo_people set faces = 5, sort_date = '1990-01-01' where person_id = ${ada}::uuid and photo_id = ${photoIds[2]}::uuid`,
    );
    expect(await repairPersonPhotos(server.lib.db)).toBe(2);
    expect(await listed('Ada')).toEqual([2, 0]);
    expect(await kept()).toEqual(['Ada:0', 'Ada:2', 'Bea:1', 'Bea:2']);
    expect(await repairPersonPhotos(server.lib.db)).toBe(0);
    // the server's own upkeep does it on its hourly run (here every 20 ms)
    await server.lib.db.execute(sql`delete from photo_people where person_id = ${ada}::uuid and photo_id = ${photoIds[0]}::uuid`);
    const upkeep = await scheduleUpkeep(server.lib, 20);
    try {
      await expect.poll(kept, { timeout: 10_000, interval: 50 }).toEqual(['Ada:0', 'Ada:2', 'Bea:1', 'Bea:2']);
    } finally {
      await upkeep.stop();
    }
  });

  it('follows photos: a new date moves them in the order, a photo gone takes its rows along', async () => {
    await takenAt(2, '2001-02-03T04:05:06Z');
    const [row] = await rows<{ sort_date: string }>(
      server.lib.db,
      sql`select sort_date::text from photo_people where photo_id = ${photoIds[2]}::uuid and person_id = ${people.Ada}::uuid`,
    );
    expect(new Date(row!.sort_date).toISOString()).toBe('2001-02-03T04:05:06.000Z');
    expect((await json(`${server.url}/api/photos/delete`, { method: 'POST', json: { ids: [photoIds[1]], force: true } })).status).toBe(200);
    expect(await kept()).toEqual(['Ada:0', 'Ada:2', 'Bea:2']);
    // a person deleted takes theirs along
    await server.lib.db.execute(sql`delete from people where id = ${people.Ada}::uuid`);
    expect(await kept()).toEqual(['Bea:2']);
  });

  // PostgreSQL only: the embedded database has one connection, so its transactions never overlap
  it.runIf(onPostgres())('stays exact when two transactions move faces of one person on one photo at once', async () => {
    const [person] = await rows<{ id: string }>(server.lib.db, sql`insert into people (owner_id, name) select owner_id, 'Cy' from photos limit 1 returning id`);
    people.Cy = person!.id;
    const first = await addFace(0, 'Cy');
    const [other] = await rows<{ id: string }>(
      server.lib.db,
      sql`insert into faces (photo_id, x, y, width, height, score, embedding, detector)
          values (${photoIds[0]}::uuid, 20, 20, 10, 10, 0.9, array_fill(0.01, array[1024])::vector, 'test') returning id`,
    );
    const url = (await libraryDatabaseUrl(server.dataDir))!;
    const [one, two] = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    await Promise.all([one.connect(), two.connect()]);
    try {
      // one names the other face Cy while two deletes Cy's first face, neither committed: the photo stays Cy's
      await one.query('begin');
      await one.query('update faces set person_id = $1 where id = $2', [people.Cy, other!.id]);
      await two.query('begin');
      const deleting = two.query('delete from faces where id = $1', [first]);
      await new Promise((resolve) => setTimeout(resolve, 300)); // two waits on the row one holds
      await one.query('commit');
      await deleting;
      await two.query('commit');
    } finally {
      await Promise.all([one.end(), two.end()]);
    }
    expect((await kept()).filter((row) => row.startsWith('Cy'))).toEqual(['Cy:0']);
    expect(await repairPersonPhotos(server.lib.db)).toBe(0);
  });

  it("keeps each person's faces and photos outside the trash, which the people page lists and sorts by", async () => {
    const [row] = await rows<{ id: string }>(server.lib.db, sql`insert into people (owner_id, name) select owner_id, 'Dee' from photos limit 1 returning id`);
    const dee = (people.Dee = row!.id);
    await addFace(0, 'Dee');
    await addFace(0, 'Dee');
    const moved = await addFace(2, 'Dee');
    const page = async () => {
      const response = await json(`${server.url}/api/people?limit=500`);
      expect(response.status).toBe(200);
      return response.body.items as { id: string; name: string | null; faceCount: number; photoCount: number }[];
    };
    const counts = async () => {
      const [kept] = await rows<{ face_count: number; photo_count: number }>(server.lib.db, keptCounts(dee));
      const listed = (await page()).find((person) => person.id === dee);
      expect(listed && { faces: listed.faceCount, photos: listed.photoCount }).toEqual({ faces: kept!.face_count, photos: kept!.photo_count });
      return `${kept!.face_count} faces, ${kept!.photo_count} photos`;
    };
    expect(await counts()).toBe('3 faces, 2 photos');
    // the changes the triggers inserted fold into the person's row: the same counts, none waiting
    expect(await waiting()).toBeGreaterThan(0);
    expect(await foldPeopleCounts(server.lib.db)).toBeGreaterThan(0);
    expect(await waiting()).toBe(0);
    expect(await counts()).toBe('3 faces, 2 photos');
    const named = (await page()).filter((person) => person.name !== null);
    expect(named.map((person) => person.faceCount)).toEqual(named.map((person) => person.faceCount).sort((a, b) => b - a));
    expect(named[0]!.id).toBe(dee);
    const post = (path: string, ids: string[]) => json(`${server.url}${path}`, { method: 'POST', json: { ids } });
    expect((await post('/api/photos/delete', [photoIds[0]!])).status).toBe(200); // to the trash
    expect(await counts()).toBe('1 faces, 1 photos');
    expect((await post('/api/trash/restore', [photoIds[0]!])).status).toBe(200);
    expect(await counts()).toBe('3 faces, 2 photos');
    await server.lib.db.execute(sql`update faces set person_id = ${people.Bea}::uuid where id = ${moved}::uuid`);
    expect(await counts()).toBe('2 faces, 1 photos');
    // drifted: the upkeep's check puts the counts right too, and folds what waits with them (not twice)
    await server.lib.db.execute(sql`update people set face_count = 9, photo_count = 4 where id = ${dee}::uuid`);
    expect(await repairPersonPhotos(server.lib.db)).toBe(1);
    expect(await waiting()).toBe(0);
    expect(await counts()).toBe('2 faces, 1 photos');
    expect(await repairPersonPhotos(server.lib.db)).toBe(0);
    // deleted for good from the library (not from the trash): theirs no more; unnamed and empty, not listed
    expect((await json(`${server.url}/api/photos/delete`, { method: 'POST', json: { ids: [photoIds[0]], force: true } })).status).toBe(200);
    expect(await counts()).toBe('0 faces, 0 photos');
    await server.lib.db.execute(sql`update people set name = null where id = ${dee}::uuid`);
    expect((await page()).some((person) => person.id === dee)).toBe(false);
  });

  it('counts a merge of two people on the one kept, and the page folds many changes first', async () => {
    const person = async (name: string) =>
      (await rows<{ id: string }>(server.lib.db, sql`insert into people (owner_id, name) select owner_id, ${name} from photos limit 1 returning id`))[0]!.id;
    people.Eve = await person('Eve');
    people.Fay = await person('Fay');
    // the one photo left here: Eve's row and Fay's on it become one
    await addFace(2, 'Eve');
    await addFace(2, 'Fay');
    await addFace(2, 'Fay');
    const merged = await json(`${server.url}/api/people/${people.Eve}/merge`, { method: 'POST', json: { ids: [people.Fay] } });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect({ faces: merged.body.faceCount, photos: merged.body.photoCount }).toEqual({ faces: 3, photos: 1 });
    const [eve] = await rows<{ face_count: number; photo_count: number }>(server.lib.db, keptCounts(people.Eve));
    expect(eve).toEqual({ face_count: 3, photo_count: 1 });
    // past the page's limit of waiting changes, listing folds them first (with the same counts)
    await server.lib.db.execute(
      sql`insert into people_count_deltas (person_id, faces, photos) select ${people.Eve}::uuid, 0, 0 from generate_series(1, ${FOLD_AT_DELTAS})`,
    );
    const page = await json(`${server.url}/api/people?limit=500`);
    expect(page.body.items.find((item: { id: string }) => item.id === people.Eve)).toMatchObject({ faceCount: 3, photoCount: 1 });
    expect(await waiting()).toBe(0);
  });
});
