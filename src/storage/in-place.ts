// Files of libraries in place (library/in-place/): a photo there has its file's absolute path as its original's key,
// read where it is. Keys of stored files are relative (storage/keys.ts), so an absolute key can only be such a file:
// every store of StorageLocations answers those from the folder itself, and refuses to write or remove them —
// Shoebox never changes a library's files (write-back writes sidecars beside them, through its own module).
//
// A library's folder is written by its user, who may replace a file by a symbolic link after the scan (to
// /etc/shadow, another user's photos, the data folder's admin key). So every read opens the file first and then
// judges the open descriptor, never the path again: it must be a regular file, its real path inside the library's
// folders (and the allowed roots), and — for a photo — the very file the scan read (device, inode, size and time as
// recorded in library_files). The bytes are then streamed from that descriptor, so a swap after the check reads
// nothing. A file not recorded as present (a photo offline, a refused file) is not read at all.
import { constants, type BigIntStats, type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { BlobNotFoundError, type BlobStat, type BlobStore, type ByteRange, type LocalFile } from './blob-store.js';
import { PROCESS_MARK } from '../base/process-folders.js';

/** Whether a key names a file of a library in place (its absolute path) rather than a stored file. */
export function isInPlaceKey(key: string): boolean {
  return key.startsWith('/');
}

// Their messages name the file, for the library's owner; anyone else (a share link's visitor) is told the reason
// alone (`publicMessage`, base/errors.ts): never a path on the server.
export class InPlaceFileGoneError extends BlobNotFoundError {
  readonly kind = 'not-found';
  readonly publicMessage: string;
  constructor(key: string, why = 'it was moved, deleted, or its disk is away') {
    super(key);
    this.message = `the file is not in its folder any more: ${key} (a library in place: ${why})`;
    this.publicMessage = "the photo's file is not in its folder any more";
    this.name = 'InPlaceFileGoneError';
  }
}

/** The file at the key is not one Shoebox may read now: a link out of the library, or not the file the scan read. */
export class InPlaceFileRefusedError extends Error {
  readonly publicMessage: string;
  constructor(
    readonly key: string,
    reason: string,
    readonly kind: 'not-found' | 'conflict' = 'not-found',
  ) {
    super(`${key}: ${reason}`);
    this.publicMessage = kind === 'conflict' ? "the photo's file changed since it was last read: try again later" : "the photo's file cannot be read";
    this.name = 'InPlaceFileRefusedError';
  }
}

/** What a file in place must be to be read: what the library's row says of it. */
export interface InPlaceRecord {
  /** Real paths of the folders it may lie in: its library's folders that are inside the allowed roots. */
  roots: readonly string[];
  /** `device:inode` of the file the scan read; null: not recorded (a sidecar, a row from before it was). */
  fileId: string | null;
  /** Size and time the scan saw; null: not checked (a sidecar, read again whenever another tool rewrites it). */
  size: number | null;
  mtimeMs: number | null;
}

/** The record of a present file of a library by its path; null when no library has it now (offline, refused, unknown). */
export type InPlaceLookup = (key: string) => Promise<InPlaceRecord | null>;

export interface InPlaceGuard {
  lookup: InPlaceLookup;
  /** A folder of Shoebox's own (the data folder's scratch) where files lent to tools are named (see lend()). */
  lendDir: string;
}

/** `device:inode` of a file, as recorded by the scan. */
export function fileIdOf(stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}`;
}

/** Milliseconds since the epoch as Node's number stats give them (library_files keeps those), from a bigint stat. */
export function mtimeMsOf(stats: BigIntStats): number {
  return Number(stats.mtimeNs / 1_000_000_000n) * 1000 + Number(stats.mtimeNs % 1_000_000_000n) / 1e6;
}

export function isInside(file: string, roots: readonly string[]): boolean {
  return roots.some((root) => file === root || file.startsWith(root.endsWith('/') ? root : `${root}/`));
}

function checkedPath(key: string): string {
  // only a normalised absolute path: a key with `..` or a NUL would not be one the scanner wrote
  if (key.includes('\0') || path.posix.normalize(key) !== key) throw new Error(`not a file path of a library in place: ${JSON.stringify(key)}`);
  return key;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP';
}

export interface OpenedFile {
  handle: fs.FileHandle;
  stats: BigIntStats;
  size: number;
  mtimeMs: number;
}

/**
 * Opens a file in place and checks the open descriptor against what it must be (see the top of this file). The
 * caller owns the handle. Non-blocking open: a FIFO put in a photo's place does not hold a thread for ever.
 */
export async function openInPlace(key: string, record: InPlaceRecord): Promise<OpenedFile> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(checkedPath(key), constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (isMissing(error)) throw new InPlaceFileGoneError(key);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new InPlaceFileRefusedError(key, 'not readable by this server (permission denied)');
    throw error;
  }
  try {
    const stats = await handle.stat({ bigint: true });
    if (!stats.isFile()) throw new InPlaceFileRefusedError(key, 'not a regular file: not read');
    // where the opened file is: the real path of the key now, which must be this very file (dev and inode)
    const real = await fs.realpath(key).catch(() => null);
    const there = real ? await fs.stat(real, { bigint: true }).catch(() => null) : null;
    if (!real || !there || there.dev !== stats.dev || there.ino !== stats.ino) {
      throw new InPlaceFileRefusedError(key, 'the file was replaced while it was opened: not read', 'conflict');
    }
    if (!isInside(real, record.roots)) {
      throw new InPlaceFileRefusedError(key, 'a link to a place outside the library’s folders: not read (the next scan lists it as refused)');
    }
    const size = Number(stats.size);
    const mtimeMs = mtimeMsOf(stats);
    if ((record.fileId !== null && record.fileId !== fileIdOf(stats)) || (record.size !== null && record.size !== size)) {
      throw new InPlaceFileRefusedError(key, changed, 'conflict');
    }
    if (record.mtimeMs !== null && Math.abs(record.mtimeMs - mtimeMs) > 0.001) throw new InPlaceFileRefusedError(key, changed, 'conflict');
    return { handle, stats, size, mtimeMs };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

const changed =
  'the file changed since the library’s last scan (edited or replaced): it is read again once the scan has seen it (within seconds in a watched library; else scan the library)';

async function guardedOpen(guard: InPlaceGuard | null, key: string): Promise<OpenedFile> {
  if (!guard) throw new InPlaceFileRefusedError(key, 'files of libraries in place are read only by a server with its library open');
  const record = await guard.lookup(checkedPath(key));
  if (!record) throw new InPlaceFileGoneError(key, 'the photo is offline, or the file is not one of its library’s photos');
  return openInPlace(key, record);
}

/** Whether this system names a process's open files in /proc (Linux). */
let procFds: Promise<boolean> | null = null;
const hasProcFds = () =>
  (procFds ??= fs.stat(`/proc/${process.pid}/fd`).then(
    (stats: Stats) => stats.isDirectory(),
    () => false,
  ));

/**
 * A path for a tool (ExifTool, ffmpeg, a decoder) to the file of a checked descriptor, kept open until release.
 * The path is a link in Shoebox's own folder to `/proc/<pid>/fd/<n>`: opening it opens the checked file itself (the
 * kernel resolves the descriptor, not the library's path), so a swap in the library's folder after the check
 * changes nothing, and tools that pick a format by the extension still see the file's own name. Where there is no
 * /proc, the checked descriptor's bytes are copied into the folder instead.
 */
async function lend(guard: InPlaceGuard, key: string, opened: OpenedFile): Promise<LocalFile> {
  await fs.mkdir(guard.lendDir, { recursive: true });
  const dir = await fs.mkdtemp(path.join(guard.lendDir, `${PROCESS_MARK}-lent-`)); // a crash's left: swept at the next start (scratch.ts)
  const local = path.join(dir, path.basename(key));
  try {
    if (await hasProcFds()) await fs.symlink(`/proc/${process.pid}/fd/${opened.handle.fd}`, local);
    else await fs.writeFile(local, opened.handle.readableWebStream() as never, { flag: 'wx' });
  } catch (error) {
    await opened.handle.close().catch(() => undefined);
    await fs.rm(dir, { recursive: true, force: true });
    throw error;
  }
  let released = false;
  return {
    path: local,
    async release() {
      if (released) return;
      released = true;
      await fs.rm(dir, { recursive: true, force: true });
      await opened.handle.close().catch(() => undefined);
    },
  };
}

function refuse(key: string): never {
  throw new Error(`${key} is a file of a library in place: Shoebox never writes, moves or removes those`);
}

/**
 * The store with the files of libraries in place answered from their folders (absolute keys), read-only, each read
 * checked by the guard (null: none is read, as in a process that has no library open).
 */
export function withInPlaceFiles(store: BlobStore, guard: () => InPlaceGuard | null): BlobStore {
  return {
    get kind() {
      return store.kind;
    },
    put: (key, data) => (isInPlaceKey(key) ? refuse(key) : store.put(key, data)),
    putFile: (key, file, options) => (isInPlaceKey(key) ? refuse(key) : store.putFile(key, file, options)),
    async get(key: string, range?: ByteRange): Promise<Readable> {
      if (!isInPlaceKey(key)) return store.get(key, range);
      const { handle } = await guardedOpen(guard(), key);
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    },
    async stat(key: string): Promise<BlobStat | null> {
      if (!isInPlaceKey(key)) return store.stat(key);
      try {
        const opened = await guardedOpen(guard(), key);
        await opened.handle.close();
        return { size: opened.size, modifiedAt: new Date(opened.mtimeMs) };
      } catch (error) {
        if (error instanceof InPlaceFileGoneError) return null;
        throw error;
      }
    },
    remove: (key) => (isInPlaceKey(key) ? refuse(key) : store.remove(key)),
    removePrefix: (prefix) => (isInPlaceKey(prefix) ? refuse(prefix) : store.removePrefix(prefix)),
    async localFile(key: string): Promise<LocalFile> {
      if (!isInPlaceKey(key)) return store.localFile(key);
      const current = guard();
      return lend(current!, key, await guardedOpen(current, key));
    },
    ...(store.presignedUrl
      ? {
          presignedUrl: (key, options) =>
            isInPlaceKey(key) ? Promise.reject(new Error('a file in place has no presigned link')) : store.presignedUrl!(key, options),
        }
      : {}),
    close: () => store.close(),
  } satisfies BlobStore;
}
