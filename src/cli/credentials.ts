// Which API key the CLI sends to a server: --api-key / SHOEBOX_API_KEY, else the key `shoebox login` stored for
// that server, else (for the library's own server, found through its lock) the server's key in the data folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readLocalApiKey } from '../auth/local-key-file.js';

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'shoebox');
}

export function credentialsFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), 'credentials.json');
}

/** The stored keys, by server origin. */
export function readStoredKeys(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  try {
    const parsed = JSON.parse(fs.readFileSync(credentialsFile(env), 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** Stores a key for a server, readable by this user only (mode 0600, written whole and renamed). */
export function storeKey(url: string, key: string, env: NodeJS.ProcessEnv = process.env): string {
  const file = credentialsFile(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const keys = { ...readStoredKeys(env), [new URL(url).origin]: key };
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temp, file);
  return file;
}

export function apiKeyFor(url: string, dataDir: string | null, env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.SHOEBOX_API_KEY) return env.SHOEBOX_API_KEY;
  const stored = readStoredKeys(env)[new URL(url).origin];
  if (stored) return stored;
  return dataDir ? readLocalApiKey(dataDir) : null;
}
