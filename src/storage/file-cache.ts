import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { LocalFile } from './blob-store.js';
import { isProcessAlive } from '../base/process-alive.js';

interface Entry {
  /** The version of the blob the file holds (an ETag): a lent file is never replaced under a reader. */
  version: string;
  path: string;
  size: number;
  loans: number;
  lastUsed: number;
  ready: Promise<void>;
}

/**
 * Local copies of remote blobs for tools that need a path (decoders, exiftool), kept for the next step that reads
 * the same photo and bounded in size: copies no one is reading are removed, least recently used first, once the
 * total passes `maxBytes`. A copy being read is never removed; the total may pass the bound while more are lent
 * than fit. Each process has its own folder (`<root>/<host>-<pid>`), and folders of this host's dead processes
 * are removed when a cache opens.
 */
export class LocalFileCache {
  private readonly entries = new Map<string, Entry>();
  private totalBytes = 0;

  private constructor(
    readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  static async open(root: string, maxBytes: number): Promise<LocalFileCache> {
    await fs.mkdir(root, { recursive: true });
    await removeDeadProcessFolders(root);
    const dir = path.join(root, `${os.hostname()}-${process.pid}`);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.mkdir(dir, { recursive: true });
    return new LocalFileCache(dir, maxBytes);
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /**
   * A local copy of the blob `key` at `version`, fetched with `download` (which writes the given path) when the
   * cache has none or an older one. Two callers asking at once share one download.
   */
  async lend(key: string, version: string, download: (target: string) => Promise<void>): Promise<LocalFile> {
    let entry = this.entries.get(key);
    if (!entry || entry.version !== version) {
      if (entry && entry.loans === 0) this.drop(key, entry);
      else if (entry) this.entries.delete(key); // still read: its file goes when its last loan ends
      entry = this.fetch(key, version, download);
    }
    entry.loans++;
    entry.lastUsed = Date.now();
    try {
      await entry.ready;
    } catch (error) {
      entry.loans--;
      throw error;
    }
    const lent = entry;
    let released = false;
    return {
      path: lent.path,
      release: async () => {
        if (released) return;
        released = true;
        lent.loans--;
        lent.lastUsed = Date.now();
        if (this.entries.get(key) !== lent && lent.loans === 0) {
          this.totalBytes -= lent.size; // replaced by a newer version while it was read
          await fs.rm(lent.path, { force: true });
        }
        await this.evict();
      },
    };
  }

  private fetch(key: string, version: string, download: (target: string) => Promise<void>): Entry {
    const file = path.join(this.dir, `${randomUUID()}${path.extname(key)}`);
    const entry: Entry = { version, path: file, size: 0, loans: 0, lastUsed: Date.now(), ready: Promise.resolve() };
    entry.ready = (async () => {
      try {
        await download(file);
        entry.size = (await fs.stat(file)).size;
        this.totalBytes += entry.size;
      } catch (error) {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        await fs.rm(file, { force: true });
        throw error;
      }
    })();
    this.entries.set(key, entry);
    return entry;
  }

  private drop(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.totalBytes -= entry.size;
    void fs.rm(entry.path, { force: true });
  }

  /** Removes unread copies, least recently used first, until the total fits. */
  private async evict(): Promise<void> {
    if (this.totalBytes <= this.maxBytes) return;
    const idle = [...this.entries].filter(([, entry]) => entry.loans === 0 && entry.size > 0).sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    for (const [key, entry] of idle) {
      if (this.totalBytes <= this.maxBytes) break;
      this.entries.delete(key);
      this.totalBytes -= entry.size;
      await fs.rm(entry.path, { force: true });
    }
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.totalBytes = 0;
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

/** Folders of this host's processes that are gone (a crash, SIGKILL) hold copies no one will release. */
async function removeDeadProcessFolders(root: string): Promise<void> {
  const prefix = `${os.hostname()}-`;
  for (const name of await fs.readdir(root)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (!Number.isInteger(pid) || pid === process.pid || isProcessAlive(pid)) continue;
    await fs.rm(path.join(root, name), { recursive: true, force: true });
  }
}
