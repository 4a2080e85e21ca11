// `npm run bench:takeout [-- --items 600 --zips 3 --keep]` — a Google Takeout import (issue 35) against a plain folder import
// of the same files, in the same run: a synthetic export made from the realistic set's 12 MP phone photos (each copy
// made unique by bytes after its end, as different photos are), split into zips of year folders and one album, with
// a sidecar per photo; the same files extracted to a folder. Each import is `shoebox import` into a new library
// (no server, no pipeline: what is measured is getting the items in), timed, with its peak resident memory (VmHWM).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { arg } from '../args.js';
import { makeRealisticSet } from '../analysis/realistic-set.js';
import { repoRoot } from '../search/generate.js';
import { assets } from '../../test/helpers/corpus.js';

const ITEMS = Number(arg('items') ?? 600);
/** Keep the export and the libraries (to profile an import by hand). */
const KEEP = process.argv.includes('--keep');
const ZIPS = Number(arg('zips') ?? 3);
const bin = path.join(repoRoot, 'bin/shoebox.js');

function sidecar(name: string, i: number): Buffer {
  const taken = Date.UTC(2015, 0, 1) / 1000 + i * 86_400;
  return Buffer.from(
    JSON.stringify({ title: name, description: '', photoTakenTime: { timestamp: String(taken) }, geoData: { latitude: 38.7 + i / 1e4, longitude: -9.1 }, favorited: i % 10 === 0 }),
  );
}

async function makeExport(sources: string[], work: string): Promise<{ zips: string[]; folder: string; bytes: number }> {
  const folder = path.join(work, 'extracted');
  const zips = Array.from({ length: ZIPS }, (_, z) => new yazl.ZipFile());
  let bytes = 0;
  for (let i = 0; i < ITEMS; i++) {
    const source = sources[i % sources.length]!;
    const unique = Buffer.concat([fs.readFileSync(source), Buffer.from(`takeout-bench-${i}`)]);
    bytes += unique.length;
    const name = `IMG_${String(i).padStart(5, '0')}${path.extname(source)}`;
    const dir = i % 7 === 0 ? 'Takeout/Google Photos/Holidays' : `Takeout/Google Photos/Photos from ${2015 + Math.floor(i / 365)}`;
    const zip = zips[i % ZIPS]!;
    zip.addBuffer(unique, `${dir}/${name}`, { compress: false });
    zip.addBuffer(sidecar(name, i), `${dir}/${name}.supplemental-metadata.json`);
    fs.mkdirSync(path.join(folder, dir), { recursive: true });
    fs.writeFileSync(path.join(folder, dir, name), unique);
  }
  zips[0]!.addBuffer(Buffer.from(JSON.stringify({ title: 'Holidays' })), 'Takeout/Google Photos/Holidays/metadata.json');
  const files = await Promise.all(
    zips.map(
      (zip, z) =>
        new Promise<string>((resolve, reject) => {
          const file = path.join(work, `takeout-${z + 1}.zip`);
          zip.outputStream.pipe(fs.createWriteStream(file)).on('close', () => resolve(file)).on('error', reject);
          zip.end();
        }),
    ),
  );
  return { zips: files, folder, bytes };
}

/** Runs `shoebox import …` into a new library; wall seconds and the process's peak resident memory. */
function timeImport(args: string[], dataDir: string): Promise<{ seconds: number; peakMb: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, 'import', ...args, '--data', dataDir], { env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peakKb = 0;
    const poll = setInterval(() => {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    }, 100);
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => {
      clearInterval(poll);
      if (code !== 0) return reject(new Error(`import exited ${code}: ${stderr.slice(-2000)}`));
      if (!/Added \d+/.test(stderr)) return reject(new Error(`no report: ${stderr.slice(-2000)}`));
      resolve({ seconds: (performance.now() - started) / 1000, peakMb: Math.round(peakKb / 1024) });
    });
  });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-takeout-'));
try {
  const set = await makeRealisticSet(assets, path.join(repoRoot, 'bench/analysis/.work'));
  const sources = set.photos.map((p) => path.join(set.dir, p.name));
  console.log(`making an export of ${ITEMS} items in ${ZIPS} zips…`);
  const made = await makeExport(sources, work);
  const gb = made.bytes / 1024 ** 3;
  const folder = await timeImport([made.folder], path.join(work, 'lib-folder'));
  const takeout = await timeImport(['--from', 'google-takeout', ...[...made.zips].reverse()], path.join(work, 'lib-takeout'));
  const rate = (r: { seconds: number }) => Math.round((ITEMS / r.seconds) * 10) / 10;
  const result = {
    date: new Date().toISOString(),
    items: ITEMS,
    gigabytes: Math.round(gb * 100) / 100,
    folder: { ...folder, itemsPerSecond: rate(folder) },
    takeout: { ...takeout, itemsPerSecond: rate(takeout) },
    ratio: Math.round((takeout.seconds / folder.seconds) * 100) / 100,
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  if (KEEP) console.log(`kept: ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
}
