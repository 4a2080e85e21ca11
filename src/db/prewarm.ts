import type { Database } from './connection.js';

/**
 * Pages read per statement: ~8 ms each (2 MB), so a request that arrives meanwhile (the first screen of a server
 * just started) waits little for the one connection; the statements themselves add ~40 ms to the whole read.
 */
const PAGES_PER_STATEMENT = 256;
/** The graph may take at most this share of the buffer cache: the rest is for what searches and pages read. */
const MAX_SHARE_OF_CACHE = 0.5;

export interface Prewarm {
  /** Settles when the graph is read, or when `stop` has cut it short. */
  done: Promise<{ pages: number; ms: number }>;
  stop(): void;
}

/**
 * Reads the photos' HNSW graph into Postgres' buffer cache after the embedded database opens, in the background.
 * A semantic search walks pages spread over the whole graph: until they are cached, each one missing is a read
 * from the OS (or the disk) and a copy into PGlite's WASM memory, and the first few hundred searches after a
 * start took p95 73 ms instead of 7 at 100k photos (the read itself: 260 MB in 0.8 s; bench/README.md).
 * `get_raw_page` (pageinspect) reads a page through the buffer cache, where it stays; Postgres has pg_prewarm for
 * this, which PGlite does not ship. A PostgreSQL server keeps its own cache across Shoebox restarts: nothing to do.
 */
export function prewarmSearchGraph(database: Database): Prewarm {
  let stopped = false;
  const run = async () => {
    const started = performance.now();
    const client = database.pglite;
    if (!client) return { pages: 0, ms: 0 };
    const [sizes] = (
      await client.query<{ pages: number; cache: number }>(
        `select (pg_relation_size('photo_embeddings_hnsw_idx') / current_setting('block_size')::int)::int as pages,
                (select setting::int from pg_settings where name = 'shared_buffers') as cache`,
      )
    ).rows;
    const pages = Math.min(sizes?.pages ?? 0, Math.floor((sizes?.cache ?? 0) * MAX_SHARE_OF_CACHE));
    let read = 0;
    while (read < pages && !stopped) {
      const end = Math.min(pages, read + PAGES_PER_STATEMENT);
      await client.query(
        `select count(length(get_raw_page('photo_embeddings_hnsw_idx', 'main', g::bigint))) from generate_series($1::int, $2::int - 1) g`,
        [read, end],
      );
      read = end;
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
