import type { Settings } from '../config/settings.js';
import type { Library } from '../library/library.js';
import { acquireLock } from '../base/data-lock.js';
import type { ShoeboxClient } from './client.js';
import { findServer } from './target.js';

/** Every item of a paged listing (the commands page through the API with it). */
export { allPages } from '../base/pages.js';

/**
 * Runs a read through the running server when there is one (it holds the library), else opens the library
 * itself under its lock. The library's code is imported only then (and `viaLibrary` imports what it calls), so
 * that asking a server stays quick.
 */
export async function throughServerOrLibrary<T>(
  settings: Settings,
  server: string | undefined,
  command: string,
  viaServer: (client: ShoeboxClient) => Promise<T>,
  viaLibrary: (lib: Library) => Promise<T>,
): Promise<T> {
  const client = await findServer(settings, server);
  if (client) return viaServer(client);
  return withLibrary(settings, command, viaLibrary);
}

/**
 * Opens the library folder itself under its lock (no server holds it), runs `use` and closes it. The library's
 * code is imported here, not when the CLI starts: commands that ask a server never load it.
 */
export async function withLibrary<T>(settings: Settings, command: string, use: (lib: Library) => Promise<T>): Promise<T> {
  const lock = acquireLock(settings.dataDir, { command });
  try {
    const [{ openLibraryAsOwner }, { createLogger }] = await Promise.all([import('../app/open.js'), import('../base/logger.js')]);
    const lib = await openLibraryAsOwner(settings, createLogger(settings.logLevel, 2));
    try {
      return await use(lib);
    } finally {
      await lib.close();
    }
  } finally {
    lock.release();
  }
}
