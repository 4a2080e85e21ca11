import type { Settings } from '../config/settings.js';
import { openLibraryAsOwner } from '../app/open.js';
import type { Library } from '../library/library.js';
import { acquireLock } from '../library/lock.js';
import { createLogger } from '../base/logger.js';
import type { ShoeboxClient } from './client.js';
import { findServer } from './target.js';

/** Every item of a paged listing. */
export async function allPages<T>(next: (page: number) => Promise<{ items: T[]; total: number }>): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const result = await next(page);
    items.push(...result.items);
    if (result.items.length === 0 || items.length >= result.total) return items;
  }
}

/**
 * Runs a read through the running server when there is one (it holds the library), else opens the library
 * itself under its lock.
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
  const lock = acquireLock(settings.dataDir, { command });
  const lib = await openLibraryAsOwner(settings, createLogger(settings.logLevel, 2));
  try {
    return await viaLibrary(lib);
  } finally {
    await lib.close();
    lock.release();
  }
}
