// Uploads: every file (with its XMP sidecars) is its own small request, a few at a time, so the progress the panel
// shows per file is the real one; what the server answered is kept per file (added, already in the library,
// refused and why, failed). Files dropped while an upload runs join the queue.
import { useSyncExternalStore } from 'react';
import type { UploadItem } from '../api.js';
import { sendFiles } from '../client/upload.js';
import { library } from './library.js';

/** Requests at once: enough to keep the connection busy, few enough that each file's progress moves. */
const CONCURRENCY = 3;

export type UploadStatus = 'queued' | 'uploading' | 'saving' | 'added' | 'duplicate' | 'refused' | 'failed' | 'cancelled';

export interface UploadEntry {
  key: number;
  name: string;
  /** The folder it came from, when a folder was dropped ("Holiday/Day 1"). */
  folder: string | null;
  size: number;
  /** Bytes sent so far. */
  sent: number;
  status: UploadStatus;
  /** The photo it became, or the one already in the library with the same bytes. */
  photoId: string | null;
  /** What the server found it to be: a video (the summary counts videos apart from photos). */
  video: boolean;
  /** Why it was refused or failed, in the server's words. */
  message: string | null;
  /** A sidecar (XMP, or a Google Takeout JSON one) travels with its photo and is not a photo of its own. */
  sidecar: boolean;
  /** A zip archive: not sent (an export's archives go to Import, which the panel offers). */
  archive: boolean;
}

export interface UploadState {
  entries: UploadEntry[];
  active: boolean;
  /** The panel is shown (until dismissed), and folded to its summary line. */
  open: boolean;
  collapsed: boolean;
  /** Files and bytes in this round of uploads (cleared when the panel is dismissed). */
  files: number;
  filesDone: number;
  bytes: number;
  bytesSent: number;
}

const idle: UploadState = { entries: [], active: false, open: false, collapsed: false, files: 0, filesDone: 0, bytes: 0, bytesSent: 0 };

export interface FileToUpload {
  file: File;
  /** The folder inside what was dropped, without the file's name. */
  folder?: string | null;
}

/** A zip: a Google Takeout or iCloud export is imported, not uploaded (the server would refuse it after all its bytes). */
export const isArchive = (file: File) => /\.zip$/i.test(file.name) || /^application\/(x-)?zip(-compressed)?$/i.test(file.type);
export const ARCHIVE_REFUSED = 'a zip archive, not a photo or video: a Google Takeout or iCloud export is brought in by Import';
/** The sidecars the server attaches to a photo sent with them: XMP, and Google Takeout's JSON (`IMG_1.jpg.json`). */
const isSidecar = (name: string) => /\.(xmp|json)$/i.test(name);
const SUPPLEMENTAL = '.supplemental-metadata';
/**
 * "IMG_1.jpg.xmp", "IMG_1.xmp", "IMG_1.jpg.json" and "IMG_1.jpg" share the stem "img_1": a sidecar must travel with
 * its photo. So do Google's later names, which the server matches as a Takeout import does (takeout/sidecar-names.ts):
 * "IMG_1.jpg.supplemental-metadata.json", cut to 51 characters ("IMG_1.jpg.supplemental-metad.json"), and a second
 * IMG_1.jpg's "IMG_1.jpg.supplemental-metadata(1).json" or "IMG_1.jpg(1).json", which are IMG_1(1).jpg's.
 */
export function uploadStem(name: string): string {
  let rest = name.toLowerCase();
  let counter = '';
  if (rest.endsWith('.json')) {
    rest = rest.slice(0, -'.json'.length);
    const counted = /^(.*?)(\(\d{1,4}\))$/.exec(rest);
    if (counted) {
      rest = counted[1]!;
      counter = counted[2]!;
    }
    const dot = rest.lastIndexOf('.');
    // what is left of ".supplemental-metadata" once Google cut the name (".supplemental-metad", ".su", ".")
    if (dot > 0 && rest.lastIndexOf('.', dot - 1) > 0 && SUPPLEMENTAL.startsWith(rest.slice(dot))) rest = rest.slice(0, dot);
  } else rest = rest.replace(/\.xmp$/, '');
  return rest.replace(/\.[^.]*$/, '') + counter;
}

/** Groups files into requests: one photo each, with the sidecars of the same folder and stem. */
export function groupFiles(files: readonly FileToUpload[]): FileToUpload[][] {
  const groups = new Map<string, FileToUpload[]>();
  let unique = 0;
  for (const item of files) {
    const base = `${item.folder ?? ''}/${uploadStem(item.file.name)}`;
    // Two photos with the same stem (IMG_1.jpg and IMG_1.heic) go separately; sidecars join the first.
    let key = base;
    if (!isSidecar(item.file.name)) {
      while (groups.get(key)?.some((other) => !isSidecar(other.file.name))) key = `${base}#${++unique}`;
    }
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups.values()];
}

const TERMINAL: readonly UploadStatus[] = ['added', 'duplicate', 'refused', 'failed', 'cancelled'];
export const isDone = (entry: UploadEntry) => TERMINAL.includes(entry.status);

interface Job {
  keys: number[];
  files: File[];
}

class UploadStore {
  private state: UploadState = idle;
  private readonly listeners = new Set<() => void>();
  private nextKey = 1;
  private queue: Job[] = [];
  private running = 0;
  private readonly requests = new Set<AbortController>();
  /** The File of each entry, kept to send it again after a failure (React has no use for it in the state). */
  private readonly fileByKey = new Map<number, File>();
  /** Zip archives dropped on Upload, kept for the Import page. */
  private archives: File[] = [];
  private frame = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): UploadState => this.state;

  /** Progress events come many times a frame: those tell the listeners once per frame (`batched`). */
  private set(patch: Partial<UploadState>, batched = false): void {
    this.state = { ...this.state, ...patch };
    if (batched) return this.notifySoon();
    if (this.frame) cancelFrame(this.frame);
    this.frame = 0;
    for (const listener of this.listeners) listener();
  }

  private notifySoon(): void {
    if (this.frame) return;
    const run = () => {
      this.frame = 0;
      for (const listener of this.listeners) listener();
    };
    this.frame = requestFrame(run);
  }

  private update(keys: readonly number[], change: (entry: UploadEntry) => Partial<UploadEntry>, batched = false): void {
    const wanted = new Set(keys);
    let bytesSent = 0;
    let filesDone = 0;
    const entries = this.state.entries.map((entry) => {
      const next = wanted.has(entry.key) ? { ...entry, ...change(entry) } : entry;
      // an archive kept back is never sent: none of its bytes count
      bytesSent += next.archive || next.status === 'queued' ? 0 : isDone(next) || next.status === 'saving' ? next.size : next.sent;
      if (isDone(next)) filesDone++;
      return next;
    });
    this.set({ entries, bytesSent, filesDone }, batched);
  }

  /** Adds files to the queue and starts sending them; zip archives are kept back for Import (`takeArchives`). */
  upload(input: readonly (File | FileToUpload)[]): void {
    const all = input.map((item) => (item instanceof File ? { file: item } : item));
    if (all.length === 0) return;
    const fresh: UploadEntry[] = [];
    const files = all.filter(({ file, folder }) => {
      if (!isArchive(file)) return true;
      this.archives.push(file);
      const entry = { key: this.nextKey++, name: file.name, folder: folder || null, size: file.size, sent: 0, photoId: null, video: false, sidecar: false };
      fresh.push({ ...entry, status: 'refused', message: ARCHIVE_REFUSED, archive: true });
      return false;
    });
    for (const group of groupFiles(files)) {
      const keys: number[] = [];
      for (const { file, folder } of group) {
        const key = this.nextKey++;
        keys.push(key);
        this.fileByKey.set(key, file);
        fresh.push({
          key,
          name: file.name,
          folder: folder || null,
          size: file.size,
          sent: 0,
          status: 'queued',
          photoId: null,
          video: false,
          message: null,
          sidecar: isSidecar(file.name),
          archive: false,
        });
      }
      this.queue.push({ keys, files: group.map((item) => item.file) });
    }
    // A new round after a finished one starts a fresh list; files added meanwhile join the running one.
    const base = this.state.active ? this.state : { ...idle };
    this.set({
      entries: [...base.entries, ...fresh],
      files: base.files + fresh.length,
      bytes: base.bytes + fresh.reduce((sum, entry) => sum + (entry.archive ? 0 : entry.size), 0),
      filesDone: base.filesDone + fresh.filter((entry) => entry.archive).length,
      bytesSent: base.bytesSent,
      active: true,
      open: true,
      collapsed: this.state.open ? this.state.collapsed : false,
    });
    this.pump();
    // archives alone: nothing is sent, the round is over
    if (this.running === 0 && this.queue.length === 0) this.finish();
  }

  /** The zip archives dropped on Upload since they were last taken: the Import page offers to import them. */
  takeArchives(): File[] {
    return this.archives.splice(0);
  }

  /** Takes out of the waiting archives those chosen again on the Import page (the same name and size): imported, not offered again. */
  forgetArchives(chosen: readonly File[]): void {
    this.archives = this.archives.filter((file) => !chosen.some((other) => other.name === file.name && other.size === file.size));
  }

  /** The archives waiting to be taken, left there (a render may be thrown away: taking is for an action). */
  waitingArchives(): File[] {
    return [...this.archives];
  }

  private pump(): void {
    while (this.running < CONCURRENCY && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      void this.send(job).finally(() => {
        this.running--;
        this.pump();
        if (this.running === 0 && this.queue.length === 0) this.finish();
      });
    }
  }

  private async send(job: Job): Promise<void> {
    const controller = new AbortController();
    this.requests.add(controller);
    this.update(job.keys, () => ({ status: 'uploading', sent: 0 }));
    try {
      const result = await sendFiles(
        job.files,
        (loaded, all) => {
          // The multipart body is a little larger than the files: share what was sent out by their sizes.
          const fraction = Math.min(1, loaded / Math.max(all, 1));
          this.update(job.keys, (entry) => (fraction >= 1 ? { status: 'saving', sent: entry.size } : { sent: Math.round(entry.size * fraction) }), true);
        },
        controller.signal,
      );
      // Items come back in the order the files were sent.
      this.update(job.keys, (entry) => outcome(entry, result.items[job.keys.indexOf(entry.key)]));
      this.refreshSoon();
    } catch (error) {
      const cancelled = error instanceof DOMException && error.name === 'AbortError';
      const message = error instanceof Error ? error.message : String(error);
      this.update(job.keys, () => (cancelled ? { status: 'cancelled', message: null } : { status: 'failed', message }));
    } finally {
      this.requests.delete(controller);
    }
  }

  /** New photos appear in the gallery while the rest is still uploading (at most every second). */
  private refreshSoon(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void library.refresh();
    }, 1000);
  }

  private finish(): void {
    this.set({ active: false });
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    void library.refresh();
  }

  /** Stops what is queued and what is being sent; files already saved stay in the library. */
  cancel(): void {
    const queued = this.queue.flatMap((job) => job.keys);
    this.queue = [];
    this.update(queued, () => ({ status: 'cancelled' }));
    for (const controller of this.requests) controller.abort();
  }

  /** Sends again the files whose request failed (server unreachable, interrupted) or was cancelled. */
  retryFailed(): void {
    const again = this.state.entries.filter((entry) => (entry.status === 'failed' || entry.status === 'cancelled') && this.fileByKey.has(entry.key));
    if (again.length === 0) return;
    this.update(
      again.map((entry) => entry.key),
      () => ({ status: 'queued', sent: 0, message: null }),
    );
    for (const entry of again) this.queue.push({ keys: [entry.key], files: [this.fileByKey.get(entry.key)!] });
    this.set({ active: true });
    this.pump();
  }

  setCollapsed(collapsed: boolean): void {
    this.set({ collapsed });
  }

  /** Hides the panel; the next upload starts a fresh list. */
  dismiss(): void {
    if (this.state.active) return;
    this.fileByKey.clear();
    this.set({ ...idle });
  }
}

/** A frame while the page is shown; a timer in a hidden tab (which gets no frames). */
function requestFrame(run: () => void): number {
  return typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible'
    ? requestAnimationFrame(run)
    : (setTimeout(run, 16) as unknown as number);
}

function cancelFrame(frame: number): void {
  cancelAnimationFrame(frame);
  clearTimeout(frame);
}

/** What the server said about one file. */
function outcome(entry: UploadEntry, item: UploadItem | undefined): Partial<UploadEntry> {
  if (!item) return { status: 'failed', message: 'The server did not say what became of this file.' };
  if ('error' in item) return { status: 'refused', message: withoutName(item.error, entry.name), sent: entry.size };
  // through a share link the server does not say which photo a duplicate is (no id): this store uploads to the library
  const video = 'type' in item && item.type === 'video';
  return { status: item.duplicate ? 'duplicate' : 'added', photoId: 'id' in item ? item.id : null, video, sent: entry.size };
}

/** The server's messages often start with the file's name, which the panel shows already. */
export const withoutName = (message: string, filename: string) => (message.startsWith(`${filename}: `) ? message.slice(filename.length + 2) : message);

export const uploads = new UploadStore();

export function useUploads(): UploadState {
  return useSyncExternalStore(uploads.subscribe, uploads.getSnapshot);
}
