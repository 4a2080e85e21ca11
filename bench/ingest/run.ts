// Ingest benchmark: preprocessing throughput on 12 MP JPEGs, whole-pipeline throughput, server memory and
// start-up time. Usage: npm run bench:ingest [-- --photos 1000]  (results printed and written to bench/results/).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { makeRenditions } from '../../src/media/decode.js';
import { assets } from '../../test/helpers/corpus.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = path.join(assets, 'albums');
const work = path.join(repoRoot, 'bench/ingest/.work');
const bin = path.join(repoRoot, 'bin/shoebox.js');
const argPhotos = process.argv.indexOf('--photos');
const MEMORY_PHOTOS = argPhotos > 0 ? Number(process.argv[argPhotos + 1]) : 1000;
const LARGE_PHOTOS = 24;

function sources(): string[] {
  return ['nature', 'text'].flatMap((dir) => fs.readdirSync(path.join(corpus, dir)).map((name) => path.join(corpus, dir, name)));
}

/** 12 MP (4000×3000) q90 JPEGs made from the corpus, each with its own bytes. */
async function makeLarge(dir: string): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const bases = sources();
  for (let i = 0; i < LARGE_PHOTOS; i += 1) {
    const file = path.join(dir, `large-${i}.jpg`);
    files.push(file);
    if (fs.existsSync(file)) continue;
    await sharp(bases[i % bases.length]!)
      .rotate()
      .resize(4000, 3000, { fit: 'cover' })
      .modulate({ brightness: 1 + (i % 7) * 0.01 })
      .jpeg({ quality: 90 })
      .toFile(file);
  }
  return files;
}

/** Many distinct ~2 MP JPEGs for the memory run. */
async function makeMany(dir: string, count: number): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const bases = await Promise.all(
    sources().map((file) => sharp(file).rotate().resize(1600, 1200, { fit: 'cover' }).raw().toBuffer({ resolveWithObject: true })),
  );
  for (let i = 0; i < count; i += 1) {
    const file = path.join(dir, `many-${String(i).padStart(5, '0')}.jpg`);
    if (fs.existsSync(file)) continue;
    const base = bases[i % bases.length]!;
    const pixels = Buffer.from(base.data);
    // A band of 8 rows coded with the photo's number: visible to the JPEG encoder, so every file differs.
    const rowBytes = base.info.width * base.info.channels;
    for (let k = 0; k < rowBytes * 8; k += 1) pixels[k] = (i * 7 + (k >> 4) * (1 + (i % 13))) & 0xff;
    await sharp(pixels, { raw: base.info }).jpeg({ quality: 85 }).toFile(file);
  }
}

async function preprocessingThroughput(files: string[], concurrency: number) {
  await makeRenditions(files[0]!, 'image/jpeg'); // warm up
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < files.length) await makeRenditions(files[next++]!, 'image/jpeg');
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { photos: files.length, concurrency, seconds: round(seconds), photosPerSecond: round(files.length / seconds) };
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return round(kb / 1024);
}

const round = (n: number) => Math.round(n * 10) / 10;

interface Server {
  pid: number;
  url: string;
  startMs: number;
  stop(): Promise<void>;
}

/** `shoebox serve` in a child process; start time = spawn to the first answered /api/health. */
async function startServer(dataDir: string): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'serve', '--data', dataDir, '--port', '0'], {
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stderr!.on('data', (chunk) => {
      output += chunk;
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
  await fetch(`${url}/api/health`);
  const startMs = Math.round(performance.now() - started);
  return {
    pid: child.pid!,
    url,
    startMs,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function importInto(dir: string, dataDir: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'import', dir, '--data', dataDir, '--wait'], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`import exited ${code}`))));
  });
}

async function main() {
  const largeDir = path.join(work, 'large');
  const manyDir = path.join(work, 'many');
  console.log('generating photos…');
  const large = await makeLarge(largeDir);
  await makeMany(manyDir, MEMORY_PHOTOS);

  console.log('preprocessing alone (thumbnail + preview from one decode)…');
  const pre1 = await preprocessingThroughput(large, 1);
  const pre2 = await preprocessingThroughput(large, 2);

  console.log('whole pipeline on 12 MP JPEGs…');
  const pipelineData = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-'));
  const server = await startServer(pipelineData);
  const pipelineSeconds = await importInto(largeDir, pipelineData);
  await server.stop();
  fs.rmSync(pipelineData, { recursive: true, force: true });

  console.log(`memory: importing ${MEMORY_PHOTOS} photos…`);
  const memoryData = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-'));
  const memServer = await startServer(memoryData);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idleRss = rssMb(memServer.pid);
  let peakRss = idleRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(memServer.pid))), 200);
  const manySeconds = await importInto(manyDir, memoryData);
  clearInterval(sampler);
  await memServer.stop();
  // A restart on the filled library: what a server usually looks like.
  const reopened = await startServer(memoryData);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const reopenedIdleRss = rssMb(reopened.pid);
  await reopened.stop();
  fs.rmSync(memoryData, { recursive: true, force: true });

  const results = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    preprocessing12mp: { oneAtATime: pre1, twoInFlight: pre2 },
    pipeline12mp: { photos: large.length, seconds: round(pipelineSeconds), photosPerSecond: round(large.length / pipelineSeconds) },
    server: {
      startToFirstAnswerMsNewLibrary: memServer.startMs,
      startToFirstAnswerMsReopened: reopened.startMs,
      idleRssMbNewLibrary: idleRss,
      idleRssMbReopened: reopenedIdleRss,
      peakRssMbImporting: peakRss,
      photosImported: MEMORY_PHOTOS,
      importSeconds: round(manySeconds),
      importPhotosPerSecond: round(MEMORY_PHOTOS / manySeconds),
    },
  };
  console.log(JSON.stringify(results, null, 2));
  const out = path.join(repoRoot, 'bench/results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'ingest-latest.json'), `${JSON.stringify(results, null, 2)}\n`);
}

await main();
