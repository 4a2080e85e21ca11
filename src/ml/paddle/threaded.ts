// PP-OCR off the main thread: the text gate and OCR as jobs for a pool of worker threads (./worker.ts), each with the
// detector and the recognisers it was asked for. The main thread keeps serving requests and running the embedded
// database while a photo is read (bench/README.md, issue 34: 20 s of a 100-photo import's main thread were
// onnxruntime runs before this).
import path from 'node:path';
import { ImageDecodeError } from '../../media/decoders/common.js';
import { OcrEngineError } from '../ocr-errors.js';
import type { Ocr } from '../ocr.js';
import type { OcrResult } from '../types.js';
import { startWorker, workerEntry } from '../worker-url.js';
import { WorkerPool } from '../worker-pool.js';
import type { PaddleModelFiles } from './models.js';
import { paddleOcrVersion } from './paddle-ocr.js';
import type { PaddleJob, PaddleJobResult, PaddleWorkerData } from './worker.js';

export interface PaddleThreadsOptions {
  /** Worker threads (photos read at once); each holds its own copy of the models. Default 1. */
  concurrency?: number;
  /** onnxruntime threads per model run in a worker. */
  threads: number;
  /** A worker with nothing to do for this long ends, and its models' memory goes with it; 0 = never (default). */
  idleMs?: number;
  /** A job running longer fails and its worker is replaced (a hung run). Default 10 min. */
  jobTimeoutMs?: number;
}

export interface PaddleThreads {
  /** The text boxes the detector finds on the preview at the gate's size (./detector.ts gateBoxes). */
  gateBoxes(preview: string): Promise<number>;
  /** An OCR engine reading with these models in the workers. */
  ocr(models: PaddleModelFiles): Ocr;
  readonly workerCount: number;
  close(): Promise<void>;
}

/** The worker's error as the class the callers test for (a structured clone keeps only name and message). */
function revived(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const make: Record<string, (message: string) => Error> = {
    ImageTooLargeError: (m) => new ImageDecodeError(m), // its size is in the message
    ImageDecodeError: (m) => new ImageDecodeError(m),
    OcrEngineError: (m) => new OcrEngineError(m),
  };
  const revive = make[error.name];
  return revive ? Object.assign(revive(error.message), { stack: error.stack }) : error;
}

export function createPaddleThreads(options: PaddleThreadsOptions): PaddleThreads {
  const entry = workerEntry(import.meta.url, 'worker');
  const workerData: PaddleWorkerData = { threads: options.threads };
  const pool = new WorkerPool<PaddleJob, PaddleJobResult>({
    name: 'OCR',
    size: options.concurrency ?? 1,
    jobTimeoutMs: options.jobTimeoutMs ?? 600_000,
    idleMs: options.idleMs ?? 0,
    spawn: () => startWorker(entry, { workerData }),
  });
  const run = async <T extends PaddleJobResult>(job: PaddleJob): Promise<T> => {
    try {
      return (await pool.run(job)) as T;
    } catch (error) {
      throw revived(error);
    }
  };
  return {
    gateBoxes: (preview) => run<number>({ kind: 'gate', preview: path.resolve(preview) }),
    ocr(models) {
      return {
        version: paddleOcrVersion(models),
        get workerCount() {
          return pool.workerCount;
        },
        recognize: (file, detail) => run<OcrResult>({ kind: 'read', models, file: path.resolve(file), ...(detail ? { detail: path.resolve(detail) } : {}) }),
        // a worker lets a set's sessions go when it is asked to read with another (./worker.ts)
        close: async () => undefined,
      };
    },
    get workerCount() {
      return pool.workerCount;
    },
    close: () => pool.close(),
  };
}
