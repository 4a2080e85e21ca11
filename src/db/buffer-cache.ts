import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';

/**
 * What every semantic search reads, in the order worth caching: the photos' HNSW graph, then the rows of the
 * candidates it finds (each ~2 KB, three to a page, one page per candidate; ~100 candidates a search). Both are
 * ~260 MB at 100k photos. Keyword search reads far fewer pages per query (the GIN index's posting lists).
 */
export const SEMANTIC_SEARCH_RELATIONS = ['photo_embeddings_hnsw_idx', 'photo_embeddings'] as const;

const MB = 2 ** 20;
const MIN_SHARED_BUFFERS_MB = 32;
const MAX_SHARED_BUFFERS_MB = 1024;
/** Room over the semantic search's pages: they grow while the server runs (new photos). */
const SEMANTIC_HEADROOM = 1.1;
/** Of everything else (faces, keyword documents, tags, photos' rows), the share the cache keeps besides. */
const SHARE_OF_THE_REST = 1 / 8;
/** Before the first plan exists (the first open of a folder): a third of the tables and indexes. */
const SHARE_WITHOUT_PLAN = 1 / 3;

export interface DatabaseSizes {
  /** Bytes of all tables and indexes (the data folder's `base`). */
  totalBytes: number;
  /** Bytes of SEMANTIC_SEARCH_RELATIONS, when the cache plan knows their files. */
  semanticBytes: number | null;
}

/**
 * Postgres' buffer cache for a database of these sizes, between 32 MB and 1 GB: the semantic search's pages whole,
 * with headroom, and an eighth of the rest. Every page a search misses is a read from the OS — from the disk when
 * the OS did not keep the file, which put the semantic p95 at 20–30 ms instead of 9 at 100k photos on a slow
 * disk — and a copy into PGlite's WASM memory. A small library keeps the 32 MB footprint.
 */
export function sharedBuffersMb({ totalBytes, semanticBytes }: DatabaseSizes): number {
  const bytes =
    semanticBytes === null ? totalBytes * SHARE_WITHOUT_PLAN : semanticBytes * SEMANTIC_HEADROOM + Math.max(0, totalBytes - semanticBytes) * SHARE_OF_THE_REST;
  return Math.min(MAX_SHARED_BUFFERS_MB, Math.max(MIN_SHARED_BUFFERS_MB, Math.round(bytes / MB)));
}

/**
 * Where the relations' files are, kept next to the data folder: `shared_buffers` is fixed when Postgres starts,
 * before a query could ask how big a relation is, so each open records the files for the next one.
 */
interface CachePlan {
  /** Paths relative to the data folder (`pg_relation_filepath`): `base/<database>/<relfilenode>`. */
  semanticFiles: string[];
}

const planFile = (dataDir: string) => path.join(dataDir, 'db-cache-plan.json');

/** Sizes of the database in `dbDir` (the PGlite data folder) as the plan in `dataDir` describes it. */
export function databaseSizes(dataDir: string, dbDir: string): DatabaseSizes {
  return { totalBytes: folderBytes(path.join(dbDir, 'base')), semanticBytes: semanticBytes(dataDir, dbDir) };
}

function semanticBytes(dataDir: string, dbDir: string): number | null {
  let plan: CachePlan;
  try {
    plan = JSON.parse(readFileSync(planFile(dataDir), 'utf8')) as CachePlan;
  } catch {
    return null; // none yet, or unreadable: the next open writes it again
  }
  if (!Array.isArray(plan.semanticFiles) || plan.semanticFiles.length === 0) return null;
  let total = 0;
  for (const file of plan.semanticFiles) {
    const bytes = relationBytes(path.join(dbDir, file));
    // a relation rewritten since (VACUUM FULL, REINDEX) has a new file: the plan is stale
    if (bytes === null) return null;
    total += bytes;
  }
  return total;
}

/** A relation's main fork: its first file and the 1 GB segments after it (`<file>.1`, `<file>.2`, …). */
function relationBytes(file: string): number | null {
  if (!existsSync(file)) return null;
  let total = statSync(file).size;
  for (let segment = 1; existsSync(`${file}.${segment}`); segment++) total += statSync(`${file}.${segment}`).size;
  return total;
}

/** Records where the semantic search's relations live now, for the next open's sizing. */
export async function writeCachePlan(client: PGlite, dataDir: string): Promise<void> {
  const result = await client.query<{ file: string | null }>(
    `select pg_relation_filepath(to_regclass(name)) as file from unnest($1::text[]) with ordinality as r(name, n) order by n`,
    [SEMANTIC_SEARCH_RELATIONS],
  );
  const plan: CachePlan = { semanticFiles: result.rows.map((row) => row.file).filter((file): file is string => file !== null) };
  const text = `${JSON.stringify(plan)}\n`;
  const current = existsSync(planFile(dataDir)) ? readFileSync(planFile(dataDir), 'utf8') : null;
  if (current !== text) writeFileSync(planFile(dataDir), text);
}

/** Bytes of the files under a folder. */
function folderBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(full) : entry.isFile() ? statSync(full).size : 0;
  }
  return total;
}
