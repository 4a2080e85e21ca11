// OCR with tesseract.js (Tesseract 5 LSTM in WASM, one worker thread per engine), fully offline:
// - language data comes from the `@tesseract.js-data/<lang>` npm packages (`langPath` = the package folder,
//   `cacheMethod: 'none'`): tesseract.js's defaults would fetch from jsDelivr and write `<lang>.traineddata`
//   into the working directory;
// - the worker script (`tesseract.js/src/worker-script/node`) and the core (`tesseract.js-core`, its .wasm read
//   with fs from its own folder) are tesseract.js's local Node defaults; `corePath` is unused under Node.
//
// Measured on 2 cores (bench/results/text-likely-measurement.md has the numbers): greyscale, long side 2000 px,
// PSM 11 (sparse text) reads the most beer names from craft-beer.jpg (WEEKEND WARRIOR, HOPADILLO, RODEO CLOWN
// at every size from 1600 to 2600 px); PSM 3 reads nothing on half the text photos, larger sizes read no more
// but cost more; normalise/CLAHE/colour/adaptive thresholding only reshuffle which words come out.
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import sharp from 'sharp';
import Tesseract from 'tesseract.js';
import { ImageDecodeError } from '../media/decoders/common.js';
import type { OcrResult, OcrWord } from './types.js';

export interface OcrOptions {
  /** Tesseract language codes, each from an installed `@tesseract.js-data/<code>` package; default ['eng']. */
  languages?: string[];
  /** Recognitions at once, one tesseract worker thread each; default 1. */
  concurrency?: number;
  /** Long side the photo is scaled down to before recognition; default 2000. */
  maxSide?: number;
  /** A recognition running longer fails and its worker is replaced; default 120 s, 0 = no limit. */
  timeoutMs?: number;
}

export interface Ocr {
  recognize(file: string): Promise<OcrResult>;
  close(): Promise<void>;
  /** Engine, language data and settings: changes whenever results could change. */
  readonly version: string;
}

/** A language package is not installed; the message names the package. */
export class OcrLanguageMissingError extends Error {
  override readonly name = 'OcrLanguageMissingError';
  constructor(readonly language: string) {
    super(`OCR language "${language}" is not installed: npm install @tesseract.js-data/${language}`);
  }
}

/** The OCR engine failed, timed out or was closed; the image itself may be fine. */
export class OcrEngineError extends Error {
  override readonly name = 'OcrEngineError';
}

export const DEFAULT_OCR_MAX_SIDE = 2000;
const DEFAULT_TIMEOUT_MS = 120_000;
/** Bump when preprocessing or cleaning changes what comes out. */
const PIPELINE_REVISION = 1;

const require = createRequire(import.meta.url);

export interface LanguageData {
  code: string;
  /** Folder holding `<code>.traineddata.gz`. */
  dir: string;
  /** Package version and model variant, for `version`. */
  label: string;
}

/** LSTM-only best_int data is what tesseract.js itself downloads for the LSTM engine (3 MB for eng, not 11). */
const VARIANTS = [
  { subdir: '4.0.0_best_int', label: 'best_int' },
  { subdir: '4.0.0', label: '4.0.0' },
];

function resolveLanguage(code: string): LanguageData {
  if (!/^[a-z][a-z0-9_]*$/.test(code)) throw new RangeError(`"${code}" is not a tesseract language code such as eng`);
  let packageJson: string;
  try {
    packageJson = require.resolve(`@tesseract.js-data/${code}/package.json`);
  } catch {
    throw new OcrLanguageMissingError(code);
  }
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  for (const variant of VARIANTS) {
    const dir = path.join(path.dirname(packageJson), variant.subdir);
    if (existsSync(path.join(dir, `${code}.traineddata.gz`))) return { code, dir, label: `${code}-${version}-${variant.label}` };
  }
  throw new Error(`@tesseract.js-data/${code} ${version} holds no ${code}.traineddata.gz; reinstall it`);
}

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

/**
 * tesseract.js 7 crashes the whole process (an uncaught TypeError in its message handler) when Tesseract cannot
 * initialise from the language data, so damaged data is caught here first: it must unzip, and its table of
 * contents (int32 entry count, then one int64 offset per entry, −1 = absent) must fit the file.
 */
export async function checkLanguageData(l: LanguageData): Promise<void> {
  const file = path.join(l.dir, `${l.code}.traineddata.gz`);
  const damaged = (why: string): OcrEngineError =>
    new OcrEngineError(`OCR language data ${file} is damaged (${why}): reinstall @tesseract.js-data/${l.code}`);
  let data: Buffer;
  try {
    data = await promisify(gunzip)(await readFile(file));
  } catch (error) {
    throw damaged(message(error));
  }
  const entries = data.length >= 4 ? data.readInt32LE(0) : 0;
  if (entries < 1 || entries > 64 || data.length < 4 + 8 * entries) throw damaged('no table of contents');
  let last = 4 + 8 * entries - 1;
  for (let k = 0; k < entries; k++) {
    const offset = Number(data.readBigInt64LE(4 + 8 * k));
    if (offset === -1) continue;
    if (offset <= last || offset >= data.length) throw damaged(`entry ${k} at ${offset} of ${data.length} bytes`);
    last = offset;
  }
  if (last < 4 + 8 * entries) throw damaged('no entries');
}

/**
 * tesseract.js reads every language from one `langPath`; several packages mean several folders, so they are
 * linked (copied where links are not allowed) into one temporary folder, removed on close.
 */
export async function languageFolder(languages: LanguageData[]): Promise<{ dir: string; dispose(): Promise<void> }> {
  const first = languages[0]!;
  if (languages.every((l) => l.dir === first.dir)) return { dir: first.dir, dispose: async () => {} };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'shoebox-tessdata-'));
  for (const l of languages) {
    const file = `${l.code}.traineddata.gz`;
    await symlink(path.join(l.dir, file), path.join(dir, file)).catch(() => copyFile(path.join(l.dir, file), path.join(dir, file)));
  }
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

// --- preprocessing -------------------------------------------------------------------------------------------

interface Prepared {
  /** Binary PGM (P5): Leptonica reads it as is, so no PNG encode (~40 ms at 2000 px) is spent. */
  image: Buffer;
  scaleX: number;
  scaleY: number;
}

async function prepare(file: string, maxSide: number): Promise<Prepared> {
  try {
    const meta = await sharp(file).metadata();
    const swap = (meta.orientation ?? 1) >= 5;
    const uprightWidth = swap ? meta.height : meta.width;
    const uprightHeight = swap ? meta.width : meta.height;
    const { data, info } = await sharp(file)
      .rotate()
      .greyscale()
      .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new Error(`expected 1 channel, got ${info.channels}`);
    const header = Buffer.from(`P5\n${info.width} ${info.height}\n255\n`, 'ascii');
    return {
      image: Buffer.concat([header, data]),
      scaleX: (uprightWidth ?? info.width) / info.width,
      scaleY: (uprightHeight ?? info.height) / info.height,
    };
  } catch (error) {
    throw new ImageDecodeError(`OCR cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// --- cleaning ------------------------------------------------------------------------------------------------

/**
 * Thresholds measured on the corpus: photos without text yield 2–3 letter fragments at 50–85 % ("Pad", "of",
 * "pr") and 4–5 letter pseudo-words at < 50 % ("Soom", "Whee"); real words come out at ≥ 60 %, short ones
 * ("IPA", "BBH", "in") at ≥ 85 %. The LSTM sometimes gives a whole line 0 % while reading it right
 * ("Mother-in-Lager"), hence the rescue of long word-shaped tokens.
 */
const SHORT_WORD_MIN_CONFIDENCE = 85;
const WORD_MIN_CONFIDENCE = 60;
const RESCUE_MIN_LENGTH = 5;

const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/** The word as kept (edge punctuation trimmed), or null when it looks like noise. */
export function cleanOcrWord(text: string, confidence: number): string | null {
  const word = text.replace(EDGE_PUNCTUATION, '');
  const alnum = word.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  if (alnum < 2 || alnum / word.length < 0.6) return null;
  if (alnum <= 3) return confidence >= SHORT_WORD_MIN_CONFIDENCE ? word : null;
  if (confidence >= WORD_MIN_CONFIDENCE) return word;
  if (alnum < RESCUE_MIN_LENGTH) return null;
  const letters = word.match(/\p{L}/gu)?.length ?? 0;
  if (letters < alnum * 0.8) return null;
  // Latin pseudo-words without a vowel ("Thrn", "JRLN") are noise; other scripts are not judged here.
  const latinOnly = /^[\p{Script=Latin}\p{N}'’&.-]+$/u.test(word);
  return !latinOnly || /[aeiouy]/i.test(word.normalize('NFD')) ? word : null;
}

interface RawWord {
  text: string;
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}

/** Kept words with boxes in upright original pixels, text line by line, mean confidence of kept words. */
export function buildOcrResult(lines: RawWord[][], languages: string[], scaleX = 1, scaleY = 1): OcrResult {
  const words: OcrWord[] = [];
  const textLines: string[] = [];
  for (const line of lines) {
    const kept: string[] = [];
    for (const w of line) {
      const text = cleanOcrWord(w.text, w.confidence);
      if (text === null) continue;
      kept.push(text);
      words.push({
        text,
        confidence: Math.round(w.confidence * 10) / 10,
        box: {
          x: Math.round(w.bbox.x0 * scaleX),
          y: Math.round(w.bbox.y0 * scaleY),
          width: Math.round((w.bbox.x1 - w.bbox.x0) * scaleX),
          height: Math.round((w.bbox.y1 - w.bbox.y0) * scaleY),
        },
      });
    }
    if (kept.length) textLines.push(kept.join(' ').replace(/\s+/g, ' '));
  }
  const confidence = words.length ? words.reduce((sum, w) => sum + w.confidence, 0) / words.length : 0;
  return { text: textLines.join('\n'), confidence: Math.round(confidence * 10) / 10, words, languages };
}

function pageLines(page: Tesseract.Page): RawWord[][] {
  const lines: RawWord[][] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) for (const line of paragraph.lines) lines.push(line.words);
  }
  return lines;
}

// --- engine --------------------------------------------------------------------------------------------------

/** A counting semaphore: at most `size` holders at once, first come first served. */
function limiter(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One tesseract worker thread, started on first use and kept; replaced after a failure. */
interface Slot {
  worker: Promise<Tesseract.Worker> | null;
}

export function createOcr(options: OcrOptions = {}): Ocr {
  const codes = options.languages?.length ? [...new Set(options.languages)] : ['eng'];
  const concurrency = options.concurrency ?? 1;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError(`OCR concurrency must be an integer ≥ 1, got ${concurrency}`);
  const maxSide = options.maxSide ?? DEFAULT_OCR_MAX_SIDE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const languages = codes.map(resolveLanguage); // throws now, naming the missing package
  const version = [
    `tesseract.js-${packageVersion('tesseract.js')}`,
    ...languages.map((l) => l.label),
    `psm11-${maxSide}px-r${PIPELINE_REVISION}`,
  ].join('+');

  let folder: Promise<{ dir: string; dispose(): Promise<void> }> | null = null;
  let checked: Promise<void> | null = null;
  let closed = false;
  const slots: Slot[] = Array.from({ length: concurrency }, () => ({ worker: null }));
  const idle = [...slots];
  const waiting: ((slot: Slot) => void)[] = [];
  const inFlight = new Set<Promise<unknown>>();
  // Up to `concurrency` photos decode while as many are recognised; more wait here, not as decoded pixels.
  const admit = limiter(concurrency * 2);

  async function startWorker(): Promise<Tesseract.Worker> {
    checked ??= Promise.all(languages.map(checkLanguageData)).then(() => {});
    await checked.catch((error: unknown) => {
      checked = null; // a reinstall is noticed by the next start
      throw error;
    });
    folder ??= languageFolder(languages).catch((error: unknown) => {
      folder = null;
      throw error;
    });
    const { dir } = await folder;
    const worker = await Tesseract.createWorker(codes, Tesseract.OEM.LSTM_ONLY, {
      langPath: dir,
      cacheMethod: 'none',
      gzip: true,
      // Without a handler tesseract.js rethrows a failed job's error in its message listener: uncaught.
      errorHandler: () => {},
      logger: () => {},
    });
    await worker.setParameters({
      tessedit_pageseg_mode: Tesseract.PSM.SPARSE_TEXT,
      // Tesseract's own diagnostics ("Detected 34 diacritics") would go to stdout.
      debug_file: '/dev/null',
    });
    return worker;
  }

  function acquire(): Promise<Slot> {
    const slot = idle.pop();
    return slot ? Promise.resolve(slot) : new Promise((resolve) => waiting.push(resolve));
  }

  function release(slot: Slot): void {
    const next = waiting.shift();
    if (next) next(slot);
    else idle.push(slot);
  }

  /** Drops a worker that failed or hung; the slot starts a fresh one for its next job. */
  async function discard(slot: Slot): Promise<void> {
    const worker = slot.worker;
    slot.worker = null;
    await worker?.then((w) => w.terminate()).catch(() => {});
  }

  async function run(slot: Slot, image: Buffer): Promise<Tesseract.Page> {
    slot.worker ??= startWorker();
    let worker: Tesseract.Worker;
    try {
      worker = await slot.worker;
    } catch (error) {
      slot.worker = null;
      throw error instanceof OcrEngineError ? error : new OcrEngineError(`OCR engine failed to start: ${message(error)}`);
    }
    // A dying thread (a WASM abort) settles no tesseract.js promise, and a hung one never will: watch both.
    const thread = (worker as unknown as { worker: NodeJS.EventEmitter }).worker;
    let timer: NodeJS.Timeout | undefined;
    let onDeath: (error: unknown) => void = () => {};
    const failure = new Promise<never>((_, reject) => {
      onDeath = (error) => reject(new OcrEngineError(`OCR worker died: ${message(error)}`));
      thread.once('error', onDeath);
      thread.once('exit', onDeath);
      if (timeoutMs > 0) timer = setTimeout(() => reject(new OcrEngineError(`OCR took longer than ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const result = await Promise.race([worker.recognize(image, {}, { text: false, blocks: true }), failure]);
      return result.data;
    } catch (error) {
      await discard(slot);
      throw error instanceof OcrEngineError ? error : new OcrEngineError(`OCR failed: ${message(error)}`);
    } finally {
      clearTimeout(timer);
      thread.off('error', onDeath);
      thread.off('exit', onDeath);
    }
  }

  async function recognize(file: string): Promise<OcrResult> {
    if (closed) throw new OcrEngineError('OCR is closed');
    const prepared = await prepare(file, maxSide);
    if (closed) throw new OcrEngineError('OCR is closed');
    const slot = await acquire();
    try {
      if (closed) throw new OcrEngineError('OCR is closed');
      const page = await run(slot, prepared.image);
      return buildOcrResult(pageLines(page), codes, prepared.scaleX, prepared.scaleY);
    } finally {
      release(slot);
    }
  }

  return {
    version,
    recognize(file) {
      if (closed) return Promise.reject(new OcrEngineError('OCR is closed'));
      const job = admit(() => recognize(file));
      const tracked = job.catch(() => {}).finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      return job;
    },
    async close() {
      closed = true;
      // Jobs already recognising finish; queued ones fail with "OCR is closed".
      await Promise.allSettled([...inFlight]);
      await Promise.allSettled(slots.map(discard));
      const pending = folder;
      folder = null;
      await (await pending?.catch(() => null))?.dispose();
    },
  };
}
