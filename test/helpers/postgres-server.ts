import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  /** The server's own `postgres` database, as a URL (the superuser, trust on loopback). */
  url: string;
  /** A fresh, empty database on the server; its URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** Stops the server immediately (a crash for the clients) and starts it again on the same port and folder. */
  restart(): Promise<void>;
  /** Stops the server immediately (a crash for the clients); `start` brings it back on the same port and folder. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The newest PostgreSQL installed from Debian's packages: its bin folder. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(root, versions[0]!, 'bin') : null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user the Debian package made. */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

function run(command: string, args: string[]): void {
  const [file, argv] = asPostgresUser(command, args);
  const result = spawnSync(file, argv, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${path.basename(command)} failed (${result.status}): ${result.stderr || result.stdout}`);
}

let counter = 0;

/** A fresh, empty database on the server at `serverUrl` (a superuser's URL); its URL. */
export async function createDatabase(serverUrl: string, prefix = 'shoebox'): Promise<string> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A real PostgreSQL server (Debian's, with pgvector built by scripts/ensure-test-deps.sh) in a temporary folder,
 * listening on a free loopback port. Made for tests: fsync off, trust authentication on loopback only.
 * Commits are acknowledged before their WAL is written unless `durable` (a test that crashes the server and
 * counts on what was committed: fsync stays off, as the machine itself does not crash).
 */
export async function startPostgresServer(options: { durable?: boolean; sharedBuffersMb?: number } = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed: run scripts/ensure-test-deps.sh (as root) first');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-postgres-'));
  const dataDir = path.join(dir, 'data');
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  run(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  const serverOptions = [
    `-p ${port}`,
    `-k ${dir}`,
    `-c listen_addresses=127.0.0.1`,
    '-c fsync=off',
    ...(options.durable ? [] : ['-c synchronous_commit=off']),
    '-c full_page_writes=off',
    `-c shared_buffers=${options.sharedBuffersMb ?? 128}MB`,
    '-c max_connections=200',
  ].join(' ');
  const start = () => run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-o', serverOptions, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    createDatabase: (prefix) => createDatabase(url, prefix),
    async restart() {
      run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      start();
    },
    async kill() {
      run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    },
    async start() {
      start();
    },
    async stop() {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
