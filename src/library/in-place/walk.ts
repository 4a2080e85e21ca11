// Listing a library's folders: every file with a photo's or a video's extension, with its size, time and the XMP sidecar beside
// it; hidden entries and the library's exclusion patterns left out; symbolic links followed only where they stay
// inside the library's folders (never out of them, never round in a loop).
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileIdOf, isInside, mtimeMsOf } from '../../storage/in-place.js';
import { compileGlobs } from './glob.js';
import type { MatchTime } from './match-time.js';

/**
 * Extensions of the formats Shoebox reads (media/detect.ts decides by content; this only picks what to read). Not
 * `.ts` for an MPEG transport stream: in a folder it is far more often source code; cameras write `.mts`/`.m2ts`.
 */
const PHOTO_EXTENSIONS = new Set(
  (
    'jpg jpeg jpe jfif png apng webp avif heic heif hif jxl tif tiff gif bmp ' +
    'dng cr2 cr3 crw nef nrw arw srf sr2 orf rw2 raf pef srw raw rwl 3fr erf kdc mrw x3f iiq ' +
    'mp4 m4v mov qt 3gp 3gpp 3g2 mkv webm avi mts m2ts m2t'
  ).split(' '),
);

export function isPhotoFileName(name: string): boolean {
  return PHOTO_EXTENSIONS.has(path.extname(name).slice(1).toLowerCase());
}

export interface ListedFile {
  path: string;
  size: number;
  mtimeMs: number;
  /** `device:inode` (storage/in-place.ts): the file a later read must still be. */
  fileId: string;
  sidecar: { path: string; size: number; mtimeMs: number } | null;
}

export interface WalkProblem {
  path: string;
  reason: string;
}

/** Whether a path inside a library's folder (`a/b/c.jpg`) is left out by its exclusion patterns. */
export type ExclusionMatcher = (relative: string, isFolder: boolean) => boolean;

export interface WalkOptions {
  /** The library's patterns, one matcher for the whole scan: its time bound (glob.ts) spans every folder walked. */
  excluded: ExclusionMatcher;
  /** Every folder of the library (real paths): links may point anywhere inside them. */
  roots: readonly string[];
  /** The library folder the exclusion patterns are relative to (default: the folder walked). */
  base?: string;
  /** Folders (real paths) left out: another user's library has them (overlap.ts). */
  skip?: readonly string[];
  onFile(file: ListedFile): void;
  onProblem(problem: WalkProblem): void;
}

/**
 * A matcher for the library's exclusion patterns, against paths inside the folder (`a/b/c.jpg`). `time`: what its
 * calls may take (a scan's, a watcher's: ./match-time.ts), past which a call throws GlobTimeoutError.
 */
export function exclusionMatcher(patterns: readonly string[], time?: MatchTime): ExclusionMatcher {
  if (patterns.length === 0) return () => false;
  const match = compileGlobs(patterns, { time });
  // a folder is left out when a pattern names it (`**/@eaDir`) or takes everything in it (`**/@eaDir/**` matches the
  // folder itself too): the walk does not go in
  return (relative) => match(relative);
}

/** Lists one folder of a library (its real path). */
export async function walkFolder(root: string, options: WalkOptions): Promise<void> {
  const { excluded } = options;
  const visited = new Set<string>([root]);
  const pending: string[] = [root];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      options.onProblem({ path: dir, reason: `folder not readable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
      continue;
    }
    const names = new Set(entries.map((entry) => entry.name));
    let ranSince = performance.now();
    for (const entry of entries) {
      // a big folder of excluded entries is matched without I/O: other requests get their turn every few milliseconds
      if (performance.now() - ranSince > 20) {
        await new Promise((resolve) => setImmediate(resolve));
        ranSince = performance.now();
      }
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      const relative = path
        .relative(options.base ?? root, full)
        .split(path.sep)
        .join('/');
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await fs.realpath(full).catch(() => null);
        if (!target || !isInside(target, options.roots)) {
          if (isDir || isPhotoFileName(entry.name) || !target) {
            options.onProblem({ path: full, reason: target ? 'a link to a place outside the library’s folders: not followed' : 'a broken link' });
          }
          continue;
        }
        if (options.skip?.length && isInside(target, options.skip)) continue;
        const stat = await fs.stat(target).catch(() => null);
        isDir = stat?.isDirectory() ?? false;
        isFile = stat?.isFile() ?? false;
        if (isDir) {
          if (visited.has(target)) continue; // a loop, or a folder listed already
          visited.add(target);
        }
      }
      if (isDir) {
        if (excluded(relative, true)) continue;
        if (options.skip?.length && isInside(await fs.realpath(full).catch(() => full), options.skip)) continue;
        pending.push(full);
        continue;
      }
      if (!isFile || !isPhotoFileName(entry.name) || excluded(relative, false)) continue;
      try {
        const stat = await fs.stat(full, { bigint: true });
        const sidecar = await sidecarOf(dir, entry.name, names, options.roots);
        options.onFile({ path: full, size: Number(stat.size), mtimeMs: mtimeMsOf(stat), fileId: fileIdOf(stat), sidecar });
      } catch (error) {
        options.onProblem({ path: full, reason: `not readable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
      }
    }
  }
}

/** `name.ext.xmp` (darktable, digiKam, write-back) before `name.xmp` (Lightroom), from the folder's listing. */
export function sidecarName(name: string, names: ReadonlySet<string>): string | null {
  const stem = name.slice(0, name.length - path.extname(name).length);
  for (const candidate of [`${name}.xmp`, `${name}.XMP`, `${stem}.xmp`, `${stem}.XMP`]) if (names.has(candidate)) return candidate;
  return null;
}

/** The sidecar beside a file, under the same rules as photos: a link is followed only where it stays inside the library. */
async function sidecarOf(dir: string, name: string, names: ReadonlySet<string>, roots: readonly string[]): Promise<ListedFile['sidecar']> {
  const found = sidecarName(name, names);
  if (!found) return null;
  const full = path.join(dir, found);
  const link = await fs.lstat(full).catch(() => null);
  if (link?.isSymbolicLink()) {
    const target = await fs.realpath(full).catch(() => null);
    if (!target || !isInside(target, roots)) return null; // a link out of the library: not this photo's metadata
  }
  const stat = await fs.stat(full).catch(() => null);
  return stat?.isFile() ? { path: full, size: stat.size, mtimeMs: stat.mtimeMs } : null;
}
