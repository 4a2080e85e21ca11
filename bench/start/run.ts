// How soon `shoebox serve` answers on an existing library (issue 32, item 5: ≤ 3 s on this 2-core machine, with
// models and workers warming up after the first answer). A library of 11 corpus photos is made once (in
// `bench/start/.work/`, ignored by git); then, for each run, the server is spawned on it the way `npm start` does
// and asked, every 20 ms from the moment it is spawned:
//   first answer   any HTTP answer to GET /api/health (while it opens the library: 503 "starting")
//   ready          GET /api/health answered 200
//   web app        GET / (index.html), sent once at the spawn and held by the server until it can answer
//   photos         GET /api/photos with the library's own key, sent at the spawn likewise
// Reference measured in the same run: a bare `node -e 0` spawned to its exit (Node's own start).
// Usage: npm run bench:start [-- --runs 5]
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { arg } from '../args.js';
import { repoRoot } from '../search/generate.js';
import { corpusPath } from '../../test/helpers/corpus.js';
import { readLocalApiKey } from '../../src/auth/local-key-file.js';

const RUNS = Number(arg('runs') ?? 5);
const PORT = 3290;
/** A server that has not answered by then is not going to. */
const GIVE_UP_MS = 60_000;
const work = path.join(repoRoot, 'bench/start/.work');
const library = path.join(work, 'library');
const cli = path.join(repoRoot, 'bin/shoebox.js');
const env = { ...process.env, MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', SHOEBOX_LOG_LEVEL: 'warn' };

interface Answer {
  status: number;
  ms: number;
}

/** One request, retried every 20 ms while nothing listens; resolves with the first HTTP answer. */
function ask(route: string, started: number, headers: Record<string, string> = {}, until?: (status: number) => boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (performance.now() - started > GIVE_UP_MS) return reject(new Error(`nothing answered ${route} within ${GIVE_UP_MS / 1000} s`));
      const request = http.get({ host: '127.0.0.1', port: PORT, path: route, headers }, (response) => {
        response.resume();
        response.on('end', () => {
          if (until && !until(response.statusCode ?? 0)) return void setTimeout(attempt, 20);
          resolve({ status: response.statusCode ?? 0, ms: performance.now() - started });
        });
      });
      request.on('error', () => setTimeout(attempt, 20));
    };
    attempt();
  });
}

function waitForExit(child: ReturnType<typeof spawn>): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
}

async function makeLibrary(): Promise<void> {
  if (fs.existsSync(path.join(library, '.complete'))) return;
  fs.rmSync(work, { recursive: true, force: true });
  const photos = path.join(work, 'photos');
  fs.mkdirSync(photos, { recursive: true });
  const sources = ['nature', 'text'].flatMap((album) => {
    const dir = corpusPath('immich-test-assets', 'albums', album);
    return fs
      .readdirSync(dir)
      .filter((name) => /\.jpe?g$/i.test(name))
      .slice(0, 6)
      .map((name) => path.join(dir, name));
  });
  for (const source of sources) fs.copyFileSync(source, path.join(photos, path.basename(source)));
  const server = spawn(process.execPath, [cli, 'serve', '--data', library, '--port', String(PORT)], { env, stdio: 'ignore' });
  try {
    await ask('/api/health', performance.now(), {}, (status) => status === 200);
    execFileSync(process.execPath, [cli, 'import', photos, '--data', library, '--wait'], { env, stdio: 'inherit' });
  } finally {
    server.kill('SIGTERM');
    await waitForExit(server);
  }
  fs.writeFileSync(path.join(library, '.complete'), `${sources.length} photos\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  await makeLibrary();
  const key = readLocalApiKey(library);
  if (!key) throw new Error(`no CLI key in ${library}`);
  const rows: Record<string, number[]> = { node: [], first: [], ready: [], web: [], photos: [] };
  for (let run = 0; run < RUNS; run++) {
    let started = performance.now();
    await waitForExit(spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' }));
    rows.node!.push(performance.now() - started);

    started = performance.now();
    const server = spawn(process.execPath, [cli, 'serve', '--data', library, '--port', String(PORT)], { env, stdio: 'ignore' });
    const [first, ready, web, photos] = await Promise.all([
      ask('/api/health', started),
      ask('/api/health', started, {}, (status) => status === 200),
      ask('/', started),
      ask('/api/photos?limit=50', started, { authorization: `Bearer ${key}` }),
    ]);
    if (web.status !== 200 || photos.status !== 200) throw new Error(`the web app answered ${web.status}, the photo list ${photos.status}`);
    rows.first!.push(first.ms);
    rows.ready!.push(ready.ms);
    rows.web!.push(web.ms);
    rows.photos!.push(photos.ms);
    server.kill('SIGTERM');
    await waitForExit(server);
    process.stderr.write(
      `run ${run + 1}: first answer ${(first.ms / 1000).toFixed(2)} s (${first.status}), ready ${(ready.ms / 1000).toFixed(2)} s, web ${(web.ms / 1000).toFixed(2)} s, photos ${(photos.ms / 1000).toFixed(2)} s\n`,
    );
  }
  const line = (name: string, values: number[]) =>
    `| ${name} | ${(median(values) / 1000).toFixed(2)} s | ${(Math.min(...values) / 1000).toFixed(2)}–${(Math.max(...values) / 1000).toFixed(2)} s | ${(median(values) / median(rows.node!)).toFixed(1)}× |`;
  console.log(`| from the spawn to | median of ${RUNS} | range | × bare Node start |`);
  console.log('| --- | --- | --- | --- |');
  console.log(line('bare `node -e 0` exits (reference)', rows.node!));
  console.log(line('first answer to /api/health', rows.first!));
  console.log(line('/api/health 200 (ready)', rows.ready!));
  console.log(line('web app (GET /)', rows.web!));
  console.log(line('photo list (GET /api/photos)', rows.photos!));
}

await main();
