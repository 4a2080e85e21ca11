import { SEMANTIC_SEARCH_RELATIONS } from './buffer-cache.js';
import type { Database } from './connection.js';

/**
 * Pages read per statement: ~8 ms each (2 MB), so a request that arrives meanwhile (the first screen of a server
 * just started) waits little for the one connection; the statements themselves add ~40 ms to a 100k library.
 */
const PAGES_PER_STATEMENT = 256;
/** The semantic search's pages may take at most this share of the buffer cache: the rest is for everything else. */
const MAX_SHARE_OF_CACHE = 0.9;

export interface Prewarm {
  /** Settles when the pages are read, or when `stop` has cut it short. */
  done: Promise<{ pages: number; ms: number }>;
  stop(): void;
}

/**
 * Reads what every semantic search reads — the photos' HNSW graph, then the embeddings' rows — into Postgres'
 * buffer cache after the embedded database opens, in the background. A search walks graph pages spread over the
 * whole index and fetches ~100 candidate rows from all over the table: until they are cached, each one missing
 * is a read from the OS (or the disk) and a copy into PGlite's WASM memory, and the first few hundred searches
 * after a start took p95 73 ms instead of 7 at 100k photos (bench/README.md). The cache is sized to hold them
 * (buffer-cache.ts). `get_raw_page` (pageinspect) reads a page through the buffer cache, where it stays;
 * Postgres has pg_prewarm for this, which PGlite does not ship. A PostgreSQL server keeps its own cache across
 * Shoebox restarts: nothing to do there.
 */
export function prewarmSemanticSearch(database: Database): Prewarm {
  let stopped = false;
  const run = async () => {
    const started = performance.now();
    const client = database.pglite;
    if (!client) return { pages: 0, ms: 0 };
    const cache = (await client.query<{ pages: number }>(`select setting::int as pages from pg_settings where name = 'shared_buffers'`)).rows[0]?.pages ?? 0;
    let budget = Math.floor(cache * MAX_SHARE_OF_CACHE);
    let read = 0;
    for (const relation of SEMANTIC_SEARCH_RELATIONS) {
      const size = await client.query<{ pages: number | null }>(
        `select (pg_relation_size(to_regclass($1)) / current_setting('block_size')::int)::int as pages`,
        [relation],
      );
      const pages = Math.min(size.rows[0]?.pages ?? 0, budget);
      for (let start = 0; start < pages && !stopped; start += PAGES_PER_STATEMENT) {
        const end = Math.min(pages, start + PAGES_PER_STATEMENT);
        await client.query(`select count(length(get_raw_page($1, 'main', g::bigint))) from generate_series($2::int, $3::int - 1) g`, [relation, start, end]);
        read += end - start;
      }
      budget -= pages;
      if (stopped) break;
    }
    return { pages: read, ms: Math.round(performance.now() - started) };
  };
  return {
    done: run(),
    stop: () => {
      stopped = true;
    },
  };
}
