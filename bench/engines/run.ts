// Engines benchmark: one library on the embedded database (PGlite + pgvector, in process) and on a PostgreSQL
// server with pgvector (the cluster mode's database), measured in one run, query by query on both, so that the
// ratios compare like with like: keyword, semantic, hybrid and date-filtered hybrid search, the duplicate check of
// a new photo, and a gallery page (first and deep). First the library is moved to the server with the code
// `shoebox migrate` runs (copyRows), which gives the migration's speed for the rows.
// Usage: npm run bench:engines [-- --photos 100000 --queries 200 --json]
// The library is bench/duplicates' (the search benchmark's generated library with PDQ hashes), prepared once per N
// and reused; when it has to be built, the measurements run in a fresh child process. PostgreSQL is Debian's,
// started in a temporary folder on a free loopback port (test/helpers/postgres-server.ts). Results are printed and
// written to bench/results/engines-N.json; bench/README.md says what they mean.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { openDatabase, rows, type Database, type Db } from '../../src/db/connection.js';
import { parseVector } from '../../src/db/vector-values.js';
import { findMatches, type DuplicateProbe } from '../../src/library/duplicates/candidates.js';
import { DEFAULT_DUPLICATE_THRESHOLDS } from '../../src/library/duplicates/rules.js';
import type { Library } from '../../src/library/library.js';
import { listPhotosIn } from '../../src/library/photos/list.js';
import { PDQ_DIHEDRAL_NAMES, type PdqDihedralName } from '../../src/media/pdq-dihedral.js';
import { copyRows, type Progress } from '../../src/migrate/migrate.js';
import { DEFAULT_CUTOFF, DEFAULT_RRF_K } from '../../src/search/fusion.js';
import { ownScope } from '../../src/scope/photo-scope.js';
import { runSearch } from '../../src/search/engine.js';
import type { SearchMode } from '../../src/model/search-vocabulary.js';
import type { SearchFilters } from '../../src/search/types.js';
import { startPostgresServer } from '../../test/helpers/postgres-server.js';
import { arg } from '../args.js';
import { fromHex, nearCopyHashes, randomPhotoHashes, toHex, type PhotoHashes } from '../duplicates/hashes.js';
import { duplicatesLibraryDir, prepareDuplicatesLibrary, readDuplicatesMeta } from '../duplicates/library.js';
import { waitForQuiet } from '../machine.js';
import { around, EMBEDDING_MODEL, repoRoot, Rng, SEED } from '../search/generate.js';
import { forSystemRows } from '../../src/library/actors.js';

const PHOTOS = Number(arg('photos') ?? 10_000);
const QUERIES = Number(arg('queries') ?? 200);
const WARMUP = 20;
const JSON_ONLY = process.argv.includes('--json');
/** PostgreSQL's cache: what a server with a few GB for the database gives it (PGlite keeps what it reads in its heap). */
const SHARED_BUFFERS_MB = Number(arg('shared-buffers-mb') ?? 1024);

const log = (line: string) => (JSON_ONLY ? process.stderr.write(`${line}\n`) : console.log(line));
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

interface Summary {
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
}

function summary(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50Ms: round(at(0.5)), p95Ms: round(at(0.95)), meanMs: round(sorted.reduce((s, v) => s + v, 0) / sorted.length) };
}

const timed = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

// --- the move to PostgreSQL -----------------------------------------------------------------------------

const quietProgress: Progress = { start() {}, advance() {}, end() {} };

async function moveToPostgres(source: Database, url: string) {
  const target = await openDatabase({ url, poolSize: 4 });
  const started = performance.now();
  const tables = await copyRows(source.db, target.db, quietProgress);
  const copySeconds = (performance.now() - started) / 1000;
  const v0 = performance.now();
  await target.db.execute(sql.raw('VACUUM ANALYZE'));
  const vacuumSeconds = (performance.now() - v0) / 1000;
  const total = tables.reduce((sum, t) => sum + t.source, 0);
  const differ = tables.filter((t) => t.source !== t.target);
  if (differ.length > 0) throw new Error(`rows differ after the copy: ${JSON.stringify(differ)}`);
  return {
    target,
    migration: {
      seconds: round(copySeconds, 1),
      rows: total,
      rowsPerSecond: Math.round(total / copySeconds),
      photosPerSecond: Math.round(PHOTOS / copySeconds),
      vacuumSeconds: round(vacuumSeconds, 1),
    },
  };
}

// --- what is asked ----------------------------------------------------------------------------------------

interface Asked {
  text: string;
  embedding: Float32Array;
  window: SearchFilters;
  probe: DuplicateProbe;
  offset: number;
}

function pdqProbe(rng: Rng, photo: PhotoHashes): DuplicateProbe['pdq'] {
  const all = [photo.original, ...photo.variants];
  const hashes = Object.fromEntries(PDQ_DIHEDRAL_NAMES.map((name, i) => [name, toHex(all[i]!)])) as Record<PdqDihedralName, string>;
  return { quality: 50 + rng.int(51), hashes };
}

/** Tags (common and rare) for words, stored embeddings + noise for vectors, near-copies and new photos for probes. */
async function questions(db: Db, count: number): Promise<Asked[]> {
  const rng = new Rng(SEED + 4242);
  const tags = (await rows<{ tag: string }>(db, sql`select tag from photo_tags group by tag order by count(*) desc limit 400`)).map((r) => r.tag);
  const sources = await rows<{
    pdq_hash: string;
    pdq_variants: string[];
    make: string | null;
    model: string | null;
    taken_at: string | null;
    embedding: string;
  }>(
    db,
    sql`select p.pdq_hash, p.pdq_variants, p.make, p.model, p.taken_at::text, e.embedding::text as embedding
        from photos p join photo_embeddings e on e.photo_id = p.id and e.model = ${EMBEDDING_MODEL}
        where p.pdq_hash is not null order by p.id limit ${count} offset ${rng.int(Math.max(1, PHOTOS - count))}`,
  );
  return sources.map((source, i) => {
    const embedding = parseVector(source.embedding);
    const start = Date.UTC(2011 + rng.int(15), rng.int(12), 1);
    const copy = i % 2 === 0;
    const hashes = copy
      ? nearCopyHashes(rng, { original: fromHex(source.pdq_hash), variants: source.pdq_variants.map(fromHex) }, 4 + rng.int(20))
      : randomPhotoHashes(rng);
    return {
      text: tags[i % 4 === 0 ? rng.int(20) : 20 + rng.int(tags.length - 20)]!,
      embedding: around(rng, embedding, 0.6),
      window: { from: new Date(start), to: new Date(start + 91 * 86_400_000) },
      probe: {
        photoId: null,
        pdq: pdqProbe(rng, hashes),
        embedding: copy ? around(rng, embedding, 0.05) : around(rng, embedding, 1.5),
        embeddingModel: EMBEDDING_MODEL,
        make: source.make,
        model: source.model,
        takenAt: source.taken_at ? new Date(source.taken_at) : null,
      },
      offset: rng.int(Math.max(1, PHOTOS - 200)),
    };
  });
}

// --- measuring --------------------------------------------------------------------------------------------

const KINDS = ['keyword', 'semantic', 'hybrid', 'hybrid + 3-month window', 'duplicate check', 'gallery first page', 'gallery deep page'] as const;
type Kind = (typeof KINDS)[number];

function work(db: Db, ownerId: string, kind: Kind, q: Asked): () => Promise<unknown> {
  const lib = { db, ownerId } as unknown as Library; // listPhotosIn reads these two
  const search = (mode: SearchMode, filters: SearchFilters = {}) =>
    runSearch(
      db,
      ownScope(ownerId),
      { text: q.text, embedding: mode === 'keyword' ? null : q.embedding, embeddingModel: EMBEDDING_MODEL },
      {
        mode,
        filters,
        page: 1,
        limit: 50,
        cutoff: DEFAULT_CUTOFF,
        rrfK: DEFAULT_RRF_K,
      },
    );
  switch (kind) {
    case 'keyword':
      return () => search('keyword');
    case 'semantic':
      return () => search('semantic');
    case 'hybrid':
      return () => search('hybrid');
    case 'hybrid + 3-month window':
      return () => search('hybrid', q.window);
    case 'duplicate check':
      return () => findMatches(forSystemRows(db, ownerId), q.probe, DEFAULT_DUPLICATE_THRESHOLDS);
    case 'gallery first page':
      return () => listPhotosIn(lib, ownScope(ownerId), { page: 1, limit: 200 });
    case 'gallery deep page':
      return () => listPhotosIn(lib, ownScope(ownerId), { page: 1, limit: 200, offset: q.offset });
  }
}

async function measureBoth(engines: { name: 'pglite' | 'postgres'; db: Db; ownerId: string }[], asked: Asked[]) {
  const samples: Record<string, Record<Kind, number[]>> = {};
  for (const engine of engines) samples[engine.name] = Object.fromEntries(KINDS.map((k) => [k, [] as number[]])) as Record<Kind, number[]>;
  for (const kind of KINDS) {
    await waitForQuiet({ maxSeconds: 120, quietCores: 0.25 });
    log(`  ${kind}…`);
    for (let i = 0; i < asked.length; i++) {
      // alternate which engine goes first, so that neither always meets a warmer machine
      const order = i % 2 === 0 ? engines : [...engines].reverse();
      for (const engine of order) {
        const ms = await timed(work(engine.db, engine.ownerId, kind, asked[i]!));
        if (i >= WARMUP) samples[engine.name]![kind].push(ms);
      }
    }
  }
  return Object.fromEntries(
    KINDS.map((kind) => {
      const pglite = summary(samples.pglite![kind]);
      const postgres = summary(samples.postgres![kind]);
      return [kind, { pglite, postgres, p50Ratio: round(postgres.p50Ms / pglite.p50Ms), p95Ratio: round(postgres.p95Ms / pglite.p95Ms) }];
    }),
  );
}

async function main() {
  if (!readDuplicatesMeta(PHOTOS)) {
    await prepareDuplicatesLibrary(PHOTOS, { log });
    // measured in a fresh process: the load grew this one's PGlite heap
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exit(child.status ?? 1);
  }
  const embedded = await openDatabase({ dataDir: duplicatesLibraryDir(PHOTOS) });
  const server = await startPostgresServer({ durable: true, sharedBuffersMb: SHARED_BUFFERS_MB });
  try {
    log(`moving ${PHOTOS} photos' rows to PostgreSQL (copyRows, as shoebox migrate does)…`);
    const { target, migration } = await moveToPostgres(embedded, await server.createDatabase('bench'));
    log(`  ${migration.rows} rows in ${migration.seconds} s: ${migration.rowsPerSecond} rows/s, ${migration.photosPerSecond} photos/s`);
    try {
      const [owner] = await rows<{ id: string }>(embedded.db, sql`select owner_id as id from photos limit 1`);
      const asked = await questions(embedded.db, QUERIES + WARMUP);
      log(`measuring ${QUERIES} of each kind on both engines (after ${WARMUP} warm-up)…`);
      const results = await measureBoth(
        [
          { name: 'pglite', db: embedded.db, ownerId: owner!.id },
          { name: 'postgres', db: target.db, ownerId: owner!.id },
        ],
        asked,
      );
      const report = { photos: PHOTOS, queries: QUERIES, sharedBuffersMb: SHARED_BUFFERS_MB, migration, results, at: new Date().toISOString() };
      fs.mkdirSync(path.join(repoRoot, 'bench/results'), { recursive: true });
      fs.writeFileSync(path.join(repoRoot, `bench/results/engines-${PHOTOS}.json`), `${JSON.stringify(report, null, 2)}\n`);
      if (JSON_ONLY) process.stdout.write(`${JSON.stringify(report)}\n`);
      else {
        console.log(`\n| ${PHOTOS} photos | PGlite p50 | p95 | PostgreSQL p50 | p95 | ratio p50 | p95 |\n| --- | --- | --- | --- | --- | --- | --- |`);
        for (const [kind, r] of Object.entries(results)) {
          console.log(`| ${kind} | ${r.pglite.p50Ms} | ${r.pglite.p95Ms} | ${r.postgres.p50Ms} | ${r.postgres.p95Ms} | ${r.p50Ratio} | ${r.p95Ratio} |`);
        }
      }
    } finally {
      await target.close();
    }
  } finally {
    await embedded.close();
    await server.stop();
  }
}

await main();
