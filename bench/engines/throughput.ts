// Pipeline throughput, embedded against the cluster mode on one machine: the realistic set (12 MP phone photos,
// some with people, some with text, six HEIC; bench/analysis/realistic-set.ts) uploaded over HTTP to
//   embedded   `shoebox serve` on PGlite with its in-process worker, files in its data folder;
//   1 worker   `shoebox serve --no-worker` + one `shoebox worker`, on PostgreSQL, Redis (BullMQ) and S3 (s3rver);
//   2 workers  the same with two workers;
// each timed from the first upload to the last photo's terminal state. The difference per photo between the
// embedded run and one worker is what the queue, the database server and the object store cost a photo.
// Usage: npm run build && npm run bench:throughput [-- --photos 100 --json]. Results: bench/results/throughput-latest.json.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readLocalApiKey } from '../../src/auth/local-key-file.js';
import { startPostgresServer, type PostgresServer } from '../../test/helpers/postgres-server.js';
import { startRedisServer, type RedisServer } from '../../test/helpers/redis-server.js';
import { startS3Server, type S3Server } from '../../test/helpers/s3-server.js';
import { makeRealisticSet } from '../analysis/realistic-set.js';
import { arg } from '../args.js';
import { waitForQuiet } from '../machine.js';
import { repoRoot } from '../search/generate.js';
import { assets } from '../../test/helpers/corpus.js';

const bin = path.join(repoRoot, 'bin/shoebox.js');
const LIMIT = Number(arg('photos') ?? 100);
const JSON_ONLY = process.argv.includes('--json');
const log = (line: string) => (JSON_ONLY ? process.stderr.write(`${line}\n`) : console.log(line));
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  for (const key of Object.keys(clean)) if (key.startsWith('SHOEBOX_') || key === 'DATABASE_URL' || key === 'REDIS_URL') delete clean[key];
  return { ...clean, ...extra };
}

/** Spawns a Shoebox command and resolves once its output shows `ready` (a match of it is returned). */
function spawnShoebox(args: string[], extra: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env: env(extra), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = ready.exec(output);
      if (match) resolve({ child, match });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`shoebox ${args[0]} exited (${code}): ${output.slice(-2000)}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** Uploads the files 10 to a request, then waits for every photo's terminal state; seconds from the first byte. */
async function importAndWait(url: string, key: string, files: string[]): Promise<{ seconds: number; states: Record<string, number> }> {
  const started = performance.now();
  const ids: string[] = [];
  for (let first = 0; first < files.length; first += 10) {
    const form = new FormData();
    for (const file of files.slice(first, first + 10)) form.append('file', new Blob([new Uint8Array(fs.readFileSync(file))]), path.basename(file));
    const response = await fetch(`${url}/api/photos`, { method: 'POST', body: form, headers: { 'x-api-key': key } });
    if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
    ids.push(...((await response.json()) as { items: { id: string }[] }).items.map((item) => item.id));
  }
  for (;;) {
    const response = await fetch(`${url}/api/photos/states`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ ids }),
    });
    const { states } = (await response.json()) as { states: Record<string, string> };
    const values = ids.map((id) => states[id] ?? 'missing');
    if (values.every((state) => ['completed', 'partial', 'failed'].includes(state))) {
      const seconds = (performance.now() - started) / 1000;
      const counts: Record<string, number> = {};
      for (const state of values) counts[state] = (counts[state] ?? 0) + 1;
      return { seconds, states: counts };
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function embeddedRun(files: string[]) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-throughput-'));
  const { child, match } = await spawnShoebox(['serve', '--data', dataDir, '--port', '0'], {}, /running at (http:\/\/\S+)/);
  try {
    return await importAndWait(match[1]!, readLocalApiKey(dataDir)!, files);
  } finally {
    await stop(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function clusterRun(files: string[], workers: number, engines: { postgres: PostgresServer; redis: RedisServer; s3: S3Server }, run: string) {
  const databaseUrl = await engines.postgres.createDatabase(`throughput_${run}`);
  await engines.redis.restart(); // empty: no queue or schedule of the run before
  const shared = { DATABASE_URL: databaseUrl, REDIS_URL: engines.redis.url, ...engines.s3.env(run) };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-throughput-'));
  const folders = [dataDir];
  const children: ChildProcess[] = [];
  try {
    const server = await spawnShoebox(['serve', '--no-worker', '--data', dataDir, '--port', '0'], shared, /running at (http:\/\/\S+)/);
    children.push(server.child);
    for (let i = 0; i < workers; i++) {
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-throughput-worker-'));
      folders.push(folder);
      children.push((await spawnShoebox(['worker', '--data', folder], shared, /Shoebox worker is running/)).child);
    }
    return await importAndWait(server.match[1]!, readLocalApiKey(dataDir)!, files);
  } finally {
    for (const child of children.reverse()) await stop(child);
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  }
}

async function main() {
  const set = await makeRealisticSet(assets, path.join(repoRoot, 'bench/analysis/.work'));
  const files = set.photos.slice(0, LIMIT).map((photo) => path.join(set.dir, photo.name));
  const megabytes = files.reduce((sum, file) => sum + fs.statSync(file).size, 0) / 1024 ** 2;
  log(`${files.length} photos (${round(megabytes, 0)} MB, ${set.photos.slice(0, LIMIT).filter((p) => p.heic).length} HEIC)`);
  const postgres = await startPostgresServer();
  const redis = await startRedisServer();
  const s3 = await startS3Server();
  const runs: Record<string, { seconds: number; photosPerSecond: number; states: Record<string, number> }> = {};
  try {
    const arms: [string, () => Promise<{ seconds: number; states: Record<string, number> }>][] = [
      ['embedded', () => embeddedRun(files)],
      ['1 worker', () => clusterRun(files, 1, { postgres, redis, s3 }, 'one')],
      ['2 workers', () => clusterRun(files, 2, { postgres, redis, s3 }, 'two')],
    ];
    for (const [name, run] of arms) {
      await waitForQuiet({ maxSeconds: 120, quietCores: 0.25 });
      log(`${name}…`);
      const result = await run();
      runs[name] = { ...result, seconds: round(result.seconds, 1), photosPerSecond: round(files.length / result.seconds) };
      log(`  ${runs[name]!.seconds} s, ${runs[name]!.photosPerSecond} photos/s ${JSON.stringify(result.states)}`);
    }
  } finally {
    await s3.stop();
    await redis.stop();
    await postgres.stop();
  }
  const perPhoto = (name: string) => runs[name]!.seconds / files.length;
  const report = {
    photos: files.length,
    cores: os.availableParallelism(),
    runs,
    clusterCostPerPhotoMs: Math.round((perPhoto('1 worker') - perPhoto('embedded')) * 1000),
    at: new Date().toISOString(),
  };
  fs.mkdirSync(path.join(repoRoot, 'bench/results'), { recursive: true });
  fs.writeFileSync(path.join(repoRoot, 'bench/results/throughput-latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  if (JSON_ONLY) process.stdout.write(`${JSON.stringify(report)}\n`);
  else console.log(JSON.stringify(report, null, 2));
}

await main();
