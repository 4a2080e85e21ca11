// Zip archives for tests, made with yazl (the library Shoebox's own exports use).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import yazl from 'yazl';

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** Unix mode (a link: 0o120777). */
  mode?: number;
}

/** Every file under `dir`, named `prefix` + its path inside `dir`. */
export async function folderEntries(dir: string, prefix = ''): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  for (const item of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!item.isFile()) continue;
    const file = path.join(item.parentPath, item.name);
    entries.push({ name: prefix + path.relative(dir, file).split(path.sep).join('/'), data: await readFile(file) });
  }
  return entries;
}

export function makeZip(entries: readonly ZipEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) zip.addBuffer(entry.data, entry.name, entry.mode === undefined ? {} : { mode: entry.mode });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}
