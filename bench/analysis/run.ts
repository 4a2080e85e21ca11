// Offline analysis benchmark: per-step cost, whole-pipeline throughput, server memory with every offline model
// loaded, and API latency while photos are analysed — all read from real runs of `shoebox serve` + `shoebox
// import --wait` on new libraries (no CLIP model installed: faces + people, OCR where text is likely, palette,
// hashes, preprocessing, metadata, fallback captions).
// Usage: npm run build && npm run bench:analysis [-- --repeat 3 --runs typical-faces1,mixed-defaults --no-breakdown]
// (--repeat: runs of typical-faces1 and typical-faces2; --runs: only these runs, named as in `specs` below).
// Results are printed and written to bench/results/analysis-latest.json; bench/README.md says what they mean.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type * as FaceApi from '@vladmandic/face-api';
import { defaultConcurrency } from '../../src/config/settings.js';
import { makeRenditions } from '../../src/media/decode.js';
import { detectFaces, loadFaceModels } from '../../src/ml/faces/detect.js';
import { describeFaces, faceCrop } from '../../src/ml/faces/descriptor.js';
import { DEFAULT_FACE_SETTINGS } from '../../src/ml/faces/settings.js';
import { arg } from '../args.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = path.resolve(repoRoot, '../shared/corpus/immich-test-assets');
const work = path.join(repoRoot, 'bench/analysis/.work');
const bin = path.join(repoRoot, 'bin/shoebox.js');

const REPEAT = Number(arg('repeat') ?? 3);
const SAMPLE_MS = 200;
const POLL_MS = 100;
const STEPS = ['preprocessing', 'metadata', 'hashes', 'palette', 'embeddings', 'faces', 'tags', 'ocr', 'captions'] as const;
type Category = 'typical' | 'text' | 'faces';

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

// --- photo sets -----------------------------------------------------------------------------------------

interface Variant {
  /** Copy the original's bytes. */
  original?: boolean;
  flop?: boolean;
  /** Of the upright size. */
  scale?: number;
  /** Centre crop, share of each side kept. */
  crop?: number;
  brightness?: number;
  blur?: number;
  quality?: number;
}

/** Typical photos without text or people: the nature album and the other no-text corpus JPEGs ≥ 500 px. */
const TYPICAL_BASES = [
  ...fs
    .readdirSync(path.join(corpus, 'albums/nature'))
    .filter((name) => /\.jpe?g$/i.test(name))
    .sort()
    .map((name) => `albums/nature/${name}`),
  'metadata/gps-position/empty_gps.jpg', // 4640×3472, a cat on a chair
  'metadata/rating/mongolels.jpg', // 950×634, dunes
];
/** Six re-encodings of each: 11 × 6 = 66 distinct files. */
const TYPICAL_VARIANTS: Variant[] = Array.from({ length: 6 }, (_, v) => ({
  flop: v % 2 === 1,
  scale: 1 - 0.1 * Math.floor(v / 2),
  brightness: 0.97 + 0.012 * v,
  quality: 82 + 2 * v,
}));
const TEXT_BASES = fs
  .readdirSync(path.join(corpus, 'albums/text'))
  .sort()
  .map((name) => `albums/text/${name}`);
const TEXT_VARIANTS: Variant[] = [{ original: true }, { brightness: 1.02, quality: 90 }, { scale: 0.75, brightness: 0.98, quality: 85 }];
const FACE_BASES = ['metadata/faces/portrait.jpg', 'metadata/faces/portrait-orientation-6.jpg'];
const FACE_VARIANTS: Variant[] = [
  { original: true },
  { flop: true, quality: 90 },
  { brightness: 1.1, quality: 85 },
  { scale: 0.7, quality: 60 },
  { crop: 0.85, quality: 90 },
  { blur: 1, quality: 90 },
];

async function makeVariant(source: string, variant: Variant, file: string): Promise<void> {
  if (variant.original) {
    fs.copyFileSync(source, file);
    return;
  }
  const upright = await sharp(source).rotate().toBuffer({ resolveWithObject: true });
  let image = sharp(upright.data);
  const { width, height } = upright.info;
  if (variant.crop) {
    const w = Math.round(width * variant.crop);
    const h = Math.round(height * variant.crop);
    image = image.extract({ left: Math.round((width - w) / 2), top: Math.round((height - h) / 2), width: w, height: h });
  }
  if (variant.scale && variant.scale !== 1) image = image.resize(Math.round(width * (variant.crop ?? 1) * variant.scale));
  if (variant.flop) image = image.flop();
  if (variant.brightness) image = image.modulate({ brightness: variant.brightness });
  if (variant.blur) image = image.blur(variant.blur);
  await image.jpeg({ quality: variant.quality ?? 88 }).toFile(file);
}

async function makeSet(category: Category, bases: string[], variants: Variant[]): Promise<string> {
  const dir = path.join(work, category);
  fs.mkdirSync(dir, { recursive: true });
  for (const base of bases) {
    const stem = path.basename(base).replace(/\.[^.]+$/, '');
    for (const [v, variant] of variants.entries()) {
      const file = path.join(dir, `${category}-${stem}-${v}.jpg`);
      if (!fs.existsSync(file)) await makeVariant(path.join(corpus, base), variant, file);
    }
  }
  const seen = new Map<string, string>();
  for (const name of fs.readdirSync(dir)) {
    const sha = createHash('sha256').update(fs.readFileSync(path.join(dir, name))).digest('hex');
    if (seen.has(sha)) throw new Error(`${name} and ${seen.get(sha)} have the same bytes`);
    seen.set(sha, name);
  }
  return dir;
}

/** Faces, then text, then typical photos (import order is sorted by name), hard links to the sets' files. */
function makeMixed(dirs: string[]): string {
  const dir = path.join(work, 'mixed');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir);
  for (const from of dirs) for (const name of fs.readdirSync(from)) fs.linkSync(path.join(from, name), path.join(dir, name));
  return dir;
}

async function describeSet(dir: string) {
  const names = fs.readdirSync(dir);
  let pixels = 0;
  let bytes = 0;
  for (const name of names) {
    const meta = await sharp(path.join(dir, name)).metadata();
    pixels += (meta.width ?? 0) * (meta.height ?? 0);
    bytes += fs.statSync(path.join(dir, name)).size;
  }
  return { photos: names.length, meanMegapixels: round(pixels / names.length / 1e6, 2), meanKB: Math.round(bytes / names.length / 1024) };
}

// --- where the faces time goes ---------------------------------------------------------------------------

/**
 * The faces step's phases, in this process on one thread, on the pipeline's own input (the 1440 px preview):
 * decode + downscale to maxSide, SSD MobileNet v1, 68-point landmarks, FaceRes (plain + mirrored crop) per face.
 * The same calls as detect.ts, timed one by one; best of 3 per photo.
 */
async function facesBreakdown(dirs: { typical: string; faces: string }) {
  const previews = path.join(work, 'previews');
  fs.mkdirSync(previews, { recursive: true });
  const inputs: { file: string; category: Category; upright: { width: number; height: number } }[] = [];
  const picks = [
    ...fs.readdirSync(dirs.typical).filter((n) => n.endsWith('-0.jpg')).map((n) => ({ file: path.join(dirs.typical, n), category: 'typical' as const })),
    ...fs.readdirSync(dirs.faces).map((n) => ({ file: path.join(dirs.faces, n), category: 'faces' as const })),
  ];
  for (const pick of picks) {
    const renditions = await makeRenditions(pick.file, 'image/jpeg');
    const preview = path.join(previews, path.basename(pick.file));
    fs.writeFileSync(preview, renditions.preview);
    inputs.push({ file: preview, category: pick.category, upright: { width: renditions.width, height: renditions.height } });
  }
  const loadStarted = performance.now();
  const { faceapi, tf, faceres } = await loadFaceModels();
  const loadMs = performance.now() - loadStarted;
  const settings = DEFAULT_FACE_SETTINGS;
  await detectFaces(inputs[0]!.file, inputs[0]!.upright, settings); // warm up
  const rows: { category: Category; faces: number; decodeMs: number; ssdMs: number; landmarksMs: number; faceResMs: number; detectFacesMs: number }[] = [];
  const time = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
    let best = Infinity;
    let result: T | undefined;
    for (let i = 0; i < 3; i += 1) {
      const started = performance.now();
      result = await run();
      best = Math.min(best, performance.now() - started);
    }
    return [result!, best];
  };
  for (const input of inputs) {
    const [pixels, decodeMs] = await time(async () => {
      const { data, info } = await sharp(input.file)
        .rotate()
        .resize({ width: settings.maxSide, height: settings.maxSide, fit: 'inside', withoutEnlargement: true })
        .removeAlpha()
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height };
    });
    const options = new faceapi.SsdMobilenetv1Options({ minConfidence: settings.minScore, maxResults: 100 });
    const detect = async (landmarks: boolean) => {
      const tensor = tf.tensor3d(pixels.data, [pixels.height, pixels.width, 3], 'int32') as unknown as FaceApi.tf.Tensor3D;
      try {
        const task = faceapi.detectAllFaces(tensor, options);
        return landmarks ? (await task.withFaceLandmarks()).map((f) => f.detection.box) : (await task).map((f) => f.box);
      } finally {
        tensor.dispose();
      }
    };
    const [, ssdMs] = await time(() => detect(false));
    const [boxes, ssdLandmarksMs] = await time(() => detect(true));
    const crops = boxes.map((b) => faceCrop({ x: b.x, y: b.y, width: b.width, height: b.height }));
    const [, faceResMs] = await time(() => describeFaces(tf as unknown as Parameters<typeof describeFaces>[0], faceres, pixels, crops));
    const [found, detectFacesMs] = await time(() => detectFaces(input.file, input.upright, settings));
    rows.push({ category: input.category, faces: found.length, decodeMs, ssdMs, landmarksMs: Math.max(0, ssdLandmarksMs - ssdMs), faceResMs, detectFacesMs });
  }
  const summarise = (list: typeof rows) => {
    const faces = list.reduce((n, r) => n + r.faces, 0);
    const mean = (key: 'decodeMs' | 'ssdMs' | 'landmarksMs' | 'faceResMs' | 'detectFacesMs') => round(list.reduce((n, r) => n + r[key], 0) / list.length);
    return {
      photos: list.length,
      faces,
      decodeMs: mean('decodeMs'),
      ssdMs: mean('ssdMs'),
      landmarksMs: mean('landmarksMs'),
      faceResMs: mean('faceResMs'),
      faceResMsPerFace: faces > 0 ? round(list.reduce((n, r) => n + r.faceResMs, 0) / faces) : null,
      landmarksMsPerFace: faces > 0 ? round(list.reduce((n, r) => n + r.landmarksMs, 0) / faces) : null,
      detectFacesMs: mean('detectFacesMs'),
    };
  };
  return {
    note: 'in this process, one thread, warm, best of 3 per photo, on 1440 px previews (what the faces step reads)',
    modelLoadMs: Math.round(loadMs),
    withoutFaces: summarise(rows.filter((r) => r.faces === 0)),
    withFaces: summarise(rows.filter((r) => r.faces > 0)),
  };
}

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

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
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
        const response = await fetch(url);
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

function categoryOf(filename: string): Category {
  if (filename.startsWith('text-')) return 'text';
  if (filename.startsWith('faces-')) return 'faces';
  return 'typical';
}

/** Per step: statuses, and ms/photo over every photo (a skipped step's time is what deciding to skip cost). */
function stepTable(details: PhotoDetail[]) {
  const table: Record<string, unknown> = {};
  for (const step of STEPS) {
    const statuses: Record<string, number> = {};
    const durations: number[] = [];
    for (const photo of details) {
      const info = photo.steps[step];
      if (!info) continue;
      statuses[info.status] = (statuses[info.status] ?? 0) + 1;
      durations.push(info.durationMs ?? 0);
    }
    const dist = distribution(durations);
    table[step] = { ...statuses, ...dist, photosPerSecondOneLane: dist.meanMs > 0 ? round(1000 / dist.meanMs) : null };
  }
  const totals = details.map((photo) => STEPS.reduce((sum, step) => sum + (photo.steps[step]?.durationMs ?? 0), 0));
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
  set: 'typical' | 'mixed';
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
  for (const category of ['typical', 'text', 'faces'] as const) {
    const photos = details.filter((d) => categoryOf(d.filename) === category);
    if (photos.length === 0) continue;
    result[category] = {
      photos: photos.length,
      states: countBy(photos.map((p) => p.state)),
      facesFound: photos.reduce((n, p) => n + p.faces.length, 0),
      photosWithOcrText: photos.filter((p) => p.ocr?.text?.trim()).length,
      /** Where the text gate let OCR run. */
      ocrRanOn: photos.filter((p) => p.steps.ocr?.status === 'done').map((p) => p.filename).sort(),
      steps: stepTable(photos),
    };
  }
  return result;
}

async function runOnce(spec: RunSpec, dir: string) {
  const busyCoresBefore = await waitForQuiet();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-bench-analysis-'));
  const server = await startServer(dataDir, spec.env);
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
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
    const stats = await getJson<Record<string, unknown>>(`${server.url}/api/stats`);
    const people = await getJson<{ total?: number }>(`${server.url}/api/people`).catch(() => null);
    const sample = details[0]?.steps;
    return {
      photos: details.length,
      states: countBy(details.map((d) => d.state)),
      /** Import start (spawning `shoebox import --wait`) to the last photo's terminal state. */
      secondsToAllTerminal: round(seconds, 2),
      photosPerSecond: round(details.length / seconds, 2),
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
      /** Machine CPU that was not the server's (the import client, this script, other work), in cores. */
      otherCores: round(resources.machineBusyCores - resources.serverCores, 2),
      loadAverageAfter: os.loadavg().map((n) => round(n, 2)),
    };
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
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
  console.log('generating photos…');
  const typicalDir = await makeSet('typical', TYPICAL_BASES, TYPICAL_VARIANTS);
  const textDir = await makeSet('text', TEXT_BASES, TEXT_VARIANTS);
  const facesDir = await makeSet('faces', FACE_BASES, FACE_VARIANTS);
  const mixedDir = makeMixed([facesDir, textDir, typicalDir]);
  const sets = { typical: await describeSet(typicalDir), text: await describeSet(textDir), faces: await describeSet(facesDir) };

  const specs: RunSpec[] = [
    { name: 'typical-faces1', set: 'typical', env: { SHOEBOX_FACES_CONCURRENCY: '1' }, poll: false, repeat: REPEAT },
    { name: 'typical-faces2', set: 'typical', env: { SHOEBOX_FACES_CONCURRENCY: '2' }, poll: false, repeat: REPEAT },
    { name: 'typical-faces1-concurrency4', set: 'typical', env: { SHOEBOX_CONCURRENCY: '4', SHOEBOX_FACES_CONCURRENCY: '1' }, poll: false, repeat: 1 },
    { name: 'typical-faces2-concurrency4', set: 'typical', env: { SHOEBOX_CONCURRENCY: '4', SHOEBOX_FACES_CONCURRENCY: '2' }, poll: false, repeat: 1 },
    { name: 'typical-sequential', set: 'typical', env: { SHOEBOX_CONCURRENCY: '1', SHOEBOX_FACES_CONCURRENCY: '1' }, poll: false, repeat: 1 },
    { name: 'mixed-defaults', set: 'mixed', env: {}, poll: true, repeat: 1 },
    { name: 'mixed-faces2', set: 'mixed', env: { SHOEBOX_FACES_CONCURRENCY: '2' }, poll: true, repeat: 1 },
  ];
  const only = arg('runs')?.split(',');
  const runs: Record<string, Awaited<ReturnType<typeof runOnce>>[]> = {};
  for (const spec of specs) {
    if (only && !only.includes(spec.name)) continue;
    runs[spec.name] = [];
    for (let i = 0; i < spec.repeat; i += 1) {
      console.log(`${spec.name} (${i + 1}/${spec.repeat})…`);
      const result = await runOnce(spec, spec.set === 'typical' ? typicalDir : mixedDir);
      console.log(`  ${result.photos} photos, ${result.photosPerSecond} photos/s, peak RSS ${result.resources.peakRssMb} MB`);
      if (Object.keys(result.failures).length > 0) console.log(`  FAILED STEPS: ${JSON.stringify(result.failures)}`);
      runs[spec.name]!.push(result);
    }
  }

  let facesCost: Awaited<ReturnType<typeof facesBreakdown>> | null = null;
  if (!process.argv.includes('--no-breakdown')) {
    console.log('faces step breakdown…');
    facesCost = await facesBreakdown({ typical: typicalDir, faces: facesDir });
  }

  const best = (name: string) => {
    const list = runs[name];
    if (!list?.length) return null;
    return list.reduce((a, b) => (b.photosPerSecond > a.photosPerSecond ? b : a));
  };
  const faces1 = best('typical-faces1');
  const faces2 = best('typical-faces2');
  const mixed = best('mixed-defaults');
  const mixed2 = best('mixed-faces2');
  const summary = {
    throughputTypicalPhotosPerSecond: {
      facesConcurrency1: faces1?.photosPerSecond ?? null,
      facesConcurrency2: faces2?.photosPerSecond ?? null,
      facesConcurrency1Median: median(runs['typical-faces1']?.map((r) => r.photosPerSecond)),
      facesConcurrency2Median: median(runs['typical-faces2']?.map((r) => r.photosPerSecond)),
      all: Object.fromEntries(
        Object.keys(runs)
          .filter((n) => n.startsWith('typical-'))
          .map((n) => [n, runs[n]!.map((r) => r.photosPerSecond)]),
      ),
      target: 3,
    },
    perStepTypical: faces1?.byCategory.typical ?? null,
    perStepTypicalUncontended: best('typical-sequential')?.byCategory.typical ?? null,
    perStepText: mixed?.byCategory.text ?? null,
    perStepFaces: mixed?.byCategory.faces ?? null,
    facesStepBreakdown: facesCost,
    peakRssMbAllModels: {
      facesConcurrency1: mixed?.resources.peakRssMb ?? null,
      facesConcurrency1VmHwm: mixed?.resources.vmHwmMb ?? null,
      facesConcurrency2: mixed2?.resources.peakRssMb ?? null,
      facesConcurrency2VmHwm: mixed2?.resources.vmHwmMb ?? null,
      /** MB here are MiB (/proc reports KiB); 1.5 GiB. */
      targetMb: 1536,
    },
    apiLatencyWhileAnalysing: { facesConcurrency1: mixed?.latency ?? null, facesConcurrency2: mixed2?.latency ?? null },
  };
  const results = {
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    defaultConcurrency: defaultConcurrency(),
    sets,
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
