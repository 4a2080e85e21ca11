// Models that ship in npm packages (face-api's weights, Tesseract's language data): where their weights are, found
// without importing the package, their size and their version.
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

import type { BundledModelSpec } from './model-catalogue.js';

const require = createRequire(import.meta.url);

/** Folder of an installed npm package, found without importing it (some packages hide package.json). */
function packageDir(packageName: string): string | null {
  for (const base of require.resolve.paths(packageName) ?? []) {
    const dir = path.join(base, packageName);
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  }
  return null;
}

export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

export function bundledModelPath(spec: BundledModelSpec): string | null {
  const dir = packageDir(spec.packageName);
  const weights = dir ? path.join(dir, spec.subdir) : null;
  return weights && existsSync(weights) ? weights : null;
}

export async function bundledVersion(spec: BundledModelSpec): Promise<string | null> {
  const dir = packageDir(spec.packageName);
  if (!dir) return null;
  const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { version?: string };
  return `${spec.packageName}@${pkg.version ?? 'unknown'}`;
}
