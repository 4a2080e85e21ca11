// Imported first by the gallery benchmark: the server must serve the benchmark's own build of the web app, and
// src/config/paths.ts reads SHOEBOX_WEB_DIR once, when it is first imported.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const workDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '.work');
export const webDir = path.join(workDir, 'web');
process.env.SHOEBOX_WEB_DIR = webDir;
