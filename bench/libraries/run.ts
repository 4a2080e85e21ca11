// Libraries in place at the size people have: a tree of N files (20,000 by default) made from the realistic set's
// 12 MP phone photos (people, text, a few HEIC), each file its own bytes (a few random bytes after the image), in
// year/month folders of ~100 files, the way phones and cameras leave them. Measures, on the embedded library
// without the pipeline (its steps are the analysis benchmark's business):
//   first scan      listing + reading (SHA-256) + rows of every file: files/s
//   unchanged scan  the same tree again: no file read, no step run (target ≤ 5 s)
//   new file        from a file written into the tree to its photo in the library, through the watcher (target ≤ 5 s)
// Usage: npm run bench:libraries [-- --files 20000 --keep]
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openLibrary } from '../../src/app/open.js';
import { startInPlaceScans } from '../../src/app/in-place-scans.js';
import { loadSettings } from '../../src/config/settings.js';
import { rows } from '../../src/db/connection.js';
import { createInPlaceLibrary } from '../../src/library/in-place/manage.js';
import { scanInPlaceLibrary } from '../../src/library/in-place/scan.js';
import { forSystem } from '../../src/library/actors.js';
import { libraryOwnerId } from '../../src/auth/users.js';
import { createLogger } from '../../src/base/logger.js';
import { makeRealisticSet } from '../analysis/realistic-set.js';
import { arg } from '../args.js';
import { procStatusMb, waitForQuiet } from '../machine.js';
import { repoRoot } from '../search/generate.js';
import { assets } from '../../test/helpers/corpus.js';

const FILES = Number(arg('files') ?? 20_000);
const work = path.join(repoRoot, 'bench/libraries/.work');
const tree = path.join(work, `tree-${FILES}`);

async function makeTree(sources: string[]): Promise<number> {
  const marker = path.join(tree, '.complete');
  if (fs.existsSync(marker)) return Number(fs.readFileSync(marker, 'utf8'));
  fs.rmSync(tree, { recursive: true, force: true });
  let bytes = 0;
  const started = Date.now();
  for (let i = 0; i < FILES; i++) {
    const source = sources[i % sources.length]!;
    const year = 2015 + Math.floor(i / 2400);
    const month = String(1 + (Math.floor(i / 100) % 12)).padStart(2, '0');
    const dir = path.join(tree, String(year), `${year}-${month}`, `batch-${Math.floor(i / 100)}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `IMG_${String(i).padStart(5, '0')}${path.extname(source)}`);
    // the image and a few bytes of its own after it: a distinct file (decoders stop at the image's end)
    const data = Buffer.concat([fs.readFileSync(source), randomBytes(16)]);
    fs.writeFileSync(file, data);
    bytes += data.length;
    if (i % 1000 === 999)
      process.stderr.write(`tree: ${i + 1}/${FILES} files (${Math.round(bytes / 1e9)} GB, ${Math.round((Date.now() - started) / 1000)} s)\n`);
  }
  // the files settled long ago, like the ones on a disk
  fs.writeFileSync(marker, String(bytes));
  return bytes;
}

/** Drops the page cache's copy of the tree where the machine allows it, so that the first scan reads the disk. */
function dropCaches(): boolean {
  try {
    fs.writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const corpus = assets;
  const set = await makeRealisticSet(corpus, path.join(repoRoot, 'bench/analysis/.work'));
  const sources = set.photos.map((photo) => path.join(set.dir, photo.name));
  fs.mkdirSync(work, { recursive: true });
  const bytes = await makeTree(sources);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-libraries-'));
  const settings = loadSettings({ dataDir, logLevel: 'warn', libraryRoots: [work], librarySettleMs: 1000 }, {});
  const context = await openLibrary(settings, createLogger('warn'));
  const lib = forSystem(context, await libraryOwnerId(context.db), 'benchmark');
  const result: Record<string, unknown> = {
    files: FILES,
    gigabytes: Math.round(bytes / 1e8) / 10,
    cpus: os.availableParallelism(),
    node: process.version,
  };
  try {
    const library = await createInPlaceLibrary(lib, { name: 'bench', paths: [tree], watch: 'auto' });
    result.cacheDropped = dropCaches();
    await waitForQuiet({ maxSeconds: 60, quietCores: 1.5 });
    let started = Date.now();
    const first = await scanInPlaceLibrary(context, library.id);
    const firstSeconds = (Date.now() - started) / 1000;
    result.firstScan = {
      seconds: firstSeconds,
      filesPerSecond: Math.round(FILES / firstSeconds),
      megabytesPerSecond: Math.round(bytes / 1e6 / firstSeconds),
      counts: first,
    };
    process.stderr.write(`first scan: ${firstSeconds.toFixed(1)} s, ${Math.round(FILES / firstSeconds)} files/s\n`);

    const rescans: number[] = [];
    for (let i = 0; i < 3; i++) {
      started = Date.now();
      const again = await scanInPlaceLibrary(context, library.id);
      rescans.push((Date.now() - started) / 1000);
      if (again!.read !== 0 || again!.new !== 0) throw new Error(`an unchanged rescan read files: ${JSON.stringify(again)}`);
    }
    const steps = await rows<{ n: number }>(context.db, sql`select count(*)::int as n from photo_steps where status <> 'pending'`);
    result.unchangedScan = { seconds: rescans, stepsRun: steps[0]!.n };
    process.stderr.write(`unchanged rescans: ${rescans.map((s) => s.toFixed(2)).join(', ')} s\n`);

    // the watcher: a file written into the tree, until its photo is in the library
    const watchers = await startInPlaceScans(context);
    await new Promise((resolve) => setTimeout(resolve, 3000)); // the watches set up on every folder
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const target = path.join(tree, '2015', '2015-01', 'batch-0', `NEW_${Date.now()}_${i}.jpg`);
      const data = Buffer.concat([fs.readFileSync(sources[i]!), randomBytes(16)]);
      started = Date.now();
      fs.writeFileSync(target, data);
      for (;;) {
        const [found] = await rows<{ id: string }>(context.db, sql`select id from photos where storage_key = ${target}`);
        if (found) break;
        if (Date.now() - started > 60_000) throw new Error('the new file never showed');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      latencies.push((Date.now() - started) / 1000);
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    await watchers.close();
    result.newFileVisible = { seconds: latencies, settleMs: settings.librarySettleMs };
    process.stderr.write(`new file visible after: ${latencies.map((s) => s.toFixed(2)).join(', ')} s\n`);
    result.rssMb = procStatusMb('VmHWM');
  } finally {
    await context.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (!process.argv.includes('--keep')) fs.rmSync(tree, { recursive: true, force: true });
  }
  const out = path.join(repoRoot, 'bench/results/libraries-latest.json');
  fs.writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), ...result }, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

await main();
