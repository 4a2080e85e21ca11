// The cache plan: each open of the embedded database records where the semantic search's relations live, and
// the next open sizes Postgres' buffer cache from those files.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseSizes } from '../../src/db/buffer-cache.js';
import { openDatabase, rows } from '../../src/db/connection.js';
import { tempDir } from '../helpers/server.js';

describe('sizing the buffer cache from the relations a search reads', () => {
  const dataDir = tempDir();
  const dbDir = path.join(dataDir, 'db');
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("knows the embeddings' files after a first open, and follows them when a rewrite moves them", async () => {
    const plannedFiles = () => (JSON.parse(fs.readFileSync(path.join(dataDir, 'db-cache-plan.json'), 'utf8')) as { semanticFiles: string[] }).semanticFiles;
    expect(databaseSizes(dataDir, dbDir).semanticBytes).toBeNull();
    let before: string[] = [];
    let database = await openDatabase({ dataDir });
    try {
      const files = await rows<{ file: string; bytes: number }>(
        database.db,
        sql`select pg_relation_filepath(r) as file, pg_relation_size(r)::int as bytes
            from unnest(array['photo_embeddings_hnsw_idx', 'photo_embeddings']::regclass[]) r`,
      );
      const sizes = databaseSizes(dataDir, dbDir);
      expect(sizes.semanticBytes).toBe(files.reduce((sum, f) => sum + f.bytes, 0));
      expect(sizes.semanticBytes).toBeGreaterThan(0);
      expect(sizes.totalBytes).toBeGreaterThan(sizes.semanticBytes!);
      before = files.map((f) => f.file);
      expect(plannedFiles()).toEqual(before);
      // a rewrite gives the table and its index new files, which the next open records
      await database.db.execute(sql`vacuum full photo_embeddings`);
    } finally {
      await database.close();
    }
    database = await openDatabase({ dataDir });
    try {
      const [now] = await rows<{ files: string[]; bytes: number }>(
        database.db,
        sql`select array[pg_relation_filepath('photo_embeddings_hnsw_idx'), pg_relation_filepath('photo_embeddings')] as files,
                   (pg_relation_size('photo_embeddings_hnsw_idx') + pg_relation_size('photo_embeddings'))::int as bytes`,
      );
      expect(now!.files).not.toEqual(before);
      expect(plannedFiles()).toEqual(now!.files);
      expect(databaseSizes(dataDir, dbDir).semanticBytes).toBe(now!.bytes);
    } finally {
      await database.close();
    }
  });
});
