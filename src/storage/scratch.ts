import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { heldByLiveProcess, PROCESS_MARK, sweepGoneProcesses } from '../base/process-folders.js';

/**
 * This process's working files (uploads in flight, decoded previews for a search): a folder on the local disk,
 * beside the local store's files so that a finished upload moves into it with one rename. Several processes may
 * share it (a cluster's on one data folder): each entry's name starts with its process's mark
 * (base/process-folders.ts), so that what a crash left can be told from what a live process is writing.
 */
export class Scratch {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** A new path in the folder, not yet a file. */
  tempPath(suffix = ''): string {
    return path.join(this.dir, `${PROCESS_MARK}-${Date.now()}-${randomUUID()}${suffix}`);
  }

  /**
   * What a crash left: the entries of this host's processes that are gone. `alone` (a folder no other process uses:
   * the embedded server holds its data folder's lock) also takes what else lies there (entries of versions that
   * did not mark them) but a live process's. Returns how many entries went.
   */
  async sweep(options: { alone: boolean }): Promise<number> {
    let removed = (await sweepGoneProcesses(this.dir, '')).length;
    if (!options.alone) return removed;
    for (const name of await fs.readdir(this.dir)) {
      if (heldByLiveProcess(name)) continue;
      await fs.rm(path.join(this.dir, name), { recursive: true, force: true });
      removed++;
    }
    return removed;
  }
}
