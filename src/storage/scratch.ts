import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * This process's working files (uploads in flight, decoded previews for a search): a folder on the local disk,
 * beside the local store's files so that a finished upload moves into it with one rename.
 */
export class Scratch {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** A new path in the folder, not yet a file. */
  tempPath(suffix = ''): string {
    return path.join(this.dir, `${Date.now()}-${randomUUID()}${suffix}`);
  }

  /** Files left by a crash mid-upload. Only for a folder no other process uses. */
  async sweep(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
    await fs.mkdir(this.dir, { recursive: true });
  }
}
