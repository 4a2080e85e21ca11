// The benchmark's PostgreSQL: Debian's server (the binaries test/helpers/postgres-server.ts finds) on a data folder
// kept under bench/million/.work/ per library size, so a loaded library is started again instead of rebuilt; and a
// binary COPY into it from memory through the `pg` driver's own protocol (no copy-streams package here).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { freePort, postgresBinDir } from '../../test/helpers/postgres-server.js';

export interface BenchPostgres {
  url: string;
  /** The data folder's size, MB. */
  sizeMb(): number;
  stop(): Promise<void>;
}

/** PostgreSQL refuses to run as root: then it runs as the `postgres` user Debian's package made. */
function asPostgres(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

function run(command: string, args: string[]): void {
  const result = spawnSync(...asPostgres(command, args), { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${path.basename(command)} failed (${result.status}): ${result.stderr || result.stdout}`);
}

function folderMb(dir: string): number {
  const out = spawnSync('du', ['-sm', dir], { encoding: 'utf8' });
  return Number(out.stdout.split(/\s/)[0]) || 0;
}

/**
 * Starts the server on `dir`/data (made with initdb when missing) on a free loopback port. Settings of a server
 * given a few GB: 1 GB of shared buffers, WAL kept small (nothing here replicates), no fsync (the machine does
 * not crash under a benchmark; a half-written folder is thrown away by the meta file's absence).
 */
export async function startBenchPostgres(dir: string, options: { sharedBuffersMb: number }): Promise<BenchPostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed: run scripts/ensure-test-deps.sh (as root) first');
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    run(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  }
  // a run killed before it stopped its server (a time-out) leaves it running on the folder: stopped first
  const status = spawnSync(...asPostgres(path.join(bin, 'pg_ctl'), ['-D', dataDir, 'status']));
  if (status.status === 0) run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', '-t', '300', 'stop']);
  const port = await freePort();
  const serverOptions = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c wal_level=minimal',
    '-c max_wal_senders=0',
    '-c max_wal_size=8GB',
    `-c shared_buffers=${options.sharedBuffersMb}MB`,
    '-c max_connections=50',
    '-c max_parallel_maintenance_workers=1',
  ].join(' ');
  run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-o', serverOptions, '-l', path.join(dir, 'server.log'), '-w', '-t', '120', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    sizeMb: () => folderMb(dataDir),
    async stop() {
      run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', '-t', '300', 'stop']);
    },
  };
}

/** The URL of database `name` on the server at `serverUrl`. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const COPY_CHUNK = 1 << 20;

/** `COPY table (columns) FROM STDIN (FORMAT binary)` of `bytes`, sent as the protocol's CopyData messages of 1 MB. */
export function copyIn(client: pg.Client, table: string, columns: string, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const query = new pg.Query(`COPY ${table} (${columns}) FROM STDIN WITH (FORMAT binary)`, [], (error: Error | undefined) =>
      error ? reject(error) : resolve(),
    );
    // the driver hands a CopyInResponse to the active query; a plain query would answer it with CopyFail
    Object.assign(query, {
      handleCopyInResponse(connection: { sendCopyFromChunk(b: Buffer): void; endCopyFrom(): void }) {
        const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        for (let at = 0; at < buffer.length; at += COPY_CHUNK) connection.sendCopyFromChunk(buffer.subarray(at, at + COPY_CHUNK));
        connection.endCopyFrom();
      },
    });
    void client.query(query as unknown as pg.QueryConfig);
  });
}
