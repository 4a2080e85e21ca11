import { mkdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { BlobNotFoundError, type BlobStat, type BlobStore, type ByteRange, type LocalFile } from './blob-store.js';
import type { Scratch } from './scratch.js';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * The blob store of the embedded default: keys are paths under the data folder (storage/keys.ts). Writes go
 * through the scratch folder, on the same file system, so that each lands with one rename.
 */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local';

  constructor(
    readonly root: string,
    private readonly scratch: Scratch,
  ) {
    for (const dir of ['originals', 'sidecars', 'derived']) mkdirSync(path.join(root, dir), { recursive: true });
  }

  private absolute(key: string): string {
    const resolved = path.resolve(this.root, key);
    if (!resolved.startsWith(this.root + path.sep)) throw new Error(`storage key escapes the data folder: ${key}`);
    return resolved;
  }

  async put(key: string, data: Buffer): Promise<void> {
    await this.throughTemp(key, (temp) => fs.writeFile(temp, data));
  }

  async putFile(key: string, file: string, options: { move?: boolean } = {}): Promise<void> {
    if (options.move) {
      try {
        return await this.moveInto(file, this.absolute(key));
      } catch (error) {
        // a store on another disk (a storage location) than the file: copied, then the file goes
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
        await this.throughTemp(key, (temp) => fs.copyFile(file, temp));
        await fs.rm(file, { force: true });
        return;
      }
    }
    await this.throughTemp(key, (temp) => fs.copyFile(file, temp));
  }

  /** Writes a scratch file, then renames it to the key: readers never see half a file; a failure leaves no temp file. */
  private async throughTemp(key: string, write: (temp: string) => Promise<void>): Promise<void> {
    const temp = this.scratch.tempPath();
    try {
      await write(temp);
      await this.moveInto(temp, this.absolute(key));
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  /** Makes the folder and renames into it; a folder taken away meanwhile (removePrefix) is made again, twice at most. */
  private async moveInto(temp: string, target: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.rename(temp, target);
        return;
      } catch (error) {
        if (!isMissing(error) || attempt >= 2) throw error;
      }
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    try {
      const handle = await fs.open(this.absolute(key));
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    } catch (error) {
      if (isMissing(error)) throw new BlobNotFoundError(key);
      throw error;
    }
  }

  async stat(key: string): Promise<BlobStat | null> {
    try {
      const stat = await fs.stat(this.absolute(key));
      return stat.isFile() ? { size: stat.size, modifiedAt: stat.mtime } : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await fs.rm(this.absolute(key), { force: true });
  }

  /**
   * Moves the folder aside in one rename before deleting it: a step still writing into it (the photo was deleted
   * while it ran) cannot make the delete fail with ENOTEMPTY; what it writes after lands in a new folder, which
   * the runner removes when it finds the photo gone.
   */
  async removePrefix(prefix: string): Promise<void> {
    const aside = this.scratch.tempPath();
    try {
      await fs.rename(this.absolute(prefix), aside);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    await fs.rm(aside, { recursive: true, force: true });
  }

  async localFile(key: string): Promise<LocalFile> {
    const file = this.absolute(key);
    if (!(await this.stat(key))) throw new BlobNotFoundError(key);
    return { path: file, release: async () => undefined };
  }

  async close(): Promise<void> {}
}
