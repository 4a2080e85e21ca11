// Uploads: batches of files sent one request at a time, with progress and a summary of what the server said.
import { useSyncExternalStore } from 'react';
import { uploadFiles, type UploadItem } from '../api.js';
import { library } from './library.js';

const BATCH_FILES = 25;
const BATCH_BYTES = 64 * 1024 * 1024;

export interface UploadSummary {
  added: { id: string; filename: string }[];
  duplicates: { id: string; filename: string }[];
  refused: { filename: string; error: string }[];
  /** A request that failed as a whole (server unreachable…), with the files it carried. */
  failures: string[];
}

export interface UploadState {
  active: boolean;
  files: number;
  filesSent: number;
  bytes: number;
  bytesSent: number;
  summary: UploadSummary | null;
}

const idle: UploadState = { active: false, files: 0, filesSent: 0, bytes: 0, bytesSent: 0, summary: null };

/** "IMG_1.jpg.xmp", "IMG_1.xmp" and "IMG_1.jpg" share the stem "img_1": a sidecar must travel with its photo. */
const stem = (name: string) => name.toLowerCase().replace(/\.xmp$/, '').replace(/\.[^.]*$/, '');

/** Splits files into requests of a reasonable size, keeping each photo with its sidecars. */
export function batchFiles(files: readonly File[]): File[][] {
  const groups = new Map<string, File[]>();
  for (const file of files) {
    const key = stem(file.name);
    groups.set(key, [...(groups.get(key) ?? []), file]);
  }
  const batches: File[][] = [];
  let batch: File[] = [];
  let bytes = 0;
  for (const group of groups.values()) {
    const size = group.reduce((sum, f) => sum + f.size, 0);
    if (batch.length > 0 && (batch.length + group.length > BATCH_FILES || bytes + size > BATCH_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(...group);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

class UploadStore {
  private state: UploadState = idle;
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): UploadState => this.state;

  private set(patch: Partial<UploadState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  dismiss(): void {
    if (!this.state.active) this.set({ summary: null });
  }

  async upload(files: readonly File[]): Promise<void> {
    if (this.state.active || files.length === 0) return;
    const bytes = files.reduce((sum, f) => sum + f.size, 0);
    const summary: UploadSummary = { added: [], duplicates: [], refused: [], failures: [] };
    this.set({ active: true, files: files.length, filesSent: 0, bytes, bytesSent: 0, summary: null });
    let sentBefore = 0;
    let filesBefore = 0;
    for (const batch of batchFiles(files)) {
      const batchBytes = batch.reduce((sum, f) => sum + f.size, 0);
      try {
        const result = await uploadFiles(batch, (loaded, total) => {
          // The multipart body is a little larger than the files: scale to the files' bytes.
          this.set({ bytesSent: sentBefore + Math.min(batchBytes, (loaded / Math.max(total, 1)) * batchBytes) });
        });
        for (const item of result.items) addItem(summary, item);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        summary.failures.push(`${message} (${batch.length === 1 ? batch[0]!.name : `${batch.length} files`})`);
      }
      sentBefore += batchBytes;
      filesBefore += batch.length;
      this.set({ bytesSent: sentBefore, filesSent: filesBefore });
      void library.refresh();
    }
    this.set({ active: false, summary });
  }
}

function addItem(summary: UploadSummary, item: UploadItem): void {
  if ('error' in item) summary.refused.push({ filename: item.filename, error: item.error });
  else if (/\.xmp$/i.test(item.filename)) return; // a sidecar attached to its photo: not a photo of its own
  else if (item.duplicate) summary.duplicates.push({ id: item.id, filename: item.filename });
  else summary.added.push({ id: item.id, filename: item.filename });
}

export const uploads = new UploadStore();

export function useUploads(): UploadState {
  return useSyncExternalStore(uploads.subscribe, uploads.getSnapshot);
}
