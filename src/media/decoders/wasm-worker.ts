// Runs the WebAssembly decoders (libheif via heic-decode, libjxl via @jsquash/jxl) in worker threads.
//
// Why not on the main thread: a WASM decode is synchronous and long (HEIC 12 MP ≈ 0.6 s, JPEG XL 20 MP ≈ 7 s),
// which would freeze the HTTP server; and a WASM heap only grows, so a 20 MP JPEG XL would pin ~0.9 GB for the
// life of the process. A worker decodes one file at a time, stays warm for a few seconds for the next one,
// then exits and gives its memory back. A worker whose decode failed is not reused (its module may be broken).

import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DecoderMissingError, ImageDecodeError, ImageTooLargeError, type DecodedPixels } from './common.js';
import { decoderDisabled } from './tools.js';

export type WasmDecoderKind = 'heic' | 'jxl';

const IDLE_MS = 5_000;
const MAX_WORKERS = Math.max(1, Math.min(2, os.availableParallelism()));

interface WorkerPaths {
  /** libheif-js's wasm bundle (CommonJS), as heic-decode requires it; null when heic-decode is absent. */
  libheif: string | null;
  /** @jsquash/jxl's decode.js (ESM) and its .wasm; null when the package is absent. */
  jsquashDecode: string | null;
  jsquashWasm: string | null;
}

let paths: WorkerPaths | undefined;

function resolvePaths(): WorkerPaths {
  if (paths) return paths;
  const require = createRequire(import.meta.url);
  let libheif: string | null = null;
  try {
    // heic-decode is a thin wrapper over libheif-js; we use libheif-js through heic-decode's own dependency so
    // that we can pick the primary image (heic-decode takes the first one) and see libheif's messages.
    const heicDecode = require.resolve('heic-decode');
    libheif = createRequire(heicDecode).resolve('libheif-js/wasm-bundle');
  } catch {
    libheif = null;
  }
  let jsquashDecode: string | null = null;
  let jsquashWasm: string | null = null;
  try {
    const dir = path.dirname(require.resolve('@jsquash/jxl/package.json'));
    jsquashDecode = path.join(dir, 'decode.js');
    jsquashWasm = path.join(dir, 'codec', 'dec', 'jxl_dec.wasm');
  } catch {
    jsquashDecode = null;
  }
  paths = { libheif, jsquashDecode, jsquashWasm };
  return paths;
}

/** True when the npm package behind a WASM decoder is installed (and not disabled). */
export function wasmDecoderAvailable(kind: WasmDecoderKind): boolean {
  if (decoderDisabled(kind === 'heic' ? 'heic-decode' : 'jxl-wasm')) return false;
  const p = resolvePaths();
  return kind === 'heic' ? p.libheif !== null : p.jsquashDecode !== null;
}

// The worker's code, plain CommonJS so that it runs the same from TypeScript sources (tests, tsx) and from
// the compiled dist/. Messages: { kind, file, limit } in; { ok, width, height, channels, data } or
// { ok: false, message, tooLarge? } out.
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { pathToFileURL } = require('node:url');

let lastLog = '';
// libheif-js reports failures with console.log; keep the last line for the error message instead.
console.log = (...args) => { lastLog = args.map(String).join(' '); };

let heif = null;
let jxl = null;

async function decodeHeic(bytes, limit) {
  if (!heif) {
    heif = require(workerData.libheif);
    await heif.ready;
  }
  const decoder = new heif.HeifDecoder();
  const images = decoder.decode(bytes);
  try {
    if (!images.length) throw new Error(lastLog || 'no image in the HEIF container');
    const image = images.find((i) => i.is_primary()) || images[0];
    const width = image.get_width();
    const height = image.get_height();
    if (width * height > limit) return { ok: false, tooLarge: true, width, height };
    const data = new Uint8ClampedArray(width * height * 4);
    const done = await new Promise((resolve) => image.display({ data, width, height }, resolve));
    if (!done) throw new Error(lastLog || 'libheif could not decode the image');
    const alpha = image.has_alpha_channel();
    return { ok: true, width, height, channels: 4, alpha, data: new Uint8Array(data.buffer) };
  } finally {
    for (const image of images) image.free();
    try { decoder.decoder && decoder.decoder.delete && decoder.decoder.delete(); } catch {}
  }
}

async function decodeJxl(bytes) {
  if (!jxl) {
    const mod = await import(pathToFileURL(workerData.jsquashDecode).href);
    const wasm = await WebAssembly.compile(fs.readFileSync(workerData.jsquashWasm));
    await mod.init(wasm);
    jxl = mod.default;
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const image = await jxl(buffer);
  const data = new Uint8Array(image.data.length);
  data.set(image.data);
  let alpha = false;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) { alpha = true; break; }
  return { ok: true, width: image.width, height: image.height, channels: 4, alpha, data };
}

parentPort.on('message', async ({ kind, file, limit }) => {
  lastLog = '';
  try {
    const bytes = fs.readFileSync(file);
    const result = kind === 'heic' ? await decodeHeic(bytes, limit) : await decodeJxl(bytes);
    parentPort.postMessage(result, result.data ? [result.data.buffer] : []);
  } catch (error) {
    const message = error && error.message ? error.message : String(error);
    parentPort.postMessage({ ok: false, message: lastLog && !message.includes(lastLog) ? message + ' (' + lastLog + ')' : message });
  }
});
`;

interface WorkerReply {
  ok: boolean;
  width?: number;
  height?: number;
  channels?: 4;
  alpha?: boolean;
  data?: Uint8Array;
  message?: string;
  tooLarge?: boolean;
}

interface Job {
  kind: WasmDecoderKind;
  file: string;
  limit: number;
  resolve: (reply: WorkerReply) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  busy: boolean;
  idleTimer?: NodeJS.Timeout;
}

const pool: PoolWorker[] = [];
const queue: Job[] = [];

function spawn(): PoolWorker {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: resolvePaths() });
  const entry: PoolWorker = { worker, busy: false };
  worker.on('exit', () => {
    const i = pool.indexOf(entry);
    if (i >= 0) pool.splice(i, 1);
  });
  pool.push(entry);
  return entry;
}

function retire(entry: PoolWorker): void {
  const i = pool.indexOf(entry);
  if (i >= 0) pool.splice(i, 1);
  if (entry.idleTimer) clearTimeout(entry.idleTimer);
  void entry.worker.terminate();
}

function pump(): void {
  while (queue.length > 0) {
    let entry = pool.find((w) => !w.busy);
    if (!entry && pool.length < MAX_WORKERS) entry = spawn();
    if (!entry) return;
    run(entry, queue.shift()!);
  }
}

function run(entry: PoolWorker, job: Job): void {
  entry.busy = true;
  if (entry.idleTimer) clearTimeout(entry.idleTimer);
  entry.worker.ref();
  const { worker } = entry;
  const cleanup = () => {
    worker.off('message', onMessage);
    worker.off('error', onError);
    worker.off('exit', onExit);
  };
  const onMessage = (reply: WorkerReply) => {
    cleanup();
    entry.busy = false;
    if (reply.ok || reply.tooLarge) {
      worker.unref();
      entry.idleTimer = setTimeout(() => retire(entry), IDLE_MS);
      entry.idleTimer.unref();
    } else {
      retire(entry);
    }
    job.resolve(reply);
    pump();
  };
  const onError = (error: Error) => {
    cleanup();
    retire(entry);
    job.reject(error);
    pump();
  };
  const onExit = (code: number) => onError(new Error(`decoder worker exited (code ${code})`));
  worker.on('message', onMessage);
  worker.on('error', onError);
  worker.on('exit', onExit);
  worker.postMessage({ kind: job.kind, file: job.file, limit: job.limit });
}

const PACKAGE: Record<WasmDecoderKind, { format: string; install: string }> = {
  heic: { format: 'HEIC', install: 'apt-get install libvips-tools (vips), or npm install heic-decode' },
  jxl: { format: 'JPEG XL', install: 'apt-get install libjxl-tools (djxl), or npm install @jsquash/jxl' },
};

/**
 * Decodes a HEIC/HEIF (primary image, its rotation/mirroring applied by libheif) or JPEG XL file to 8-bit
 * RGBA in a worker thread. Throws DecoderMissingError when the npm package is missing, ImageDecodeError when
 * the file cannot be decoded or is over `limit` pixels.
 */
export async function decodeInWorker(kind: WasmDecoderKind, file: string, limit: number, label: string): Promise<DecodedPixels> {
  if (!wasmDecoderAvailable(kind)) {
    const { format, install } = PACKAGE[kind];
    throw new DecoderMissingError(format, `${format} needs a decoder: ${install}`);
  }
  const reply = await new Promise<WorkerReply>((resolve, reject) => {
    queue.push({ kind, file, limit, resolve, reject });
    pump();
  });
  if (reply.tooLarge) throw new ImageTooLargeError(reply.width!, reply.height!, label);
  if (!reply.ok || !reply.data) throw new ImageDecodeError(`${label}: ${reply.message ?? 'decode failed'}`);
  return {
    data: reply.data,
    width: reply.width!,
    height: reply.height!,
    channels: 4,
    opaqueAlpha: reply.alpha === false,
    decoder: kind === 'heic' ? 'heic-decode' : 'jxl-wasm',
  };
}

/** Stops all decoder workers now (they also stop by themselves when idle). */
export async function stopDecoderWorkers(): Promise<void> {
  await Promise.all(pool.splice(0).map((entry) => entry.worker.terminate()));
}
