// The export into a folder (`shoebox export DIR`), resumable by its manifest, and written only inside that folder: a
// link already there (to a folder or a file elsewhere, planted or left by another tool) is reported and never
// followed. Files are made in a work folder of the export's own (a fresh name inside DIR, nothing else in it), then
// renamed into place, which replaces a name and never writes through it; each folder on the way is checked not to be
// a link (lstat) before it is used or made; the manifest is opened without following a link (O_NOFOLLOW) and refused
// when it is a hard link to a file elsewhere (appended to, it would change that file too).
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PROCESS_MARK, sweepGoneProcesses } from '../../base/process-folders.js';
import { checkedSha256, exportTo, MANIFEST, type ExportSource, type ExportOptions, type ExportOutcome, type ExportSink, type ManifestEntry } from './run.js';

/** The work folder's name, before its process's mark (base/process-folders.ts). */
const WORK_PREFIX = '.shoebox-export-';

/** A link, or something that is not a file or folder, where the export would write: reported, never followed. */
export class InTheWayError extends Error {}

function inTheWay(relative: string, stat: import('node:fs').Stats): InTheWayError {
  return new InTheWayError(
    stat.isSymbolicLink()
      ? `${relative} in the export folder is a link: not followed (remove it, or export into another folder)`
      : `${relative} in the export folder is not a ${stat.isDirectory() ? 'file' : 'folder'}: nothing written there`,
  );
}

const lstatOrNull = (file: string) => fs.lstat(file).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error)));

/** The export's folder: its real path, the folders checked in it so far, and its work folder. */
class ExportFolder {
  private readonly checked = new Set<string>(['']);
  private made = 0;

  private constructor(
    readonly root: string,
    readonly work: string,
  ) {}

  static async open(out: string): Promise<ExportFolder> {
    await fs.mkdir(out, { recursive: true }); // the folder named: a link the user gives as DIR is theirs to give
    const root = await fs.realpath(out);
    await sweepGoneProcesses(root, WORK_PREFIX); // an export stopped by a crash left its work folder
    return new ExportFolder(root, await fs.mkdtemp(path.join(root, `${WORK_PREFIX}${PROCESS_MARK}-`)));
  }

  /** A fresh path in the work folder for a file to be made. */
  workFile(): string {
    return path.join(this.work, String(this.made++));
  }

  /** The folder `relative` (posix, inside the export) made where missing, each part checked not to be a link. */
  async folder(relative: string): Promise<string> {
    if (!this.checked.has(relative)) {
      let sofar = '';
      for (const part of relative.split('/')) {
        sofar = sofar ? `${sofar}/${part}` : part;
        if (this.checked.has(sofar)) continue;
        const full = path.join(this.root, sofar);
        let stat = await lstatOrNull(full);
        if (!stat) {
          await fs.mkdir(full).catch((error: NodeJS.ErrnoException) => (error.code === 'EEXIST' ? undefined : Promise.reject(error)));
          stat = await fs.lstat(full);
        }
        if (!stat.isDirectory()) throw inTheWay(sofar, stat);
        this.checked.add(sofar);
      }
    }
    return path.join(this.root, relative);
  }

  /** What is at `relative` now: null when nothing, its size and time when a file; a link or another kind of entry is refused. */
  async existing(relative: string): Promise<{ size: number; mtimeMs: number } | null> {
    const stat = await lstatOrNull(path.join(await this.folder(path.posix.dirname(relative).replace(/^\.$/, '')), path.posix.basename(relative)));
    if (stat && !stat.isFile()) throw inTheWay(relative, stat);
    return stat && { size: stat.size, mtimeMs: stat.mtimeMs };
  }

  /** Gives the file at `relative` a time, through a handle opened without following a link. */
  async retime(relative: string, time: Date): Promise<void> {
    const handle = await fs.open(path.join(this.root, ...relative.split('/')), constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      await handle.utimes(time, time);
    } finally {
      await handle.close();
    }
  }

  /** Moves a made file to `relative`, replacing a file there (never a link or a folder: refused). */
  async place(made: string, relative: string): Promise<void> {
    await this.existing(relative);
    await fs.rename(made, path.join(this.root, ...relative.split('/')));
  }

  async close(): Promise<void> {
    await fs.rm(this.work, { recursive: true, force: true });
  }
}

/** The manifest, opened for reading and appending without following a link, and refused when shared with a file elsewhere. */
async function openManifest(root: string): Promise<fs.FileHandle> {
  const file = path.join(root, MANIFEST);
  let handle: fs.FileHandle;
  try {
    // O_NONBLOCK: a FIFO planted in its place is not waited on (it is refused below)
    handle = await fs.open(file, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o644);
  } catch (error) {
    const stat = await fs.lstat(file).catch(() => null);
    if (stat && !stat.isFile()) throw inTheWay(MANIFEST, stat);
    throw error;
  }
  const stat = await handle.stat();
  if (!stat.isFile() || stat.nlink > 1) {
    await handle.close();
    if (!stat.isFile()) throw inTheWay(MANIFEST, stat);
    throw new InTheWayError(`${MANIFEST} in the export folder is a hard link to another file: not written to (remove it, or export into another folder)`);
  }
  return handle;
}

function parseManifest(text: string): Map<string, ManifestEntry> {
  const entries = new Map<string, ManifestEntry>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const entry = JSON.parse(line) as ManifestEntry;
      entries.set(entry.path, entry);
    } catch {
      // a line cut off by a stop mid-write: that file is written again
    }
  }
  return entries;
}

/**
 * The export into a folder. A file is not written again when the manifest lists it for this photo with its size
 * (and, for an original, the photo's SHA-256); a sidecar is made again and kept when its bytes are the same. The
 * manifest line goes after the bytes.
 */
export async function exportLibrary(source: ExportSource, out: string, options: ExportOptions): Promise<ExportOutcome> {
  const folder = await ExportFolder.open(out);
  try {
    const manifest = await openManifest(folder.root);
    try {
      const done = parseManifest(await manifest.readFile('utf8'));
      const sink: ExportSink = {
        async file(relative, photoId, kind, make, expected, modified) {
          const known = done.get(relative);
          const there = await folder.existing(relative);
          const same =
            known !== undefined &&
            there !== null &&
            there.size === known.bytes &&
            known.photoId === photoId &&
            (expected === undefined || known.sha256 === expected);
          if (same && kind !== 'sidecar') {
            // an export from before file times were kept gets its time now (set on the file made here: no link followed)
            if (modified && there.mtimeMs !== modified.getTime()) await folder.retime(relative, modified);
            return 'kept';
          }
          const made = folder.workFile();
          await make(made);
          if (modified) await fs.utimes(made, modified, modified);
          const sha256 = await checkedSha256(made, relative, expected);
          if (same && sha256 === known.sha256) {
            await fs.rm(made, { force: true });
            return 'kept';
          }
          const { size } = await fs.stat(made);
          await folder.place(made, relative);
          const entry: ManifestEntry = { path: relative, sha256, bytes: size, photoId, kind };
          await manifest.appendFile(`${JSON.stringify(entry)}\n`);
          done.set(entry.path, entry);
          return 'written';
        },
        async text(relative, text) {
          const made = folder.workFile();
          await fs.writeFile(made, text);
          await folder.place(made, relative);
        },
      };
      return await exportTo(source, sink, options);
    } finally {
      await manifest.close();
    }
  } finally {
    await folder.close();
  }
}
