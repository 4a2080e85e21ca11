// Folders a process keeps for itself (temporary files, scratch, a cache), named after the process so that a later
// start can tell Shoebox's own from anything else, and a live process's from one a crash (SIGKILL) left behind:
// `<prefix><host>.<pid>.<start>` — a hash of the host name and the process-id namespace (a folder on a shared disk,
// or one a container shares with another that has its own pids under the same host name, is judged only where its
// pids mean something), the process id, and when the process started (Linux's /proc: a pid used again by another
// process is not taken for the one that made the folder). Only folders of this host whose process is gone are
// removed; two servers on one machine, or a cluster's processes sharing a data folder, each keep theirs.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { isProcessAlive } from './process-alive.js';

/** The process-id namespace (Linux: `pid:[4026531836]`), '' where there is none to read. */
function pidNamespace(): string {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return '';
  }
}

const HOST = createHash('sha256').update(`${os.hostname()}\0${pidNamespace()}`).digest('hex').slice(0, 8);

/** When a process started, in clock ticks since boot (Linux), or null where that cannot be read. */
function startOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // after the command's name, which may hold spaces and parentheses: the 22nd field is the 20th after it
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** This process's mark in a folder's name. */
export const PROCESS_MARK = `${HOST}.${process.pid}.${startOf(process.pid) ?? '0'}`;

const MARK = /^([0-9a-f]{8})\.(\d+)\.(\d+)/;

/** Whether the process that marked a folder is gone: of this host, not running, or running but started at another time. */
export function processGone(mark: string): boolean {
  const parsed = MARK.exec(mark);
  if (!parsed || parsed[1] !== HOST) return false; // not a mark, or another machine's: not ours to judge
  if (parsed[0] === PROCESS_MARK) return false;
  const pid = Number(parsed[2]);
  if (!isProcessAlive(pid)) return true;
  const started = startOf(pid);
  return parsed[3] !== '0' && started !== null && started !== parsed[3];
}

/** Whether a name starts with the mark of a process that is running (or of another host's: not judged here). */
export function heldByLiveProcess(name: string): boolean {
  return MARK.test(name) && !processGone(name);
}

/**
 * Removes the entries of `parent` named `<prefix><mark>` (and anything after it) whose process is gone; returns
 * their names. A folder that is not there is nothing to sweep.
 */
export async function sweepGoneProcesses(parent: string, prefix: string): Promise<string[]> {
  const names = await fs.readdir(parent).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !processGone(name.slice(prefix.length))) continue;
    await fs.rm(path.join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** The prefix of every process's folder under the system's temporary folder. */
export const TEMP_PREFIX = 'shoebox-';

let exitHook = false;

/**
 * This process's folder under the system's temporary folder (made when first asked for, readable by its user alone).
 * Its name can be guessed, so one already there must be a folder of this user's that no one else may enter: in a
 * shared /tmp another user could have made it first, or put a link there to a folder of their choosing.
 */
export function processTempRoot(): string {
  const root = path.join(os.tmpdir(), `${TEMP_PREFIX}${PROCESS_MARK}`);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const made = lstatSync(root);
  const uid = process.getuid?.();
  if (!made.isDirectory() || (uid !== undefined && (made.uid !== uid || (made.mode & 0o077) !== 0))) {
    throw new Error(`${root} is not this process's own folder (a link, or another user's, or open to others): no temporary file is made there`);
  }
  if (!exitHook && isMainThread) {
    exitHook = true;
    // each user of the folder removes its own; what is left empty goes with the process
    process.once('exit', () => {
      try {
        rmdirSync(root);
      } catch {
        // not empty (a folder still in use when the process was stopped): the next start sweeps it
      }
    });
  }
  return root;
}

/** A new temporary folder (`kind-XXXXXX`) in this process's folder; its user removes it when done. */
export async function makeTempFolder(kind: string): Promise<string> {
  return fs.mkdtemp(path.join(processTempRoot(), `${kind}-`));
}

/** makeTempFolder for synchronous callers (the CLI's backup and migrate set-up). */
export function makeTempFolderSync(kind: string): string {
  return mkdtempSync(path.join(processTempRoot(), `${kind}-`));
}

/** The folders under the system's temporary folder that processes of this host left behind (a crash): removed. */
export function sweepTempFolders(): Promise<string[]> {
  return sweepGoneProcesses(os.tmpdir(), TEMP_PREFIX);
}
