import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { startMetricsServer } from '../metrics/server.js';
import { buildApp } from './app.js';
import type { Settings } from '../config/settings.js';
import { ensureLocalApiKey } from '../auth/local-key.js';
import { openLibrary } from '../app/open.js';
import type { Resources } from '../library/library.js';
import { acquireLock } from '../base/data-lock.js';
import { scheduleTrashPurge } from '../library/trash/index.js';
import { scheduleUpkeep } from '../app/upkeep.js';

export interface RunningServer {
  url: string;
  /** The port of GET /metrics without signing in, when SHOEBOX_METRICS_PORT asks for one. */
  metricsPort?: number;
  app: FastifyInstance;
  /** The library's process resources (no user: see library/actors.ts). */
  lib: Resources;
  close(): Promise<void>;
}

/** Why the server cannot listen on host:port, in words that say what to change; null when it can. */
export function listenProblem(error: unknown, host: string, port: number): string | null {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${host}:${port}`;
  const other = port > 0 && port < 65535 ? port + 1 : 3211;
  if (code === 'EADDRINUSE') {
    return `${where} is already in use (another Shoebox, or another program): start on another port with --port ${other} or SHOEBOX_PORT=${other}`;
  }
  if (code === 'EACCES') return `${where} needs privileges this user does not have: use a port above 1023 with --port or SHOEBOX_PORT`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return `${host} is not an address of this machine: choose another with --host or SHOEBOX_HOST (127.0.0.1, or 0.0.0.0 for every address)`;
  }
  return null;
}

/**
 * How long requests under way may go on at shutdown before their connections are closed: a client that stopped
 * reading a download (or sending an upload) would otherwise hold the shutdown for ever, and the process would be
 * killed before the library was closed cleanly.
 */
const REQUEST_GRACE_MS = 3000;

/** Stops taking requests and lets those under way finish, cutting what is left after REQUEST_GRACE_MS. */
async function closeRequests(app: FastifyInstance): Promise<void> {
  const cut = setTimeout(() => app.server.closeAllConnections(), REQUEST_GRACE_MS);
  try {
    await app.close();
  } finally {
    clearTimeout(cut);
  }
}

/** Fails, saying what to change, when nothing can listen on host:port; before anything is created on disk. */
async function checkCanListen(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen({ host, port, exclusive: true }, resolve);
    });
  } catch (error) {
    const problem = listenProblem(error, host, port);
    throw problem ? new Error(`${problem}. Nothing was created.`) : error;
  } finally {
    await new Promise((resolve) => probe.close(resolve));
  }
}

/** Opens the library, starts the pipeline and listens. */
export async function startServer(settings: Settings, logger: Logger): Promise<RunningServer> {
  await checkCanListen(settings.host, settings.port);
  const lock = settings.databaseUrl ? null : acquireLock(settings.dataDir, { command: 'serve' });
  let lib: Resources | null = null;
  try {
    lib = await openLibrary(settings, logger);
    // the CLI on this machine finds the server through the lock file and signs in with this key
    await ensureLocalApiKey(lib.db, settings.dataDir);
    const app = await buildApp(lib, logger);
    await app.listen({ host: settings.host, port: settings.port }).catch((error: unknown) => {
      // Taken between the check and now.
      const problem = listenProblem(error, settings.host, settings.port);
      throw problem ? new Error(problem) : error;
    });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : settings.port;
    const host = settings.host === '0.0.0.0' || settings.host === '::' ? 'localhost' : settings.host;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    lock?.update(url);
    // `--no-worker`: the API only; workers elsewhere consume the shared queue
    if (settings.worker) await lib.startPipeline();
    // Photos whose time in the trash is up go now, then every hour; in a cluster, a periodic job its workers run once.
    const trashPurge = settings.redisUrl ? { stop: async () => {} } : scheduleTrashPurge(lib);
    const upkeep = await scheduleUpkeep(lib);
    const metricsServer = settings.metricsPort === undefined ? null : await startMetricsServer(lib.metrics, settings.host, settings.metricsPort);
    const opened = lib;
    let closing: Promise<void> | null = null;
    return {
      url,
      metricsPort: metricsServer?.port,
      app,
      lib: opened,
      close() {
        closing ??= (async () => {
          await trashPurge.stop();
          await upkeep.stop();
          await metricsServer?.close();
          await closeRequests(app);
          await opened.close();
          lock?.release();
        })();
        return closing;
      },
    };
  } catch (error) {
    await lib?.close().catch(() => {});
    lock?.release();
    throw error;
  }
}
