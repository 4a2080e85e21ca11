import fs from 'node:fs';
import path from 'node:path';
import type { Settings } from '../config/settings.js';
import { openDatabase, type Database } from '../db/connection.js';
import { acquireLock } from '../base/data-lock.js';
import { migrateLibrary, type MigrationReport, type Progress } from '../migrate/migrate.js';
import type { BlobStore } from '../storage/blob-store.js';
import { LocalBlobStore } from '../storage/local.js';
import { openStorageLocations, type StorageLocations } from '../storage/locations.js';
import { openBlobStore } from '../storage/open.js';
import { Scratch } from '../storage/scratch.js';
import { createProgress } from './progress.js';
import { makeTempFolderSync } from '../base/process-folders.js';

export interface MigrateFlags {
  to: string;
  storage?: string;
}

const isPostgresUrl = (value: string) => /^postgres(ql)?:\/\//.test(value);

/**
 * `shoebox migrate --to postgres://… [--storage s3://…]` or `--to DIR`: copies the library of `--data` (and its
 * DATABASE_URL / SHOEBOX_STORAGE, when it has them) into another database and store, resumably, and verifies
 * the copy. The source is only read; the target's store is the source's own when neither `--storage` nor a
 * folder says otherwise (a PostgreSQL target keeping the files where they are).
 */
export async function runMigrate(settings: Settings, flags: MigrateFlags): Promise<void> {
  const toPostgres = isPostgresUrl(flags.to);
  const targetDir = toPostgres ? null : path.resolve(flags.to);
  if (toPostgres ? flags.to === settings.databaseUrl : targetDir === settings.dataDir && !settings.databaseUrl) {
    throw new Error('the target is the library itself: --to names another database or folder');
  }
  if (flags.storage && !/^s3:\/\//.test(flags.storage)) throw new Error(`--storage takes an s3://bucket/prefix address, not ${flags.storage}`);
  const work = makeTempFolderSync('migrate');
  const locks = [
    settings.databaseUrl ? null : acquireLock(settings.dataDir, { command: 'migrate' }),
    targetDir ? acquireLock(targetDir, { command: 'migrate' }) : null,
  ];
  const opened: { close(): Promise<void> }[] = [];
  const open = <T extends { close(): Promise<void> }>(thing: T) => (opened.push(thing), thing);
  try {
    const sourceDb: Database = open(await openDatabase(settings.databaseUrl ? { url: settings.databaseUrl } : { dataDir: settings.dataDir }));
    const scratch = new Scratch(path.join(work, 'tmp'));
    const source: StorageLocations = open(await openStorageLocations(settings, settings.dataDir, scratch, path.join(work, 'cache')));
    const sourceStore = source.main;
    const targetDb: Database = open(await openDatabase(toPostgres ? { url: flags.to } : { dataDir: targetDir! }));
    let targetStore: BlobStore = sourceStore;
    if (flags.storage) {
      targetStore = open(await openBlobStore({ ...settings.storage, url: flags.storage }, work, scratch, path.join(work, 'target-cache')));
    } else if (targetDir) {
      targetStore = open(new LocalBlobStore(targetDir, new Scratch(path.join(targetDir, 'tmp'))));
    }
    const copyFiles = targetStore !== sourceStore;
    if (!copyFiles) process.stderr.write('The files stay where they are (no --storage): only the rows are copied.\n');
    // named storage locations (users' own buckets or folders) are outside the library: both ends keep using them
    const target = source.withMain(targetStore, { address: flags.storage ?? targetDir ?? settings.storage.url ?? settings.dataDir, presignSeconds: 0 });
    const report = await migrateLibrary({ db: sourceDb.db, storage: source }, { db: targetDb.db, storage: target }, { copyFiles, progress: progressBars() });
    printReport(report);
    if (!report.ok) {
      process.exitCode = 1;
      return;
    }
    const env = [toPostgres ? `DATABASE_URL=${redactPassword(flags.to)}` : '', flags.storage ? `SHOEBOX_STORAGE=${flags.storage}` : ''].filter(Boolean);
    process.stdout.write(`Verified. Start it with: ${[...env, 'shoebox serve', targetDir ? `--data ${targetDir}` : ''].filter(Boolean).join(' ')}\n`);
  } finally {
    for (const thing of opened.reverse()) await thing.close().catch(() => undefined);
    for (const lock of locks) lock?.release();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export function progressBars(): Progress {
  let bar: ReturnType<typeof createProgress> | null = null;
  let done = 0;
  return {
    start(phase, total) {
      done = 0;
      bar = createProgress(phase.padEnd(9), total);
    },
    advance(count) {
      done += count;
      bar?.set(done);
    },
    end() {
      bar?.stop();
      bar = null;
    },
  };
}

export function printReport(report: MigrationReport): void {
  const out = process.stdout;
  for (const table of report.tables) {
    if (table.source !== table.target) out.write(`rows differ in ${table.name}: ${table.source} in the source, ${table.target} in the target\n`);
  }
  const rowsCopied = report.tables.reduce((sum, t) => sum + t.source, 0);
  out.write(`${rowsCopied} rows in ${report.tables.length} tables; files: ${report.files.copied} copied, ${report.files.present} already there\n`);
  for (const key of report.missing) out.write(`missing from the store: ${key}\n`);
  for (const key of report.mismatched) out.write(`checksum differs in the target: ${key}\n`);
  if (!report.ok) out.write('The target does not hold the whole library: see above. Run the same command again to resume.\n');
}

/** A URL without its password, for printing. */
function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
