// Builds the library of N photos in the benchmark's PostgreSQL, through Shoebox's own schema: the migrations on an
// empty database (openDatabase), the owners, people and albums, then the secondary indexes read back from
// pg_indexes and dropped, every photo's rows by binary COPY in chunks of 5,000 (one transaction each), the derived
// rows (steps done, photo_people as its migration fills it), the indexes made again from what was read, VACUUM
// ANALYZE, and the search documents (ensureSearchDocuments, as a server's start writes them). Each phase and chunk
// is recorded in progress.json as it ends, so a stopped load resumes where it was (chunks are seeded apart).
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openDatabase, rows, type Db } from '../../src/db/connection.js';
import { STEP_NAMES } from '../../src/model/photo-state.js';
import { ensureSearchDocuments } from '../../src/search/documents.js';
import { CopyWriter } from '../search/copy.js';
import { makeUniverse, repoRoot, Rng, SEED } from '../search/generate.js';
import { copyIn } from './postgres.js';
import { addPhoto, albumId, BIG_ALBUM, newWriters, ownerState, personId, personName, TABLES, type Table } from './rows.js';
import { ownersOf, ownerSequence, type OwnerShape } from './shape.js';

export const CHUNK = 5_000;
/** Tables whose secondary indexes are dropped for the load and made again after it. */
const INDEXED = [...Object.keys(TABLES), 'photo_steps', 'photo_people', 'photo_search'];

export interface Progress {
  ownerIds: string[];
  /** Index definitions as the migrations made them, read before they were dropped. */
  indexes: { table: string; name: string; definition: string }[];
  chunksDone: number;
  /** Seconds spent making the rows in JavaScript and copying them in, over every run of the load. */
  generateSeconds: number;
  copySeconds: number;
  /** Phases done, with their seconds. */
  phases: Record<string, number>;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The phases after the chunks, in the order they run. */
type Phase = 'steps' | 'photo_people' | 'indexes' | 'vacuum' | 'documents' | 'search indexes';

export async function loadLibrary(url: string, n: number, dir: string, log: (line: string) => void): Promise<Progress> {
  const progressFile = path.join(dir, 'progress.json');
  const save = (p: Progress) => fs.writeFileSync(progressFile, `${JSON.stringify(p, null, 2)}\n`);
  const database = await openDatabase({ url, poolSize: 3 }); // applies the migrations; makes the `local` owner
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const owners = ownersOf(n);
    let progress: Progress;
    if (fs.existsSync(progressFile)) {
      progress = JSON.parse(fs.readFileSync(progressFile, 'utf8')) as Progress;
      log(`  resuming: ${progress.chunksDone} chunks and ${Object.keys(progress.phases).join(', ') || 'no phase'} done`);
    } else {
      progress = {
        ownerIds: await makeOwners(database.db, client, owners),
        indexes: await dropIndexes(client),
        chunksDone: 0,
        generateSeconds: 0,
        copySeconds: 0,
        phases: {},
      };
      save(progress);
    }
    await loadChunks(client, n, owners, progress, save, log);
    const phase = async (name: Phase, work: () => Promise<void>) => {
      if (progress.phases[name] !== undefined) return;
      log(`  ${name}…`);
      const t0 = performance.now();
      await work();
      progress.phases[name] = round((performance.now() - t0) / 1000);
      save(progress);
      log(`  ${name}: ${progress.phases[name]} s`);
    };
    const searchTables = (i: Progress['indexes'][number]) => i.table === 'photo_search';
    await phase('steps', () => markStepsDone(client));
    await phase('photo_people', () => fillPhotoPeople(client));
    await phase('indexes', () =>
      makeIndexes(
        url,
        progress.indexes.filter((i) => !searchTables(i)),
        log,
      ),
    );
    await phase('vacuum', async () => void (await client.query('VACUUM ANALYZE')));
    // ensureSearchDocuments, as a server's start runs it: every row built and the version recorded (with the rows
    // alone, the first start found no version and built them all again, ~250 s at 200k)
    await phase('documents', async () => void (await ensureSearchDocuments(database.db)));
    await phase('search indexes', async () => {
      await makeIndexes(url, progress.indexes.filter(searchTables), log);
      await client.query('VACUUM ANALYZE photo_search');
      await client.query('VACUUM ANALYZE search_terms');
    });
    return progress;
  } finally {
    await client.end();
    await database.close();
  }
}

/** The largest owner is the library's own `local` owner (the server's key signs in as it); the others are users. */
async function makeOwners(db: Db, client: pg.Client, owners: OwnerShape[]): Promise<string[]> {
  const [local] = await rows<{ id: string }>(db, sql`select id from users where name = 'local'`);
  if (!local) throw new Error('no `local` owner after the migrations');
  const ids = [local.id];
  for (const owner of owners.slice(1)) {
    const made = await client.query<{ id: string }>(`insert into users (name, email, role) values ($1, $2, 'user') returning id`, [owner.name, owner.email]);
    ids.push(made.rows[0]!.id);
  }
  const people = new CopyWriter();
  const albums = new CopyWriter();
  for (const owner of owners) {
    const ownerId = ids[owner.index]!;
    for (let k = 0; k < owner.people; k += 1) people.row(3).uuid(personId(owner.index, k)).uuid(ownerId).text(personName(k, owner.people));
    for (let k = 0; k <= owner.smallAlbums; k += 1) {
      albums
        .row(4)
        .uuid(albumId(owner.index, k))
        .uuid(ownerId)
        .text(k === BIG_ALBUM ? 'Everything from the old phone' : `Album ${k}`)
        .text('manual');
    }
  }
  await copyIn(client, 'people', 'id, owner_id, name', people.finish());
  await copyIn(client, 'albums', 'id, owner_id, name, kind', albums.finish());
  return ids;
}

/** Reads the secondary indexes of the loaded tables (not those behind a constraint) and drops them. */
async function dropIndexes(client: pg.Client): Promise<Progress['indexes']> {
  const found = await client.query<{ table: string; name: string; definition: string }>(
    `select i.tablename as table, i.indexname as name, i.indexdef as definition
     from pg_indexes i
     where i.schemaname = 'public' and i.tablename = any($1)
       and not exists (select 1 from pg_constraint c where c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
     order by i.tablename, i.indexname`,
    [INDEXED],
  );
  for (const index of found.rows) await client.query(`DROP INDEX "${index.name}"`);
  return found.rows;
}

async function loadChunks(client: pg.Client, n: number, owners: OwnerShape[], progress: Progress, save: (p: Progress) => void, log: (line: string) => void) {
  const u = makeUniverse();
  const states = owners.map((o) => ownerState(o, progress.ownerIds[o.index]!));
  const next = ownerSequence(owners);
  const chunks = Math.ceil(n / CHUNK);
  const started = performance.now();
  const firstPhoto = progress.chunksDone * CHUNK;
  // the owner sequence is replayed up to the first chunk not loaded (cheap: a few owners per photo)
  for (let i = 0; i < progress.chunksDone * CHUNK && i < n; i += 1) next();
  // the rows are consistent by construction: no per-row foreign-key triggers while copying
  await client.query("SET session_replication_role = 'replica'");
  for (let chunk = progress.chunksDone; chunk < chunks; chunk += 1) {
    const rng = new Rng(SEED + chunk * 7_919);
    const writers = newWriters();
    for (const state of states) state.previous = null;
    const end = Math.min(n, (chunk + 1) * CHUNK);
    const g0 = performance.now();
    for (let i = chunk * CHUNK; i < end; i += 1) addPhoto(u, rng, i, states[next()]!, writers);
    const c0 = performance.now();
    await client.query('BEGIN');
    for (const table of Object.keys(TABLES) as Table[]) {
      if (writers[table].rows > 0) await copyIn(client, table, TABLES[table], writers[table].finish());
    }
    await client.query('COMMIT');
    progress.generateSeconds = round(progress.generateSeconds + (c0 - g0) / 1000);
    progress.copySeconds = round(progress.copySeconds + (performance.now() - c0) / 1000);
    progress.chunksDone = chunk + 1;
    save(progress);
    if ((chunk + 1) % 10 === 0 || chunk + 1 === chunks) {
      const seconds = (performance.now() - started) / 1000;
      log(`  ${end} / ${n} photos (${round(seconds)} s, ${Math.round((end - firstPhoto) / Math.max(seconds, 0.001))} photos/s)`);
    }
  }
  await client.query("SET session_replication_role = 'origin'");
}

/** Every step done, as bench/search marks them: a server opening the library has no pipeline work to do. */
async function markStepsDone(client: pg.Client): Promise<void> {
  await client.query(
    `INSERT INTO photo_steps (photo_id, step, status, finished_at)
     SELECT p.id, s.step, 'done', p.created_at FROM photos p CROSS JOIN unnest($1::text[]) AS s(step)`,
    [STEP_NAMES],
  );
}

/** The last statement of a migration that starts so: the fill a migration makes, read from it, not copied. */
function migrationStatement(file: string, start: string): string {
  const migration = fs.readFileSync(path.join(repoRoot, 'drizzle', file), 'utf8');
  const statement = migration
    .split('--> statement-breakpoint')
    .map((s) => s.trim())
    .findLast((s) => s.startsWith(start));
  if (!statement) throw new Error(`drizzle/${file} has no ${start}`);
  return statement;
}

/**
 * photo_people as its migration (0035) fills it, then each person's counts as theirs (0044) does; without the
 * triggers, which would count each row as it came on top (and row by row).
 */
async function fillPhotoPeople(client: pg.Client): Promise<void> {
  await client.query("SET session_replication_role = 'replica'");
  await client.query(migrationStatement('0035_photo_people.sql', 'INSERT INTO "photo_people"'));
  await client.query(migrationStatement('0044_people_counts.sql', 'UPDATE "people"'));
  await client.query("SET session_replication_role = 'origin'");
}

/**
 * Makes the indexes again, two at a time on two connections (the machine has two cores; pgvector builds one HNSW
 * graph per process), the slowest (HNSW) first; each logged with its seconds.
 */
async function makeIndexes(url: string, indexes: Progress['indexes'], log: (line: string) => void): Promise<void> {
  const queue = [...indexes].sort((a, b) => Number(/using hnsw/i.test(b.definition)) - Number(/using hnsw/i.test(a.definition)));
  const worker = async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // pgvector builds fast while the graph fits in it: at 1M the photos' graph is ~2.5 GB and the faces' ~2.2 GB
      // (each vector and its neighbours); two builds at 4 GB and 1 GB of shared buffers fit a 24 GB machine
      await client.query("SET maintenance_work_mem = '4GB'");
      for (let index = queue.shift(); index; index = queue.shift()) {
        const t0 = performance.now();
        await client.query(index.definition.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX IF NOT EXISTS '));
        log(`    ${index.name}: ${round((performance.now() - t0) / 1000)} s`);
      }
    } finally {
      await client.end();
    }
  };
  await Promise.all([worker(), worker()]);
}

/** Row counts of what was loaded, for the report. */
export async function libraryCounts(db: Db): Promise<Record<string, number>> {
  const [counts] = await rows<Record<string, number>>(
    db,
    sql`select (select count(*)::int from photos) as photos,
      (select count(*)::int from photos where mime like 'video/%') as videos,
      (select count(*)::int from photos where latitude is not null) as "withPlace",
      (select count(*)::int from users) as owners,
      (select count(*)::int from people) as people,
      (select count(*)::int from faces) as faces,
      (select count(*)::int from photo_tags) as tags,
      (select count(*)::int from album_photos) as "albumPhotos",
      (select count(*)::int from duplicate_groups) as "duplicateGroups",
      (select count(*)::int from photo_search) as "searchDocuments"`,
  );
  return counts!;
}
