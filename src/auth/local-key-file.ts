// Where the server's own API key for the CLI lies in the data folder, and reading it: no database here, so that a
// CLI command that asks a running server loads nothing of the server (local-key.ts makes and renews the key).
import fs from 'node:fs';
import path from 'node:path';

export const LOCAL_KEY_FILE = 'cli-api-key';

export function localKeyPath(dataDir: string): string {
  return path.join(dataDir, LOCAL_KEY_FILE);
}

/** The key in the data folder, or null when there is none or this user may not read it. */
export function readLocalApiKey(dataDir: string): string | null {
  try {
    return fs.readFileSync(localKeyPath(dataDir), 'utf8').trim() || null;
  } catch {
    return null;
  }
}
