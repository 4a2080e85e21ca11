// Duplicate-check benchmark: the time to check one new photo for copies in a library of N photos (target at 100k:
// p95 ≤ 20 ms), as an upload check does it (`findMatches` with the 8 orientation hashes, photo not stored; the PDQ
// lookup probes with the original hash, the stored keys cover the mirror image) and as the pipeline does it for a
// stored photo (`findMatches` + `placeInGroups`); with the parts timed alone (PDQ key lookup, HNSW neighbours,
// capture-time range, the evidence query), by probe kind (near-copy, mirrored near-copy, new photo), the key hits
// per check, the statements per check, the plans of the parts, and the recall of the copies.
// Every section checks probes of its own, after 400 checks of other probes (a server's warm caches, not pages
// left by the same probes); the first checks after opening, and checks without the visibility map (a library
// never vacuumed), are measured besides. A section runs once the machine is quiet, and again when it was not.
// Usage: npm run bench:duplicates [-- --photos 100000 --probes 400 --json --from <a bench/search lib-N folder>
//        --quiet-wait <minutes, 30>]
// The library (library.ts) is prepared once per N in bench/duplicates/.work/lib-N/; when it has to be, the
// measurements run in a fresh child process so that the load's memory does not count. Results are printed and
// written to bench/duplicates/results-N.json; bench/README.md says what they mean.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type SQL } from 'drizzle-orm';
import { uuidArray } from '../../src/db/arrays.js';
import { openDatabase, rows, type Db } from '../../src/db/connection.js';
import { parseVector, vectorLiteral } from '../../src/db/vector-values.js';
import { PDQ_DIHEDRAL_NAMES, type PdqDihedralName } from '../../src/media/pdq-dihedral.js';
import {
  burstCandidates,
  clipCandidates,
  findMatches,
  measure as measureEvidence,
  pdqCandidates,
  type ClassifiedMatch,
  type DuplicateProbe,
} from '../../src/library/duplicates/candidates.js';
import { indexPdqHash, placeInGroups } from '../../src/library/duplicates/groups.js';
import { probeKeyList, probeRadius } from '../../src/library/duplicates/pdq-index.js';
import { DEFAULT_DUPLICATE_THRESHOLDS } from '../../src/library/duplicates/rules.js';
import { around, EMBEDDING_MODEL, folderBytes, makeUniverse, repoRoot, Rng, uuidFor } from '../search/generate.js';
import { fromHex, mirroredCopyHashes, nearCopyHashes, randomPhotoHashes, toHex, type PhotoHashes } from './hashes.js';
import { duplicatesLibraryDir, PDQ_SEED, prepareDuplicatesLibrary, readDuplicatesMeta, workDir, type DuplicatesMeta } from './library.js';
import { arg } from '../args.js';
import { machineCpu, ownCpu, procStatusMb, waitForQuiet } from '../machine.js';
import { forSystemRows } from '../../src/library/actors.js';

const PHOTOS = Number(arg('photos') ?? 100_000);
const PROBES = Math.max(200, Number(arg('probes') ?? 400));
const FROM = arg('from');
const WARMUP = 20;
/** Checks of other probes first, so that the caches hold what checks keep reading (a server's steady state). */
const STEADY_WARMUP = 400;
/** Minutes to wait for a quiet machine before a section is measured anyway (machineLoad says how busy). */
const QUIET_WAIT = Number(arg('quiet-wait') ?? 30);
const JSON_ONLY = process.argv.includes('--json');
const TARGET_P95_MS = 20;
const THRESHOLDS = DEFAULT_DUPLICATE_THRESHOLDS;
/** A near-copy probe is this far (bits) from its source: all within PDQ's 31, so recall must be 100 %. */
const COPY_DISTANCE = [4, 30] as const;
/** Expected norm of the noise added to the source's embedding: cosine ≈ 0.98, a re-saved or resized copy. */
const COPY_EMBEDDING_NOISE = 0.2;
/** Probes of each kind whose statements are run under EXPLAIN ANALYZE. */
const EXPLAINED = 10;

const log = (line: string) => (JSON_ONLY ? process.stderr.write(`${line}\n`) : console.log(line));
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

// --- probes ---------------------------------------------------------------------------------------------

const KINDS = ['copy', 'mirrored', 'new'] as const;
type Kind = (typeof KINDS)[number];

interface BenchProbe {
  kind: Kind;
  /** As an upload check sees it: not stored, all 8 orientations. */
  probe: DuplicateProbe;
  /** The photo a copy was made from, and how far (bits; from its mirror image for a mirrored copy). */
  sourceId: string | null;
  distance: number | null;
  /** The id it gets when stored for the check-and-place pass. */
  storedId: string;
}

interface SourceRow {
  id: string;
  pdq_hash: string;
  pdq_variants: string[];
  make: string | null;
  model: string | null;
  taken_at: Date | string | null;
  embedding: string;
}

async function sourceRows(db: Db, ids: string[]): Promise<Map<string, SourceRow>> {
  const found = await rows<SourceRow>(
    db,
    sql`select p.id, p.pdq_hash, p.pdq_variants, p.make, p.model, p.taken_at, e.embedding::text as embedding
        from photos p join photo_embeddings e on e.photo_id = p.id and e.model = ${EMBEDDING_MODEL}
        where p.id = any(${uuidArray(ids)})`,
  );
  return new Map(found.map((row) => [row.id, row]));
}

const storedHashes = (row: SourceRow): PhotoHashes => ({ original: fromHex(row.pdq_hash), variants: row.pdq_variants.map(fromHex) });

function pdqProbe(rng: Rng, photo: PhotoHashes): DuplicateProbe['pdq'] {
  const all = [photo.original, ...photo.variants];
  const hashes = Object.fromEntries(PDQ_DIHEDRAL_NAMES.map((name, i) => [name, toHex(all[i]!)])) as Record<PdqDihedralName, string>;
  return { quality: 50 + rng.int(51), hashes };
}

let universe: ReturnType<typeof makeUniverse> | undefined;

/**
 * Probe k is a near-copy of a random photo when k % 4 = 0, a near-copy of its mirror image when k % 4 = 2 (4–30
 * bits; embedding = the source's + noise, a mirrored copy's too, though CLIP does not see a mirror image quite
 * as the same picture; every other copy keeps the source's camera and capture time, like a re-saved or edited
 * file, the rest lost them, like a messenger copy), and a new photo when k is odd: random hashes, an embedding
 * drawn like a library photo's, a random photo's camera at another time.
 */
async function makeProbes(db: Db, from: number, count: number): Promise<BenchProbe[]> {
  universe ??= makeUniverse();
  const u = universe;
  const ks = Array.from({ length: count }, (_, i) => from + i);
  const rngs = ks.map((k) => new Rng((PDQ_SEED + 7 + 7919 * k) >>> 0)); // probe k is the same whatever the sets
  const sources = rngs.map((rng) => uuidFor('photo', rng.int(PHOTOS)));
  const byId = await sourceRows(db, sources);
  return sources.map((sourceId, i) => {
    const k = ks[i]!;
    const rng = rngs[i]!;
    const row = byId.get(sourceId);
    if (!row) throw new Error(`photo ${sourceId} has no PDQ hash or embedding`);
    const takenAt = row.taken_at === null ? null : new Date(row.taken_at);
    const base = { photoId: null, embeddingModel: EMBEDDING_MODEL, make: row.make, model: row.model };
    const storedId = uuidFor('duplicate-probe', k);
    if (k % 2 === 0) {
      const kind: Kind = k % 4 === 0 ? 'copy' : 'mirrored';
      const distance = COPY_DISTANCE[0] + rng.int(COPY_DISTANCE[1] - COPY_DISTANCE[0] + 1);
      const hashes = (kind === 'copy' ? nearCopyHashes : mirroredCopyHashes)(rng, storedHashes(row), distance);
      const pdq = pdqProbe(rng, hashes);
      const embedding = around(rng, parseVector(row.embedding), COPY_EMBEDDING_NOISE);
      const exif = k % 8 < 4 ? { takenAt } : { make: null, model: null, takenAt: null };
      return { kind, sourceId, distance, storedId, probe: { ...base, pdq, embedding, ...exif } };
    }
    const cluster = u.clusters[u.clusterZipf.sample(rng)]!;
    const shifted = takenAt && new Date(takenAt.getTime() + 3_600_000 + rng.int(30 * 86_400_000));
    const probe = { ...base, pdq: pdqProbe(rng, randomPhotoHashes(rng)), embedding: around(rng, cluster.centre, cluster.noise), takenAt: shifted };
    return { kind: 'new', sourceId: null, distance: null, storedId, probe };
  });
}

/**
 * Index rows and photos the probe's 272 keys hit before the distance confirms them (what the index-only scan
 * goes through), and the photos within the distance.
 */
async function keyHits(db: Db, probe: DuplicateProbe): Promise<{ rows: number; photos: number; within: number }> {
  const hash = probe.pdq!.hashes.original!;
  const keys = probeKeyList(hash, probeRadius(THRESHOLDS.pdqDistance));
  const [row] = await rows<{ rows: number; photos: number; within: number }>(
    db,
    sql`select count(*)::int as rows, count(distinct w.photo_id)::int as photos,
               count(distinct w.photo_id) filter (where bit_count(w.hash # ${`x${hash}`}::bit(256)) <= ${THRESHOLDS.pdqDistance})::int as within
        from photo_pdq_keys w where w.key = any(${`{${keys.join(',')}}`}::int4[])`,
  );
  return row!;
}

// --- what the statements do ------------------------------------------------------------------------------

/** A Db whose statements are counted (round trips per check). */
function counting(db: Db): { db: Db; count: () => number } {
  let n = 0;
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'execute') {
        return (query: SQL) => {
          n += 1;
          return target.execute(query);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { db: proxy, count: () => n };
}

/** A Db that runs every statement under EXPLAIN (ANALYZE, BUFFERS) and keeps the plans (the results are plans). */
function explaining(db: Db): { db: Db; plans: string[][] } {
  const plans: string[][] = [];
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'execute') {
        return async (query: SQL) => {
          const result = (await target.execute(sql`explain (analyze, buffers) ${query}`)) as unknown as { rows: { 'QUERY PLAN': string }[] };
          plans.push(result.rows.map((r) => r['QUERY PLAN']));
          return { rows: [] };
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { db: proxy, plans };
}

interface PlanSummary {
  statements: number;
  executionMs: Stats;
  planningMs: Stats;
  /** Scan nodes over all plans, with how often each appeared. */
  scans: Record<string, number>;
  heapFetches: { mean: number; max: number };
}

function planSummary(plans: string[][]): PlanSummary {
  const number = (plan: string[], re: RegExp) =>
    plan
      .map((line) => re.exec(line))
      .filter((m) => m !== null)
      .map((m) => Number(m![1]));
  const scans = plans.flatMap((plan) =>
    plan
      .map((line) => /(Index Only Scan|Index Scan|Bitmap Heap Scan|Bitmap Index Scan|Seq Scan) (?:Backward )?(?:using (\S+) )?on (\S+)/.exec(line))
      .filter((m) => m !== null)
      .map((m) => `${m![1]} ${m![2] ?? m![3]}`),
  );
  const fetches = plans.map((plan) => number(plan, /Heap Fetches: (\d+)/).reduce((a, b) => a + b, 0));
  return {
    statements: plans.length,
    executionMs: stats(plans.flatMap((plan) => number(plan, /Execution Time: ([\d.]+) ms/))),
    planningMs: stats(plans.flatMap((plan) => number(plan, /Planning Time: ([\d.]+) ms/))),
    scans: tally(scans),
    heapFetches: { mean: round(fetches.reduce((a, b) => a + b, 0) / Math.max(1, fetches.length), 1), max: Math.max(0, ...fetches) },
  };
}

/** EXPLAIN ANALYZE of each part's statements for the first probes of each kind; one probe's plans go to .work. */
async function explainParts(db: Db, ownerId: string, probes: BenchProbe[]) {
  const some = KINDS.flatMap((kind) => probes.filter((b) => b.kind === kind).slice(0, EXPLAINED));
  const parts: Record<'findMatches' | 'pdq' | 'hnsw' | 'burst' | 'evidence', (d: Db, b: BenchProbe) => Promise<unknown>> = {
    findMatches: (d, b) => findMatches(forSystemRows(d, ownerId), b.probe, THRESHOLDS),
    pdq: (d, b) => pdqCandidates(forSystemRows(d, ownerId), b.probe, THRESHOLDS, []),
    hnsw: (d, b) => clipCandidates(forSystemRows(d, ownerId), b.probe, []),
    burst: (d, b) => burstCandidates(forSystemRows(d, ownerId), b.probe, THRESHOLDS, []),
    evidence: async (d, b) => {
      const ids = [
        ...new Set([
          ...(await pdqCandidates(forSystemRows(db, ownerId), b.probe, THRESHOLDS, [])),
          ...(await clipCandidates(forSystemRows(db, ownerId), b.probe, [])),
          ...(await burstCandidates(forSystemRows(db, ownerId), b.probe, THRESHOLDS, [])),
        ]),
      ];
      return measureEvidence(d, ids, b.probe, THRESHOLDS);
    },
  };
  const out = {} as Record<keyof typeof parts, PlanSummary>;
  const text: string[] = [];
  for (const [name, run] of Object.entries(parts) as [keyof typeof parts, (typeof parts)[keyof typeof parts]][]) {
    const { db: d, plans } = explaining(db);
    for (const b of some) await run(d, b);
    out[name] = planSummary(plans);
    text.push(`=== ${name} (first ${some[0]!.kind} probe)`, ...(plans[0] ?? []), '');
  }
  fs.mkdirSync(workDir, { recursive: true });
  fs.writeFileSync(path.join(workDir, `explain-${PHOTOS}.txt`), `${text.join('\n')}\n`);
  return out;
}

// --- the machine (shared: bench/machine.ts) -----------------------------------------------------------------

/** Other processes' cores under which the machine counts as quiet. */
const QUIET_CORES = 0.25;
/** A section measured while others were busier than that is measured again, this many times at most. */
const ATTEMPTS = 4;

/** Waits (up to QUIET_WAIT minutes) until other processes use under QUIET_CORES; returns how busy it was. */
async function quietMachine(): Promise<number> {
  const busy = await waitForQuiet({
    maxSeconds: QUIET_WAIT * 60,
    quietCores: QUIET_CORES,
    onBusy: (cores, waited) => {
      if (waited % 60 === 0) log(`  waiting for a quiet machine (${round(cores)} cores busy)…`);
    },
  });
  return round(busy);
}

// --- timing ---------------------------------------------------------------------------------------------

interface Outcome {
  /** Candidates or matches returned. */
  count: number;
  /** Whether a copy's source was among them (null for new photos). */
  found: boolean | null;
  /** Time of a timed part inside the run, when it has one. */
  partMs?: number;
  /** What the matches were classified as, by probe kind. */
  classes?: string[];
}

interface Sample extends Outcome {
  kind: BenchProbe['kind'];
  ms: number;
}

interface Stats {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

function stats(ms: number[]): Stats {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
  return { p50Ms: round(at(0.5)), p95Ms: round(at(0.95)), p99Ms: round(at(0.99)), maxMs: round(sorted.at(-1)!), meanMs: round(mean) };
}

const otherCores: Record<string, number> = {};
const attempts: Record<string, number> = {};

/**
 * Times `run` over a set of probes after a warm-up, once the machine is quiet; measured again (with the next
 * set) when other processes took more than QUIET_CORES meanwhile.
 */
async function timed(
  label: string,
  warmup: BenchProbe[],
  probeSet: () => Promise<BenchProbe[]>,
  run: (b: BenchProbe) => Promise<Outcome>,
  maxAttempts = ATTEMPTS,
): Promise<Sample[]> {
  for (let attempt = 1; ; attempt += 1) {
    const probes = await probeSet();
    await quietMachine();
    for (const b of warmup) await run(b);
    const machine0 = machineCpu();
    const own0 = ownCpu();
    const wall0 = performance.now();
    const samples: Sample[] = [];
    for (const b of probes) {
      const t0 = performance.now();
      const outcome = await run(b);
      samples.push({ ...outcome, kind: b.kind, ms: performance.now() - t0 });
    }
    otherCores[label] = round(Math.max(0, machineCpu() - machine0 - (ownCpu() - own0)) / ((performance.now() - wall0) / 1000));
    attempts[label] = attempt;
    const s = stats(samples.map((x) => x.ms));
    log(`  ${label.padEnd(30)} p50 ${s.p50Ms} ms, p95 ${s.p95Ms} ms, max ${s.maxMs} ms (other processes: ${otherCores[label]} cores)`);
    if (otherCores[label]! < QUIET_CORES || attempt >= maxAttempts) return samples;
    log('    the machine was busy: measuring again');
  }
}

function summary(samples: Sample[]) {
  const counts = samples.map((s) => s.count);
  const parts = samples.filter((s) => s.partMs !== undefined).map((s) => s.partMs!);
  const recall = (kind: Kind) => {
    const copies = samples.filter((s) => s.kind === kind);
    return copies.length ? round(copies.filter((s) => s.found).length / copies.length, 4) : null;
  };
  return {
    ...stats(samples.map((s) => s.ms)),
    byKind: Object.fromEntries(KINDS.map((kind) => [kind, stats(samples.filter((s) => s.kind === kind).map((s) => s.ms))])) as Record<Kind, Stats>,
    count: countStats(counts),
    /** Share of the copies whose source was returned, by kind. */
    recall: { copy: recall('copy'), mirrored: recall('mirrored') },
    ...(parts.length ? { part: stats(parts) } : {}),
  };
}

function countStats(counts: number[]) {
  const sorted = [...counts].sort((a, b) => a - b);
  return { mean: round(counts.reduce((a, b) => a + b, 0) / counts.length, 1), p95: sorted[Math.ceil(0.95 * sorted.length) - 1]!, max: sorted.at(-1)! };
}

function tally(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

const foundIn = (b: BenchProbe, ids: readonly string[]) => (b.sourceId ? ids.includes(b.sourceId) : null);
const matchIds = (matches: ClassifiedMatch[]) => matches.map((m) => m.evidence.photoId);

// --- the check-and-place pass needs the probes stored ---------------------------------------------------

/** Stores the probes as photos (with their PDQ keys and embedding), as the pipeline sees them. */
async function storeProbes(db: Db, ownerId: string, probes: BenchProbe[]): Promise<void> {
  for (const [k, b] of probes.entries()) {
    const p = b.probe;
    const variants = PDQ_DIHEDRAL_NAMES.filter((name) => name !== 'original').map((name) => p.pdq!.hashes[name]!);
    await db.execute(sql`
      insert into photos (id, owner_id, sha256, filename, storage_key, mime, size_bytes, state, make, model, taken_at, pdq_hash, pdq_quality, pdq_variants)
      values (${b.storedId}::uuid, ${ownerId}::uuid, ${`duplicate-probe-${b.storedId}`}, ${`probe-${k}.jpg`}, ${`bench/${b.storedId}.jpg`}, 'image/jpeg', 1000000,
              'completed', ${p.make}, ${p.model}, ${p.takenAt?.toISOString() ?? null}::timestamptz, ${p.pdq!.hashes.original}, ${p.pdq!.quality},
              ${`{${variants.join(',')}}`}::text[])`);
    await db.execute(
      sql`insert into photo_embeddings (photo_id, model, embedding) values (${b.storedId}::uuid, ${EMBEDDING_MODEL}, ${vectorLiteral(p.embedding!)}::vector)`,
    );
    await indexPdqHash(db, b.storedId, p.pdq!.hashes.original!, p.pdq!.hashes.flipy!); // as the hashes step does
  }
}

/** Takes out what a run stored: the probe photos (their rows cascade) and the groups it made. */
async function removeProbes(db: Db, ownerId: string, ids: string[]): Promise<void> {
  await db.execute(sql`delete from photos where id = any(${uuidArray(ids)})`);
  await db.execute(sql`delete from duplicate_groups where owner_id = ${ownerId}::uuid`);
}

// --- main -----------------------------------------------------------------------------------------------

async function measureAll(db: Db, meta: DuplicatesMeta) {
  const [owner] = await rows<{ id: string }>(db, sql`select id from users where name = 'local'`);
  const ownerId = owner!.id;
  // Every section gets probes of its own, never seen before (a probe seen again finds its pages cached).
  let next = 0;
  const fresh = async (count: number) => {
    const probes = await makeProbes(db, next, count);
    next += count;
    return probes;
  };
  const stored = new Set<string>();
  // an interrupted run may have left some
  await removeProbes(
    db,
    ownerId,
    Array.from({ length: 40 * PROBES }, (_, k) => uuidFor('duplicate-probe', k)),
  );

  const quietBefore = await quietMachine();
  const warmAll = await fresh(STEADY_WARMUP);
  const warmup = warmAll.slice(0, WARMUP);
  const sample = await makeProbes(db, next, PROBES);
  const perKind = KINDS.map((kind) => `${sample.filter((b) => b.kind === kind).length} ${kind}`).join(', ');
  log(`measuring (${PROBES} new probes a section: ${perKind}; ${WARMUP} warm-up; other processes ${quietBefore} cores)…`);
  // Right after the database is opened, Postgres' buffer cache is empty (the OS file cache is not, here): every
  // page a check needs the first time is copied into PGlite's memory. Measured once, with no retry.
  const cold = await timed(
    'findMatches, cold',
    [],
    () => fresh(PROBES),
    async (b) => {
      const matches = await findMatches(forSystemRows(db, ownerId), b.probe, THRESHOLDS);
      return { count: matches.length, found: foundIn(b, matchIds(matches)) };
    },
    1,
  );
  log(`  warming the caches with ${STEADY_WARMUP} checks of other probes…`);
  for (const b of warmAll) await findMatches(forSystemRows(db, ownerId), b.probe, THRESHOLDS);
  let checked: BenchProbe[] = [];
  const check = await timed(
    'findMatches',
    warmup,
    async () => (checked = await fresh(PROBES)),
    async (b) => {
      const matches = await findMatches(forSystemRows(db, ownerId), b.probe, THRESHOLDS);
      return {
        count: matches.length,
        found: foundIn(b, matchIds(matches)),
        classes: matches.map((m) => `${b.kind}: ${m.classified.kind}/${m.classified.tier}`),
      };
    },
  );
  const again = await timed(
    'findMatches, same probes again',
    warmup,
    async () => checked,
    async (b) => {
      const matches = await findMatches(forSystemRows(db, ownerId), b.probe, THRESHOLDS);
      return { count: matches.length, found: foundIn(b, matchIds(matches)) };
    },
  );
  // A library whose photo_pdq_keys was never vacuumed (PGlite has no autovacuum) has no visibility map: every key
  // hit is a heap fetch. Index-only scans turned off stand for it.
  await db.execute(sql`set enable_indexonlyscan = off`);
  const unvacuumed = await timed(
    'findMatches, no visibility map',
    warmup,
    () => fresh(PROBES),
    async (b) => {
      const matches = await findMatches(forSystemRows(db, ownerId), b.probe, THRESHOLDS);
      return { count: matches.length, found: foundIn(b, matchIds(matches)) };
    },
  );
  await db.execute(sql`reset enable_indexonlyscan`);
  const pdq = await timed(
    'PDQ key lookup',
    warmup,
    () => fresh(PROBES),
    async (b) => {
      const ids = await pdqCandidates(forSystemRows(db, ownerId), b.probe, THRESHOLDS, []);
      return { count: ids.length, found: foundIn(b, ids) };
    },
  );
  const hnsw = await timed(
    'HNSW neighbours (CLIP tier)',
    warmup,
    () => fresh(PROBES),
    async (b) => {
      const ids = await clipCandidates(forSystemRows(db, ownerId), b.probe, []);
      return { count: ids.length, found: foundIn(b, ids) };
    },
  );
  const burst = await timed(
    'capture-time range (bursts)',
    warmup,
    () => fresh(PROBES),
    async (b) => {
      const ids = await burstCandidates(forSystemRows(db, ownerId), b.probe, THRESHOLDS, []);
      return { count: ids.length, found: foundIn(b, ids) };
    },
  );
  // The evidence query over what the three lookups found, timed alone.
  const evidence = await timed(
    'evidence of the candidates',
    warmup,
    () => fresh(PROBES),
    async (b) => {
      const ids = [
        ...new Set([
          ...(await pdqCandidates(forSystemRows(db, ownerId), b.probe, THRESHOLDS, [])),
          ...(await clipCandidates(forSystemRows(db, ownerId), b.probe, [])),
          ...(await burstCandidates(forSystemRows(db, ownerId), b.probe, THRESHOLDS, [])),
        ]),
      ];
      const t0 = performance.now();
      const measured = await measureEvidence(db, ids, b.probe, THRESHOLDS);
      return { count: measured.length, found: foundIn(b, ids), partMs: performance.now() - t0 };
    },
  );

  log('counting key hits, statements and plans (the findMatches probes)…');
  const statements: number[] = [];
  const hits = { rows: [] as number[], photos: [] as number[], within: [] as number[] };
  for (const b of checked) {
    const h = await keyHits(db, b.probe);
    hits.rows.push(h.rows);
    hits.photos.push(h.photos);
    hits.within.push(h.within);
    const counted = counting(db);
    await findMatches(forSystemRows(counted.db, ownerId), b.probe, THRESHOLDS);
    statements.push(counted.count());
  }
  await quietMachine(); // the plans' times
  const plans = await explainParts(db, ownerId, await fresh(PROBES));

  // The pipeline's check: the photo is stored (its keys and embedding too), and is placed in groups after.
  const storedStatements: number[] = [];
  let placed: BenchProbe[] = [];
  const place = await timed(
    'findMatches + placeInGroups',
    warmup,
    async () => {
      await db.execute(sql`delete from duplicate_groups where owner_id = ${ownerId}::uuid`);
      placed = await fresh(PROBES);
      const toStore = [...warmup, ...placed].filter((b) => !stored.has(b.storedId));
      await storeProbes(db, ownerId, toStore);
      for (const b of toStore) stored.add(b.storedId);
      return placed;
    },
    async (b) => {
      const counted = counting(db);
      const matches = await findMatches(forSystemRows(counted.db, ownerId), { ...b.probe, photoId: b.storedId }, THRESHOLDS);
      storedStatements.push(counted.count());
      const t0 = performance.now();
      await placeInGroups(forSystemRows(db, ownerId), b.storedId, matches);
      return { count: matches.length, found: foundIn(b, matchIds(matches)), partMs: performance.now() - t0 };
    },
  );
  const [groups] = await rows<{ groups: number; members: number }>(
    db,
    sql`select (select count(*)::int from duplicate_groups where owner_id = ${ownerId}::uuid) as groups,
               (select count(*)::int from duplicate_members) as members`,
  );
  await removeProbes(db, ownerId, [...stored]);

  const s = {
    findMatches: summary(check),
    findMatchesAgain: summary(again),
    findMatchesCold: summary(cold),
    findMatchesNoVisibilityMap: summary(unvacuumed),
    findMatchesAndPlace: summary(place),
    pdqLookup: summary(pdq),
    hnsw: summary(hnsw),
    burst: summary(burst),
    evidence: summary(evidence),
  };
  return {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    photos: PHOTOS,
    library: meta,
    settings: {
      probes: PROBES,
      warmup: WARMUP,
      steadyWarmup: STEADY_WARMUP,
      copyDistance: COPY_DISTANCE,
      copyEmbeddingNoise: COPY_EMBEDDING_NOISE,
      thresholds: THRESHOLDS,
    },
    latency: s,
    /** Per check, by the original hash's 272 keys: index rows hit, distinct photos, photos within the distance. */
    pdqKeyHits: { rows: countStats(hits.rows), photos: countStats(hits.photos), withinDistance: countStats(hits.within) },
    /** Statements per check: findMatches of an upload, of a stored photo (placeInGroups' transaction not counted). */
    statements: { findMatches: tally(statements.map(String)), findMatchesStored: tally(storedStatements.slice(-PROBES).map(String)) },
    plans,
    matches: { byProbeKindAndClass: tally(check.flatMap((x) => x.classes ?? [])), groupsMadeByPlacing: groups },
    target: {
      note: 'findMatches of an upload (8 orientation hashes), set for 100k photos',
      p95Ms: TARGET_P95_MS,
      measuredMs: s.findMatches.p95Ms,
      met: s.findMatches.p95Ms <= TARGET_P95_MS,
    },
    machineLoad: { otherCoresBefore: quietBefore, otherCoresDuring: otherCores, attempts },
    memory: { rssMb: round(procStatusMb('VmRSS'), 1), vmHwmMb: round(procStatusMb('VmHWM'), 1) },
    dataFolderMb: round(folderBytes(path.join(duplicatesLibraryDir(PHOTOS), 'db')) / 2 ** 20, 0),
  };
}

type Results = Awaited<ReturnType<typeof measureAll>>;

function printTable(r: Results): void {
  const l = r.latency;
  const part = (x: ReturnType<typeof summary>) => `p50 ${x.part?.p50Ms} / p95 ${x.part?.p95Ms}`;
  const found = (x: ReturnType<typeof summary>) => (x.recall.copy === null ? '' : `${x.recall.copy} / ${x.recall.mirrored}`);
  const kinds = (x: ReturnType<typeof summary>) => KINDS.map((k) => x.byKind[k].p95Ms).join(' / ');
  const row = (name: string, x: ReturnType<typeof summary>, extra = '') =>
    `| ${name} | ${x.p50Ms} | ${x.p95Ms} | ${x.maxMs} | ${kinds(x)} | ${x.count.mean} / ${x.count.p95} | ${found(x)} | ${extra} |`;
  const plan = (name: keyof Results['plans']) => {
    const p = r.plans[name];
    return `${name}: ${Object.entries(p.scans)
      .map(([scan, n]) => `${scan} ×${n}`)
      .join(
        ', ',
      )}; heap fetches mean ${p.heapFetches.mean}, max ${p.heapFetches.max}; executor p50 ${p.executionMs.p50Ms} ms, planner p50 ${p.planningMs.p50Ms} ms`;
  };
  const lib = r.library;
  console.log(
    [
      `duplicate check, ${r.photos} photos (${lib.planted} planted near-copies, ${lib.mirrored} of them mirrored; ${lib.keys.rows} key rows), ` +
        `${r.settings.probes} probes (${r.machine})`,
      '',
      '| measurement | p50 ms | p95 ms | max ms | p95 copy / mirrored / new | returned (mean / p95) | source found (copy / mirrored) | |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      row('findMatches (upload check)', l.findMatches, `target p95 ≤ ${TARGET_P95_MS} — ${r.target.met ? 'met' : '**not met**'}`),
      row('findMatches, the same probes again', l.findMatchesAgain, 'their pages cached'),
      row('findMatches, cold', l.findMatchesCold, 'the first checks after opening: buffer cache empty'),
      row('findMatches, keys never vacuumed', l.findMatchesNoVisibilityMap, 'enable_indexonlyscan off: a heap fetch per key hit'),
      row('findMatches + placeInGroups', l.findMatchesAndPlace, `placeInGroups alone ${part(l.findMatchesAndPlace)}`),
      row('PDQ key lookup', l.pdqLookup),
      row('HNSW neighbours (10)', l.hnsw),
      row('capture-time range', l.burst),
      row('evidence query (incl. lookups)', l.evidence, `alone ${part(l.evidence)}`),
      '',
      `PDQ key hits per check (mean / p95): ${r.pdqKeyHits.rows.mean} / ${r.pdqKeyHits.rows.p95} index rows, ${r.pdqKeyHits.photos.mean} / ${r.pdqKeyHits.photos.p95} photos, ` +
        `${r.pdqKeyHits.withinDistance.mean} / ${r.pdqKeyHits.withinDistance.p95} within the distance`,
      `statements per findMatches (count: checks): upload ${JSON.stringify(r.statements.findMatches)}, stored photo ${JSON.stringify(r.statements.findMatchesStored)}`,
      ...(['findMatches', 'pdq', 'hnsw', 'burst', 'evidence'] as const).map(plan),
      `matches: ${JSON.stringify(r.matches.byProbeKindAndClass)}; groups after placing: ${JSON.stringify(r.matches.groupsMadeByPlacing)}`,
      `RSS ${r.memory.rssMb} MB (VmHWM ${r.memory.vmHwmMb}); data folder ${r.dataFolderMb} MB; photo_pdq_keys heap ${lib.keys.heapMb} MB, ` +
        `lookup index ${lib.keys.lookupIndexMb} MB, photo index ${lib.keys.photoIndexMb} MB`,
    ].join('\n'),
  );
}

async function main() {
  if (!readDuplicatesMeta(PHOTOS)) {
    // Prepare here, measure in a fresh process: loading grows PGlite's WASM memory, which never shrinks.
    await prepareDuplicatesLibrary(PHOTOS, { from: FROM, log });
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
    process.exit(child.status ?? 1);
  }
  const database = await openDatabase({ dataDir: duplicatesLibraryDir(PHOTOS) });
  try {
    const results = await measureAll(database.db, readDuplicatesMeta(PHOTOS)!);
    fs.writeFileSync(path.join(repoRoot, `bench/duplicates/results-${PHOTOS}.json`), `${JSON.stringify(results, null, 2)}\n`);
    if (JSON_ONLY) process.stdout.write(`${JSON.stringify(results)}\n`);
    else printTable(results);
    // PGlite has no autovacuum: without this, the pages the stored probes' keys went to stay off the visibility
    // map, and the next run's index-only scans would fetch from the heap there. INDEX_CLEANUP ON: with as few
    // dead rows as a run leaves, VACUUM skips the indexes by default, and a page that keeps dead line pointers
    // for them is not marked all-visible.
    await database.pglite?.exec('VACUUM (ANALYZE, INDEX_CLEANUP ON) photo_pdq_keys');
    await database.pglite?.exec('VACUUM (ANALYZE, INDEX_CLEANUP ON) photos');
  } finally {
    await database.close();
  }
}

await main();
