import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/connection.js';
import { foldPeopleCounts } from '../../src/library/people/counts.js';
import { runCli } from '../helpers/cli.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { startS3Server, type S3Server } from '../helpers/s3-server.js';
import { assets, authFetch, json, startTestServer, tempDir, upload, waitForTerminal, withoutFacesOrText } from '../helpers/server.js';

// `shoebox migrate`: an embedded library moved into PostgreSQL + S3 and back into a folder, each copy verified and
// opened by a server that shows the same library; a second run resumes (copies nothing again); the source is only read.
describe('shoebox migrate', () => {
  let postgres: PostgresServer;
  let s3: S3Server;
  const folders: string[] = [];
  const sourceDir = tempDir();
  let ids: string[] = [];
  let albumId = '';
  let albumOrder: string[] = [];
  let embeddingText = '';
  let peoplePage: string[] = [];
  const peopleCounts = (page: { items: { name: string; faceCount: number; photoCount: number }[] }) =>
    page.items.map((person) => `${person.name}: ${person.faceCount} faces, ${person.photoCount} photos`);
  const originals = new Map<string, string>(); // photo id → sha256 of the uploaded bytes
  const files = ['formats/jpg/el_torcal_rocks.jpg', 'metadata/gps-position/thompson-springs.jpg', 'formats/png/density_plot.png'];

  beforeAll(async () => {
    [postgres, s3] = await Promise.all([startPostgresServer(), startS3Server()]);
    const server = await startTestServer(withoutFacesOrText({ dataDir: sourceDir, databaseUrl: undefined }));
    try {
      const { body } = await upload(
        server.url,
        files.map((file) => ({ path: path.join(assets, file) })),
      );
      ids = body.items.map((item: { id: string }) => item.id);
      files.forEach((file, i) =>
        originals.set(
          ids[i]!,
          createHash('sha256')
            .update(fs.readFileSync(path.join(assets, file)))
            .digest('hex'),
        ),
      );
      await waitForTerminal(server.url, ids);
      const album = await json(`${server.url}/api/albums`, { method: 'POST', json: { name: 'Moved along', photoIds: ids } });
      albumId = album.body.id;
      // in it, a photo given a new date (now the newest) and one in the trash: the target's album keeps both as they are
      await server.lib.db.execute(sql`update photos set taken_at_text = '2099-05-01T10:00:00', taken_at = '2099-05-01T10:00:00Z' where id = ${ids[1]!}::uuid`);
      expect((await json(`${server.url}/api/photos/${ids[2]!}`, { method: 'DELETE' })).status).toBe(204);
      albumOrder = (await json(`${server.url}/api/albums/${albumId}`)).body.photos.items.map((photo: { id: string }) => photo.id);
      expect(albumOrder).toEqual([ids[1], ids[0]]);
      // vectors with awkward floats (no CLIP model in the tests): they must cross bit for bit
      for (const [i, id] of ids.entries()) {
        const vector = `[${Array.from({ length: 512 }, (_, d) => Math.fround(Math.sin(d * 7.31 + i) / 3)).join(',')}]`;
        await server.lib.db.execute(
          sql`insert into photo_embeddings (photo_id, model, embedding) values (${id}, 'test', ${vector}::vector) on conflict (photo_id) do update set embedding = excluded.embedding`,
        );
      }
      // a person with faces on two photos: the target counts them itself (its triggers see each face arrive)
      const [person] = await rows<{ id: string }>(
        server.lib.db,
        sql`insert into people (owner_id, name) select owner_id, 'Mo' from photos limit 1 returning id`,
      );
      const addFace = (photo: string) =>
        server.lib.db.execute(
          sql`insert into faces (photo_id, person_id, x, y, width, height, score, embedding, detector)
              values (${photo}::uuid, ${person!.id}::uuid, 0, 0, 10, 10, 0.9, array_fill(0.01, array[1024])::vector, 'test')`,
        );
      await addFace(ids[0]!);
      await addFace(ids[0]!);
      await addFace(ids[1]!);
      await foldPeopleCounts(server.lib.db); // counted on the person's row, as after the upkeep
      peoplePage = peopleCounts((await json(`${server.url}/api/people`)).body);
      expect(peoplePage).toEqual(['Mo: 3 faces, 2 photos']);
      embeddingText = (await rows<{ v: string }>(server.lib.db, sql`select string_agg(embedding::text, ';' order by photo_id) as v from photo_embeddings`))[0]!
        .v;
    } finally {
      await server.close();
    }
  }, 180_000);
  afterAll(async () => {
    await postgres?.stop();
    await s3?.stop();
    for (const dir of [sourceDir, ...folders]) fs.rmSync(dir, { recursive: true, force: true });
  });

  const s3Env = () => {
    const { SHOEBOX_STORAGE: _unused, ...connection } = s3.env('unused');
    return connection;
  };

  /** A server on a migrated library: the same photos with the same bytes, the album with its photos. */
  const checkLibrary = async (overrides: Parameters<typeof startTestServer>[0]) => {
    const dataDir = tempDir();
    folders.push(dataDir);
    const server = await startTestServer(withoutFacesOrText({ dataDir, ...overrides }));
    try {
      const listed = await json(`${server.url}/api/photos?limit=50`);
      expect(listed.body.items.map((photo: { id: string }) => photo.id).sort()).toEqual([ids[0], ids[1]].sort());
      expect((await json(`${server.url}/api/trash`)).body.items.map((photo: { id: string }) => photo.id)).toEqual([ids[2]]);
      for (const id of ids) {
        const original = await authFetch(`${server.url}/api/photos/${id}/original`);
        expect(original.status).toBe(200);
        expect(
          createHash('sha256')
            .update(Buffer.from(await original.arrayBuffer()))
            .digest('hex'),
        ).toBe(originals.get(id));
        expect((await authFetch(`${server.url}/api/photos/${id}/thumbnail`)).status).toBe(200);
      }
      expect(peopleCounts((await json(`${server.url}/api/people`)).body)).toEqual(peoplePage);
      const album = await json(`${server.url}/api/albums/${albumId}`);
      expect(album.body.name).toBe('Moved along');
      // the album's counts and its photos' places are the target's triggers' own (copied too, they counted twice)
      expect(album.body).toMatchObject({ photoCount: 2, videoCount: 0 });
      expect(album.body.photos.items.map((photo: { id: string }) => photo.id)).toEqual(albumOrder);
      const [embeddings] = await rows<{ v: string }>(server.lib.db, sql`select string_agg(embedding::text, ';' order by photo_id) as v from photo_embeddings`);
      expect(embeddings!.v).toBe(embeddingText);
    } finally {
      await server.close();
    }
  };

  it('copies an embedded library into PostgreSQL and S3, verified, and a second run resumes', async () => {
    const sourceFiles = fs.readdirSync(path.join(sourceDir, 'originals'), { recursive: true }).sort();
    const target = await postgres.createDatabase('moved');
    const first = await runCli(['migrate', '--data', sourceDir, '--to', target, '--storage', `s3://${s3.bucket}/moved`], s3Env());
    expect(first.code, first.stderr + first.stdout).toBe(0);
    expect(first.stdout).toMatch(/files: \d+ copied, 0 already there/);
    expect(first.stdout).toContain(`Verified. Start it with: DATABASE_URL=${target} SHOEBOX_STORAGE=s3://${s3.bucket}/moved shoebox serve`);
    const again = await runCli(['migrate', '--data', sourceDir, '--to', target, '--storage', `s3://${s3.bucket}/moved`], s3Env());
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/files: 0 copied, \d+ already there/);
    expect(fs.readdirSync(path.join(sourceDir, 'originals'), { recursive: true }).sort()).toEqual(sourceFiles); // only read

    await checkLibrary({
      databaseUrl: target,
      storage: {
        url: `s3://${s3.bucket}/moved`,
        endpoint: s3.endpoint,
        forcePathStyle: true,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
      },
    });

    // and back: from PostgreSQL + S3 into a new library folder
    const back = tempDir();
    folders.push(back);
    fs.rmSync(back, { recursive: true });
    const returned = await runCli(['migrate', '--data', tempDir(), '--to', back], { ...s3.env('moved'), DATABASE_URL: target });
    expect(returned.code, returned.stderr + returned.stdout).toBe(0);
    expect(returned.stdout).toContain(`Verified. Start it with: shoebox serve --data ${back}`);
    await checkLibrary({ dataDir: back, databaseUrl: undefined });
  }, 240_000);

  it('says what is missing and fails when the source lacks an original', async () => {
    const broken = tempDir();
    folders.push(broken);
    fs.cpSync(sourceDir, broken, { recursive: true });
    fs.rmSync(path.join(broken, 'shoebox.lock'), { force: true });
    const [victim] = fs.readdirSync(path.join(broken, 'originals'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    fs.rmSync(path.join(victim!.parentPath, victim!.name));
    const into = tempDir();
    folders.push(into);
    const result = await runCli(['migrate', '--data', broken, '--to', into]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/missing from the store: originals\/.+/);
    expect(result.stdout).toContain('Run the same command again to resume');
  }, 120_000);

  it('refuses a target that holds another library instead of mixing the two', async () => {
    const target = await postgres.createDatabase('other');
    const other = await startTestServer(withoutFacesOrText({ databaseUrl: target }));
    await upload(other.url, [{ path: path.join(assets, files[2]!) }]); // a library of its own in the target database
    await other.close();
    const result = await runCli(['migrate', '--data', sourceDir, '--to', target]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/the target holds another library \(1 users this one does not have\)/);
  }, 120_000);
});
