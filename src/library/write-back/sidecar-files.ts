// The files write-back touches beside a photo in place, handled so that a user who can write into the folder cannot
// make Shoebox read or write elsewhere: the folder is opened once and judged by where the open folder really is
// (inside the library's folders); every name is then resolved through that open folder (`/proc/self/fd/N/name`,
// as openat does), so a folder swapped for a link afterwards changes nothing. A sidecar is read without following
// a link (O_NOFOLLOW: a link is refused, not read, not copied), and a new sidecar is written to a fresh file of
// Shoebox's own (O_EXCL) that is then renamed over the name: a rename replaces a link, never writes through it.
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../../storage/in-place.js';

export class SidecarRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SidecarRefusedError';
  }
}

export interface OpenFolder {
  /** Where names in the folder are resolved: the open folder itself where /proc allows, else its real path. */
  base: string;
  /** The folder's real path. */
  real: string;
  close(): Promise<void>;
}

let procSelf: Promise<boolean> | null = null;
const hasProcSelf = () =>
  (procSelf ??= fs.stat('/proc/self/fd').then(
    (stats) => stats.isDirectory(),
    () => false,
  ));

/** The folder of a file in place, opened and checked to be inside the library's folders. */
export async function openFolder(file: string, folders: readonly string[]): Promise<OpenFolder> {
  const handle = await fs.open(path.dirname(file), constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    const proc = await hasProcSelf();
    const real = proc ? await fs.readlink(`/proc/self/fd/${handle.fd}`) : await fs.realpath(path.dirname(file));
    if (!isInside(real, folders)) throw new SidecarRefusedError(`${path.dirname(file)} leads outside the library’s folders: no sidecar is written there`);
    return { base: proc ? `/proc/self/fd/${handle.fd}` : real, real, close: () => handle.close() };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

/** What a name in the folder is, without following a link. */
export async function kindOf(folder: OpenFolder, name: string): Promise<'file' | 'link' | 'other' | null> {
  const stats = await fs.lstat(path.join(folder.base, name)).catch(() => null);
  if (!stats) return null;
  return stats.isSymbolicLink() ? 'link' : stats.isFile() ? 'file' : 'other';
}

/** A sidecar's bytes and mode, read without following a link; a link or anything but a regular file is refused. */
export async function readSidecar(folder: OpenFolder, name: string, maxBytes: number): Promise<{ data: Buffer; mode: number }> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path.join(folder.base, name), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw new SidecarRefusedError(`${name} is a symbolic link: Shoebox neither reads nor writes through it`);
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new SidecarRefusedError(`${name} is not a regular file`);
    if (stats.size > maxBytes) throw new SidecarRefusedError(`${name} is larger than ${Math.round(maxBytes / (1024 * 1024))} MB`);
    return { data: await handle.readFile(), mode: stats.mode & 0o777 };
  } finally {
    await handle.close();
  }
}

/**
 * Puts the bytes at the name in the folder: written to a new hidden file (the scan skips hidden names), then renamed
 * over the name. Returns the new file's size and time, as the scan will see them.
 */
export async function placeSidecar(
  folder: OpenFolder,
  name: string,
  data: Buffer,
  /** The mode of the sidecar it replaces; null: a new one (the process's umask applies). */
  mode: number | null,
): Promise<{ size: number; mtimeMs: number }> {
  const temp = path.join(folder.base, `.${name}.shoebox-${randomUUID()}`);
  const handle = await fs.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
  try {
    if (mode !== null) await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temp, path.join(folder.base, name));
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  const stats = await fs.lstat(path.join(folder.base, name));
  return { size: stats.size, mtimeMs: stats.mtimeMs };
}
