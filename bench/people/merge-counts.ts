// A merge of two people of 5,000 faces each, on both engines, with people's counts kept by changes inserted
// (migration 0044 as it is) and by the per-row UPDATE of people that 0044 first had (commit 5db91f4, read from git
// and put in place inside the measured transaction). Each merge runs in a transaction rolled back, the two ways
// alternately: node --import tsx bench/people/merge-counts.ts [--faces 5000 --runs 3]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, rows, type Db } from '../../src/db/connection.js';
import { startPostgresServer } from '../../test/helpers/postgres-server.js';
import { arg } from '../args.js';

const faces = Number(arg('faces') ?? 5000);
const runs = Number(arg('runs') ?? 3);

/** The trigger functions of 0044 as first committed: each face moved updates its person's row. */
function perRowUpdateFunctions(): string[] {
  const migration = execFileSync('git', ['show', '5db91f4:drizzle/0044_people_counts.sql'], { encoding: 'utf8' });
  return migration
    .split('--> statement-breakpoint')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('CREATE FUNCTION'))
    .map((s) => s.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'));
}

async function fill(db: Db): Promise<[string, string]> {
  await db.execute(sql`insert into photos (owner_id, sha256, filename, storage_key, mime, size_bytes)
    select u.id, md5(g::text), 'p' || g || '.jpg', 'k' || g, 'image/jpeg', 1000 from users u, generate_series(1, ${2 * faces}) g`);
  const made = await rows<{ id: string }>(db, sql`insert into people (owner_id, name) select id, n from users, (values ('A'), ('B')) v(n) returning id`);
  const [a, b] = made.map((row) => row.id) as [string, string];
  await db.execute(sql`insert into faces (photo_id, person_id, x, y, width, height, score, embedding, detector)
    select p.id, case when row_number() over (order by p.id) <= ${faces} then ${a}::uuid else ${b}::uuid end, 0, 0, 10, 10, 0.9,
           array_fill(0.01, array[1024])::vector, 'bench' from photos p`);
  await db.execute(
    sql`update people set face_count = c.n, photo_count = c.n from (select person_id, count(*)::int as n from faces group by person_id) c where c.person_id = people.id`,
  );
  await db.execute(sql`delete from people_count_deltas`);
  return [a, b];
}

/** mergePeople's writes (faces moved as the user's, the source deleted), timed, then rolled back. */
async function merge(db: Db, into: string, from: string, before: boolean): Promise<number> {
  let ms = 0;
  await db
    .transaction(async (tx) => {
      for (const statement of before ? perRowUpdateFunctions() : []) await tx.execute(sql.raw(statement));
      const start = performance.now();
      await tx.execute(sql`update faces set person_id = ${into}::uuid, assigned_by = 'user' where person_id = ${from}::uuid`);
      await tx.execute(sql`delete from people where id = ${from}::uuid`);
      ms = performance.now() - start;
      throw new Error('rollback');
    })
    .catch((error: unknown) => {
      if (!(error instanceof Error) || error.message !== 'rollback') throw error;
    });
  return ms;
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

async function measure(engine: string, target: Parameters<typeof openDatabase>[0]): Promise<void> {
  const database = await openDatabase(target);
  try {
    const [a, b] = await fill(database.db);
    const times = { before: [] as number[], after: [] as number[] };
    for (let run = 0; run < runs; run += 1) {
      times.before.push(await merge(database.db, a, b, true));
      times.after.push(await merge(database.db, a, b, false));
    }
    const [before, after] = [median(times.before), median(times.after)];
    console.log(
      `${engine}: merge of ${faces} + ${faces} faces, median of ${runs}: per-row UPDATE ${before.toFixed(0)} ms, deltas ${after.toFixed(0)} ms (${(before / after).toFixed(2)}x)`,
    );
  } finally {
    await database.close();
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-merge-'));
const server = await startPostgresServer();
try {
  await measure('PostgreSQL', { url: await server.createDatabase('merge') });
  await measure('PGlite', { dataDir: dir });
} finally {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
