// What was dropped on the page, as files to upload: files as they are, folders walked recursively.
import type { FileToUpload } from '../store/uploads.js';

/** Files a folder holds that are not anyone's photos: the system's own (.DS_Store, Thumbs.db) and hidden ones. */
const isJunk = (name: string) => name.startsWith('.') || /^(thumbs\.db|desktop\.ini|ehthumbs\.db)$/i.test(name);

/** Every file under a dropped folder, with the folder it is in. `readEntries` answers in batches: read until empty. */
export async function walk(entry: FileSystemEntry, out: FileToUpload[]): Promise<void> {
  if (entry.isFile) {
    if (isJunk(entry.name)) return;
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    const folder = entry.fullPath.replace(/^\/+/, '').split('/').slice(0, -1).join('/');
    out.push({ file, folder: folder || null });
    return;
  }
  if (!entry.isDirectory || isJunk(entry.name)) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, out);
  }
}

/**
 * What was dropped: files as they are, folders walked recursively. Items must be read during the drop event
 * (the browser empties them afterwards), so the entries are taken at once and walked later.
 */
export async function droppedFiles(data: Pick<DataTransfer, 'items' | 'files'>): Promise<FileToUpload[]> {
  const entries: FileSystemEntry[] = [];
  const plain: File[] = [];
  for (const item of Array.from(data.items)) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (entry?.isDirectory) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) plain.push(file);
    }
  }
  if (entries.length === 0 && plain.length === 0) plain.push(...Array.from(data.files));
  const out: FileToUpload[] = plain.map((file) => ({ file }));
  for (const entry of entries) await walk(entry, out);
  return out;
}
