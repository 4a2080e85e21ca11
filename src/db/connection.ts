import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pageinspect } from '@electric-sql/pglite/contrib/pageinspect';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { vector } from '@electric-sql/pglite-pgvector';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrationsFolder } from '../config/paths.js';
import { databaseSizes, sharedBuffersMb, writeCachePlan } from './buffer-cache.js';
import * as schema from './schema.js';
import { openPostgresPool } from './postgres.js';
import { keepStatementsPrepared } from './pglite-statements.js';
import { embeddedVectorSerializer } from './vector-values.js';

/** One type for both drivers: the queries are written once, in Postgres SQL. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'embedded' | 'postgres';
  /** The PGlite instance of the embedded mode, for what only it can do (binary COPY from a blob in benchmarks). */
  pglite?: PGlite;
  /** The PostgreSQL pool's connections (for /metrics). */
  poolUse?(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export type DatabaseTarget = { dataDir: string } | { url: string; poolSize?: number };

/**
 * Opens the database, applies pending migrations and makes sure there is an owner: a new library gets the
 * `local` placeholder that owns what arrives before set-up (the CLI can import before anyone signs in) and that
 * set-up turns into the admin.
 */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  const database = 'url' in target ? await openPostgres(target.url, target.poolSize ?? 10) : await openEmbedded(target.dataDir);
  try {
    await database.db.execute(sql`insert into users (name, role) select ${DEFAULT_OWNER_NAME}, 'admin' where not exists (select 1 from users)`);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

export const DEFAULT_OWNER_NAME = 'local';

/**
 * Candidates an HNSW scan keeps; the semantic arm asks for no more rows than this (a deeper LIMIT iterates).
 * With the graph built at ef_construction 128: recall@20 0.999 on 100k photos (80: 0.989, hardly faster;
 * bench/README.md).
 */
export const HNSW_EF_SEARCH = 100;

/**
 * Settings every session runs with. HNSW scans look at HNSW_EF_SEARCH candidates (pgvector's 40 gave recall@20
 * 0.970, DECISIONS.md) and keep scanning when a filter removes rows (`relaxed_order`: without it a
 * filtered top-k came back with 1–4 of 50 rows); the search re-sorts by distance. A word matches a trigram
 * document from 0.5 word similarity (one typo in a five-letter word) instead of 0.6.
 */
export const SESSION_SETTINGS = `SET hnsw.ef_search = ${HNSW_EF_SEARCH}; SET hnsw.iterative_scan = relaxed_order; SET pg_trgm.word_similarity_threshold = 0.5; SET pg_trgm.similarity_threshold = 0.3`;

/** The extensions an embedded database is opened with (a backup's copy of one needs the same). */
export const EMBEDDED_EXTENSIONS = { vector, pg_trgm, unaccent, pageinspect };

/**
 * PGlite's WASM memory never shrinks, and creating a data folder (initdb) grows it to ~700 MB where a
 * reopened one needs ~200 MB. So a new folder is created, closed, and opened again.
 */
async function openEmbedded(dataDir: string): Promise<Database> {
  const dir = path.join(dataDir, 'db');
  mkdirSync(dir, { recursive: true });
  const sharedBuffers = process.env.SHOEBOX_DB_SHARED_BUFFERS ?? `${sharedBuffersMb(databaseSizes(dataDir, dir))}MB`;
  const options = {
    // pageinspect reads pages into the buffer cache after a start (prewarm.ts): not part of the schema
    extensions: EMBEDDED_EXTENSIONS,
    postgresqlconf: `shared_buffers=${sharedBuffers}`,
  };
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await (await PGlite.create(dir, options)).close();
  const client = await PGlite.create(dir, options);
  const db = drizzlePglite({ client, schema });
  try {
    const before = await appliedMigrations(client);
    await migratePglite(db, { migrationsFolder });
    // PGlite has no autovacuum: a migration that rewrote rows gives their space back and refreshes the
    // planner's statistics here (Postgres servers do both on their own).
    if (before > 0 && (await appliedMigrations(client)) > before) await client.exec('VACUUM ANALYZE');
  } catch (error) {
    await client.close();
    throw error;
  }
  await client.exec(`${SESSION_SETTINGS}; CREATE EXTENSION IF NOT EXISTS pageinspect`);
  // after the migrations, which run once on PGlite's own path
  keepStatementsPrepared(client);
  // a hint for the next start's cache size (buffer-cache.ts): without it, that start falls back to a share
  await writeCachePlan(client, dataDir).catch(() => undefined);
  // Vector parameters in binary (vector-values.ts): the type's oid is known once the extension exists.
  const vectorType = await client.query<{ oid: number }>(`select 'vector'::regtype::oid as oid`);
  client.serializers[vectorType.rows[0]!.oid] = embeddedVectorSerializer;
  return { db: db as unknown as Db, kind: 'embedded', pglite: client, close: () => client.close() };
}

async function appliedMigrations(client: PGlite): Promise<number> {
  const table = await client.query<{ name: string | null }>(`select to_regclass('drizzle.__drizzle_migrations')::text as name`);
  if (!table.rows[0]?.name) return 0;
  const count = await client.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
  return count.rows[0]?.n ?? 0;
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const { pool, db } = await openPostgresPool(url, poolSize, SESSION_SETTINGS);
  return {
    db: db as unknown as Db,
    kind: 'postgres',
    poolUse: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}

/** Rows of a raw statement, the same for both drivers. */
export async function rows<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** A database error's SQLSTATE (`40001`, `40P01`…), from either driver: drizzle wraps it as the error's cause. */
export function sqlState(error: unknown): string | undefined {
  const found = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = found?.code ?? found?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}
