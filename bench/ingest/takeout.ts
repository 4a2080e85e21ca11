// `npm run bench:takeout [-- --items 600 --zips 3 --keep]` — a Google Takeout import (issue 35) against a plain folder import
// of the same files, in the same run: a synthetic export made from the realistic set's 12 MP phone photos (each copy
// made unique by bytes after its end, as different photos are), split into zips of year folders and one album, with
// a sidecar per photo; the same files extracted to a folder. Each import is `shoebox import` into a new library
// (no server, no pipeline: what is measured is getting the items in), timed, with its peak resident memory (VmHWM)
// and the most resident memory in each quarter of the run (flat when the export's size does not grow it).
// 20 GB: `-- --items 10000 --zips 10` (one at a time, it needs about twice the export's size free).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
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
    JSON.stringify({
      title: name,
      description: '',
      photoTakenTime: { timestamp: String(taken) },
      geoData: { latitude: 38.7 + i / 1e4, longitude: -9.1 },
      favorited: i % 10 === 0,
    }),
  );
}

const dirOf = (i: number) => (i % 7 === 0 ? 'Takeout/Google Photos/Holidays' : `Takeout/Google Photos/Photos from ${2015 + Math.floor(i / 365)}`);
const nameOf = (i: number, source: string) => `IMG_${String(i).padStart(5, '0')}${path.extname(source)}`;
const uniqueCopy = (source: string, i: number) => Buffer.concat([fs.readFileSync(source), Buffer.from(`takeout-bench-${i}`)]);

/** The export's zips (stored, as Takeout stores photos); the bytes of its photos. */
async function makeZips(sources: string[], work: string): Promise<{ zips: string[]; bytes: number }> {
  const zips = Array.from({ length: ZIPS }, () => new yazl.ZipFile());
  const files = zips.map(
    (zip, z) =>
      new Promise<string>((resolve, reject) => {
        const file = path.join(work, `takeout-${z + 1}.zip`);
        zip.outputStream
          .pipe(fs.createWriteStream(file))
          .on('close', () => resolve(file))
          .on('error', reject);
      }),
  );
  let bytes = 0;
  for (let i = 0; i < ITEMS; i++) {
    const source = sources[i % sources.length]!;
    const size = fs.statSync(source).size + `takeout-bench-${i}`.length;
    bytes += size;
    const zip = zips[i % ZIPS]!;
    // made when the zip writes it (a buffer given up front would be held until the zip ends: 20 GB of them)
    zip.addReadStreamLazy(`${dirOf(i)}/${nameOf(i, source)}`, { compress: false, size }, (done) => done(null, Readable.from([uniqueCopy(source, i)])));
    zip.addBuffer(sidecar(nameOf(i, source), i), `${dirOf(i)}/${nameOf(i, source)}.supplemental-metadata.json`);
  }
  zips[0]!.addBuffer(Buffer.from(JSON.stringify({ title: 'Holidays' })), 'Takeout/Google Photos/Holidays/metadata.json');
  for (const zip of zips) zip.end();
  return { zips: await Promise.all(files), bytes };
}

/** The same photos extracted to a folder (without the sidecars a folder import would not read). */
function makeFolder(sources: string[], work: string): string {
  const folder = path.join(work, 'extracted');
  for (let i = 0; i < ITEMS; i++) {
    const source = sources[i % sources.length]!;
    fs.mkdirSync(path.join(folder, dirOf(i)), { recursive: true });
    fs.writeFileSync(path.join(folder, dirOf(i), nameOf(i, source)), uniqueCopy(source, i));
  }
  return folder;
}

/** Runs `shoebox import …` into a new library; wall seconds and the process's peak resident memory. */
function timeImport(args: string[], dataDir: string): Promise<{ seconds: number; peakMb: number; residentMbByQuarter: number[] }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, 'import', ...args, '--data', dataDir], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let peakKb = 0;
    const residentKb: number[] = [];
    const poll = setInterval(() => {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      residentKb.push(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0));
    }, 100);
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => {
      clearInterval(poll);
      if (code !== 0) return reject(new Error(`import exited ${code}: ${stderr.slice(-2000)}`));
      if (!/Added \d+/.test(stderr)) return reject(new Error(`no report: ${stderr.slice(-2000)}`));
      // the most memory held in each quarter of the run: flat when the export's size does not grow it
      const quarter = Math.ceil(residentKb.length / 4);
      const residentMbByQuarter = [0, 1, 2, 3].map((q) => Math.round(Math.max(0, ...residentKb.slice(q * quarter, (q + 1) * quarter)) / 1024));
      resolve({ seconds: (performance.now() - started) / 1000, peakMb: Math.round(peakKb / 1024), residentMbByQuarter });
    });
  });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-takeout-'));
try {
  const set = await makeRealisticSet(assets, path.join(repoRoot, 'bench/analysis/.work'));
  const sources = set.photos.map((p) => path.join(set.dir, p.name));
  // one at a time, so that a 20 GB export fits a disk with ~50 GB free: the zips and the library they fill, then the
  // same photos as a folder (the zips and the first library gone) and the library that fills
  console.log(`making an export of ${ITEMS} items in ${ZIPS} zips…`);
  const made = await makeZips(sources, work);
  const gb = made.bytes / 1024 ** 3;
  console.log(`${gb.toFixed(2)} GB; importing the zips…`);
  const takeout = await timeImport(['--from', 'google-takeout', ...[...made.zips].reverse()], path.join(work, 'lib-takeout'));
  console.log(JSON.stringify({ takeout }));
  if (!KEEP) fs.rmSync(path.join(work, 'lib-takeout'), { recursive: true, force: true });
  const folderPath = makeFolder(sources, work);
  if (!KEEP) for (const zip of made.zips) fs.rmSync(zip);
  console.log('importing the folder…');
  const folder = await timeImport([folderPath], path.join(work, 'lib-folder'));
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
