// A scan of a library in place: list its folders (walk.ts), compare each file's size and time with what was seen
// before — only new and changed files are read — and follow what changed: new photos, edits, renames and moves,
// sidecars written by other tools, files gone (their photos offline) and folders that came back.
import fs from 'node:fs/promises';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { rows } from '../../db/connection.js';
import { inPlaceLibraries, inPlaceFiles, type ScanProgress } from '../../db/schema.js';
import { refreshSearchDocuments } from '../../search/documents.js';
import { forEachLimit } from '../../base/concurrency.js';
import type { Library, Resources } from '../library.js';
import { forSystem } from '../actors.js';
import { photoForFile, settleFilePhotos, sidecarChanged, type ReadFile } from './file-photos.js';
import { foldersTakenBefore } from '../write-back/overlap.js';
import { allowedFolders } from '../write-back/guard.js';
import { realRoots } from '../write-back/roots.js';
import { exclusionMatcher, walkFolder, type ExclusionMatcher, type ListedFile } from './walk.js';
import { isInside } from '../../storage/in-place.js';
import { MatchTime } from './match-time.js';
import { readFile } from './read-file.js';
import { noteChangedFolders, requestFullScan, takeScope, type ScanScope } from './scope.js';
import { queuePhotos } from '../photos/door.js';

interface KnownFile {
  path: string;
  size_bytes: number;
  mtime_ms: number;
  file_id: string | null;
  sha256: string | null;
  photo_id: string | null;
  sidecar_path: string | null;
  sidecar_size: number | null;
  sidecar_mtime_ms: number | null;
  error: string | null;
  missing: boolean;
}

interface Listed extends ListedFile {
  /** A problem met while listing (a folder not readable, a link out of the library): kept as the row's error. */
  problem?: string;
}

export function emptyProgress(now: Date = new Date()): ScanProgress {
  return {
    phase: 'listing',
    seen: 0,
    total: null,
    read: 0,
    toRead: null,
    new: 0,
    changed: 0,
    moved: 0,
    gone: 0,
    duplicates: 0,
    unchanged: 0,
    returned: 0,
    failed: 0,
    settling: 0,
    rate: 0,
    etaSeconds: null,
    startedAt: now.toISOString(),
    finishedAt: null,
    folders: null,
    missingRoots: [],
  };
}

function sameSidecar(file: Listed, known: KnownFile): boolean {
  const sidecar = file.sidecar;
  if (!sidecar) return known.sidecar_path === null;
  return known.sidecar_path === sidecar.path && known.sidecar_size === sidecar.size && known.sidecar_mtime_ms === sidecar.mtimeMs;
}

/** A changed folder that still exists, not hidden nor left out by the library's patterns. */
async function isListable(folder: string, root: string, excluded: ExclusionMatcher): Promise<boolean> {
  const relative = path.relative(root, folder).split(path.sep).join('/');
  if (relative !== '' && (relative.split('/').some((part) => part.startsWith('.')) || excluded(relative, true))) return false;
  return (await fs.stat(folder).catch(() => null))?.isDirectory() ?? false;
}

export interface ScanOptions {
  /** What to list (default: what the library's row says is due: scope.ts). */
  scope?: ScanScope;
  /** Saves the progress (default: into the library's row, once a second). */
  onProgress?: (progress: ScanProgress) => void;
  signal?: AbortSignal;
}

/**
 * Scans one library. Photos that are new or whose bytes changed are queued for the pipeline. Returns the counts;
 * the library's row keeps them (scan_state, scan, last_scan_at).
 */
export async function scanInPlaceLibrary(context: Resources, libraryId: string, options: ScanOptions = {}): Promise<ScanProgress | null> {
  const [library] = await context.db.select().from(inPlaceLibraries).where(eq(inPlaceLibraries.id, libraryId));
  if (!library) return null;
  const lib = forSystem(context, library.ownerId, 'library scan');
  const progress = emptyProgress();
  const started = Date.now();
  let savedAt = 0;
  const save = async (force = false) => {
    const elapsed = (Date.now() - started) / 1000;
    progress.rate = elapsed > 0 ? Math.round((progress.phase === 'reading' ? progress.read : progress.seen) / elapsed) : 0;
    if (progress.phase === 'reading' && progress.toRead !== null && progress.read > 0) {
      const perFile = (Date.now() - readingStarted) / 1000 / progress.read;
      progress.etaSeconds = Math.round(perFile * (progress.toRead - progress.read));
    }
    options.onProgress?.(progress);
    if (!force && Date.now() - savedAt < 1000) return;
    savedAt = Date.now();
    await context.db
      .update(inPlaceLibraries)
      .set({ scan: { ...progress }, updatedAt: new Date() })
      .where(eq(inPlaceLibraries.id, libraryId));
  };
  let readingStarted = Date.now();
  let scope: ScanScope | null = null;
  await context.db
    .update(inPlaceLibraries)
    .set({ scanState: 'scanning', scanError: null, scan: progress, updatedAt: new Date() })
    .where(eq(inPlaceLibraries.id, libraryId));
  try {
    const allowed = await realRoots(context);
    const taken = await foldersTakenBefore(context.db, libraryId); // another user's library has them (overlap.ts)
    scope = options.scope ?? (await takeScope(context.db, libraryId, library.paths));
    progress.folders = scope.full ? null : scope.folders;
    const inScope = scope.full
      ? sql`true`
      : sql.join(
          scope.folders.map((folder) => sql`starts_with(path, ${`${folder}/`})`),
          sql` or `,
        );
    const known = new Map<string, KnownFile>();
    for (const row of await rows<KnownFile & { missing_since: Date | null }>(
      context.db,
      sql`select path, size_bytes::float8 as size_bytes, mtime_ms, file_id, sha256, photo_id, sidecar_path, sidecar_size::float8 as sidecar_size,
                 sidecar_mtime_ms, error, missing_since from library_files where library_id = ${libraryId}::uuid and (${inScope})`,
    )) {
      known.set(row.path, { ...row, missing: row.missing_since !== null });
    }

    const settleFrom = Date.now();
    const settlingFolders = new Set<string>(); // looked at again by the next scan, once their files have settled
    // listing: what is in the folders now; the patterns' time is bounded for the whole scan, whatever its folders
    const listed = new Map<string, Listed>();
    const excluded = exclusionMatcher(library.exclude, new MatchTime(context.settings.libraryExcludeSeconds * 1000));
    for (const root of library.paths) {
      const real = await fs.realpath(root).catch(() => null);
      const isFolder = real !== null && (await fs.stat(real).catch(() => null))?.isDirectory();
      // a root an admin no longer allows (or inside an earlier library of another user) is read no more (its photos go
      // offline like those of an unmounted disk)
      if (!real || !isFolder || !isInside(real, allowed) || isInside(real, taken)) {
        progress.missingRoots.push(root);
        continue;
      }
      // a scoped scan lists only the changed folders under this root (a folder gone: its files are gone)
      const folders = scope.full ? [real] : scope.folders.filter((folder) => isInside(folder, [root]));
      for (const folder of folders) {
        if (!scope.full && !(await isListable(folder, root, excluded))) continue;
        if (isInside(folder, taken)) continue;
        await walkFolder(folder, {
          excluded,
          roots: library.paths,
          base: real,
          skip: taken,
          onFile: (file) => {
            listed.set(file.path, file);
            progress.seen++;
            if (progress.seen % 2000 === 0) void save();
          },
          onProblem: (problem) => listed.set(problem.path, { path: problem.path, size: 0, mtimeMs: 0, fileId: '', sidecar: null, problem: problem.reason }),
        });
      }
      if (options.signal?.aborted) throw new Error('scan stopped');
    }
    progress.total = progress.seen;

    // what changed: files to read, sidecars to read again, files back after being away
    const toRead: Listed[] = [];
    const touched = new Set<string>(); // photos whose files changed: settled at the end
    const lostFile = new Set<string>(); // photos a file of which went this scan: found elsewhere, they moved
    const sidecarEdits: { photoId: string; path: string; sidecar: string | null }[] = [];
    for (const file of listed.values()) {
      const row = known.get(file.path);
      if (file.problem) {
        await saveRow(lib, libraryId, file, { sha256: null, photoId: null, error: file.problem });
        if (row?.photo_id) touched.add(row.photo_id);
        progress.failed++;
        continue;
      }
      // back after being away with no photo (refused, or its photo gone meanwhile): read again, like a new file; and
      // another file with the same size and time (another inode: replaced, or now a link) is read again too
      const replaced = row?.file_id != null && row.file_id !== file.fileId;
      if (!row || replaced || row.size_bytes !== file.size || row.mtime_ms !== file.mtimeMs || (row.missing && (row.error !== null || row.photo_id === null))) {
        // a file still being written is read once it has settled (the next scan)
        if (settleFrom - file.mtimeMs < context.settings.librarySettleMs) {
          progress.settling++;
          settlingFolders.add(path.dirname(file.path));
        } else toRead.push(file);
        continue;
      }
      if (row.missing) {
        await context.db
          .update(inPlaceFiles)
          .set({ missingSince: null })
          .where(and(eq(inPlaceFiles.libraryId, libraryId), eq(inPlaceFiles.path, file.path)));
        if (row.photo_id) touched.add(row.photo_id);
        progress.returned++;
      } else if (row.error !== null) {
        progress.failed++;
        continue;
      } else {
        progress.unchanged++;
      }
      // a row from before file ids were recorded: the file listed is the one it names (same path, size and time)
      if (row.file_id === null) {
        await context.db
          .update(inPlaceFiles)
          .set({ fileId: file.fileId })
          .where(and(eq(inPlaceFiles.libraryId, libraryId), eq(inPlaceFiles.path, file.path)));
      }
      if (!sameSidecar(file, row)) {
        await saveRow(lib, libraryId, file, { sha256: row.sha256, photoId: row.photo_id, error: null });
        if (row.photo_id) sidecarEdits.push({ photoId: row.photo_id, path: file.path, sidecar: file.sidecar?.path ?? null });
      }
    }

    // gone: known files not listed, under folders that were listed (a missing folder's files are gone too)
    for (const row of known.values()) {
      if (listed.has(row.path) || row.missing) continue;
      await context.db
        .update(inPlaceFiles)
        .set({ missingSince: new Date() })
        .where(and(eq(inPlaceFiles.libraryId, libraryId), eq(inPlaceFiles.path, row.path)));
      if (row.photo_id) touched.add(row.photo_id);
      if (row.photo_id) lostFile.add(row.photo_id);
      if (row.error === null) progress.gone++;
    }

    // reading: the new and changed files, two at a time (hashing is I/O and one core's worth of CPU)
    progress.phase = 'reading';
    progress.toRead = toRead.length;
    readingStarted = Date.now();
    await save(true);
    const otherFiles = await filesPerPhoto(lib, libraryId);
    const newPhotos: string[] = [];
    const folders = allowedFolders(library.paths, allowed);
    await forEachLimit(toRead, 2, async (file) => {
      if (options.signal?.aborted) return;
      const row = known.get(file.path);
      // a file over the size limit is refused without being read
      const tooLarge = file.size > context.settings.maxUploadBytes;
      const read = tooLarge
        ? { error: `larger than the upload limit (${Math.round(context.settings.maxUploadBytes / 1048576)} MB)` }
        : await readFile(file, folders);
      progress.read++;
      if ('changed' in read) {
        // written to or replaced since it was listed: read once it has settled (the next scan)
        progress.settling++;
        settlingFolders.add(path.dirname(file.path));
      } else if ('error' in read) {
        const { error } = read;
        await saveRow(lib, libraryId, file, { sha256: null, photoId: null, error });
        if (row?.photo_id) touched.add(row.photo_id);
        progress.failed++;
      } else if (row && row.sha256 === read.sha256 && row.error === null && !row.missing) {
        // touched, not changed (a copy that kept the bytes, a backup tool resetting times)
        await saveRow(lib, libraryId, file, { sha256: read.sha256, photoId: row.photo_id, error: null });
        progress.unchanged++;
        if (row.photo_id && !sameSidecar(file, row)) sidecarEdits.push({ photoId: row.photo_id, path: file.path, sidecar: file.sidecar?.path ?? null });
      } else {
        const readFileRow: ReadFile = {
          libraryId,
          path: file.path,
          sha256: read.sha256,
          mime: read.mime,
          size: file.size,
          mtimeMs: file.mtimeMs,
          sidecarPath: file.sidecar?.path ?? null,
        };
        const previous = row?.photo_id ?? null;
        const others = previous ? (otherFiles.get(previous) ?? 0) - 1 > 0 : false;
        const photo = await photoForFile(lib, readFileRow, previous, others);
        await saveRow(lib, libraryId, file, { sha256: read.sha256, photoId: photo.photoId, error: null });
        if (previous && previous !== photo.photoId) touched.add(previous);
        touched.add(photo.photoId);
        if (photo.outcome === 'new') newPhotos.push(photo.photoId);
        if (newPhotos.length >= 200) await refreshSearchDocuments(lib.db, newPhotos.splice(0));
        if (photo.outcome === 'new' || photo.outcome === 'edited') await queuePhotos(lib, [photo.photoId]);
        if (photo.outcome === 'new') progress.new++;
        else if (photo.outcome === 'edited') progress.changed++;
        else if (row && row.photo_id === photo.photoId) progress.returned++;
        else if (lostFile.delete(photo.photoId)) {
          // renamed or moved: counted once, as a move, not as a file gone and another found
          progress.gone--;
          progress.moved++;
        } else if (await isOffline(lib, photo.photoId))
          progress.moved++; // its old path went in an earlier scan
        else progress.duplicates++;
      }
      await save();
    });
    await refreshSearchDocuments(lib.db, newPhotos.splice(0));
    if (options.signal?.aborted) throw new Error('scan stopped');

    for (const edit of sidecarEdits) {
      await sidecarChanged(lib, edit.photoId, edit.path, edit.sidecar);
      await queuePhotos(lib, [edit.photoId]);
      progress.changed++;
    }
    await settleFilePhotos(lib, [...touched]);
    await noteChangedFolders(context.db, libraryId, [...settlingFolders]);
    progress.phase = 'done';
    progress.finishedAt = new Date().toISOString();
    progress.etaSeconds = 0;
    await save(true);
    await context.db
      .update(inPlaceLibraries)
      .set({ scanState: 'idle', scan: progress, lastScanAt: new Date(), updatedAt: new Date() })
      .where(eq(inPlaceLibraries.id, libraryId));
    return progress;
  } catch (error) {
    // what this scan was to cover is covered by the next one, whole
    if (scope && !scope.full) await requestFullScan(context.db, libraryId).catch(() => undefined);
    const message = error instanceof Error ? error.message : String(error);
    await context.db
      .update(inPlaceLibraries)
      .set({ scanState: 'failed', scanError: message, scan: { ...progress, finishedAt: new Date().toISOString() }, updatedAt: new Date() })
      .where(eq(inPlaceLibraries.id, libraryId));
    throw error;
  }
}

async function isOffline(lib: Library, photoId: string): Promise<boolean> {
  const [photo] = await rows<{ offline: boolean }>(lib.db, sql`select offline_at is not null as offline from photos where id = ${photoId}::uuid`);
  return photo?.offline ?? false;
}

/** How many present files each photo of the library has (an edit of one copy of several makes a new photo). */
async function filesPerPhoto(lib: Library, libraryId: string): Promise<Map<string, number>> {
  const counts = await rows<{ photo_id: string; files: number }>(
    lib.db,
    sql`select photo_id, count(*)::int as files from library_files
        where library_id = ${libraryId}::uuid and photo_id is not null and missing_since is null and error is null group by photo_id`,
  );
  return new Map(counts.map((row) => [row.photo_id, row.files]));
}

async function saveRow(
  lib: Library,
  libraryId: string,
  file: Listed,
  what: { sha256: string | null; photoId: string | null; error: string | null },
): Promise<void> {
  const values = {
    sizeBytes: file.size,
    mtimeMs: file.mtimeMs,
    fileId: file.problem ? null : file.fileId,
    sha256: what.sha256,
    photoId: what.photoId,
    sidecarPath: file.sidecar?.path ?? null,
    sidecarSize: file.sidecar?.size ?? null,
    sidecarMtimeMs: file.sidecar?.mtimeMs ?? null,
    error: what.error,
    missingSince: null,
  };
  await lib.db
    .insert(inPlaceFiles)
    .values({ libraryId, path: file.path, ...values })
    .onConflictDoUpdate({ target: [inPlaceFiles.libraryId, inPlaceFiles.path], set: values });
}
