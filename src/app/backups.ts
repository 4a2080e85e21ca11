import path from 'node:path';
import type { Resources } from '../library/library.js';
import { backupLibrary, backupName, finishedBackups, pruneBackups } from '../migrate/backup.js';
import type { Progress } from '../migrate/migrate.js';

const silent: Progress = { start() {}, advance() {}, end() {} };

/**
 * One scheduled backup (SHOEBOX_BACKUP_DIR): a new folder beside the earlier ones, originals hard-linked from the
 * last one where they are the same, then only the newest SHOEBOX_BACKUP_KEEP kept. Returns the new folder.
 */
export async function scheduledBackup(lib: Resources): Promise<string> {
  const { settings, logger } = lib;
  const root = settings.backupDir!;
  const previous = (await finishedBackups(root)).at(-1) ?? null;
  const dir = path.join(root, backupName());
  const started = Date.now();
  const manifest = await backupLibrary({ database: lib.database, storage: lib.storage }, dir, {
    dbOnly: settings.backupDbOnly,
    previous,
    progress: silent,
  });
  const removed = await pruneBackups(root, settings.backupKeep, dir);
  logger.info(
    { dir, originals: manifest.originals.length, absent: manifest.absent.length, ms: Date.now() - started, removed: removed.length },
    'backup written',
  );
  return dir;
}
