import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { faceCountSql, peopleWithDeltasSql, photoCountSql } from '../../src/library/people/counts.js';
import { openDatabase, rows } from '../../src/db/connection.js';
import { createDatabase } from '../helpers/postgres-server.js';
import { assets, repoRoot, startTestServer, tempDir, upload, waitForTerminal } from '../helpers/server.js';

// Runs in the `postgres` project only (vitest.config.ts), on the real server test/setup/postgres.ts started.
describe('Shoebox on a real PostgreSQL server with pgvector', () => {
  const server = inject('postgresUrl');
  const migrations = fs.readdirSync(path.join(repoRoot, 'drizzle')).filter((name) => name.endsWith('.sql')).length;

  it('migrates once when several servers start together, and every connection gets the search settings', async () => {
    const url = await createDatabase(server);
    const opened = await Promise.all([0, 1, 2].map(() => openDatabase({ url, poolSize: 4 })));
    try {
      const [first] = opened;
      const applied = await rows<{ n: number }>(first!.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(applied[0]!.n).toBe(migrations);
      const owners = await rows<{ n: number }>(first!.db, sql`select count(*)::int as n from users`);
      expect(owners[0]!.n).toBe(1);
      const version = await rows<{ v: string }>(first!.db, sql`select extversion as v from pg_extension where extname = 'vector'`);
      expect(version[0]!.v).toBe('0.8.6');
      // four connections at once: each has the session settings
      const settings = await Promise.all(
        [0, 1, 2, 3].map(() =>
          first!.db.transaction(async (tx) => {
            const result = await rows<{ ef: string; scan: string; pid: number }>(
              tx,
              sql`select current_setting('hnsw.ef_search') as ef, current_setting('hnsw.iterative_scan') as scan, pg_backend_pid() as pid, pg_sleep(0.05)`,
            );
            return result[0]!;
          }),
        ),
      );
      expect(new Set(settings.map((s) => s.pid)).size).toBe(4);
      for (const s of settings) expect(s).toMatchObject({ ef: '100', scan: 'relaxed_order' });
    } finally {
      await Promise.all(opened.map((database) => database.close()));
    }
  });

  it("serves the people page from each person's kept counts and their best face from faces_cover_idx", async () => {
    const url = await createDatabase(server);
    const database = await openDatabase({ url, poolSize: 1 });
    try {
      // told not to scan: the plans the page's statements get where scanning would cost more (a large library)
      const plan = (statement: ReturnType<typeof sql>) =>
        database.db.transaction(async (tx) => {
          await tx.execute(sql`set local enable_seqscan = off`);
          return (await rows<{ 'QUERY PLAN': string }>(tx, statement)).map((line) => line['QUERY PLAN']).join('\n');
        });
      // a person's cover face: the first along the index, not a sort of all of their faces (written as people.ts writes it)
      const cover = await plan(
        sql`explain select f2.id from faces f2 join photos p2 on p2.id = f2.photo_id and p2.deleted_at is null
            where f2.person_id = '00000000-0000-4000-8000-000000000000'::uuid order by f2.score * sqrt(f2.width * f2.height) desc, f2.id limit 1`,
      );
      expect(cover).toContain('faces_cover_idx');
      expect(cover).not.toContain('Sort');
      // the order and the counts are the person's own columns plus their waiting changes: no faces read
      const page = await plan(
        sql`explain select pe.id, ${faceCountSql}, ${photoCountSql} from ${peopleWithDeltasSql} where pe.owner_id = '00000000-0000-4000-8000-000000000000'::uuid
            and (pe.name is not null or ${faceCountSql} > 0) order by (pe.name is null), ${faceCountSql} desc, pe.name, pe.id limit 500`,
      );
      expect(page).toContain('people_count_deltas');
      expect(page).not.toMatch(/ on faces\b/);
    } finally {
      await database.close();
    }
  });

  it('says what to run when the database user may not create the extensions', async () => {
    const url = await createDatabase(server);
    // a role that owns its database but is no superuser: pgvector is not a trusted extension
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin
      .query(
        `create role shoebox_plain login; grant all on database "${new URL(url).pathname.slice(1)}" to shoebox_plain; grant all on schema public to shoebox_plain`,
      )
      .catch(() => undefined);
    await admin.end();
    const plain = new URL(url);
    plain.username = 'shoebox_plain';
    await expect(openDatabase({ url: plain.toString(), poolSize: 1 })).rejects.toThrow(
      /may not create the vector extension: run CREATE EXTENSION IF NOT EXISTS vector; in the database once as a superuser/,
    );
  });

  it('takes over a step left running only when its lease has run out (another server may be running it)', async () => {
    const dataDir = tempDir();
    let server = await startTestServer({ dataDir });
    const { body } = await upload(server.url, [{ path: path.join(assets, 'formats/jpg/el_torcal_rocks.jpg') }]);
    const id = body.items[0].id as string;
    await waitForTerminal(server.url, [id]);
    const db = server.lib.db;
    // as a server that died (or still runs) would leave them: palette running with a fresh lease, ocr with an old one
    await db.execute(sql`update photos set state = 'processing' where id = ${id}`);
    await db.execute(sql`update photo_steps set status = 'running', started_at = now() where photo_id = ${id} and step = 'palette'`);
    await db.execute(sql`update photo_steps set status = 'running', started_at = now() - interval '1 hour' where photo_id = ${id} and step = 'ocr'`);
    await server.close();
    server = await startTestServer({ dataDir });
    try {
      const statuses = async () =>
        Object.fromEntries(
          (
            await rows<{ step: string; status: string }>(
              server.lib.db,
              sql`select step, status from photo_steps where photo_id = ${id} and step in ('palette', 'ocr')`,
            )
          ).map((s) => [s.step, s.status]),
        );
      // taken again and run to an end: waited for, not a fixed 3 s (OCR's models loading took longer on a slow host)
      await expect.poll(async () => (await statuses()).ocr, { timeout: 60_000, interval: 250 }).not.toBe('running');
      expect((await statuses()).palette).toBe('running'); // still leased (300 s): not taken
      // the checks every few seconds read the running steps alone, not every step of the library (told not to scan it)
      const plan = await server.lib.db.transaction(async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`);
        return rows<{ 'QUERY PLAN': string }>(
          tx,
          sql`explain select photo_id from photo_steps where status = 'running' and (started_at is null or started_at <= now())`,
        );
      });
      expect(plan.map((line) => line['QUERY PLAN']).join('\n')).toContain('photo_steps_running_idx');
    } finally {
      await server.dispose();
    }
  });
});
