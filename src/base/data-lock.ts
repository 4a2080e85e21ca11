import fs from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from './process-alive.js';

/** What a running Shoebox writes into its data folder, so other commands can find it or refuse to share it. */
export interface LockInfo {
  pid: number;
  command: string;
  url?: string;
  startedAt: string;
}

const lockPath = (dataDir: string) => path.join(dataDir, 'shoebox.lock');

/** The URL the data folder's server wrote in its lock, whoever holds it now (the same process included). */
export function lockedUrl(dataDir: string): string | null {
  try {
    return (JSON.parse(fs.readFileSync(lockPath(dataDir), 'utf8')) as LockInfo).url ?? null;
  } catch {
    return null;
  }
}

/** The live holder of the data folder, if any (a lock left by a killed process does not count). */
export function readLock(dataDir: string): LockInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
    return info.pid !== process.pid && isProcessAlive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

/**
 * The embedded database lives in one process: take the data folder for this one, or say who has it.
 * Returns the function that lets it go.
 */
export function acquireLock(dataDir: string, info: Omit<LockInfo, 'pid' | 'startedAt'>): { update(url: string): void; release(): void } {
  fs.mkdirSync(dataDir, { recursive: true });
  const holder = readLock(dataDir);
  if (holder) {
    const where = holder.url ? ` (${holder.url})` : '';
    throw new Error(`the library in ${dataDir} is in use by \`shoebox ${holder.command}\`, process ${holder.pid}${where}`);
  }
  let current: LockInfo = { ...info, pid: process.pid, startedAt: new Date().toISOString() };
  const write = () => fs.writeFileSync(lockPath(dataDir), JSON.stringify(current));
  write();
  return {
    update(url: string) {
      current = { ...current, url };
      write();
    },
    release() {
      try {
        const onDisk = JSON.parse(fs.readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
        if (onDisk.pid === process.pid) fs.rmSync(lockPath(dataDir), { force: true });
      } catch {
        // already gone
      }
    },
  };
}
