import fs from 'node:fs/promises';
import path from 'node:path';
import { inArray } from 'drizzle-orm';
import type { Settings } from '../config/settings.js';
import { photos } from '../db/schema.js';
import { UserError } from '../library/errors.js';
import { ingestFile } from '../library/ingest.js';
import { openLibrary, type Library } from '../library/library.js';
import { acquireLock } from '../library/lock.js';
import { createLogger } from '../logger.js';
import { findSidecar } from '../media/metadata.js';
import { isTerminal } from '../pipeline/state.js';
import type { ShoeboxClient } from './client.js';
import { createProgress } from './progress.js';
import { findServer } from './target.js';
import { forEachLimit, listImportCandidates } from './walk.js';

interface ImportFlags {
  wait?: boolean;
  server?: string;
}

interface Tally {
  added: string[];
  duplicates: number;
  skipped: { file: string; reason: string }[];
}

type AddOne = (file: string) => Promise<{ id: string; duplicate: boolean }>;

export async function runImport(dir: string, settings: Settings, flags: ImportFlags): Promise<void> {
  const root = path.resolve(dir);
  const stat = await fs.stat(root).catch(() => null);
  if (!stat?.isDirectory()) throw new Error(`${dir} is not a folder`);
  const files = await listImportCandidates(root);
  const server = await findServer(settings, flags.server);
  if (server) {
    process.stderr.write(`Importing ${files.length} files into the server at ${server.baseUrl}\n`);
    const tally = await addAll(files, 4, (file) => uploadOne(server, file));
    report(tally);
    if (flags.wait) await waitRemote(server, tally.added);
    return;
  }

  const lock = acquireLock(settings.dataDir, { command: 'import' });
  const lib = await openLibrary(settings, createLogger(settings.logLevel, 2));
  try {
    process.stderr.write(`Importing ${files.length} files into ${settings.dataDir}\n`);
    if (flags.wait) await lib.startPipeline();
    const tally = await addAll(files, 2, (file) => ingestFile(lib, file));
    report(tally);
    if (flags.wait) await waitLocal(lib, tally.added);
    else if (tally.added.length > 0) {
      process.stderr.write('The new photos are processed when `shoebox serve` runs on this library (or import with --wait).\n');
    }
  } finally {
    await lib.close();
    lock.release();
  }
}

async function uploadOne(server: ShoeboxClient, file: string) {
  const item = await server.upload(file, await findSidecar(file));
  if (!item.id) throw new UserError((item.statusCode as 413 | 415) ?? 400, item.error ?? 'refused');
  return { id: item.id, duplicate: Boolean(item.duplicate) };
}

async function addAll(files: string[], concurrency: number, addOne: AddOne): Promise<Tally> {
  const tally: Tally = { added: [], duplicates: 0, skipped: [] };
  const progress = createProgress('import ', files.length);
  await forEachLimit(files, concurrency, async (file) => {
    try {
      const result = await addOne(file);
      if (result.duplicate) tally.duplicates += 1;
      else tally.added.push(result.id);
    } catch (error) {
      if (!(error instanceof UserError) && (error as NodeJS.ErrnoException).code === undefined) throw error;
      tally.skipped.push({ file, reason: error instanceof Error ? error.message : String(error) });
    }
    progress.tick();
  });
  progress.stop();
  return tally;
}

function report(tally: Tally): void {
  const lines = [`Added ${tally.added.length}, already in the library ${tally.duplicates}, skipped ${tally.skipped.length}.`];
  const shown = tally.skipped.slice(0, 50);
  for (const skip of shown) lines.push(`  skipped ${skip.file}: ${skip.reason}`);
  if (tally.skipped.length > shown.length) lines.push(`  … and ${tally.skipped.length - shown.length} more`);
  process.stderr.write(`${lines.join('\n')}\n`);
}

async function waitFor(ids: string[], statesOf: (ids: string[]) => Promise<Record<string, string>>): Promise<void> {
  if (ids.length === 0) return;
  const progress = createProgress('process', ids.length);
  let pending = ids;
  const outcome: Record<string, number> = {};
  while (pending.length > 0) {
    const states: Record<string, string> = {};
    for (let i = 0; i < pending.length; i += 1000) Object.assign(states, await statesOf(pending.slice(i, i + 1000)));
    const still: string[] = [];
    for (const id of pending) {
      const state = states[id];
      if (state === undefined) outcome.deleted = (outcome.deleted ?? 0) + 1;
      else if (isTerminal(state)) outcome[state] = (outcome[state] ?? 0) + 1;
      else still.push(id);
    }
    pending = still;
    progress.set(ids.length - pending.length);
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  progress.stop();
  process.stderr.write(`Processed: ${Object.entries(outcome).map(([state, n]) => `${n} ${state}`).join(', ')}.\n`);
}

function waitRemote(server: ShoeboxClient, ids: string[]) {
  return waitFor(ids, async (chunk) => (await server.states(chunk)).states);
}

function waitLocal(lib: Library, ids: string[]) {
  return waitFor(ids, async (chunk) => {
    const found = await lib.db.select({ id: photos.id, state: photos.state }).from(photos).where(inArray(photos.id, chunk));
    return Object.fromEntries(found.map((row) => [row.id, row.state]));
  });
}
