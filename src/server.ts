import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './api/app.js';
import type { Settings } from './config/settings.js';
import { openLibrary, type Library } from './library/library.js';
import { acquireLock } from './library/lock.js';
import { scheduleTrashPurge } from './library/trash.js';
import { scheduleUpkeep } from './library/upkeep.js';

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  lib: Library;
  close(): Promise<void>;
}

/** Opens the library, starts the pipeline and listens. */
export async function startServer(settings: Settings, logger: Logger): Promise<RunningServer> {
  const lock = settings.databaseUrl ? null : acquireLock(settings.dataDir, { command: 'serve' });
  let lib: Library | null = null;
  try {
    lib = await openLibrary(settings, logger);
    const app = await buildApp(lib, logger);
    await app.listen({ host: settings.host, port: settings.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : settings.port;
    const host = settings.host === '0.0.0.0' || settings.host === '::' ? 'localhost' : settings.host;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    lock?.update(url);
    await lib.startPipeline();
    // Photos whose time in the trash is up go now, then every hour.
    const trashPurge = scheduleTrashPurge(lib);
    const upkeep = scheduleUpkeep(lib);
    const opened = lib;
    let closing: Promise<void> | null = null;
    return {
      url,
      app,
      lib: opened,
      close() {
        closing ??= (async () => {
          await trashPurge.stop();
          await upkeep.stop();
          await app.close();
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
