import fs from 'node:fs/promises';
import path from 'node:path';

export interface ImportCandidates {
  /** Every regular file that is not a sidecar, sorted. */
  files: string[];
  /** XMP sidecars with no file of theirs beside them (`IMG.jpg.xmp` → `IMG.jpg`, `IMG.xmp` → `IMG.*`), sorted. */
  orphanSidecars: string[];
}

/** Every regular file under a folder, skipping hidden entries; XMP sidecars travel with their photos. */
export async function listImportCandidates(root: string): Promise<ImportCandidates> {
  const files: string[] = [];
  const sidecars: string[] = [];
  async function walk(dir: string): Promise<void> {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) (/\.xmp$/i.test(entry.name) ? sidecars : files).push(full);
    }
  }
  await walk(root);
  const exact = new Set(files.map((file) => file.toLowerCase()));
  const stems = new Set(files.map((file) => file.slice(0, file.length - path.extname(file).length).toLowerCase()));
  const orphanSidecars = sidecars.filter((sidecar) => {
    const base = sidecar.replace(/\.xmp$/i, '').toLowerCase();
    return !exact.has(base) && !stems.has(base);
  });
  return { files: files.sort(), orphanSidecars: orphanSidecars.sort() };
}
