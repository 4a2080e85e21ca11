import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding Shoebox's package.json, found from this file whether it runs from src/ or dist/. */
function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the Shoebox package root');
    dir = parent;
  }
  return dir;
}

export const packageRoot = findPackageRoot();
export const migrationsFolder = path.join(packageRoot, 'drizzle');
/** The built web app; SHOEBOX_WEB_DIR points elsewhere (a test build, a customised app). */
export const webRoot = process.env.SHOEBOX_WEB_DIR ? path.resolve(process.env.SHOEBOX_WEB_DIR) : path.join(packageRoot, 'dist', 'web');
