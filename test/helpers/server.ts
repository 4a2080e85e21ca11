import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSettings, type SettingsOverrides } from '../../src/config/settings.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const corpus = path.resolve(repoRoot, '../shared/corpus');
export const assets = path.join(corpus, 'immich-test-assets');

export function tempDir(prefix = 'shoebox-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestServer extends RunningServer {
  dataDir: string;
  /** Stops the server and removes its data folder. */
  dispose(): Promise<void>;
}

/** A real server on a free loopback port, on a fresh embedded library. */
export async function startTestServer(overrides: SettingsOverrides = {}): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? tempDir();
  const settings = loadSettings({ dataDir, port: 0, host: '127.0.0.1', logLevel: 'silent', concurrency: 2, ...overrides }, {});
  const server = await startServer(settings, createLogger(settings.logLevel));
  return {
    ...server,
    dataDir,
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
  const response = await fetch(`${baseUrl}/api/photos`, { method: 'POST', body: form });
  return { status: response.status, body: (await response.json()) as any };
}

/** Polls until every photo is in a terminal state. */
export async function waitForTerminal(baseUrl: string, ids: string[], timeoutMs = 120_000): Promise<Record<string, string>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${baseUrl}/api/photos/states`, {
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
export async function json(url: string, init?: RequestInit & { json?: unknown }) {
  const response = await fetch(url, {
    ...init,
    headers: init?.json !== undefined ? { 'content-type': 'application/json' } : undefined,
    body: init?.json !== undefined ? JSON.stringify(init.json) : init?.body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}
