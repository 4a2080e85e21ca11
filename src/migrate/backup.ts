// Backups: a consistent snapshot of a library as a folder that is itself an embedded library (`library/`: its
// database and files) plus a manifest of the originals by SHA-256. Restoring is a migration from that library.
import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { EMBEDDED_EXTENSIONS, openDatabase, type Database, type Db } from '../db/connection.js';
import { LocalBlobStore } from '../storage/local.js';
import { StorageLocations } from '../storage/locations.js';
import { Scratch } from '../storage/scratch.js';
import { version } from '../config/version.js';
import { copyFile, eachLimited, libraryFiles, type LibraryFile } from './files.js';
import { copyRows, type Progress } from './migrate.js';
import { countRows, planTables } from './tables.js';

export const MANIFEST = 'manifest.json';
const FILES_AT_ONCE = 4;

export interface BackupManifest {
  shoebox: string;
  createdAt: string;
  /** The database only: the files stay in the library's store (a bucket with its own versioning, say). */
  dbOnly: boolean;
  rows: Record<string, number>;
  /** `location`: the storage location the original is kept in, where it is not the main store. */
  originals: { key: string; sha256: string; location?: string }[];
  /** Files the rows name that the store did not have when the backup was made. */
  absent: string[];
}

export interface BackupSource {
  database: Database;
  storage: StorageLocations;
}

/**
 * Writes a backup of the library into `dir` (new or empty). The rows are one snapshot: the embedded database's
 * own copy of its data folder, or PostgreSQL rows read in one repeatable-read transaction. Originals already in
 * `previous` (an earlier backup) are hard-linked from it, not copied again: they never change.
 */
export async function backupLibrary(
  source: BackupSource,
  dir: string,
  options: { dbOnly: boolean; previous?: string | null; progress: Progress },
): Promise<BackupManifest> {
  await fs.mkdir(dir, { recursive: true });
  if ((await fs.readdir(dir)).length > 0) throw new Error(`${dir} is not empty: a backup goes into a new folder`);
  const libraryDir = path.join(dir, 'library');
  await snapshotDatabase(source.database, libraryDir, options.progress);
  const copy = await openDatabase({ dataDir: libraryDir });
  try {
    const files = await libraryFiles(copy.db);
    const absent: string[] = [];
    if (!options.dbOnly) {
      // the files of every storage location lie together in the backup's folder (their keys never clash:
      // originals are named by their content, derived files by their photo)
      const store = StorageLocations.flattened(new LocalBlobStore(libraryDir, new Scratch(path.join(libraryDir, 'tmp'))));
      options.progress.start('files', files.length);
      await eachLimited(files, FILES_AT_ONCE, async (file) => {
        const linked = options.previous ? await linkFromPrevious(options.previous, libraryDir, file) : false;
        if (!linked && (await copyFile(source.storage, store, file)) === 'absent' && file.required) absent.push(file.key);
        options.progress.advance(1);
      });
      options.progress.end();
      await fs.rm(path.join(libraryDir, 'tmp'), { recursive: true, force: true });
    }
    const manifest: BackupManifest = {
      shoebox: version,
      createdAt: new Date().toISOString(),
      dbOnly: options.dbOnly,
      rows: Object.fromEntries(await countRows(copy.db, await planTables(copy.db))),
      originals: files
        .filter((file) => file.sha256)
        .map((file) => ({ key: file.key, sha256: file.sha256!, ...(file.location ? { location: file.location } : {}) })),
      absent,
    };
    // last: a folder without a manifest is a backup that did not finish
    await fs.writeFile(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 1));
    return manifest;
  } finally {
    await copy.close();
  }
}

/** The database of the backup, at one moment, as an embedded library's database in `libraryDir`. */
async function snapshotDatabase(database: Database, libraryDir: string, progress: Progress): Promise<void> {
  if (database.pglite) {
    // the data folder as PGlite sees it between two statements: consistent, and the same engine
    progress.start('database', 1);
    const dump = await database.pglite.dumpDataDir('none');
    await fs.mkdir(path.join(libraryDir, 'db'), { recursive: true });
    const copy = await PGlite.create(path.join(libraryDir, 'db'), { extensions: EMBEDDED_EXTENSIONS, loadDataDir: dump });
    await copy.close();
    progress.advance(1);
    progress.end();
    return;
  }
  const target = await openDatabase({ dataDir: libraryDir });
  try {
    await database.db.transaction(async (snapshot) => void (await copyRows(snapshot as unknown as Db, target.db, progress)), {
      isolationLevel: 'repeatable read',
      accessMode: 'read only',
    });
  } finally {
    await target.close();
  }
}

async function linkFromPrevious(previous: string, libraryDir: string, file: LibraryFile): Promise<boolean> {
  if (!file.sha256) return false; // originals only: content-addressed, the same name is the same bytes
  const from = path.join(previous, 'library', file.key);
  const to = path.join(libraryDir, file.key);
  try {
    await fs.mkdir(path.dirname(to), { recursive: true });
    await fs.link(from, to);
    return true;
  } catch {
    return false; // not in the previous backup, or on another file system
  }
}

export async function readManifest(dir: string): Promise<BackupManifest> {
  try {
    return JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8')) as BackupManifest;
  } catch (error) {
    throw new Error(`${dir} is not a finished Shoebox backup (no readable ${MANIFEST}): ${(error as Error).message}`);
  }
}

/** Finished backups under `root` (folders `shoebox-…` with a manifest), oldest first. */
export async function finishedBackups(root: string): Promise<string[]> {
  const names = await fs.readdir(root).catch(() => [] as string[]);
  const found: string[] = [];
  for (const name of names.filter((n) => n.startsWith('shoebox-')).sort()) {
    if (await fs.stat(path.join(root, name, MANIFEST)).catch(() => null)) found.push(path.join(root, name));
  }
  return found;
}

/** Keeps the newest `keep` finished backups under `root`, and removes unfinished ones other than `current`. */
export async function pruneBackups(root: string, keep: number, current?: string): Promise<string[]> {
  const finished = await finishedBackups(root);
  const removed = finished.slice(0, Math.max(0, finished.length - keep));
  for (const name of await fs.readdir(root).catch(() => [] as string[])) {
    const folder = path.join(root, name);
    if (name.startsWith('shoebox-') && folder !== current && !finished.includes(folder)) removed.push(folder);
  }
  for (const folder of removed) await fs.rm(folder, { recursive: true, force: true });
  return removed;
}

/** A backup folder's name for now: sorts by time. */
export function backupName(now: Date = new Date()): string {
  return `shoebox-${now.toISOString().replace(/[:.]/g, '-')}`;
}
