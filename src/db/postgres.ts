import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { migrationsFolder } from '../config/paths.js';
import * as schema from './schema.js';

/** HNSW indexes need pgvector 0.5; iterative index scans (`hnsw.iterative_scan`), which filtered search relies on, 0.8. */
export const MIN_PGVECTOR = '0.8.0';

/** One number for every Shoebox: servers starting together migrate one after the other. */
const MIGRATION_LOCK = 0x5ab0_0001;

/** Compares dotted versions numerically: `0.10.0` is newer than `0.8.6`. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const b = minimum.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

/**
 * What is wrong with the server's pgvector, in words that say what to install, or null when it will do. Reads
 * the versions the server has (`pg_available_extensions`: installed in the database, and the package's).
 */
export function pgvectorProblem(server: { postgres: string; available: string | null; installed: string | null }): string | null {
  const major = server.postgres.split('.')[0];
  const install =
    `install pgvector ${MIN_PGVECTOR} or newer for PostgreSQL ${major} on the database server ` +
    `(Debian/Ubuntu: the postgresql-${major}-pgvector package from apt.postgresql.org; Docker: the pgvector/pgvector:pg${major} image; ` +
    'or build it from https://github.com/pgvector/pgvector)';
  if (server.installed && !versionAtLeast(server.installed, MIN_PGVECTOR)) {
    if (server.available && versionAtLeast(server.available, MIN_PGVECTOR)) {
      return `this database has pgvector ${server.installed}, older than the ${MIN_PGVECTOR} Shoebox needs, and the server has ${server.available}: run ALTER EXTENSION vector UPDATE; in the database`;
    }
    return `this database has pgvector ${server.installed}, older than the ${MIN_PGVECTOR} Shoebox needs: ${install}, then run ALTER EXTENSION vector UPDATE; in the database`;
  }
  if (server.installed) return null;
  if (!server.available) return `the PostgreSQL server has no pgvector extension: ${install}`;
  if (!versionAtLeast(server.available, MIN_PGVECTOR))
    return `the PostgreSQL server has pgvector ${server.available}, older than the ${MIN_PGVECTOR} Shoebox needs: ${install}`;
  return null;
}

async function checkPgvector(client: pg.PoolClient): Promise<void> {
  const result = await client.query<{ postgres: string; available: string | null; installed: string | null }>(
    `select current_setting('server_version') as postgres,
            (select default_version from pg_available_extensions where name = 'vector') as available,
            (select extversion from pg_extension where extname = 'vector') as installed`,
  );
  const problem = pgvectorProblem(result.rows[0]!);
  if (problem) throw new Error(problem);
}

/**
 * Applies pending migrations once: under a session advisory lock, so that of several servers and workers
 * starting together one migrates and the others then find nothing to do.
 */
async function migrateOnce(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await checkPgvector(client);
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await migrate(drizzle({ client, schema }), { migrationsFolder });
    } catch (error) {
      const extension = /permission denied to create extension "(\w+)"/.exec(String((error as Error).cause ?? error));
      if (!extension) throw error;
      throw new Error(
        `the database user may not create the ${extension[1]} extension: run CREATE EXTENSION IF NOT EXISTS ${extension[1]}; ` +
          'in the database once as a superuser (vector, pg_trgm and unaccent are needed), then start Shoebox again',
      );
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } catch (error) {
    // the lock is the session's: a connection that failed mid-migration is not given back to the pool
    client.release(error as Error);
    throw error;
  }
  client.release();
}

/**
 * A pool of connections to a PostgreSQL server with pgvector, each with the session settings search relies on
 * applied before it is first used.
 */
export async function openPostgresPool(url: string, poolSize: number, sessionSettings: string) {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, onConnect: async (client) => void (await client.query(sessionSettings)) });
  // An idle connection the server drops (a restart) is replaced on the next checkout; without a listener the error would end the process.
  pool.on('error', () => undefined);
  // so is one checked out between two queries (a transaction awaiting other work): its next query fails instead
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    await migrateOnce(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return { pool, db: drizzle({ client: pool, schema }) };
}
