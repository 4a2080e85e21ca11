// Which folders may become libraries in place: those under a root an admin allowed (SHOEBOX_LIBRARY_ROOTS, and the
// admin API's list). A folder is judged by its real path, so `..` and symbolic links cannot lead out of a root.
import fs from 'node:fs/promises';
import path from 'node:path';
import { asc } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { inPlaceRoots } from '../../db/schema.js';
import { UserError } from '../../base/errors.js';
import { isInside } from '../../storage/in-place.js';
import type { Resources } from '../library.js';

export interface AllowedRoot {
  path: string;
  /** `settings`: SHOEBOX_LIBRARY_ROOTS (changed there only); `admin`: added through the API. */
  source: 'settings' | 'admin';
  /** Whether the folder is there now (a disk may be away). */
  present: boolean;
}

async function realFolder(folder: string): Promise<string | null> {
  try {
    const real = await fs.realpath(folder);
    return (await fs.stat(real)).isDirectory() ? real : null;
  } catch {
    return null;
  }
}

export async function listAllowedRoots(context: Pick<Resources, 'settings' | 'db'>): Promise<AllowedRoot[]> {
  const added = await context.db.select({ path: inPlaceRoots.path }).from(inPlaceRoots).orderBy(asc(inPlaceRoots.path));
  const all = [
    ...context.settings.libraryRoots.map((root) => ({ path: root, source: 'settings' as const })),
    ...added.map((row) => ({ path: row.path, source: 'admin' as const })),
  ];
  return Promise.all(all.map(async (root) => ({ ...root, present: (await realFolder(root.path)) !== null })));
}

/** The real paths of the allowed roots that are there now. */
export async function realRoots(context: Pick<Resources, 'settings' | 'db'>): Promise<string[]> {
  const roots = await listAllowedRoots(context);
  const real = await Promise.all(roots.map((root) => realFolder(root.path)));
  return real.filter((root): root is string => root !== null);
}

/** A path as a user typed it: absolute, without NUL, of a sane length; normalised (`a/../b` → `b`). */
export function cleanFolderPath(input: string): string {
  if (typeof input !== 'string' || input.trim() === '') throw new UserError('invalid', 'a folder path is needed');
  if (input.includes('\0')) throw new UserError('invalid', 'a folder path cannot hold a NUL character');
  if (input.length > 4096) throw new UserError('invalid', 'a folder path is at most 4,096 characters');
  if (!path.isAbsolute(input)) throw new UserError('invalid', `${input}: give the folder's absolute path (it starts with /)`);
  const clean = path.resolve(input);
  return clean.length > 1 && clean.endsWith('/') ? clean.slice(0, -1) : clean;
}

/**
 * The real path of a folder a user asks to index, when it lies inside an allowed root; else a 403 (outside) or
 * 400 (not a folder) that says why. The check runs on the real path: a link inside a root to elsewhere is outside.
 */
export async function checkInPlaceFolder(context: Pick<Resources, 'settings' | 'db'>, input: string): Promise<string> {
  const clean = cleanFolderPath(input);
  const roots = await realRoots(context);
  if (roots.length === 0) {
    throw new UserError('forbidden', 'no folders are allowed for libraries in place yet: an admin adds them (SHOEBOX_LIBRARY_ROOTS, or Settings → Libraries)');
  }
  const real = await realFolder(clean);
  // outside first: a user learns nothing of what exists outside the roots
  if (!isInside(real ?? clean, roots)) throw new UserError('forbidden', `${clean} is outside the folders allowed for libraries in place (${roots.join(', ')})`);
  if (!real) throw new UserError('invalid', `${clean} is not a folder this server can read`);
  return real;
}

/** Adds a root (admin): an absolute folder that exists now. */
export async function addAllowedRoot(db: Db, input: string, adminId: string): Promise<string> {
  const clean = cleanFolderPath(input);
  const real = await realFolder(clean);
  if (!real) throw new UserError('invalid', `${clean} is not a folder this server can read`);
  await db.insert(inPlaceRoots).values({ path: real, addedBy: adminId }).onConflictDoNothing();
  return real;
}
