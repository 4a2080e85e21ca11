// Libraries in place as their owner manages them: add a folder (inside an allowed root), change it, scan it, list
// its files (with why one was refused), remove it (its photos leave Shoebox; its files stay where they are).
import fs from 'node:fs/promises';
import { and, asc, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { inPlaceLibraries, inPlaceFiles, photos, type ScanProgress, type ScanState, type WatchMode } from '../../db/schema.js';
import { UserError } from '../../base/errors.js';
import type { Library, Resources } from '../library.js';
import { deletePhoto } from '../trash/delete.js';
import { settleFilePhotos } from './file-photos.js';
import { globsProblem } from './glob-limits.js';
import { checkFoldersFree } from '../write-back/overlap.js';
import { checkInPlaceFolder } from '../write-back/roots.js';
import { isInside } from '../../storage/in-place.js';
import { DEFAULT_IN_PLACE_EXCLUDES } from '../../model/in-place-excludes.js';
import { owns, ownsSql } from '../../scope/rows.js';
import { inTransaction, mayChange } from '../actors.js';

export interface InPlaceLibraryInput {
  name: string;
  paths: string[];
  /** Left out: DEFAULT_IN_PLACE_EXCLUDES (NAS thumbnails, recycle bins); `[]`: nothing left out but hidden entries. */
  exclude?: readonly string[];
  writeBack?: boolean;
  watch?: WatchMode;
}

export interface InPlaceLibrary {
  id: string;
  ownerId: string;
  name: string;
  paths: string[];
  exclude: string[];
  writeBack: boolean;
  watch: WatchMode;
  scanState: ScanState;
  scan: ScanProgress | null;
  scanError: string | null;
  lastScanAt: string | null;
  createdAt: string;
  counts: { photos: number; videos: number; offline: number; files: number; refused: number };
}

/** Exclusion patterns the folders' listing is asked to skip (`**\/@eaDir/**`): globs within limits (glob.ts). */
function cleanPatterns(patterns: readonly string[] | undefined): string[] {
  const clean = [...new Set((patterns ?? []).map((pattern) => pattern.trim()).filter(Boolean))];
  const problem = globsProblem(clean);
  if (problem) throw new UserError('invalid', problem);
  return clean;
}

/** Each folder checked against the allowed roots (real paths), none inside another. */
async function cleanFolders(context: Resources, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) throw new UserError('invalid', 'a library needs at least one folder');
  if (paths.length > 50) throw new UserError('invalid', 'at most 50 folders in one library');
  const real = [...new Set(await Promise.all(paths.map((folder) => checkInPlaceFolder(context, folder))))];
  // Shoebox's own folder holds its thumbnails: indexed, they would make thumbnails of thumbnails without end
  const data = await fs.realpath(context.settings.dataDir).catch(() => context.settings.dataDir);
  for (const folder of real) {
    if (folder === '/') throw new UserError('invalid', 'the whole file system is not a photo folder: give the folder that holds the photos');
    if (isInside(folder, [data]) || isInside(data, [folder]))
      throw new UserError('invalid', `${folder} holds Shoebox's own data folder (${data}): give a folder of photos beside it`);
  }
  for (const folder of real) {
    const outer = real.find((other) => other !== folder && isInside(folder, [other]));
    if (outer) throw new UserError('invalid', `${folder} is inside ${outer}, already in the library`);
  }
  return real;
}

function cleanName(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (clean === '') throw new UserError('invalid', 'a library needs a name');
  if (clean.length > 200) throw new UserError('invalid', 'a library name is at most 200 characters');
  return clean;
}

/** Folder checks against the other libraries run one at a time (two users adding one folder at once: one is refused). */
const foldersLock = sql`select pg_advisory_xact_lock(hashtext('shoebox:library-folders'))`;

export async function createInPlaceLibrary(lib: Library, input: InPlaceLibraryInput): Promise<InPlaceLibrary> {
  mayChange(lib);
  const values = {
    ownerId: lib.ownerId,
    name: cleanName(input.name),
    paths: await cleanFolders(lib, input.paths),
    exclude: cleanPatterns(input.exclude ?? DEFAULT_IN_PLACE_EXCLUDES),
    writeBack: input.writeBack ?? false,
    watch: input.watch ?? lib.settings.libraryWatch,
    scanState: 'queued' as const,
  };
  const row = await lib.db.transaction(async (tx) => {
    await tx.execute(foldersLock);
    await checkFoldersFree(inTransaction(lib, tx), values.paths);
    return (await tx.insert(inPlaceLibraries).values(values).returning({ id: inPlaceLibraries.id }))[0];
  });
  await lib.inPlaceScans.add(row!.id);
  return (await getInPlaceLibrary(lib, row!.id))!;
}

export async function updateInPlaceLibrary(lib: Library, id: string, input: Partial<InPlaceLibraryInput>): Promise<InPlaceLibrary | null> {
  mayChange(lib);
  const [current] = await lib.db
    .select()
    .from(inPlaceLibraries)
    .where(and(eq(inPlaceLibraries.id, id), owns(lib, inPlaceLibraries)));
  if (!current) return null;
  const set: Partial<typeof inPlaceLibraries.$inferInsert> = { updatedAt: new Date() };
  if (input.name !== undefined) set.name = cleanName(input.name);
  if (input.paths !== undefined) set.paths = await cleanFolders(lib, input.paths);
  if (input.exclude !== undefined) set.exclude = cleanPatterns(input.exclude);
  if (input.writeBack !== undefined) set.writeBack = input.writeBack;
  if (input.watch !== undefined) set.watch = input.watch;
  const rescan = set.paths !== undefined || set.exclude !== undefined;
  await lib.db.transaction(async (tx) => {
    if (set.paths !== undefined) {
      await tx.execute(foldersLock);
      await checkFoldersFree(inTransaction(lib, tx), set.paths, id);
    }
    await tx.update(inPlaceLibraries).set(set).where(eq(inPlaceLibraries.id, id));
  });
  if (rescan) await requestScan(lib, id);
  return getInPlaceLibrary(lib, id);
}

/** Queues a scan (a scan asked for while one runs runs once more after it). False: not the owner's library. */
export async function requestScan(lib: Library, id: string): Promise<boolean> {
  mayChange(lib);
  const [found] = await rows<{ id: string }>(
    lib.db,
    sql`update libraries set scan_state = case when scan_state = 'scanning' then scan_state else 'queued' end, full_scan_due = true
        where id = ${id}::uuid and ${ownsSql(lib, 'libraries')} returning id`,
  );
  if (!found) return false;
  await lib.inPlaceScans.add(id);
  return true;
}

// photos: every photo a file of the library is, also one uploaded before the folder was added (its file links to
// it), and the library's offline photos; not only those it made (a folder of photos already uploaded read 0 photos).
const itsPhotos = sql`photos p join (
    select f.photo_id as id from library_files f
    where f.library_id = libraries.id and f.missing_since is null and f.error is null and f.photo_id is not null
    union select q.id from photos q where q.library_id = libraries.id) x on x.id = p.id
  where p.deleted_at is null`;
const countsSql = sql<InPlaceLibrary['counts']>`json_build_object(
  'photos', (select count(*)::int from ${itsPhotos}),
  'videos', (select count(*)::int from ${itsPhotos} and p.mime like 'video/%'),
  'offline', (select count(*)::int from photos p where p.library_id = libraries.id and p.deleted_at is null and p.offline_at is not null),
  'files', (select count(*)::int from library_files f where f.library_id = libraries.id and f.missing_since is null and f.error is null),
  'refused', (select count(*)::int from library_files f where f.library_id = libraries.id and f.missing_since is null and f.error is not null))`;

function info(row: typeof inPlaceLibraries.$inferSelect & { counts: InPlaceLibrary['counts'] }): InPlaceLibrary {
  return {
    id: row.id,
    ownerId: row.ownerId,
    name: row.name,
    paths: row.paths,
    exclude: row.exclude,
    writeBack: row.writeBack,
    watch: row.watch,
    scanState: row.scanState,
    scan: row.scan,
    scanError: row.scanError,
    lastScanAt: row.lastScanAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    counts: row.counts,
  };
}

export async function listInPlaceLibraries(lib: Library): Promise<InPlaceLibrary[]> {
  const found = await lib.db
    .select({ library: inPlaceLibraries, counts: countsSql })
    .from(inPlaceLibraries)
    .where(owns(lib, inPlaceLibraries))
    .orderBy(asc(inPlaceLibraries.name), asc(inPlaceLibraries.createdAt));
  return found.map((row) => info({ ...row.library, counts: row.counts }));
}

export async function getInPlaceLibrary(lib: Library, id: string): Promise<InPlaceLibrary | null> {
  const [row] = await lib.db
    .select({ library: inPlaceLibraries, counts: countsSql })
    .from(inPlaceLibraries)
    .where(and(eq(inPlaceLibraries.id, id), owns(lib, inPlaceLibraries)));
  return row ? info({ ...row.library, counts: row.counts }) : null;
}

export interface InPlaceFile {
  path: string;
  sizeBytes: number;
  photoId: string | null;
  error: string | null;
  missingSince: string | null;
}

/** A library's files, by path; `problems`: only those refused (with why) or gone. */
export async function listInPlaceFiles(
  lib: Library,
  id: string,
  query: { page: number; limit: number; problems?: boolean },
): Promise<{ items: InPlaceFile[]; total: number } | null> {
  if (!(await getInPlaceLibrary(lib, id))) return null;
  const where = and(
    eq(inPlaceFiles.libraryId, id),
    query.problems ? sql`(${inPlaceFiles.error} is not null or ${inPlaceFiles.missingSince} is not null)` : undefined,
  );
  const [items, [total]] = await Promise.all([
    lib.db
      .select()
      .from(inPlaceFiles)
      .where(where)
      .orderBy(query.problems ? desc(isNotNull(inPlaceFiles.error)) : asc(inPlaceFiles.path), asc(inPlaceFiles.path))
      .limit(query.limit)
      .offset((query.page - 1) * query.limit),
    lib.db
      .select({ count: sql<number>`count(*)::int` })
      .from(inPlaceFiles)
      .where(where),
  ]);
  return {
    items: items.map((row) => ({
      path: row.path,
      sizeBytes: row.sizeBytes,
      photoId: row.photoId,
      error: row.error,
      missingSince: row.missingSince?.toISOString() ?? null,
    })),
    total: total?.count ?? 0,
  };
}

/**
 * Removes a library from Shoebox: its photos (and what was made from them) go for good, its files stay where they
 * are, untouched. Photos with the same bytes uploaded or in another library are not its own and stay.
 */
export async function removeInPlaceLibrary(lib: Library, id: string): Promise<number | null> {
  mayChange(lib);
  if (!(await getInPlaceLibrary(lib, id))) return null;
  const ownPhotos = () =>
    lib.db
      .select({ id: photos.id })
      .from(photos)
      .where(and(eq(photos.libraryId, id), owns(lib, photos)));
  const own = await ownPhotos();
  // its files' rows go with it; a photo with a copy in another of the owner's libraries moves there and stays
  await lib.db.delete(inPlaceLibraries).where(eq(inPlaceLibraries.id, id));
  await settleFilePhotos(
    lib,
    own.map((photo) => photo.id),
  );
  let removed = 0;
  for (const photo of await ownPhotos()) if (await deletePhoto(lib, photo.id)) removed++;
  return removed;
}
