// What a file of a library in place must be to be read (storage/in-place.ts checks the opened descriptor against
// it): a photo's file present in its library's row, with the device, inode, size and time the scan recorded; a
// sidecar recorded beside a present file. Either lies inside its library's folders that are still inside a root an
// admin allows. A path no library has now (a photo offline, a file refused, a sidecar that went) is not read at all.
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { uuidArray } from '../../db/arrays.js';
import { rows, type Db } from '../../db/connection.js';
import { isInside, type InPlaceLookup, type InPlaceRecord } from '../../storage/in-place.js';
import type { Resources } from '../library.js';
import { realRoots } from './roots.js';

/** The allowed roots are looked up again after this long (an admin's change applies within it). */
const ROOTS_TTL_MS = 5000;

/** Real paths of the allowed roots, looked up at most every few seconds. */
function cachedRoots(context: Pick<Resources, 'settings' | 'db'>): () => Promise<string[]> {
  let cached: { at: number; roots: Promise<string[]> } | null = null;
  return () => {
    if (!cached || Date.now() - cached.at > ROOTS_TTL_MS) {
      const roots = realRoots(context);
      cached = { at: Date.now(), roots };
      roots.catch(() => (cached = null));
    }
    return cached.roots;
  };
}

/** The library folders a file may lie in: those of its library inside an allowed root. */
export function allowedFolders(libraryPaths: readonly string[], roots: readonly string[]): string[] {
  return libraryPaths.filter((folder) => isInside(folder, roots));
}

interface Row {
  kind: 'file' | 'sidecar';
  paths: string[];
  file_id: string | null;
  size: number | null;
  mtime_ms: number | null;
}

/** The lookup the stores of a server with its library open check files in place with. */
export function inPlaceLookup(context: Pick<Resources, 'settings' | 'db'>): InPlaceLookup {
  const roots = cachedRoots(context);
  return async (key) => {
    const found = await recordsOf(context.db, key);
    const allowed = await roots();
    // a file in two libraries (folders of two users overlapping from before that was refused): any one will do,
    // the first whose folders hold it
    for (const row of found) {
      const folders = allowedFolders(row.paths, allowed);
      if (!isInside(path.dirname(key), folders)) continue;
      const record: InPlaceRecord =
        row.kind === 'file'
          ? { roots: folders, fileId: row.file_id, size: row.size, mtimeMs: row.mtime_ms }
          : { roots: folders, fileId: null, size: null, mtimeMs: null };
      return record;
    }
    return null;
  };
}

/** The rows naming the path as a present file with a photo, or as the sidecar of a present file. */
async function recordsOf(db: Db, key: string): Promise<Row[]> {
  // the file's library first (by folder, a short list), so that its row is found by its primary key
  const libraries = await rows<{ id: string; paths: string[] }>(db, sql`select id, paths from libraries`);
  const holding = libraries.filter((library) => isInside(key, library.paths)).map((library) => library.id);
  if (holding.length === 0) return [];
  return rows<Row>(
    db,
    sql`select 'file' as kind, l.paths, f.file_id, f.size_bytes::float8 as size, f.mtime_ms
          from library_files f join libraries l on l.id = f.library_id
          where f.library_id = any(${uuidArray(holding)}) and f.path = ${key}
            and f.missing_since is null and f.error is null and f.photo_id is not null
        union all
        select 'sidecar' as kind, l.paths, null, null, null
          from library_files f join libraries l on l.id = f.library_id
          where f.sidecar_path = ${key} and f.missing_since is null and f.error is null`,
  );
}
