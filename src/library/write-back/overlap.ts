// One folder, one library: the allowed roots are shared by every user, so without this a user could index another
// user's library folder (the same, one inside it or one around it, or reached through a link) and, with write-back,
// change the other's ratings in its sidecars. Folders are compared by real path.
//
// A user's own libraries may not overlap either: the same files in two libraries are two photos each (twice in the
// timeline, in search, in duplicates), and two write-backs on one sidecar. Libraries made before this check may
// still overlap: write-back then never writes where another user's library has the folder (writeBackRefusal), and
// a scan leaves out the folders of another user's library made before its own (foldersTakenBefore).
import fs from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../../db/connection.js';
import { UserError } from '../../base/errors.js';
import { isInside } from '../../storage/in-place.js';
import { isOwner, type OwnerView } from '../../scope/rows.js';

/** Whether two folders (real paths) share files: the same, or one inside the other. */
export function foldersOverlap(a: string, b: string): boolean {
  return isInside(a, [b]) || isInside(b, [a]);
}

interface InPlaceFolders {
  id: string;
  owner_id: string;
  name: string;
  paths: string[];
}

/** A library's folders as saved and where they lead now (a folder since replaced by a link is judged by both). */
async function realFolders(paths: readonly string[]): Promise<string[]> {
  const real = await Promise.all(paths.map((folder) => fs.realpath(folder).catch(() => folder)));
  return [...new Set([...paths, ...real])];
}

async function allInPlaceLibraries(db: Db): Promise<InPlaceFolders[]> {
  return rows<InPlaceFolders>(db, sql`select id, owner_id, name, paths from libraries order by created_at, id`);
}

/**
 * Refuses (409) folders (real paths) that overlap another library's: another user's (without telling anything of
 * it), or one of the owner's own. `exceptId`: the library being changed (its own folders are no overlap).
 */
export async function checkFoldersFree(owner: OwnerView, folders: readonly string[], exceptId?: string): Promise<void> {
  const others = (await allInPlaceLibraries(owner.db)).filter((library) => library.id !== exceptId);
  // another user's first: that refusal must not depend on the user's own libraries
  others.sort((a, b) => Number(isOwner(owner, a.owner_id)) - Number(isOwner(owner, b.owner_id)));
  for (const other of others) {
    const theirs = await realFolders(other.paths);
    for (const folder of folders) {
      const shared = theirs.find((their) => foldersOverlap(folder, their));
      if (!shared) continue;
      if (!isOwner(owner, other.owner_id)) {
        throw new UserError(
          'conflict',
          `${folder} is, holds or lies inside a folder of another user’s library: a folder belongs to one library (ask an admin if it is yours)`,
        );
      }
      throw new UserError(
        'conflict',
        `${folder} is, holds or lies inside ${shared}, a folder of your library “${other.name}”: its photos would be in Shoebox twice (change that library’s folders instead)`,
      );
    }
  }
}

/**
 * Folders (real paths) a scan of this library leaves alone: those of other users' libraries made before it. Two
 * users' libraries can only overlap when made before this check; the first one keeps the folder (the later one
 * would be refused today), so an intruder's library reads nothing of it and cannot take it from its owner.
 */
export async function foldersTakenBefore(db: Db, libraryId: string): Promise<string[]> {
  const all = await allInPlaceLibraries(db);
  const index = all.findIndex((library) => library.id === libraryId);
  if (index === -1) return [];
  const owner = all[index]!.owner_id;
  const earlier = all.slice(0, index).filter((library) => !isOwner(owner, library.owner_id));
  return (await Promise.all(earlier.map((library) => realFolders(library.paths)))).flat();
}

/**
 * For write-back: a function that says why a sidecar beside `file` (a photo of library `libraryId`) must not be
 * written — another user's library has its folder (libraries made before overlaps were refused) — or null. The
 * libraries are read once per call of this.
 */
export async function writeBackRefusal(db: Db): Promise<(libraryId: string, file: string) => Promise<string | null>> {
  const all = await allInPlaceLibraries(db);
  const folders = new Map(await Promise.all(all.map(async (library) => [library.id, await realFolders(library.paths)] as const)));
  return async (libraryId, file) => {
    const owner = all.find((library) => library.id === libraryId)?.owner_id;
    if (!owner) return 'its library is gone';
    const dir = path.dirname(file);
    const realDir = await fs.realpath(dir).catch(() => dir);
    const foreign = all.filter((library) => !isOwner(owner, library.owner_id)).flatMap((library) => folders.get(library.id) ?? []);
    return isInside(dir, foreign) || isInside(realDir, foreign) ? 'another user’s library has this folder' : null;
  };
}
