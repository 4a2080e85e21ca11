// The duplicate benchmark's library: a copy of bench/search's synthetic library of N photos (photos, 512-d CLIP
// embeddings with their HNSW index) with PDQ hashes added: photos.pdq_hash / pdq_quality / pdq_variants and the
// 32 photo_pdq_keys rows per photo (the 16 keys of its hash and the 16 of its mirror image's, each row with that
// hash), as indexPdqHash writes them. The copy lives in bench/duplicates/.work/lib-N/ and is reused; the search
// benchmark's folder is never written to.
//
// Hashes are random and balanced (hashes.ts); 2 % of the photos are near-copies (2–30 bits) of an earlier photo,
// half of them of its mirror image, so a check of a copy finds groups of two or three, as in a real library.
// Quality is 50–100 (all indexed). Every planted copy is looked up once after the load: it must find its source.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { openDatabase, rows, type Database } from '../../src/db/connection.js';
import { pdqCandidates } from '../../src/library/duplicates/candidates.js';
import { storedKeys } from '../../src/library/duplicates/pdq-index.js';
import { DEFAULT_DUPLICATE_THRESHOLDS } from '../../src/library/duplicates/rules.js';
import { CopyWriter } from '../search/copy.js';
import { libraryDir, prepareLibrary, repoRoot, Rng, SEED, uuidFor } from '../search/generate.js';
import { FLIPY_VARIANT, mirroredCopyHashes, mirrorHash, nearCopyHashes, randomPhotoHashes, toHex, type PhotoHashes } from './hashes.js';
import { forSystemRows } from '../../src/library/actors.js';

/** 2: photo_pdq_keys (hash and mirror image), mirrored copies planted. */
export const PDQ_GENERATOR_VERSION = 2;
export const PDQ_SEED = SEED ^ 0xd0b;
const PLANTED_SHARE = 0.02;
/** Share of the planted copies that are copies of the source's mirror image. */
const PLANTED_MIRRORED_SHARE = 0.5;
const PLANTED_MIN_DISTANCE = 2;
const PLANTED_MAX_DISTANCE = 30;
const MIN_QUALITY = 50;
/** Photos per COPY round. */
const CHUNK = 10_000;

export const workDir = path.join(repoRoot, 'bench/duplicates/.work');

export function duplicatesLibraryDir(n: number): string {
  return path.join(workDir, `lib-${n}`);
}

export interface DuplicatesMeta {
  version: number;
  seed: number;
  photos: number;
  /** Photos that are near-copies of another photo (of its mirror image: `mirrored` of them). */
  planted: number;
  mirrored: number;
  /** Rows in photo_pdq_keys, and the size of its heap and lookup index (MB). */
  keys: { rows: number; heapMb: number; lookupIndexMb: number; photoIndexMb: number };
  source: string;
  seconds: { copy: number; migrate: number; hashes: number; load: number; index: number; vacuum: number; verify: number };
  createdAt: string;
}

const metaFile = (n: number) => path.join(duplicatesLibraryDir(n), 'pdq.json');
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const since = (t0: number) => round((performance.now() - t0) / 1000);

export function readDuplicatesMeta(n: number): DuplicatesMeta | null {
  if (!fs.existsSync(metaFile(n))) return null;
  const meta = JSON.parse(fs.readFileSync(metaFile(n), 'utf8')) as DuplicatesMeta;
  return meta.version === PDQ_GENERATOR_VERSION && meta.seed === PDQ_SEED && meta.photos === n ? meta : null;
}

/**
 * Copies the search benchmark's library (made first when missing) unless a copy is there already (one whose
 * hashes failed to load is loaded again: the load overwrites). The copy goes through a temporary name, so a
 * half copy is never used.
 */
async function copySearchLibrary(n: number, from: string | undefined, log: (line: string) => void): Promise<string> {
  const source = from ?? libraryDir(n);
  const target = duplicatesLibraryDir(n);
  if (fs.existsSync(path.join(target, 'db', 'PG_VERSION'))) return source;
  if (!fs.existsSync(path.join(source, 'db', 'PG_VERSION'))) {
    if (from) throw new Error(`no library in ${from}`);
    await prepareLibrary(n, { keepDocuments: true, log });
  }
  await waitForSearchBench(log);
  const partial = `${target}.partial`;
  log(`copying ${source} to ${path.relative(repoRoot, target)}…`);
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  fs.cpSync(source, partial, { recursive: true });
  fs.renameSync(partial, target);
  return source;
}

/** A bench/search run may be writing the library being copied (a copy of an open data folder is torn): wait. */
async function waitForSearchBench(log: (line: string) => void): Promise<void> {
  const running = () => {
    try {
      return execFileSync('pgrep', ['-f', 'bench/search/run.ts'], { encoding: 'utf8' }).trim().length > 0;
    } catch {
      return false; // pgrep exits 1 when nothing matches
    }
  };
  for (let waited = 0; running(); waited += 10) {
    if (waited % 60 === 0) log('  a bench/search run is going on: waiting for it to end before copying its library…');
    await new Promise((resolve) => setTimeout(resolve, 10_000));
  }
}

/** A planted near-copy: photo `copy` is `distance` bits from photo `source` (from its mirror image if mirrored). */
export interface PlantedCopy {
  copy: number;
  source: number;
  distance: number;
  mirrored: boolean;
}

/** Every photo's hashes: fresh random ones, or a near-copy of an earlier photo's (or of its mirror image's). */
function makeHashes(n: number): { hashes: PhotoHashes[]; planted: PlantedCopy[] } {
  const rng = new Rng(PDQ_SEED);
  const hashes: PhotoHashes[] = [];
  const planted: PlantedCopy[] = [];
  for (let i = 0; i < n; i += 1) {
    if (i > 0 && rng.chance(PLANTED_SHARE)) {
      const distance = PLANTED_MIN_DISTANCE + rng.int(PLANTED_MAX_DISTANCE - PLANTED_MIN_DISTANCE + 1);
      const source = rng.int(i);
      const mirrored = rng.chance(PLANTED_MIRRORED_SHARE);
      hashes.push((mirrored ? mirroredCopyHashes : nearCopyHashes)(rng, hashes[source]!, distance));
      planted.push({ copy: i, source, distance, mirrored });
    } else {
      hashes.push(randomPhotoHashes(rng));
    }
  }
  return { hashes, planted };
}

/** COPYs (id, hash, quality, variants) into a temporary table, CHUNK photos at a time. */
async function copyHashes(pglite: PGlite, hashes: PhotoHashes[]): Promise<void> {
  const rng = new Rng(PDQ_SEED + 1);
  await pglite.exec('CREATE TEMP TABLE pdq_load (id uuid, hash text, quality int4, variants text[])');
  for (let from = 0; from < hashes.length; from += CHUNK) {
    const writer = new CopyWriter(8 << 20);
    for (let i = from; i < Math.min(hashes.length, from + CHUNK); i += 1) {
      const h = hashes[i]!;
      writer
        .row(4)
        .uuid(uuidFor('photo', i))
        .text(toHex(h.original))
        .int4(MIN_QUALITY + rng.int(51))
        .textArray(h.variants.map(toHex));
    }
    await pglite.query(`COPY pdq_load FROM '/dev/blob' WITH (FORMAT binary)`, [], { blob: new Blob([writer.finish()]) });
  }
}

const indexDef = async (database: Database, name: string): Promise<string> => {
  const [index] = await rows<{ indexdef: string }>(database.db, sql`select indexdef from pg_indexes where indexname = ${name}`);
  if (!index) throw new Error(`index ${name} not found: is migration 0005 (photo_pdq_keys) applied? A copy made before it changed must be deleted`);
  return index.indexdef;
};

/**
 * Moves the hashes into photos and derives the key rows in SQL, as indexPdqHash writes them (storedKeys: key =
 * n × 65536 + word n, word n = hex digits 60−4n … 63−4n; 16 rows of the hash with mirrored = false, 16 of the
 * flipy variant with mirrored = true), with both indexes dropped during the load and built once afterwards.
 * Returns the seconds of the load and of the index builds.
 */
async function storeHashes(database: Database): Promise<{ load: number; index: number }> {
  const pglite = database.pglite!;
  const lookup = await indexDef(database, 'photo_pdq_keys_lookup_idx');
  const byPhoto = await indexDef(database, 'photo_pdq_keys_photo_idx');
  const t0 = performance.now();
  // The rows are consistent by construction: skip the per-row foreign-key triggers.
  await pglite.exec(`
    SET session_replication_role = 'replica';
    UPDATE photos p SET pdq_hash = l.hash, pdq_quality = l.quality, pdq_variants = l.variants FROM pdq_load l WHERE p.id = l.id;
    TRUNCATE photo_pdq_keys;
    DROP INDEX photo_pdq_keys_lookup_idx;
    DROP INDEX photo_pdq_keys_photo_idx;
    INSERT INTO photo_pdq_keys (photo_id, key, hash, mirrored)
      SELECT l.id, n * 65536 + ('x' || substr(h.hex, 61 - 4 * n, 4))::bit(16)::int4, ('x' || h.hex)::bit(256), h.mirrored
      FROM pdq_load l
        CROSS JOIN LATERAL (VALUES (l.hash, false), (l.variants[${FLIPY_VARIANT + 1}], true)) AS h(hex, mirrored)
        CROSS JOIN generate_series(0, 15) n;
    SET session_replication_role = 'origin';
    DROP TABLE pdq_load;`);
  const load = since(t0);
  const i0 = performance.now();
  await pglite.exec(`SET maintenance_work_mem = '256MB'; ${lookup}; ${byPhoto}; RESET maintenance_work_mem;`);
  return { load, index: since(i0) };
}

/**
 * The SQL-derived rows of a few photos (plain and mirrored copies among them) must be what indexPdqHash writes:
 * storedKeys of the hash and of the mirror image's hash, each row carrying its hash.
 */
async function checkKeys(database: Database, hashes: PhotoHashes[], planted: PlantedCopy[]): Promise<void> {
  const some = [0, 1, Math.floor(hashes.length / 2), hashes.length - 1];
  const ofKind = (mirrored: boolean) => planted.find((p) => p.mirrored === mirrored)?.copy;
  for (const i of [...some, ofKind(false), ofKind(true)].filter((i) => i !== undefined)) {
    const stored = await rows<{ key: number; hash: string; mirrored: boolean }>(
      database.db,
      sql`select key, hash::text as hash, mirrored from photo_pdq_keys where photo_id = ${uuidFor('photo', i)}::uuid order by mirrored, key`,
    );
    const bits = (hex: string) => [...hex].map((d) => parseInt(d, 16).toString(2).padStart(4, '0')).join('');
    const expected = [false, true].flatMap((mirrored) => {
      const hex = toHex(mirrored ? mirrorHash(hashes[i]!) : hashes[i]!.original);
      return storedKeys(hex)
        .sort((a, b) => a - b)
        .map((key) => `${key}:${bits(hex)}:${mirrored}`);
    });
    const got = stored.map((r) => `${r.key}:${r.hash}:${r.mirrored}`);
    if (got.join() !== expected.join()) throw new Error(`photo ${i}: stored PDQ keys differ from storedKeys (${got.length} rows)`);
  }
}

/**
 * Every planted copy must find its source through pdqCandidates (its original hash probed; a mirrored copy's is
 * near the source's mirror image, stored with mirrored = true), and the source the copy (found the other way).
 */
async function checkPlanted(database: Database, ownerId: string, hashes: PhotoHashes[], planted: PlantedCopy[]): Promise<void> {
  const missed: string[] = [];
  const lookup = (i: number) => {
    const probe = { photoId: uuidFor('photo', i), pdq: { quality: 100, hashes: { original: toHex(hashes[i]!.original) } } };
    const full = { ...probe, embedding: null, embeddingModel: null, make: null, model: null, takenAt: null };
    return pdqCandidates(forSystemRows(database.db, ownerId), full, DEFAULT_DUPLICATE_THRESHOLDS, [probe.photoId]);
  };
  for (const p of planted) {
    if (!(await lookup(p.copy)).includes(uuidFor('photo', p.source))) missed.push(`${p.copy} → ${p.source}`);
    if (!(await lookup(p.source)).includes(uuidFor('photo', p.copy))) missed.push(`${p.source} → ${p.copy}`);
  }
  if (missed.length) throw new Error(`planted copies not found by pdqCandidates: ${missed.slice(0, 10).join(', ')} (${missed.length} in all)`);
}

/** Makes sure the library with PDQ hashes exists for N photos; returns its description. */
export async function prepareDuplicatesLibrary(n: number, options: { from?: string; log: (line: string) => void }): Promise<DuplicatesMeta> {
  const existing = readDuplicatesMeta(n);
  if (existing) return existing;
  const { log } = options;
  const c0 = performance.now();
  const source = await copySearchLibrary(n, options.from, log);
  const copy = since(c0);
  log('opening the copy (applies pending migrations)…');
  const m0 = performance.now();
  const database = await openDatabase({ dataDir: duplicatesLibraryDir(n) });
  const migrate = since(m0);
  try {
    const [count] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from photos`);
    if (count?.n !== n) throw new Error(`the library holds ${count?.n} photos, not ${n}`);
    log(`making ${n} photos' PDQ hashes…`);
    const h0 = performance.now();
    const { hashes, planted } = makeHashes(n);
    const mirrored = planted.filter((p) => p.mirrored).length;
    const hashSeconds = since(h0);
    log(`  ${hashSeconds} s (${planted.length} near-copies, ${mirrored} of them mirrored); loading…`);
    const l0 = performance.now();
    await copyHashes(database.pglite!, hashes);
    const stored = await storeHashes(database);
    const load = since(l0) - stored.index;
    log(`  loaded in ${round(load)} s, indexes built in ${stored.index} s; VACUUM ANALYZE…`);
    // separately: VACUUM cannot run in the implicit transaction of a multi-statement exec. It sets the
    // visibility map, without which the key lookup is no index-only scan (a heap fetch per key hit).
    const v0 = performance.now();
    await database.pglite!.exec('VACUUM ANALYZE photos');
    await database.pglite!.exec('VACUUM ANALYZE photo_pdq_keys');
    const vacuum = since(v0);
    log(`  ${vacuum} s; checking the keys and looking up the ${planted.length} planted copies both ways…`);
    const k0 = performance.now();
    const [owner] = await rows<{ id: string }>(database.db, sql`select id from users where name = 'local'`);
    await checkKeys(database, hashes, planted);
    await checkPlanted(database, owner!.id, hashes, planted);
    const verify = since(k0);
    log(`  ${verify} s, all found`);
    const [size] = await rows<{ rows: number; heap: number; lookup: number; by_photo: number }>(
      database.db,
      sql`select (select count(*)::int from photo_pdq_keys) as rows, pg_relation_size('photo_pdq_keys')::float8 as heap,
                 pg_relation_size('photo_pdq_keys_lookup_idx')::float8 as lookup, pg_relation_size('photo_pdq_keys_photo_idx')::float8 as by_photo`,
    );
    const mb = (bytes: number) => round(bytes / 2 ** 20, 0);
    const meta: DuplicatesMeta = {
      version: PDQ_GENERATOR_VERSION,
      seed: PDQ_SEED,
      photos: n,
      planted: planted.length,
      mirrored,
      keys: { rows: size!.rows, heapMb: mb(size!.heap), lookupIndexMb: mb(size!.lookup), photoIndexMb: mb(size!.by_photo) },
      source: path.relative(repoRoot, source), // relative: results name no folder of the machine they ran on
      seconds: { copy, migrate, hashes: hashSeconds, load: round(load), index: stored.index, vacuum, verify },
      createdAt: new Date().toISOString(),
    };
    fs.writeFileSync(metaFile(n), `${JSON.stringify(meta, null, 2)}\n`);
    return meta;
  } finally {
    await database.close();
  }
}
