// The vocabulary's text embeddings, computed once per model version and kept on disk: ~6100 prompts at
// ~10 ms each on CPU (CLIP ViT-B/32) is about a minute, which a restart should not pay again.
//
// Files in cacheDir, named by model and by a key over (model version, vocabulary digest), so a new model or
// vocabulary never reads an old matrix:
//   tags-<model>-<key>.f32   Float32 rows, little-endian
//   tags-<model>-<key>.json  header; written last, so its presence means the pair is complete
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ClipModel } from '../types.js';
import { promptsFor, TEMPLATES, VOCABULARY, type VocabularyEntry } from './vocabulary.js';
import { buildTagMatrix, type BuildOptions, type TagMatrix } from './zero-shot.js';

const FORMAT = 1;

interface Header {
  format: number;
  model: string;
  modelVersion: string;
  vocabularyDigest: string;
  dims: number;
  count: number;
  endianness: 'LE' | 'BE';
  texts: number;
  millis: number;
  createdAt: string;
}

export interface LoadedTagMatrix extends TagMatrix {
  /** True when read from disk, false when just computed. */
  readonly cached: boolean;
  /** Time spent now: reading, or embedding every prompt. */
  readonly millis: number;
}

export interface LoadOptions extends BuildOptions {
  vocabulary?: readonly VocabularyEntry[];
}

/** Covers names and the exact prompt texts, so editing a template or a phrase invalidates the cache too. */
export function vocabularyDigest(vocabulary: readonly VocabularyEntry[] = VOCABULARY): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(TEMPLATES));
  for (const entry of vocabulary) hash.update(JSON.stringify([entry.name, promptsFor(entry)]));
  return hash.digest('hex');
}

function cachePaths(cacheDir: string, modelName: string, modelVersion: string, digest: string) {
  const model = modelName.replace(/[^A-Za-z0-9._-]+/g, '_');
  const key = createHash('sha256').update(`${modelVersion}\0${digest}`).digest('hex').slice(0, 16);
  const base = path.join(cacheDir, `tags-${model}-${key}`);
  return { prefix: `tags-${model}-`, data: `${base}.f32`, header: `${base}.json` };
}

async function readCached(
  paths: ReturnType<typeof cachePaths>,
  expect: Pick<Header, 'modelVersion' | 'vocabularyDigest' | 'count'>,
): Promise<{ dims: number; data: Float32Array } | null> {
  let header: Header;
  try {
    header = JSON.parse(await fs.readFile(paths.header, 'utf8')) as Header;
  } catch {
    return null;
  }
  if (
    header.format !== FORMAT ||
    header.modelVersion !== expect.modelVersion ||
    header.vocabularyDigest !== expect.vocabularyDigest ||
    header.count !== expect.count ||
    header.endianness !== os.endianness() ||
    !(header.dims > 0)
  ) {
    return null;
  }
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(paths.data);
  } catch {
    return null;
  }
  if (bytes.byteLength !== header.count * header.dims * 4) return null;
  // Copy into a fresh, aligned buffer: a Buffer may sit at any offset of a shared pool.
  const data = new Float32Array(header.count * header.dims);
  new Uint8Array(data.buffer).set(bytes);
  return { dims: header.dims, data };
}

async function writeAtomically(file: string, content: Uint8Array | string): Promise<void> {
  const temp = `${file}.${process.pid}-${randomUUID()}.tmp`;
  try {
    await fs.writeFile(temp, content);
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

/** Removes this model's matrices for other versions or vocabularies; best effort. */
async function pruneStale(cacheDir: string, paths: ReturnType<typeof cachePaths>): Promise<void> {
  const keep = new Set([path.basename(paths.data), path.basename(paths.header)]);
  const names = await fs.readdir(cacheDir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((n) => n.startsWith(paths.prefix) && /\.(f32|json)$/.test(n) && !keep.has(n))
      .map((n) => fs.rm(path.join(cacheDir, n), { force: true }).catch(() => undefined)),
  );
}

interface Job {
  vocabulary: readonly VocabularyEntry[];
  digest: string;
  paths: ReturnType<typeof cachePaths>;
  build: BuildOptions;
}

async function load(clip: ClipModel, cacheDir: string, { vocabulary, digest, paths, build }: Job): Promise<LoadedTagMatrix> {
  const started = performance.now();
  const names = vocabulary.map((e) => e.name);
  const cached = await readCached(paths, { modelVersion: clip.version, vocabularyDigest: digest, count: names.length });
  if (cached) return { names, ...cached, cached: true, millis: performance.now() - started };

  let texts = 0;
  const matrix = await buildTagMatrix(
    vocabulary,
    (batch) => {
      texts += batch.length;
      return clip.embedTexts(batch);
    },
    build,
  );
  const millis = performance.now() - started;
  const header: Header = {
    format: FORMAT,
    model: clip.name,
    modelVersion: clip.version,
    vocabularyDigest: digest,
    dims: matrix.dims,
    count: matrix.names.length,
    endianness: os.endianness(),
    texts,
    millis: Math.round(millis),
    createdAt: new Date().toISOString(),
  };
  await fs.mkdir(cacheDir, { recursive: true });
  await writeAtomically(paths.data, new Uint8Array(matrix.data.buffer, matrix.data.byteOffset, matrix.data.byteLength));
  await writeAtomically(paths.header, `${JSON.stringify(header, null, 2)}\n`);
  await pruneStale(cacheDir, paths);
  return { ...matrix, cached: false, millis };
}

// Concurrent callers in one process (pipeline workers starting together) share one computation.
const inFlight = new Map<string, Promise<LoadedTagMatrix>>();

/**
 * The tag matrix for this model: read from cacheDir when a matrix for the same model version and vocabulary
 * is there, otherwise computed with `clip.embedTexts` (about a minute for the full vocabulary on CPU) and
 * written there for next time.
 */
export function loadTagMatrix(clip: ClipModel, cacheDir: string, options: LoadOptions = {}): Promise<LoadedTagMatrix> {
  const { vocabulary = VOCABULARY, ...build } = options;
  const digest = vocabularyDigest(vocabulary);
  const paths = cachePaths(cacheDir, clip.name, clip.version, digest);
  const running = inFlight.get(paths.header);
  if (running) return running;
  const promise = load(clip, cacheDir, { vocabulary, digest, paths, build }).finally(() => inFlight.delete(paths.header));
  inFlight.set(paths.header, promise);
  return promise;
}
