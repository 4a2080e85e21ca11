import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

export type DerivedName = 'thumbnail.webp' | 'preview.jpg';

/**
 * Where files live in the data folder:
 *   originals/ab/cd/<sha256>.<ext>   content-addressed, written once, never modified
 *   sidecars/<photo id>.xmp          an XMP sidecar that came with a photo
 *   derived/<id[0..2]>/<id>/...      thumbnail, preview and faces/<face id>.webp, rebuilt at will
 *   tmp/                             uploads in flight (same filesystem, so moves are atomic renames)
 */
export class LocalStorage {
  readonly tmpDir: string;

  constructor(readonly root: string) {
    this.tmpDir = path.join(root, 'tmp');
    for (const dir of ['originals', 'sidecars', 'derived', 'tmp']) mkdirSync(path.join(root, dir), { recursive: true });
  }

  absolute(key: string): string {
    const resolved = path.resolve(this.root, key);
    if (!resolved.startsWith(this.root + path.sep)) throw new Error(`storage key escapes the data folder: ${key}`);
    return resolved;
  }

  originalKey(sha256: string, ext: string): string {
    return path.posix.join('originals', sha256.slice(0, 2), sha256.slice(2, 4), `${sha256}.${ext}`);
  }

  sidecarKey(photoId: string): string {
    return path.posix.join('sidecars', `${photoId}.xmp`);
  }

  derivedKey(photoId: string, name: DerivedName): string {
    return path.posix.join('derived', photoId.slice(0, 2), photoId, name);
  }

  faceThumbnailKey(photoId: string, faceId: string): string {
    return path.posix.join('derived', photoId.slice(0, 2), photoId, 'faces', `${faceId}.webp`);
  }

  /** Writes any file under a key through a temp file; a failed write leaves no temp file behind. */
  async writeKey(key: string, data: Buffer): Promise<void> {
    const target = this.absolute(key);
    const temp = this.tempPath();
    try {
      await fs.writeFile(temp, data);
      await this.moveInto(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  /** Makes the folder and renames into it; a folder taken away meanwhile (removeDerived) is made again, twice at most. */
  private async moveInto(temp: string, target: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.rename(temp, target);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 2) throw error;
      }
    }
  }

  tempPath(): string {
    return path.join(this.tmpDir, `${Date.now()}-${randomUUID()}`);
  }

  /** Moves a finished temp file to its key; the same bytes already there are kept (content addressing). */
  async adoptTemp(tempFile: string, key: string): Promise<void> {
    const target = this.absolute(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rename(tempFile, target);
  }

  async copyIn(source: string, key: string): Promise<void> {
    const target = this.absolute(key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temp = this.tempPath();
    await fs.copyFile(source, temp);
    await fs.rename(temp, target);
  }

  /** Writes through a temp file so a reader never sees half a thumbnail. */
  async writeDerived(photoId: string, name: DerivedName, data: Buffer): Promise<string> {
    const key = this.derivedKey(photoId, name);
    await this.writeKey(key, data);
    return key;
  }

  async exists(key: string): Promise<boolean> {
    return fs.access(this.absolute(key)).then(
      () => true,
      () => false,
    );
  }

  async stat(key: string) {
    return fs.stat(this.absolute(key));
  }

  async remove(key: string): Promise<void> {
    await fs.rm(this.absolute(key), { force: true });
  }

  /**
   * Moves the photo's folder aside in one rename before deleting it: a step still writing into it (the photo was
   * deleted while it ran) cannot make the delete fail with ENOTEMPTY; what it writes after lands in a new folder,
   * which the runner removes when it finds the photo gone.
   */
  async removeDerived(photoId: string): Promise<void> {
    const aside = this.tempPath();
    try {
      await fs.rename(path.join(this.root, 'derived', photoId.slice(0, 2), photoId), aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    await fs.rm(aside, { recursive: true, force: true });
  }

  /** Temp files left by a crash mid-upload. */
  async sweepTemp(): Promise<void> {
    await fs.rm(this.tmpDir, { recursive: true, force: true });
    await fs.mkdir(this.tmpDir, { recursive: true });
  }
}
