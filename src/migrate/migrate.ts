// Moving a library between engines: every row (tables.ts) and every file (files.ts) from a source to a target,
// resumable (what the target has already is kept), then verified: rows counted per table, originals checked by
// their SHA-256 where they landed. The source is only read.
import { sql } from 'drizzle-orm';
import { DEFAULT_OWNER_NAME, rows, type Db } from '../db/connection.js';
import type { StorageLocations } from '../storage/locations.js';
import { copyFile, eachLimited, libraryFiles, requireLocations, storedSha256 } from './files.js';
import { copyTable, countRows, planTables } from './tables.js';

export interface LibraryEnd {
  db: Db;
  storage: StorageLocations;
}

export interface Progress {
  start(phase: 'database' | 'rows' | 'files' | 'checksums', total: number): void;
  advance(count: number): void;
  end(): void;
}

export interface MigrationReport {
  tables: { name: string; source: number; target: number }[];
  files: { copied: number; present: number; absent: number };
  /** Originals and sidecars the source's rows name but the source's store (or, for originals, the target's) lacks. */
  missing: string[];
  /** Originals whose copy does not have the photo's SHA-256. */
  mismatched: string[];
  /** Whether the target holds everything the source does. */
  ok: boolean;
}

const FILES_AT_ONCE = 4;

export async function migrateLibrary(source: LibraryEnd, target: LibraryEnd, options: { copyFiles: boolean; progress: Progress }): Promise<MigrationReport> {
  const { progress } = options;
  requireLocations(await libraryFiles(source.db), source.storage, target.storage);
  const tables = await copyRows(source.db, target.db, progress);

  const files = await libraryFiles(source.db);
  const tally = { copied: 0, present: 0, absent: 0 };
  const missing: string[] = [];
  if (options.copyFiles) {
    progress.start('files', files.length);
    await eachLimited(files, FILES_AT_ONCE, async (file) => {
      const outcome = await copyFile(source.storage, target.storage, file);
      tally[outcome]++;
      if (outcome === 'absent' && file.required) missing.push(file.key);
      progress.advance(1);
    });
    progress.end();
  }
  const originals = files.filter((file) => file.sha256);
  const mismatched: string[] = [];
  progress.start('checksums', originals.length);
  await eachLimited(originals, FILES_AT_ONCE, async (file) => {
    const store = target.storage.at(file.location);
    if (!missing.includes(file.key)) {
      if (!(await store.stat(file.key))) missing.push(file.key);
      else if ((await storedSha256(store, file.key)) !== file.sha256) mismatched.push(file.key);
    }
    progress.advance(1);
  });
  progress.end();

  const ok = tables.every((t) => t.source === t.target) && missing.length === 0 && mismatched.length === 0;
  return { tables, files: tally, missing, mismatched, ok };
}

/** Copies every table's rows into a target holding nothing else; returns the rows per table on both sides. */
export async function copyRows(source: Db, target: Db, progress: Progress): Promise<MigrationReport['tables']> {
  await dropPlaceholderOwner(source, target);
  await refuseAnotherLibrary(source, target);
  const plans = await planTables(target);
  const sourceCounts = await countRows(source, plans);
  progress.start(
    'rows',
    [...sourceCounts.values()].reduce((sum, n) => sum + n, 0),
  );
  for (const plan of plans) await copyTable(source, target, plan, (n) => progress.advance(n));
  progress.end();
  const targetCounts = await countRows(target, plans);
  return plans.map((plan) => ({ name: plan.name, source: sourceCounts.get(plan.name)!, target: targetCounts.get(plan.name)! }));
}

/**
 * A new database gets a placeholder owner (`local`) when it opens; a target about to receive a library has no use
 * for it, and it would be one user too many.
 */
async function dropPlaceholderOwner(source: Db, target: Db): Promise<void> {
  const users = await rows<{ id: string; name: string }>(target, sql`select id, name from users`);
  const [photos] = await rows<{ n: number }>(target, sql`select count(*)::int as n from photos`);
  if (users.length !== 1 || users[0]!.name !== DEFAULT_OWNER_NAME || photos!.n > 0) return;
  const [inSource] = await rows<{ n: number }>(source, sql`select count(*)::int as n from users where id = ${users[0]!.id}`);
  if (inSource!.n === 0) await target.execute(sql`delete from users where id = ${users[0]!.id}`);
}

/** A target with users the source does not have holds another library: copying into it would mix the two. */
async function refuseAnotherLibrary(source: Db, target: Db): Promise<void> {
  const sourceIds = new Set((await rows<{ id: string }>(source, sql`select id from users`)).map((user) => user.id));
  const foreign = (await rows<{ id: string }>(target, sql`select id from users`)).filter((user) => !sourceIds.has(user.id));
  if (foreign.length > 0) {
    throw new Error(`the target holds another library (${foreign.length} users this one does not have): migrate into a new, empty database or folder`);
  }
}
