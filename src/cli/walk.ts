import fs from 'node:fs/promises';
import path from 'node:path';

/** Every regular file under a folder, sorted, skipping hidden entries and XMP sidecars (they travel with photos). */
export async function listImportCandidates(root: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && !/\.xmp$/i.test(entry.name)) found.push(full);
    }
  }
  await walk(root);
  return found.sort();
}

/** Runs tasks with at most `limit` in flight. */
export async function forEachLimit<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await task(item);
    }
  });
  await Promise.all(workers);
}
