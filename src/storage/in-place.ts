// Files of libraries in place (library/in-place/): a photo there has its file's absolute path as its original's key,
// read where it is. Keys of stored files are relative (storage/keys.ts), so an absolute key can only be such a file:
// every store of StorageLocations answers those from the folder itself, and refuses to write or remove them —
// Shoebox never changes a library's files (write-back writes sidecars beside them, through its own module).
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { BlobNotFoundError, type BlobStat, type BlobStore, type ByteRange, type LocalFile } from './blob-store.js';

/** Whether a key names a file of a library in place (its absolute path) rather than a stored file. */
export function isInPlaceKey(key: string): boolean {
  return key.startsWith('/');
}

export class InPlaceFileGoneError extends BlobNotFoundError {
  constructor(key: string) {
    super(key);
    this.message = `the file is not in its folder any more: ${key} (a library in place: it was moved, deleted, or its disk is away)`;
    this.name = 'InPlaceFileGoneError';
  }
}

function checkedPath(key: string): string {
  // only a normalised absolute path: a key with `..` or a NUL would not be one the scanner wrote
  if (key.includes('\0') || path.posix.normalize(key) !== key) throw new Error(`not a file path of a library in place: ${JSON.stringify(key)}`);
  return key;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function statFile(key: string): Promise<BlobStat | null> {
  try {
    const stat = await fs.stat(checkedPath(key));
    return stat.isFile() ? { size: stat.size, modifiedAt: stat.mtime } : null;
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

function refuse(key: string): never {
  throw new Error(`${key} is a file of a library in place: Shoebox never writes, moves or removes those`);
}

/** The store with the files of libraries in place answered from their folders (absolute keys), read-only. */
export function withInPlaceFiles(store: BlobStore): BlobStore {
  return {
    get kind() {
      return store.kind;
    },
    put: (key, data) => (isInPlaceKey(key) ? refuse(key) : store.put(key, data)),
    putFile: (key, file, options) => (isInPlaceKey(key) ? refuse(key) : store.putFile(key, file, options)),
    async get(key: string, range?: ByteRange): Promise<Readable> {
      if (!isInPlaceKey(key)) return store.get(key, range);
      try {
        const handle = await fs.open(checkedPath(key));
        return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
      } catch (error) {
        if (isMissing(error)) throw new InPlaceFileGoneError(key);
        throw error;
      }
    },
    stat: (key) => (isInPlaceKey(key) ? statFile(key) : store.stat(key)),
    remove: (key) => (isInPlaceKey(key) ? refuse(key) : store.remove(key)),
    removePrefix: (prefix) => (isInPlaceKey(prefix) ? refuse(prefix) : store.removePrefix(prefix)),
    async localFile(key: string): Promise<LocalFile> {
      if (!isInPlaceKey(key)) return store.localFile(key);
      if (!(await statFile(key))) throw new InPlaceFileGoneError(key);
      return { path: key, release: async () => undefined };
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
