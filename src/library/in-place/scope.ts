// What a scan covers: the whole library, or only the folders the watcher saw change (so that a new file is in the
// library in seconds however large the library is). Kept in the library's row, so that a watcher on one machine
// and a scan on another agree; a scan takes the scope and clears it in one statement.
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { textArray } from '../../db/arrays.js';
import { isInside } from '../../storage/in-place.js';

export interface ScanScope {
  full: boolean;
  /** Folders to list again, recursively (real paths inside the library's folders); empty for a full scan. */
  folders: string[];
}

/** The folders of changed paths, inside the library, none inside another of them (pure). */
export function scopeFolders(changed: readonly string[], libraryPaths: readonly string[]): string[] {
  const inside = [...new Set(changed.map((folder) => path.resolve(folder)))].filter((folder) => isInside(folder, libraryPaths)).sort();
  return inside.filter((folder) => !inside.some((other) => other !== folder && isInside(folder, [other])));
}

/** A user, the schedule or a change of folders asks for every folder to be listed again. */
export async function requestFullScan(db: Db, libraryId: string): Promise<void> {
  await db.execute(sql`update libraries set full_scan_due = true where id = ${libraryId}::uuid`);
}

/** The watcher saw changes in these folders (appended to what the next scan covers). */
export async function noteChangedFolders(db: Db, libraryId: string, folders: readonly string[]): Promise<void> {
  if (folders.length === 0) return;
  await db.execute(
    sql`update libraries set changed_folders = array(select distinct unnest(changed_folders || ${textArray([...folders])}))
        where id = ${libraryId}::uuid`,
  );
}

/** Takes the next scan's scope and clears it; a scan that fails gives it back as a full scan (restoreScope). */
export async function takeScope(db: Db, libraryId: string, libraryPaths: readonly string[]): Promise<ScanScope> {
  const [taken] = await rows<{ full: boolean; folders: string[] }>(
    db,
    sql`with old as (select full_scan_due, changed_folders from libraries where id = ${libraryId}::uuid for update)
        update libraries set full_scan_due = false, changed_folders = '{}' from old where libraries.id = ${libraryId}::uuid
        returning old.full_scan_due as full, old.changed_folders as folders`,
  );
  if (!taken || taken.full || taken.folders.length === 0) return { full: true, folders: [] };
  const folders = scopeFolders(taken.folders, libraryPaths);
  return folders.length === 0 ? { full: true, folders: [] } : { full: false, folders };
}
