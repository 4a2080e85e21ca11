// Offline analysis benchmark on the realistic set (realistic-set.ts: 100 photos of 12 MP, 60 % landscapes and
// objects, 30 % with people, 10 % with text, six HEIC): whole-pipeline throughput, each step's share of the time,
// how soon every photo shows its thumbnail, server memory with every offline model loaded, and API latency while
// photos are analysed — all read from real runs of `shoebox serve` + `shoebox import --wait` on new libraries (no
// CLIP model installed: faces + people, OCR where text is likely, palette, hashes, preprocessing, metadata,
// fallback captions).
// Usage: npm run build && npm run bench:analysis [-- --repeat 3 --runs realistic,realistic-polled --bin /path/to/other-checkout/bin/shoebox.js]
// Results are printed and written to bench/results/analysis-latest.json; bench/README.md says what they mean.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { defaultConcurrency } from '../../src/config/settings.js';
import { readLocalApiKey } from '../../src/auth/local-key-file.js';
import { decodePhoto } from '../../src/media/decode.js';
import { arg } from '../args.js';
import { makeRealisticSet, type RealisticCategory } from './realistic-set.js';
import { assets } from '../../test/helpers/corpus.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = assets;
const work = path.join(repoRoot, 'bench/analysis/.work');
// `--bin PATH`: another checkout's built CLI (its bin/shoebox.js), to measure a before and an after on one set.
const bin = path.resolve(arg('bin') ?? path.join(repoRoot, 'bin/shoebox.js'));

const REPEAT = Number(arg('repeat') ?? 3);
const SAMPLE_MS = 200;
const POLL_MS = 100;
const STEPS = ['preprocessing', 'metadata', 'hashes', 'palette', 'embeddings', 'faces', 'objects', 'tags', 'ocr', 'captions', 'duplicates'] as const;
const CATEGORIES: readonly RealisticCategory[] = ['typical', 'people', 'text'];

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

// --- /proc sampling ---------------------------------------------------------------------------------------

const CLOCK_TICKS = 100;

function procStatus(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** utime + stime (seconds) and parent of a process, from /proc/PID/stat. */
function procStat(pid: number): { cpuSeconds: number; ppid: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS };
  } catch {
    return null;
  }
}

/** The process and all its descendants (exiftool, decoders). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(name));
    children.set(stat.ppid, list);
  }
  const tree: number[] = [];
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop()!;
    tree.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
function machineCpu(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: (total - idle) / CLOCK_TICKS, total: total / CLOCK_TICKS };
}

class Sampler {
  peakRssMb = 0;
  peakTreeRssMb = 0;
  idleRssMb = 0;
  private readonly cpuByPid = new Map<number, number>();
  private readonly cpuAtStart = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private machineStart = machineCpu();
  private startedAt = performance.now();

  constructor(private readonly pid: number) {}

  /** Starts counting CPU from now; RSS peaks from now. */
  start(): void {
    this.idleRssMb = procStatus(this.pid)?.rssMb ?? 0;
    for (const pid of processTree(this.pid)) this.cpuAtStart.set(pid, procStat(pid)?.cpuSeconds ?? 0);
    this.machineStart = machineCpu();
    this.startedAt = performance.now();
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  private sample(): void {
    const own = procStatus(this.pid);
    if (!own) return;
    this.peakRssMb = Math.max(this.peakRssMb, own.rssMb);
    let tree = 0;
    for (const pid of processTree(this.pid)) {
      tree += pid === this.pid ? own.rssMb : (procStatus(pid)?.rssMb ?? 0);
      const cpu = procStat(pid)?.cpuSeconds;
      if (cpu !== undefined) this.cpuByPid.set(pid, cpu);
    }
    this.peakTreeRssMb = Math.max(this.peakTreeRssMb, tree);
  }

  stop() {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    const seconds = (performance.now() - this.startedAt) / 1000;
    let serverCpu = 0;
    for (const [pid, cpu] of this.cpuByPid) serverCpu += cpu - (this.cpuAtStart.get(pid) ?? 0);
    const machine = machineCpu();
    const machineBusy = machine.busy - this.machineStart.busy;
    const hwm = procStatus(this.pid)?.hwmMb ?? 0;
    return {
      idleRssMb: round(this.idleRssMb),
      peakRssMb: round(this.peakRssMb),
      vmHwmMb: round(hwm),
      peakTreeRssMb: round(this.peakTreeRssMb),
      seconds: round(seconds),
      serverCpuSeconds: round(serverCpu),
      /** Server (with exiftool and other children) CPU over the wall time, in cores. */
      serverCores: round(serverCpu / seconds, 2),
      /** The whole machine's busy CPU over the wall time, in cores: the rest is the import client, this script and other work. */
      machineBusyCores: round(machineBusy / seconds, 2),
    };
  }
}

/**
 * How fast the machine is right now: the best of three runs of a fixed integer loop, in ms. The shared hosts this
 * runs on vary by ±30 % from hour to hour (the same loop took 431 and 680 ms a minute apart), so runs are only
 * comparable when their probes are close; back-to-back A/B runs remain the fair comparison.
 */
function hostProbeMs(): number {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    let x = 0;
    for (let i = 0; i < 100_000_000; i++) x = (x + i * 7) % 1_000_003;
    if (x < 0) throw new Error('unreachable'); // keeps the loop from being optimised away
    best = Math.min(best, performance.now() - started);
  }
  return Math.round(best);
}

/**
 * The machine is shared: waits (up to 3 minutes) until the other processes use under a quarter of a core over
 * 3 s, and says how busy it was when it gave up.
 */
async function waitForQuiet(): Promise<number> {
  let busy = 0;
  for (let waited = 0; waited < 180; waited += 3) {
    const before = machineCpu();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    busy = (machineCpu().busy - before.busy) / 3;
    if (busy < 0.25) return round(busy, 2);
    if (waited % 30 === 0) console.log(`  waiting for a quiet machine (${round(busy, 2)} cores busy)…`);
  }
  return round(busy, 2);
}

// --- server, import, API --------------------------------------------------------------------------------

interface Server {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  // Offline analysis: no caption endpoint, defaults unless the run says otherwise.
  for (const key of Object.keys(env)) if (key.startsWith('SHOEBOX_') || key === 'DATABASE_URL') delete env[key];
  return { ...env, ...extra };
}

async function startServer(dataDir: string, env: Record<string, string>): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, [bin, 'serve', '--data', dataDir, '--port', '0'], {
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
  await fetch(`${url}/api/health`);
  return {
    pid: child.pid!,
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function importInto(dir: string, dataDir: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'import', dir, '--data', dataDir, '--wait'], {
      env: cleanEnv(env),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`import exited ${code}: ${stderr.slice(-2000)}`))));
  });
}

/** The running server's own key for its CLI (`<data>/cli-api-key`): the API answers signed-in requests only. */
let apiKey: string | null = null;
const authed = (url: string) => fetch(url, { headers: apiKey ? { 'x-api-key': apiKey } : {} });

async function getJson<T>(url: string): Promise<T> {
  const response = await authed(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** GETs the URL every POLL_MS (or right after the previous answer when that took longer) until stopped. */
function poller(url: string) {
  const latencies: number[] = [];
  let errors = 0;
  let running = true;
  const done = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await authed(url);
        await response.arrayBuffer();
        if (!response.ok) errors += 1;
      } catch {
        errors += 1;
      }
      const ms = performance.now() - started;
      latencies.push(ms);
      if (ms < POLL_MS) await new Promise((resolve) => setTimeout(resolve, POLL_MS - ms));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { requests: latencies.length, errors, ...distribution(latencies), maxMs: round(Math.max(...latencies)) };
    },
  };
}

// --- statistics -----------------------------------------------------------------------------------------

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function distribution(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return { meanMs: round(mean), p50Ms: round(percentile(sorted, 0.5)), p95Ms: round(percentile(sorted, 0.95)) };
}

interface StepInfo {
  status: string;
  durationMs: number | null;
  finishedAt: string | null;
  version: string | null;
  error: string | null;
}
interface PhotoDetail {
  id: string;
  filename: string;
  state: string;
  updatedAt: string;
  steps: Record<string, StepInfo>;
  faces: unknown[];
  ocr?: { text: string } | null;
}

function categoryOf(filename: string): RealisticCategory {
  return filename.startsWith('text-') ? 'text' : filename.startsWith('people-') ? 'people' : 'typical';
}

/**
 * Per step: statuses, ms/photo over every photo (a skipped step's time is what deciding to skip cost), and the
 * step's share of all the steps' time.
 */
function stepTable(details: PhotoDetail[]) {
  const table: Record<string, unknown> = {};
  const totals = details.map((photo) => STEPS.reduce((sum, step) => sum + (photo.steps[step]?.durationMs ?? 0), 0));
  const all = totals.reduce((a, b) => a + b, 0);
  for (const step of STEPS) {
    const statuses: Record<string, number> = {};
    const durations: number[] = [];
    for (const photo of details) {
      const info = photo.steps[step];
      if (!info) continue;
      statuses[info.status] = (statuses[info.status] ?? 0) + 1;
      durations.push(info.durationMs ?? 0);
    }
    const sum = durations.reduce((a, b) => a + b, 0);
    table[step] = { ...statuses, ...distribution(durations), sharePercent: all > 0 ? round((100 * sum) / all) : null };
  }
  table.allSteps = distribution(totals);
  return table;
}

async function collect(url: string): Promise<PhotoDetail[]> {
  const ids: string[] = [];
  for (let page = 1; ; page += 1) {
    const list = await getJson<{ items: { id: string }[] }>(`${url}/api/photos?limit=500&page=${page}`);
    ids.push(...list.items.map((item) => item.id));
    if (list.items.length < 500) break;
  }
  const details: PhotoDetail[] = [];
  for (const id of ids) details.push(await getJson<PhotoDetail>(`${url}/api/photos/${id}`));
  return details;
}

// --- runs -----------------------------------------------------------------------------------------------

interface RunSpec {
  name: string;
  env: Record<string, string>;
  /** Poll /api/health and /api/photos?limit=50 during the import. */
  poll: boolean;
  repeat: number;
}

/** Failed steps, by step and message. */
function failures(details: PhotoDetail[]): Record<string, Record<string, number>> {
  const found: Record<string, Record<string, number>> = {};
  for (const photo of details) {
    for (const [step, info] of Object.entries(photo.steps)) {
      if (info.status !== 'failed') continue;
      const byMessage = (found[step] ??= {});
      // Drizzle's "Failed query: <sql> params: <values>" (its cause is not in the message): the statement's start.
      const error = info.error ?? '';
      const message = error.startsWith('Failed query') ? `${error.slice(0, 40)}…` : error.slice(0, 240);
      byMessage[message] = (byMessage[message] ?? 0) + 1;
    }
  }
  return found;
}

function byCategory(details: PhotoDetail[]) {
  const result: Record<string, unknown> = {};
  for (const category of CATEGORIES) {
    const photos = details.filter((d) => categoryOf(d.filename) === category);
    if (photos.length === 0) continue;
    result[category] = {
      photos: photos.length,
      states: countBy(photos.map((p) => p.state)),
      facesFound: photos.reduce((n, p) => n + p.faces.length, 0),
      photosWithOcrText: photos.filter((p) => p.ocr?.text?.trim()).length,
      /** Where the text gate let OCR run. */
      ocrRanOn: photos
        .filter((p) => p.steps.ocr?.status === 'done')
        .map((p) => p.filename)
        .sort(),
      steps: stepTable(photos),
    };
  }
  return result;
}

async function runOnce(spec: RunSpec, dir: string) {
  const busyCoresBefore = await waitForQuiet();
  const probeBefore = hostProbeMs();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-analysis-'));
  const server = await startServer(dataDir, spec.env);
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    apiKey = readLocalApiKey(dataDir);
    const sampler = new Sampler(server.pid);
    sampler.start();
    const pollers = spec.poll ? { health: poller(`${server.url}/api/health`), photos: poller(`${server.url}/api/photos?limit=50`) } : null;
    const importStartedAt = Date.now();
    await importInto(dir, dataDir, spec.env);
    const importSeconds = (Date.now() - importStartedAt) / 1000;
    const latency = pollers ? { health: await pollers.health.stop(), photosList: await pollers.photos.stop() } : null;
    const resources = sampler.stop();
    const details = await collect(server.url);
    // The last photo's final state update: `import --wait` polls every 500 ms, this is exact.
    const lastTerminal = Math.max(...details.map((d) => Date.parse(d.updatedAt)));
    const seconds = (lastTerminal - importStartedAt) / 1000;
    // A photo shows its thumbnail once preprocessing is done.
    const lastThumbnail = Math.max(...details.map((d) => Date.parse(d.steps.preprocessing?.finishedAt ?? d.updatedAt)));
    const stats = await getJson<Record<string, unknown>>(`${server.url}/api/stats`);
    const people = await getJson<{ total?: number }>(`${server.url}/api/people`).catch(() => null);
    const sample = details[0]?.steps;
    return {
      photos: details.length,
      states: countBy(details.map((d) => d.state)),
      /** Import start (spawning `shoebox import --wait`) to the last photo's terminal state. */
      secondsToAllTerminal: round(seconds, 2),
      photosPerSecond: round(details.length / seconds, 2),
      /** Import start to the last photo's thumbnail. */
      secondsToAllThumbnails: round((lastThumbnail - importStartedAt) / 1000, 2),
      steps: stepTable(details),
      importCommandSeconds: round(importSeconds, 2),
      failures: failures(details),
      resources,
      latency,
      byCategory: byCategory(details),
      apiStatsAverageDurationMs: Object.fromEntries(
        Object.entries((stats.steps ?? {}) as Record<string, { averageDurationMs: number | null }>).map(([k, v]) => [k, v.averageDurationMs]),
      ),
      people: people?.total ?? null,
      versions: sample ? Object.fromEntries(STEPS.map((s) => [s, sample[s]?.version ?? null])) : null,
      busyCoresBefore,
      /** hostProbeMs() before the run and after it: the host's speed while it ran (lower is faster). */
      hostProbeMs: [probeBefore, hostProbeMs()],
      /** Machine CPU that was not the server's (the import client, this script, other work), in cores. */
      otherCores: round(resources.machineBusyCores - resources.serverCores, 2),
      loadAverageAfter: os.loadavg().map((n) => round(n, 2)),
    };
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** What the set holds: photos per category, HEIC and upright ones, mean size. */
function describeSet(set: Awaited<ReturnType<typeof makeRealisticSet>>) {
  const bytes = set.photos.reduce((sum, photo) => sum + fs.statSync(path.join(set.dir, photo.name)).size, 0);
  return {
    photos: set.photos.length,
    categories: countBy(set.photos.map((photo) => photo.category)),
    heic: set.photos.filter((photo) => photo.heic).length,
    uprightWithOrientation6: set.photos.filter((photo) => photo.upright).length,
    megapixels: 12,
    meanMB: round(bytes / set.photos.length / 1e6, 2),
  };
}

function median(values: number[] | undefined): number | null {
  if (!values?.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : round((sorted[mid - 1]! + sorted[mid]!) / 2, 2);
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

async function main() {
  console.log('realistic set…');
  const set = await makeRealisticSet(corpus, work);
  const specs: RunSpec[] = [
    { name: 'realistic', env: {}, poll: false, repeat: REPEAT },
    // The same import while a client asks for /api/health and /api/photos?limit=50 every 100 ms each (a heavier
    // load than the web app puts on it): the API's latency while photos are analysed, and what that load costs.
    { name: 'realistic-polled', env: {}, poll: true, repeat: 1 },
    { name: 'realistic-sequential', env: { SHOEBOX_CONCURRENCY: '1' }, poll: false, repeat: 1 },
  ];
  // the reference, in the same run: a bare decode-and-resize of every photo to the preview's size, one at a time
  const bareStarted = performance.now();
  for (const photo of set.photos) {
    const file = path.join(set.dir, photo.name);
    if (/\.hei[cf]$/i.test(photo.name)) await decodePhoto(file, 'image/heic');
    else await sharp(file).rotate().resize(1440, 1440, { fit: 'inside' }).jpeg().toBuffer();
  }
  const barePhotosPerSecond = Math.round((set.photos.length / ((performance.now() - bareStarted) / 1000)) * 100) / 100;
  console.log(`bare decode-and-resize to 1440 px: ${barePhotosPerSecond} photos/s`);
  const only = arg('runs')?.split(',');
  const runs: Record<string, Awaited<ReturnType<typeof runOnce>>[]> = {};
  for (const spec of specs) {
    if (only && !only.includes(spec.name)) continue;
    runs[spec.name] = [];
    for (let i = 0; i < spec.repeat; i += 1) {
      console.log(`${spec.name} (${i + 1}/${spec.repeat})…`);
      const result = await runOnce(spec, set.dir);
      console.log(
        `  ${result.photos} photos, ${result.photosPerSecond} photos/s, all thumbnails after ${result.secondsToAllThumbnails} s, ` +
          `peak RSS ${result.resources.peakRssMb} MB, server CPU ${result.resources.serverCpuSeconds} s, host probe ${result.hostProbeMs.join(' / ')} ms`,
      );
      if (Object.keys(result.failures).length > 0) console.log(`  FAILED STEPS: ${JSON.stringify(result.failures)}`);
      runs[spec.name]!.push(result);
    }
  }

  const best = (name: string) => {
    const list = runs[name];
    if (!list?.length) return null;
    return list.reduce((a, b) => (b.photosPerSecond > a.photosPerSecond ? b : a));
  };
  const main = best('realistic');
  const summary = {
    photosPerSecond: {
      best: main?.photosPerSecond ?? null,
      median: median(runs.realistic?.map((r) => r.photosPerSecond)),
      all: runs.realistic?.map((r) => r.photosPerSecond) ?? [],
      sequential: best('realistic-sequential')?.photosPerSecond ?? null,
      target: 2.5,
      bareDecodeAndResize: barePhotosPerSecond,
      /** How many times slower than a bare decode-and-resize the pipeline is (the median run). */
      ratioToBare: Math.round((barePhotosPerSecond / (median(runs.realistic?.map((r) => r.photosPerSecond)) ?? NaN)) * 10) / 10,
    },
    secondsToAllThumbnails: runs.realistic?.map((r) => r.secondsToAllThumbnails) ?? [],
    perStep: main?.steps ?? null,
    perStepByCategory: main?.byCategory ?? null,
    perStepUncontended: best('realistic-sequential')?.steps ?? null,
    peakRssMb: main?.resources.peakRssMb ?? null,
    vmHwmMb: main?.resources.vmHwmMb ?? null,
    polled: best('realistic-polled')
      ? { photosPerSecond: best('realistic-polled')!.photosPerSecond, apiLatencyWhileAnalysing: best('realistic-polled')!.latency }
      : null,
  };
  const results = {
    date: new Date().toISOString(),
    bin: path.relative(repoRoot, bin), // relative: a result names no folder of the machine it ran on
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    defaultConcurrency: defaultConcurrency(),
    set: describeSet(set),
    summary,
    runs,
  };
  const text = JSON.stringify(results, null, 2);
  console.log(text);
  const out = path.join(repoRoot, 'bench/results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'analysis-latest.json'), `${text}\n`);
}

await main();
