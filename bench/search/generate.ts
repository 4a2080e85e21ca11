// Deterministic synthetic photo library for the search benchmark (bench/search/run.ts), loaded into a Shoebox
// database with binary COPY. Everything comes from one seeded PRNG: the same N gives the same library.
//
// What a library of N photos holds (figures per 100k in brackets):
// - photos: 15 years of dates (more in recent years), 30 camera models (Zipf), GPS + place names on 40 % from
//   87 real places (Zipf: the home town dominates), ratings on 20 %, favourites 4 %, keywords on 8 %;
// - photo_embeddings: 512-d, CLIP-like: 300 cluster centres sharing a common direction, gaussian noise around
//   them, L2-normalised (cosine ≈ 0.75 to the own centre, ≈ 0.3–0.5 between clusters);
// - photo_tags: 3–10 per photo from 3,000 tag words (Zipf), 1–3 of them the cluster's theme tags [~650k rows];
// - photo_captions: short sentences on 95 % of photos; photo_ocr: OCR-like text on 15 %; both draw words with a
//   Zipf distribution (s = 1) over 20,000 words, real English words at the top ranks, the rest made from
//   syllables;
// - people: 300 named; faces on 30 % of photos (1–6, mean ~1.6), 80 % of faces assigned to a person (Zipf),
//   1024-d embeddings around a per-person centre [~48k faces].
//
// Loading drops both HNSW indexes and recreates them after the COPY with maintenance_work_mem = 1GB (timed),
// runs ANALYZE, then builds the search documents with `refreshSearchDocuments(db, 'all')` when
// src/search/documents.ts exists. The loaded data folder is kept in bench/search/.work/lib-N/ and reused.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { openDatabase, rows, type Database, type Db } from '../../src/db/connection.js';
import { CopyWriter } from './copy.js';
import { STEP_NAMES } from '../../src/model/photo-state.js';
import { CAMERAS, COMMON_WORDS, FIRST_NAMES, LAST_NAMES, PLACES, TAG_WORDS } from './words.js';

/** 2: every photo's steps written as done, so that a server opening the library has no pipeline work to do. */
export const GENERATOR_VERSION = 2;
export const SEED = 20261121;
export const EMBEDDING_DIM = 512;
export const FACE_DIM = 1024;
export const CLUSTERS = 300;
export const VOCABULARY_SIZE = 20_000;
export const TAG_VOCABULARY_SIZE = 3_000;
export const PEOPLE = 300;
export const EMBEDDING_MODEL = 'bench-clip-512';
/** Photos generated and copied per round (keeps every COPY blob at ~10–20 MB). */
const CHUNK = 5_000;

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const workDir = path.join(repoRoot, 'bench/search/.work');
const documentsModule = path.join(repoRoot, 'src/search/documents.ts');

// --- randomness ---------------------------------------------------------------------------------------------

/** xoshiro128** seeded through splitmix32. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
  }

  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** [0, 1) */
  float(): number {
    return this.uint32() / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  range(min: number, max: number): number {
    return min + this.float() * (max - min);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Standard normal (Box–Muller, both values used). */
  normal(): number {
    if (this.spare !== null) {
      const value = this.spare;
      this.spare = null;
      return value;
    }
    const u = 1 - this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Ranks 0..n-1 with P(rank) ∝ 1 / (rank + 1)^s. */
export class Zipf {
  private readonly cdf: Float64Array;

  constructor(
    readonly n: number,
    s = 1,
  ) {
    this.cdf = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i += 1) this.cdf[i] = sum += 1 / (i + 1) ** s;
    for (let i = 0; i < n; i += 1) this.cdf[i]! /= sum;
  }

  sample(rng: Rng): number {
    const u = rng.float();
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Probability of one draw landing on `rank`. */
  p(rank: number): number {
    return this.cdf[rank]! - (rank > 0 ? this.cdf[rank - 1]! : 0);
  }
}

/** A stable UUID for (kind, index): the benchmark can name photo i without asking the database. */
export function uuidFor(kind: string, index: number): string {
  const hex = createHash('sha1').update(`${kind}:${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((Number.parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i += 1) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum) || 1;
  for (let i = 0; i < v.length; i += 1) v[i]! /= norm;
  return v;
}

function gaussianVector(rng: Rng, dim: number, scale = 1): Float32Array {
  const v = new Float32Array(dim);
  for (let i = 0; i < dim; i += 1) v[i] = rng.normal() * scale;
  return v;
}

/** centre + gaussian noise of expected norm `noise`, normalised. */
export function around(rng: Rng, centre: Float32Array, noise: number): Float32Array {
  const scale = noise / Math.sqrt(centre.length);
  const v = new Float32Array(centre.length);
  for (let i = 0; i < centre.length; i += 1) v[i] = centre[i]! + rng.normal() * scale;
  return normalize(v);
}

// --- the library's vocabularies and structure (cheap, rebuilt by the runner to make its queries) ------------

export interface Person {
  id: string;
  name: string;
  centre: Float32Array;
}

export interface Cluster {
  centre: Float32Array;
  /** Expected norm of a photo's noise around the centre. */
  noise: number;
  themeTags: number[];
  themeWords: number[];
}

export interface Universe {
  words: string[];
  tags: string[];
  wordZipf: Zipf;
  tagZipf: Zipf;
  clusters: Cluster[];
  clusterZipf: Zipf;
  people: Person[];
  personZipf: Zipf;
  placeZipf: Zipf;
  cameraZipf: Zipf;
}

const ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'tr', 'st', 'ch', 'sh', 'gl', 'pl', 'dr'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ou', 'ea', 'io', 'y'];
const CODAS = ['', '', '', 'n', 'r', 'l', 's', 't', 'm', 'x'];

function madeUpWords(rng: Rng, count: number, taken: Set<string>): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const syllables = 2 + (rng.chance(0.45) ? 1 : 0) + (rng.chance(0.1) ? 1 : 0);
    let word = '';
    for (let s = 0; s < syllables; s += 1) word += rng.pick(ONSETS) + rng.pick(VOWELS) + (s === syllables - 1 || rng.chance(0.3) ? rng.pick(CODAS) : '');
    if (word.length < 4 || taken.has(word)) continue;
    taken.add(word);
    out.push(word);
  }
  return out;
}

export function makeUniverse(seed = SEED): Universe {
  const rng = new Rng(seed ^ 0x5eed);
  const taken = new Set<string>();
  const common = [...new Set(COMMON_WORDS)];
  const tagReal = [...new Set(TAG_WORDS)];
  for (const w of [...common, ...tagReal]) taken.add(w);
  const words = [...common, ...madeUpWords(rng, VOCABULARY_SIZE - common.length, taken)];
  const tags = [...tagReal, ...madeUpWords(rng, TAG_VOCABULARY_SIZE - tagReal.length, taken)];
  const wordZipf = new Zipf(words.length, 1);
  const tagZipf = new Zipf(tags.length, 1);

  // CLIP image embeddings share a large common component: unrelated photos sit at cosine ~0.3–0.5.
  const common512 = normalize(gaussianVector(rng, EMBEDDING_DIM));
  const clusters: Cluster[] = [];
  for (let c = 0; c < CLUSTERS; c += 1) {
    const own = normalize(gaussianVector(rng, EMBEDDING_DIM));
    const centre = new Float32Array(EMBEDDING_DIM);
    for (let i = 0; i < EMBEDDING_DIM; i += 1) centre[i] = 0.6 * common512[i]! + 0.8 * own[i]!;
    normalize(centre);
    const themeTags = new Set<number>();
    while (themeTags.size < 3) themeTags.add(tagZipf.sample(rng));
    const themeWords = new Set<number>();
    while (themeWords.size < 4) themeWords.add(wordZipf.sample(rng));
    clusters.push({ centre, noise: rng.range(0.75, 1.05), themeTags: [...themeTags], themeWords: [...themeWords] });
  }

  const names = new Set<string>();
  const people: Person[] = [];
  while (people.length < PEOPLE) {
    const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
    if (names.has(name)) continue;
    names.add(name);
    people.push({ id: uuidFor('person', people.length), name, centre: normalize(gaussianVector(rng, FACE_DIM)) });
  }

  return {
    words,
    tags,
    wordZipf,
    tagZipf,
    clusters,
    clusterZipf: new Zipf(CLUSTERS, 0.5),
    people,
    personZipf: new Zipf(PEOPLE, 1),
    placeZipf: new Zipf(PLACES.length, 1.1),
    cameraZipf: new Zipf(CAMERAS.length, 0.8),
  };
}

// --- photos ---------------------------------------------------------------------------------------------------

const FIRST_YEAR = 2011;
const YEARS = 15;
const CONNECTORS = ['with', 'and', 'in', 'on', 'near', 'of', 'at', 'by', 'under', 'behind', 'next to'];
const OPENERS = ['A', 'The', 'Two', 'Some', 'A close view of a', 'A photo of the'];
const SIZES: [number, number][] = [
  [4032, 3024],
  [4000, 3000],
  [6000, 4000],
  [3024, 4032],
  [5472, 3648],
  [4080, 3072],
];

function yearZipfWeights(): number[] {
  const w = Array.from({ length: YEARS }, (_, i) => 1 + i * 0.3);
  const sum = w.reduce((a, b) => a + b, 0);
  let acc = 0;
  return w.map((x) => (acc += x / sum));
}
const YEAR_CDF = yearZipfWeights();

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function filenameFor(style: (typeof CAMERAS)[number][3], counter: number, d: Date, heic: boolean): string {
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}_${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
  const n = pad(counter % 10000, 4);
  switch (style) {
    case 'img':
      return `IMG_${n}.${heic ? 'HEIC' : 'JPG'}`;
    case 'dsc':
      return `DSC_${n}.JPG`;
    case 'pxl':
      return `PXL_${stamp}${pad(counter % 1000, 3)}.jpg`;
    case 'sam':
      return `${stamp}.jpg`;
    case 'dscf':
      return `DSCF${n}.JPG`;
    case 'p':
      return `P10${n}.JPG`;
  }
}

export interface LoadCounts {
  photos: number;
  embeddings: number;
  tags: number;
  captions: number;
  ocr: number;
  people: number;
  faces: number;
  withGps: number;
}

interface Writers {
  photos: CopyWriter;
  embeddings: CopyWriter;
  tags: CopyWriter;
  captions: CopyWriter;
  ocr: CopyWriter;
  faces: CopyWriter;
}

const TABLES: { key: keyof Writers; table: string; columns: string }[] = [
  {
    key: 'photos',
    table: 'photos',
    columns:
      'id, owner_id, sha256, filename, storage_key, mime, size_bytes, state, width, height, taken_at, taken_at_text, time_zone, latitude, longitude, orientation, make, model, lens, rating, keywords, place_city, place_state, place_country, place_country_code, place_source, favorite, created_at, updated_at',
  },
  { key: 'embeddings', table: 'photo_embeddings', columns: 'photo_id, model, embedding' },
  { key: 'tags', table: 'photo_tags', columns: 'photo_id, tag, confidence, source' },
  { key: 'captions', table: 'photo_captions', columns: 'photo_id, caption, source, model' },
  { key: 'ocr', table: 'photo_ocr', columns: 'photo_id, text, confidence, languages' },
  { key: 'faces', table: 'faces', columns: 'id, photo_id, person_id, assigned_by, x, y, width, height, score, embedding, detector' },
];

function words(u: Universe, rng: Rng, count: number): string[] {
  return Array.from({ length: count }, () => u.words[u.wordZipf.sample(rng)]!);
}

/** Appends photo `index`'s rows to the writers. */
function addPhoto(u: Universe, rng: Rng, index: number, ownerId: string, w: Writers, counts: LoadCounts, faceCounter: { n: number }): void {
  const id = uuidFor('photo', index);
  const cluster = u.clusters[u.clusterZipf.sample(rng)]!;
  const [make, model, lens, style] = CAMERAS[u.cameraZipf.sample(rng)]!;
  const yearU = rng.float();
  const year = FIRST_YEAR + YEAR_CDF.findIndex((c) => yearU < c);
  const takenAt = Date.UTC(year, 0, 1) + rng.int(365) * 86_400_000 + (7 + rng.int(16)) * 3_600_000 + rng.int(3_600_000);
  const gps = rng.chance(0.4);
  const place = gps ? PLACES[u.placeZipf.sample(rng)]! : null;
  const offset = place?.[6] ?? '+01:00';
  const heic = style === 'img' && make === 'Apple' && year >= 2018 && rng.chance(0.7);
  const taken = new Date(takenAt);
  const sha = createHash('sha256').update(`shoebox-bench-photo-${index}`).digest('hex');
  const [width, height] = rng.pick(SIZES);
  const ratingRoll = rng.float();
  const rating = ratingRoll < 0.8 ? null : rng.int(6);
  const keywords = rng.chance(0.08) ? Array.from({ length: 1 + rng.int(3) }, () => u.tags[u.tagZipf.sample(rng)]!) : [];
  w.photos
    .row(29)
    .uuid(id)
    .uuid(ownerId)
    .text(sha)
    .text(filenameFor(style, index, taken, heic))
    .text(`originals/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}.${heic ? 'heic' : 'jpg'}`)
    .text(heic ? 'image/heic' : 'image/jpeg')
    .int8(1_200_000 + rng.int(6_000_000))
    .text('completed')
    .int4(width)
    .int4(height)
    .timestamptz(takenAt)
    .text(`${taken.toISOString().slice(0, 19)}${offset}`)
    .text(null)
    .float8(place ? place[4] + rng.range(-0.05, 0.05) : null)
    .float8(place ? place[5] + rng.range(-0.05, 0.05) : null)
    .int4(1)
    .text(make)
    .text(model)
    .text(lens)
    .int4(rating)
    .textArray([...new Set(keywords)])
    .text(place?.[0] ?? null)
    .text(place?.[1] ?? null)
    .text(place?.[2] ?? null)
    .text(place?.[3] ?? null)
    .text(place ? 'geocoded' : null)
    .bool(rng.chance(0.04))
    .timestamptz(takenAt + 86_400_000)
    .timestamptz(takenAt + 86_400_000);
  counts.photos += 1;
  if (place) counts.withGps += 1;

  w.embeddings
    .row(3)
    .uuid(id)
    .text(EMBEDDING_MODEL)
    .vector(around(rng, cluster.centre, cluster.noise));
  counts.embeddings += 1;

  const tagCount = 3 + rng.int(8);
  const photoTags = new Map<string, number>();
  const themed = 1 + rng.int(3);
  for (let t = 0; t < themed; t += 1) photoTags.set(u.tags[rng.pick(cluster.themeTags)]!, rng.range(0.5, 0.95));
  while (photoTags.size < tagCount) {
    const tag = u.tags[u.tagZipf.sample(rng)]!;
    if (!photoTags.has(tag)) photoTags.set(tag, rng.range(0.2, 0.6));
  }
  for (const [tag, confidence] of photoTags) w.tags.row(4).uuid(id).text(tag).float4(confidence).text('clip');
  counts.tags += photoTags.size;

  if (rng.chance(0.95)) {
    const content = [u.words[rng.pick(cluster.themeWords)]!, ...words(u, rng, 1 + rng.int(4))];
    let caption = rng.pick(OPENERS);
    content.forEach((word, k) => (caption += `${k > 0 ? ` ${rng.pick(CONNECTORS)}${rng.chance(0.5) ? ' the' : ''}` : ''} ${word}`));
    w.captions.row(4).uuid(id).text(`${caption}.`).text('fallback').text('bench');
    counts.captions += 1;
  }

  if (rng.chance(0.15)) {
    const upper = rng.chance(0.3);
    const text = words(u, rng, 5 + rng.int(36))
      .map((word) => (upper ? word.toUpperCase() : word))
      .join(rng.chance(0.5) ? ' ' : '\n');
    w.ocr.row(4).uuid(id).text(text).float4(rng.range(60, 95)).textArray(['eng']);
    counts.ocr += 1;
  }

  if (rng.chance(0.3)) {
    const roll = rng.float();
    const faceCount = roll < 0.6 ? 1 : roll < 0.85 ? 2 : roll < 0.95 ? 3 : 4 + rng.int(3);
    for (let f = 0; f < faceCount; f += 1) {
      const person = rng.chance(0.8) ? u.people[u.personZipf.sample(rng)]! : null;
      const embedding = person ? around(rng, person.centre, 0.7) : normalize(gaussianVector(rng, FACE_DIM));
      const size = rng.range(120, 900);
      w.faces
        .row(11)
        .uuid(uuidFor('face', faceCounter.n++))
        .uuid(id)
        .uuid(person?.id ?? null)
        .text(person ? 'auto' : null)
        .float4(rng.range(0, width - size))
        .float4(rng.range(0, height - size))
        .float4(size)
        .float4(size * 1.2)
        .float4(rng.range(0.6, 0.99))
        .vector(embedding)
        .text('ssd-mobilenet-v1+faceres');
    }
    counts.faces += faceCount;
  }
}

// --- loading ----------------------------------------------------------------------------------------------

export interface LoadTimings {
  /** Making the rows in JavaScript (PRNG, vectors, encoding). */
  generateSeconds: number;
  /** COPY per table, seconds. */
  copySeconds: Record<string, number>;
  copyMegabytes: Record<string, number>;
  photoHnswSeconds: number;
  faceHnswSeconds: number;
  analyzeSeconds: number;
  totalSeconds: number;
}

export interface LibraryMeta {
  generatorVersion: number;
  seed: number;
  photos: number;
  counts: LoadCounts;
  load: LoadTimings;
  /** Hash of the migrations the database was created with: a migration edited in place means a new database. */
  schemaHash: string;
  /** Hash of src/search/documents.ts when the documents were last built; null when they never were. */
  documentsHash: string | null;
  documents: { seconds: number; photoSearchRows: number; searchTerms: number; analyzeSeconds: number; returned: number } | null;
  createdAt: string;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

async function copy(pglite: PGlite, table: string, columns: string, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
  await pglite.query(`COPY ${table} (${columns}) FROM '/dev/blob' WITH (FORMAT binary)`, [], { blob: new Blob([bytes]) });
}

async function indexDefinition(db: Db, name: string): Promise<string> {
  const [row] = await rows<{ indexdef: string }>(db, sql`select indexdef from pg_indexes where indexname = ${name}`);
  if (!row) throw new Error(`index ${name} not found`);
  return row.indexdef;
}

/** Loads N photos into an empty database. */
export async function loadLibrary(database: Database, n: number, log: (line: string) => void): Promise<{ counts: LoadCounts; load: LoadTimings }> {
  const { db, pglite } = database;
  if (!pglite) throw new Error('the search benchmark needs the embedded database');
  const started = performance.now();
  const [owner] = await rows<{ id: string }>(db, sql`select id from users where name = 'local'`);
  if (!owner) throw new Error('no default owner');
  const u = makeUniverse();
  const rng = new Rng(SEED);
  const counts: LoadCounts = { photos: 0, embeddings: 0, tags: 0, captions: 0, ocr: 0, people: 0, faces: 0, withGps: 0 };
  const copySeconds: Record<string, number> = {};
  const copyMegabytes: Record<string, number> = {};
  let generateMs = 0;

  const photoIndex = await indexDefinition(db, 'photo_embeddings_hnsw_idx');
  const faceIndex = await indexDefinition(db, 'faces_embedding_hnsw_idx');
  await pglite.exec('DROP INDEX photo_embeddings_hnsw_idx; DROP INDEX faces_embedding_hnsw_idx;');
  // The rows are consistent by construction: skip the per-row foreign-key triggers while copying.
  await pglite.exec("SET session_replication_role = 'replica'");

  const people = new CopyWriter();
  for (const person of u.people) people.row(3).uuid(person.id).uuid(owner.id).text(person.name);
  await copy(pglite, 'people', 'id, owner_id, name', people.finish());
  counts.people = u.people.length;

  const faceCounter = { n: 0 };
  for (let from = 0; from < n; from += CHUNK) {
    const t0 = performance.now();
    const writers: Writers = {
      photos: new CopyWriter(4 << 20),
      embeddings: new CopyWriter(12 << 20),
      tags: new CopyWriter(4 << 20),
      captions: new CopyWriter(1 << 20),
      ocr: new CopyWriter(1 << 20),
      faces: new CopyWriter(8 << 20),
    };
    for (let i = from; i < Math.min(n, from + CHUNK); i += 1) addPhoto(u, rng, i, owner.id, writers, counts, faceCounter);
    const blobs = TABLES.map((t) => ({ ...t, bytes: writers[t.key].finish(), rows: writers[t.key].rows }));
    generateMs += performance.now() - t0;
    for (const t of blobs) {
      if (t.rows === 0) continue;
      const c0 = performance.now();
      await copy(pglite, t.table, t.columns, t.bytes);
      copySeconds[t.table] = (copySeconds[t.table] ?? 0) + (performance.now() - c0) / 1000;
      copyMegabytes[t.table] = (copyMegabytes[t.table] ?? 0) + t.bytes.length / 2 ** 20;
    }
    log(`  ${Math.min(n, from + CHUNK)} / ${n} photos loaded (${round((performance.now() - started) / 1000, 1)} s)`);
  }

  await pglite.exec("SET session_replication_role = 'origin'");

  // Every step done (no version: nothing to redo when a step's code changes). Without the rows, a server opening the
  // library gives each photo pending steps (pipeline/reconcile.ts) and measures under the whole pipeline's load.
  log("  marking every photo's steps done…");
  await pglite.exec(
    `INSERT INTO photo_steps (photo_id, step, status, finished_at)
     SELECT p.id, s.step, 'done', now() FROM photos p CROSS JOIN unnest(ARRAY[${STEP_NAMES.map((name) => `'${name}'`).join(', ')}]::text[]) AS s(step)`,
  );

  log('  building the HNSW index on photo_embeddings…');
  const h0 = performance.now();
  await pglite.exec(`SET maintenance_work_mem = '1GB'; ${photoIndex}; RESET maintenance_work_mem;`);
  const photoHnswSeconds = (performance.now() - h0) / 1000;
  log(`  photo_embeddings HNSW: ${round(photoHnswSeconds, 1)} s; building the faces HNSW index (${counts.faces} faces)…`);
  const f0 = performance.now();
  await pglite.exec(`SET maintenance_work_mem = '1GB'; ${faceIndex}; RESET maintenance_work_mem;`);
  const faceHnswSeconds = (performance.now() - f0) / 1000;
  log(`  faces HNSW: ${round(faceHnswSeconds, 1)} s`);
  const z0 = performance.now();
  await pglite.exec('VACUUM ANALYZE');
  const analyzeSeconds = (performance.now() - z0) / 1000;

  const copyTotal = Object.values(copySeconds).reduce((a, b) => a + b, 0);
  return {
    counts,
    load: {
      generateSeconds: round(generateMs / 1000),
      copySeconds: { ...Object.fromEntries(Object.entries(copySeconds).map(([k, v]) => [k, round(v)])), total: round(copyTotal) },
      copyMegabytes: Object.fromEntries(Object.entries(copyMegabytes).map(([k, v]) => [k, round(v, 1)])),
      photoHnswSeconds: round(photoHnswSeconds),
      faceHnswSeconds: round(faceHnswSeconds),
      analyzeSeconds: round(analyzeSeconds),
      totalSeconds: round((performance.now() - started) / 1000),
    },
  };
}

/** The migrations a library was made from: one edited in place means a new library. */
export function schemaHash(): string {
  return schemaHashes().at(-1)!;
}

/**
 * schemaHash after each migration in turn: a library made before the last few is kept where the hash it was made
 * with is one of these, and openDatabase applies the rest, as a user's upgrade does.
 */
export function schemaHashes(): string[] {
  const hash = createHash('sha256');
  const folder = path.join(repoRoot, 'drizzle');
  const files = fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  return files.map((file) =>
    hash
      .update(file)
      .update(fs.readFileSync(path.join(folder, file)))
      .copy()
      .digest('hex')
      .slice(0, 16),
  );
}

function documentsHash(): string | null {
  if (!fs.existsSync(documentsModule)) return null;
  const hash = createHash('sha256').update(fs.readFileSync(documentsModule));
  // A new migration may change photo_search / search_terms too.
  for (const file of fs
    .readdirSync(path.join(repoRoot, 'drizzle'))
    .filter((f) => f.endsWith('.sql'))
    .sort())
    hash.update(file);
  return hash.digest('hex').slice(0, 16);
}

type Refresh = (db: Db, photoIds: string[] | 'all') => Promise<number>;

/** (Re)builds photo_search and search_terms from the base tables, from empty. */
export async function buildDocuments(database: Database, log: (line: string) => void): Promise<LibraryMeta['documents']> {
  if (!fs.existsSync(documentsModule)) return null;
  const module = (await import(pathToFileURL(documentsModule).href)) as { refreshSearchDocuments?: Refresh };
  if (!module.refreshSearchDocuments) throw new Error('src/search/documents.ts has no refreshSearchDocuments');
  const { pglite, db } = database;
  await pglite!.exec('TRUNCATE photo_search, search_terms');
  log('  refreshSearchDocuments(db, "all")…');
  const t0 = performance.now();
  const returned = await module.refreshSearchDocuments(db, 'all');
  const seconds = (performance.now() - t0) / 1000;
  const z0 = performance.now();
  await pglite!.exec('VACUUM ANALYZE photo_search');
  await pglite!.exec('VACUUM ANALYZE search_terms');
  const analyzeSeconds = (performance.now() - z0) / 1000;
  const [counts] = await rows<{ docs: number; terms: number }>(
    db,
    sql`select (select count(*)::int from photo_search) as docs, (select count(*)::int from search_terms) as terms`,
  );
  log(`  documents: ${round(seconds, 1)} s (${counts?.docs} rows, ${counts?.terms} terms)`);
  return { seconds: round(seconds), photoSearchRows: counts?.docs ?? 0, searchTerms: counts?.terms ?? 0, analyzeSeconds: round(analyzeSeconds), returned };
}

export function libraryDir(n: number): string {
  return path.join(workDir, `lib-${n}`);
}

function readMeta(n: number): LibraryMeta | null {
  const metaFile = path.join(libraryDir(n), 'meta.json');
  if (!fs.existsSync(metaFile)) return null;
  const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as LibraryMeta;
  return meta.generatorVersion === GENERATOR_VERSION && meta.seed === SEED && meta.photos === n && schemaHashes().includes(meta.schemaHash) ? meta : null;
}

function writeMeta(n: number, meta: LibraryMeta): void {
  fs.writeFileSync(path.join(libraryDir(n), 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
}

export interface PrepareOptions {
  /** Generate and load a new library even when one is cached. */
  rebuild?: boolean;
  /** Do not rebuild the search documents when src/search/documents.ts changed (only when there are none). */
  keepDocuments?: boolean;
}

/** What `prepareLibrary` would do now. */
export function pendingWork(n: number, options: PrepareOptions): { load: boolean; documents: boolean } {
  const meta = options.rebuild ? null : readMeta(n);
  const hash = documentsHash();
  const documents = hash !== null && (!meta || meta.documentsHash === null || (!options.keepDocuments && meta.documentsHash !== hash));
  return { load: !meta, documents };
}

/**
 * Makes sure the cached library for N photos exists: generates and loads it when it is missing, was made by
 * another generator version or from other migrations (one edited in place), or `rebuild` is set; (re)builds the search documents when there are none or
 * src/search/documents.ts (or the migrations) changed since. Returns the library's description.
 */
export async function prepareLibrary(n: number, options: PrepareOptions & { log: (line: string) => void }): Promise<LibraryMeta> {
  const { log } = options;
  const dataDir = libraryDir(n);
  const work = pendingWork(n, options);
  let meta = options.rebuild ? null : readMeta(n);
  if (!work.load && !work.documents && meta) return meta;
  let database: Database;
  if (work.load || !meta) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.mkdirSync(dataDir, { recursive: true });
    log(`generating and loading a library of ${n} photos into ${path.relative(repoRoot, dataDir)}…`);
    database = await openDatabase({ dataDir });
    const { counts, load } = await loadLibrary(database, n, log);
    meta = {
      generatorVersion: GENERATOR_VERSION,
      seed: SEED,
      photos: n,
      schemaHash: schemaHash(),
      counts,
      load,
      documentsHash: null,
      documents: null,
      createdAt: new Date().toISOString(),
    };
    writeMeta(n, meta);
  } else {
    database = await openDatabase({ dataDir });
  }
  try {
    if (work.documents) {
      log('building the search documents…');
      meta.documents = await buildDocuments(database, log);
      meta.documentsHash = documentsHash();
      writeMeta(n, meta);
    }
  } finally {
    await database.close();
  }
  return meta;
}

/** Opens the prepared library. */
export async function openLibraryAsOwner(n: number): Promise<{ database: Database; meta: LibraryMeta; dataDir: string }> {
  const meta = readMeta(n);
  if (!meta) throw new Error(`no library of ${n} photos: run prepareLibrary first`);
  const dataDir = libraryDir(n);
  return { database: await openDatabase({ dataDir }), meta, dataDir };
}

/** Bytes under a folder. */
export function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
}

// `node --import tsx bench/search/generate.ts --photos N [--rebuild] [--keep-documents]`: make (or reuse) the library alone.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--photos');
  const n = i > 0 ? Number(process.argv[i + 1]) : 10_000;
  const meta = await prepareLibrary(n, {
    rebuild: process.argv.includes('--rebuild'),
    keepDocuments: process.argv.includes('--keep-documents'),
    log: (line) => console.log(line),
  });
  console.log(JSON.stringify({ ...meta, dataFolderMb: round(folderBytes(libraryDir(n)) / 2 ** 20, 1) }, null, 2));
}
