import fs from 'node:fs';
import path from 'node:path';
import type { Settings } from '../config/settings.js';
import { openDatabase } from '../db/connection.js';
import { acquireLock } from '../base/data-lock.js';
import { backupLibrary, readManifest } from '../migrate/backup.js';
import { migrateLibrary } from '../migrate/migrate.js';
import { LocalBlobStore } from '../storage/local.js';
import { openStorageLocations, StorageLocations } from '../storage/locations.js';
import { Scratch } from '../storage/scratch.js';
import { progressBars, printReport } from './migrate.js';
import { makeTempFolderSync } from '../base/process-folders.js';

/** `shoebox backup DIR [--db-only]`: a snapshot of the library of `--data` (or DATABASE_URL) into a new folder. */
export async function runBackup(dir: string, settings: Settings, flags: { dbOnly?: boolean }): Promise<void> {
  const target = path.resolve(dir);
  const work = makeTempFolderSync('backup');
  // an embedded library is read by one process at a time: a running server makes its own backups (SHOEBOX_BACKUP_DIR)
  const lock = settings.databaseUrl ? null : acquireLock(settings.dataDir, { command: 'backup' });
  const database = await openDatabase(settings.databaseUrl ? { url: settings.databaseUrl } : { dataDir: settings.dataDir });
  const storage = await openStorageLocations(settings, settings.dataDir, new Scratch(path.join(work, 'tmp')), path.join(work, 'cache'));
  try {
    const manifest = await backupLibrary({ database, storage }, target, { dbOnly: Boolean(flags.dbOnly), progress: progressBars() });
    const rows = Object.values(manifest.rows).reduce((sum, n) => sum + n, 0);
    process.stdout.write(`Backed up ${rows} rows and ${manifest.originals.length} originals${manifest.dbOnly ? ' (the database only)' : ''} into ${target}\n`);
    for (const key of manifest.absent) process.stdout.write(`missing from the store when backed up: ${key}\n`);
  } finally {
    await storage.close();
    await database.close();
    lock?.release();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * `shoebox restore DIR`: rebuilds the library of a backup into the library the settings name (`--data`, and
 * DATABASE_URL / SHOEBOX_STORAGE), which must be new; verified like a migration.
 */
export async function runRestore(dir: string, settings: Settings): Promise<void> {
  const backup = path.resolve(dir);
  const manifest = await readManifest(backup);
  const libraryDir = path.join(backup, 'library');
  const work = makeTempFolderSync('restore');
  const lock = settings.databaseUrl ? null : acquireLock(settings.dataDir, { command: 'restore' });
  const source = await openDatabase({ dataDir: libraryDir });
  const target = await openDatabase(settings.databaseUrl ? { url: settings.databaseUrl } : { dataDir: settings.dataDir });
  const targetStore = await openStorageLocations(settings, settings.dataDir, new Scratch(path.join(work, 'tmp')), path.join(work, 'cache'));
  try {
    const report = await migrateLibrary(
      { db: source.db, storage: StorageLocations.flattened(new LocalBlobStore(libraryDir, new Scratch(path.join(work, 'source-tmp')))) },
      { db: target.db, storage: targetStore },
      { copyFiles: !manifest.dbOnly, progress: progressBars() },
    );
    printReport(report);
    if (!report.ok) {
      process.exitCode = 1;
      return;
    }
    process.stdout.write(`Restored the backup of ${manifest.createdAt}, verified.\n`);
  } finally {
    await targetStore.close();
    await target.close();
    await source.close();
    lock?.release();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
