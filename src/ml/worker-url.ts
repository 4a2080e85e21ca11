// Worker entry points that work both from compiled JS (dist/server) and from TypeScript sources (vitest, tsx).
//
// Node 20 ignores ESM loaders given in a Worker's `execArgv` (`--import tsx` → "Unknown file extension .ts",
// nodejs/node#47747), so a `.ts` entry is started through a small eval bootstrap that registers tsx's ESM hooks
// inside the new thread and then imports the module.
import '../config/telemetry-off.js';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export interface WorkerEntry {
  url: URL;
  /** True when only the `.ts` source exists: it needs tsx (a devDependency) to run. */
  typescript: boolean;
}

/** The `.js` sibling of the calling module when it exists (compiled build), else the `.ts` one. */
export function workerEntry(importMetaUrl: string, baseName: string): WorkerEntry {
  const js = new URL(`./${baseName}.js`, importMetaUrl);
  if (existsSync(fileURLToPath(js))) return { url: js, typescript: false };
  const ts = new URL(`./${baseName}.ts`, importMetaUrl);
  if (existsSync(fileURLToPath(ts))) return { url: ts, typescript: true };
  throw new Error(`worker module ${baseName} not found next to ${fileURLToPath(importMetaUrl)} (.js or .ts)`);
}

let tsxApiUrl: string | undefined;

/** file:// URL of tsx's ESM API, read from its package exports (the CommonJS build cannot register ESM hooks). */
function tsxEsmApi(): string {
  if (tsxApiUrl) return tsxApiUrl;
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports?: Record<string, unknown> };
  const api = pkg.exports?.['./esm/api'] as { import?: string | { default?: string } } | undefined;
  const target = typeof api?.import === 'string' ? api.import : api?.import?.default;
  if (!target) throw new Error(`${pkgPath} has no "./esm/api" import export`);
  tsxApiUrl = pathToFileURL(path.join(path.dirname(pkgPath), target)).href;
  return tsxApiUrl;
}

/**
 * The parent's Node flags minus `--input-type`, which a worker inherits by default and then refuses for a file
 * entry (e.g. under `node --input-type=module -e …`).
 */
function inheritedExecArgv(): string[] {
  return process.execArgv.filter((arg, i, all) => !arg.startsWith('--input-type') && all[i - 1] !== '--input-type');
}

/** Starts a worker on the entry, through tsx when it is TypeScript. */
export function startWorker(entry: WorkerEntry, options: WorkerOptions = {}): Worker {
  const opts: WorkerOptions = { execArgv: inheritedExecArgv(), ...options };
  if (!entry.typescript) return new Worker(entry.url, opts);
  const bootstrap = `import(${JSON.stringify(tsxEsmApi())})` + `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.url.href)}); })`;
  return new Worker(bootstrap, { ...opts, eval: true });
}
