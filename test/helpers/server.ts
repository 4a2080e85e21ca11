import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { readLocalApiKey } from '../../src/auth/local-key-file.js';
import { libraryOwnerId } from '../../src/auth/users.js';
import type { Library } from '../../src/library/library.js';
import { forSystem } from '../../src/library/actors.js';
import { setCreationTools } from '../../src/library/create/index.js';
import { loadSettings, type SettingsOverrides } from '../../src/config/settings.js';
import { createLogger } from '../../src/base/logger.js';
import { startServer, type RunningServer } from '../../src/api/server.js';
import { createDatabase } from './postgres-server.js';
import { seedEmbeddedDatabase } from './db-template.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export { corpusDir as corpus, assets } from './corpus.js';

export function tempDir(prefix = 'shoebox-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

const libraryDatabases = new Map<string, Promise<string>>();

/**
 * In the `postgres` test project (vitest.config.ts), the database of the library in `dataDir` on the real
 * PostgreSQL server, made on first use: servers and CLI runs on that folder use it (DATABASE_URL). Elsewhere
 * undefined: the library is embedded in its folder.
 */
export function libraryDatabaseUrl(dataDir: string): Promise<string | undefined> {
  const server = inject('postgresUrl');
  if (!server) return Promise.resolve(undefined);
  const key = path.resolve(dataDir);
  let url = libraryDatabases.get(key);
  if (!url) libraryDatabases.set(key, (url = createDatabase(server)));
  return url;
}

/** Which engine the test runs on: `postgres` in the project that runs integration tests on a real server. */
export const onPostgres = (): boolean => Boolean(inject('postgresUrl'));

/**
 * The API key each test server signs in with (its own key for the CLI, from its data folder), by origin:
 * `authFetch` and the helpers below send it, so tests read like a signed-in client's requests.
 */
const serverKeys = new Map<string, string>();

/** Signs requests to a server started on `dataDir` in with that library's own key (its owner's, all scopes). */
export function rememberServerKey(url: string, dataDir: string): string {
  const key = readLocalApiKey(dataDir);
  if (!key) throw new Error(`no API key in ${dataDir}: the server writes one when it starts`);
  serverKeys.set(new URL(url).origin, key);
  return key;
}

/**
 * fetch that signs in to the test servers it knows (x-api-key), unless the request brings its own credentials
 * (x-api-key, authorization or cookie header) or says `anonymous: true`.
 */
export function authFetch(input: string | URL, init: RequestInit & { anonymous?: boolean } = {}): Promise<Response> {
  const { anonymous, ...rest } = init;
  const headers = new Headers(rest.headers);
  const key = serverKeys.get(new URL(input).origin);
  if (key && !anonymous && !headers.has('x-api-key') && !headers.has('authorization') && !headers.has('cookie')) headers.set('x-api-key', key);
  return fetch(input, { ...rest, headers });
}

export interface TestServer extends RunningServer {
  /** The library as its owner (the first admin) sees it, for tests that call library functions directly. */
  lib: Library;
  dataDir: string;
  /** The library's own API key (its owner's, every scope). */
  apiKey: string;
  /** Stops the server and removes its data folder. */
  dispose(): Promise<void>;
}

/**
 * Settings for a test that looks at neither faces, objects nor the text in photos: those steps turned off, as a user
 * may turn them off (each is recorded as skipped, the photo still completes). They are most of a photo's step time
 * (faces a third, the text gate and OCR a quarter: bench/README.md), which a file about albums, sharing or the
 * gallery would spend for nothing: on 8 such files 247 → 177 s of worker time. Tests of faces, people, text, the
 * steps' own records and the defaults keep every step (objects, ~0.5 s a photo, ran in all of them before it was added here).
 */
export function withoutFacesOrText(overrides: SettingsOverrides = {}): SettingsOverrides {
  return { ...overrides, ml: { ...overrides.ml, faces: 'off', objects: 'off', ocrEngine: 'off' } };
}

/**
 * A real server on a free loopback port, on a fresh library: embedded, or in the `postgres` project on its own
 * database of the real PostgreSQL server. `creationTools: true` switches Create, product shots and the catalogue on,
 * as an admin does (a library starts without them).
 */
export async function startTestServer({ creationTools, ...overrides }: SettingsOverrides & { creationTools?: boolean } = {}): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? tempDir();
  const databaseUrl = overrides.databaseUrl ?? (await libraryDatabaseUrl(dataDir));
  if (!databaseUrl) await seedEmbeddedDatabase(dataDir); // a fresh library's database pre-made; a folder's own left as it is
  const settings = loadSettings({ dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent', concurrency: 2, ...overrides, databaseUrl }, {});
  const server = await startServer(settings, createLogger(settings.logLevel));
  const lib = forSystem(server.lib, await libraryOwnerId(server.lib.db), 'test');
  if (creationTools) await setCreationTools(lib, true);
  return {
    ...server,
    lib,
    dataDir,
    apiKey: rememberServerKey(server.url, dataDir),
    async dispose() {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Uploads files in one multipart request. */
export async function upload(baseUrl: string, files: { path?: string; name?: string; data?: Buffer }[]) {
  const form = new FormData();
  for (const file of files) {
    const data = file.data ?? fs.readFileSync(file.path!);
    form.append('file', new Blob([new Uint8Array(data)]), file.name ?? path.basename(file.path!));
  }
  const response = await authFetch(`${baseUrl}/api/photos`, { method: 'POST', body: form });
  return { status: response.status, body: (await response.json()) as any };
}

/** Polls until every photo is in a terminal state. */
export async function waitForTerminal(baseUrl: string, ids: string[], timeoutMs = 120_000): Promise<Record<string, string>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await authFetch(`${baseUrl}/api/photos/states`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ids }),
    });
    const { states } = (await response.json()) as { states: Record<string, string> };
    if (ids.every((id) => ['completed', 'partial', 'failed'].includes(states[id] ?? ''))) return states;
    if (Date.now() > deadline) throw new Error(`photos not finished in time: ${JSON.stringify(states)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** fetch with an optional JSON body; answers the status and the parsed JSON (null when empty). */
export async function json(url: string, init?: RequestInit & { json?: unknown; anonymous?: boolean }) {
  const headers = new Headers(init?.headers);
  if (init?.json !== undefined) headers.set('content-type', 'application/json');
  const response = await authFetch(url, {
    ...init,
    headers,
    body: init?.json !== undefined ? JSON.stringify(init.json) : init?.body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}
