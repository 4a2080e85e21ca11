import type { Settings } from '../config/settings.js';
import { lockedUrl, readLock } from '../base/data-lock.js';
import { ShoeboxClient } from './client.js';
import { apiKeyFor } from './credentials.js';
import { ServerUnreachableError } from './server-fetch.js';

/** A running server for this library (named, or found through its lock), else null: open the library directly. */
export async function findServer(settings: Settings, explicit?: string): Promise<ShoeboxClient | null> {
  const url = explicit ?? readLock(settings.dataDir)?.url;
  if (!url) return null;
  // the data folder's key belongs to the server that holds this library (the lock's), not to any --server URL
  const local = !explicit || explicit === lockedUrl(settings.dataDir);
  const client = new ShoeboxClient(url, apiKeyFor(url, local ? settings.dataDir : null));
  try {
    await client.health();
    return client;
  } catch (error) {
    if (!explicit) return null;
    if (error instanceof ServerUnreachableError) throw error; // it says so already
    throw new Error(`no Shoebox server answers at ${explicit}: ${error instanceof Error ? error.message : error}`);
  }
}
