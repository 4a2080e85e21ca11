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
//
// This file runs the engine: a pool of tesseract.js workers, each started on first use and replaced after a failure
// or a timeout. The language data is ./ocr-languages.ts's, the input ./ocr-prepare.ts's, the output ./ocr-text.ts's.
import Tesseract from 'tesseract.js';
import { errorMessage } from '../media/decoders/common.js';
import { OcrEngineError } from './ocr-errors.js';
import { checkLanguageData, languageFolder, packageVersion, resolveLanguage } from './ocr-languages.js';
import { prepare } from './ocr-prepare.js';
import { buildOcrResult, pageLines } from './ocr-text.js';
import { limiter } from './usage.js';
import type { OcrResult } from './types.js';

export interface OcrOptions {
  /** Tesseract language codes, each from an installed `@tesseract.js-data/<code>` package; default ['eng']. */
  languages?: string[];
  /** Recognitions at once, one tesseract worker thread each; default 1. */
  concurrency?: number;
  /** Long side the photo is scaled down to before recognition; default 2000. */
  maxSide?: number;
  /** A recognition running longer fails and its worker is replaced; default 120 s, 0 = no limit. */
  timeoutMs?: number;
  /** A worker with nothing to recognise for this long exits and gives its memory back; 0 = never (default). */
  idleMs?: number;
}

export interface Ocr {
  /**
   * Reads the text on `file` (the photo's preview). `detail`, when given, is the same photo larger (its original): an
   * engine may read small print from it. Word boxes are in the upright pixels of `detail` if given, else of `file`.
   */
  recognize(file: string, detail?: string): Promise<OcrResult>;
  close(): Promise<void>;
  /** Engine, language data and settings: changes whenever results could change. */
  readonly version: string;
  /** Tesseract workers alive now: started by a recognition, gone after `idleMs` without one. */
  readonly workerCount: number;
}

export const DEFAULT_OCR_MAX_SIDE = 2000;
const DEFAULT_TIMEOUT_MS = 120_000;
/** Bump when preprocessing or cleaning changes what comes out. */
const PIPELINE_REVISION = 1;

/** One tesseract worker thread, started on first use and kept while there is work; replaced after a failure. */
interface Slot {
  worker: Promise<Tesseract.Worker> | null;
  /** Set while the slot is idle: when it fires, the worker exits (the next recognition starts another). */
  idleTimer?: NodeJS.Timeout;
}

export function createOcr(options: OcrOptions = {}): Ocr {
  const codes = options.languages?.length ? [...new Set(options.languages)] : ['eng'];
  const concurrency = options.concurrency ?? 1;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new RangeError(`OCR concurrency must be an integer ≥ 1, got ${concurrency}`);
  const maxSide = options.maxSide ?? DEFAULT_OCR_MAX_SIDE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const idleMs = options.idleMs ?? 0;
  const languages = codes.map(resolveLanguage); // throws now, naming the missing package
  const version = [`tesseract.js-${packageVersion('tesseract.js')}`, ...languages.map((l) => l.label), `psm11-${maxSide}px-r${PIPELINE_REVISION}`].join('+');

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
    if (slot) clearTimeout(slot.idleTimer);
    return slot ? Promise.resolve(slot) : new Promise((resolve) => waiting.push(resolve));
  }

  function release(slot: Slot): void {
    const next = waiting.shift();
    if (next) return next(slot);
    idle.push(slot);
    if (idleMs > 0 && slot.worker) {
      slot.idleTimer = setTimeout(() => void discard(slot), idleMs);
      slot.idleTimer.unref();
    }
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
      throw error instanceof OcrEngineError ? error : new OcrEngineError(`OCR engine failed to start: ${errorMessage(error)}`);
    }
    // A dying thread (a WASM abort) settles no tesseract.js promise, and a hung one never will: watch both.
    const thread = (worker as unknown as { worker: NodeJS.EventEmitter }).worker;
    let timer: NodeJS.Timeout | undefined;
    let onDeath: (error: unknown) => void = () => {};
    const failure = new Promise<never>((_, reject) => {
      onDeath = (error) => reject(new OcrEngineError(`OCR worker died: ${errorMessage(error)}`));
      thread.once('error', onDeath);
      thread.once('exit', onDeath);
      if (timeoutMs > 0) timer = setTimeout(() => reject(new OcrEngineError(`OCR took longer than ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const result = await Promise.race([worker.recognize(image, {}, { text: false, blocks: true }), failure]);
      return result.data;
    } catch (error) {
      await discard(slot);
      throw error instanceof OcrEngineError ? error : new OcrEngineError(`OCR failed: ${errorMessage(error)}`);
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
    get workerCount() {
      return slots.filter((slot) => slot.worker !== null).length;
    },
    recognize(file, detail) {
      if (closed) return Promise.reject(new OcrEngineError('OCR is closed'));
      // tesseract reads the larger copy when there is one (its own scaling to maxSide is what was measured)
      const job = admit(() => recognize(detail ?? file));
      const tracked = job.catch(() => {}).finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      return job;
    },
    async close() {
      closed = true;
      for (const slot of slots) clearTimeout(slot.idleTimer);
      // Jobs already recognising finish; queued ones fail with "OCR is closed".
      await Promise.allSettled([...inFlight]);
      await Promise.allSettled(slots.map(discard));
      const pending = folder;
      folder = null;
      await (await pending?.catch(() => null))?.dispose();
    },
  };
}
