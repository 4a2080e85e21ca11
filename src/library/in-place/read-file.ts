// A file of a library in place, read once for its scan: through one descriptor checked to be the file listed, its
// type detected and its SHA-256 computed off the main thread.
import { createHash } from 'node:crypto';
import type fs from 'node:fs/promises';
import { detectImageType } from '../../media/detect.js';
import { InPlaceFileGoneError, InPlaceFileRefusedError, openInPlace, type OpenedFile } from '../../storage/in-place.js';
import type { ListedFile } from './walk.js';

/** Files up to this size are hashed whole off the main thread (WebCrypto); larger ones are streamed. */
const WHOLE_HASH_BYTES = 64 * 1024 * 1024;

/**
 * The file's SHA-256, from its open descriptor. A photo is read whole and hashed by WebCrypto on libuv's threads:
 * the main thread (which also runs the embedded database) stays free, and reading and hashing of two files overlap.
 */
async function sha256Of(handle: fs.FileHandle, size: number): Promise<string> {
  if (size <= WHOLE_HASH_BYTES) {
    const digest = await crypto.subtle.digest('SHA-256', await handle.readFile());
    return Buffer.from(digest).toString('hex');
  }
  const hash = createHash('sha256');
  for await (const chunk of handle.createReadStream({ start: 0, autoClose: false })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export type ReadOutcome = { sha256: string; mime: string } | { error: string } | { changed: true };

/**
 * The file's SHA-256 and what it is, read once; an error when it is not a photo Shoebox reads (with why). It is
 * read through one descriptor checked to be the file listed (storage/in-place.ts: inside the library's folders, the
 * same device, inode, size and time), so that what the scan records is what it read; a file that changed since it
 * was listed is left for the next scan.
 */
export async function readFile(file: ListedFile, folders: readonly string[]): Promise<ReadOutcome> {
  let opened: OpenedFile;
  try {
    opened = await openInPlace(file.path, { roots: folders, fileId: file.fileId, size: file.size, mtimeMs: file.mtimeMs });
  } catch (error) {
    if (error instanceof InPlaceFileRefusedError && error.kind === 'conflict') return { changed: true };
    return { error: readError(error) };
  }
  try {
    const detected = await detectImageType(opened.handle);
    if (!detected.supported) return { error: `not a supported photo or video (detected ${detected.mime}: ${detected.description})` };
    return { sha256: await sha256Of(opened.handle, opened.size), mime: detected.mime };
  } catch (error) {
    return { error: readError(error) };
  } finally {
    await opened.handle.close().catch(() => undefined);
  }
}

function readError(error: unknown): string {
  if (error instanceof InPlaceFileRefusedError) return error.message.slice(error.key.length + 2);
  if (error instanceof InPlaceFileGoneError) return 'gone while the scan read it';
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' ? 'not readable by this server (permission denied)' : `not readable: ${code ?? (error as Error).message}`;
}
