import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pageinspect } from '@electric-sql/pglite/contrib/pageinspect';
import { pg_buffercache } from '@electric-sql/pglite/contrib/pg_buffercache';
import { vector } from '@electric-sql/pglite-pgvector';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { prewarmSemanticSearch } from '../../src/db/prewarm.js';
import { vectorBinary } from '../../src/db/vector-values.js';
import { tempDir } from '../helpers/server.js';

const extensions = { vector, pageinspect, pg_buffercache };

/** Pages of a relation's main fork in Postgres' buffer cache. */
async function cachedPages(client: PGlite, relation: string): Promise<number> {
  const result = await client.query<{ n: number }>(
    `select count(*)::int as n from pg_buffercache b join pg_class c on c.relfilenode = b.relfilenode
     where c.relname = $1 and b.relforknumber = 0`,
    [relation],
  );
  return result.rows[0]!.n;
}

async function relationPages(client: PGlite, relation: string): Promise<number> {
  return (await client.query<{ n: number }>(`select (pg_relation_size($1::regclass) / 8192)::int as n`, [relation])).rows[0]!.n;
}

describe("reading the semantic search's pages into the cache after a start", () => {
  const dataDir = tempDir();
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("leaves every page of the graph and of the embeddings' rows in the buffer cache, and stops when asked", async () => {
    // A graph of 3,000 vectors, built and closed: a new start finds none of it cached.
    const build = await PGlite.create(dataDir, { extensions: { vector } });
    await build.exec(`create extension vector; create table photo_embeddings (id int primary key, embedding vector(128))`);
    const oid = (await build.query<{ oid: number }>(`select 'vector'::regtype::oid as oid`)).rows[0]!.oid;
    build.serializers[oid] = (value: Float32Array) => vectorBinary(value) as unknown as string;
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 30 - 1;
    for (let i = 0; i < 3000; i++) {
      await build.query(`insert into photo_embeddings values ($1, $2::vector)`, [i, Float32Array.from({ length: 128 }, random)]);
    }
    await build.exec(`create index photo_embeddings_hnsw_idx on photo_embeddings using hnsw (embedding vector_cosine_ops)`);
    await build.close();

    const client = await PGlite.create(dataDir, { extensions, postgresqlconf: 'shared_buffers=64MB' });
    try {
      await client.exec('create extension pageinspect; create extension pg_buffercache');
      const graph = await relationPages(client, 'photo_embeddings_hnsw_idx');
      const table = await relationPages(client, 'photo_embeddings');
      expect(graph).toBeGreaterThan(100);
      expect(table).toBeGreaterThan(100);
      expect(await cachedPages(client, 'photo_embeddings_hnsw_idx')).toBeLessThan(graph / 10);
      expect(await cachedPages(client, 'photo_embeddings')).toBeLessThan(table / 10);
      const database = { kind: 'embedded', pglite: client } as unknown as Database;

      const stopped = prewarmSemanticSearch(database);
      stopped.stop();
      expect((await stopped.done).pages).toBe(0);

      const { pages } = await prewarmSemanticSearch(database).done;
      expect(pages).toBe(graph + table);
      expect(await cachedPages(client, 'photo_embeddings_hnsw_idx')).toBe(graph);
      expect(await cachedPages(client, 'photo_embeddings')).toBe(table);
    } finally {
      await client.close();
    }
  });
});
