// The QR code and barcode reader the codes step and `inspect` use: one worker thread (src/ml/codes-worker.ts), started
// by the first read, leaving after `idleMs` without one, closed with the other models (MlServices.close). One thread
// is enough: a 1440 px preview takes 35–190 ms (bench/codes/run.ts), and the ocr lane's other step is the slow one.
import type { DecodedCode } from '../media/codes.js';
import type { CodesJob } from './codes-worker.js';
import { WorkerPool } from './worker-pool.js';
import { startWorker, workerEntry } from './worker-url.js';

export interface CodeReader {
  /** The codes in an image (a file or its bytes), boxes in pixels of `size` (see media/codes.ts's `decodeCodes`). */
  read(image: string | Buffer, size?: { width: number; height: number }): Promise<DecodedCode[]>;
  close(): Promise<void>;
  /** Worker threads alive now (0 or 1). */
  readonly workerCount: number;
}

/** A read running longer is failed and its thread replaced (a preview takes well under a second). */
const JOB_TIMEOUT_MS = 60_000;

export function createCodeReader(options: { idleMs?: number } = {}): CodeReader {
  const entry = workerEntry(import.meta.url, 'codes-worker');
  const pool = new WorkerPool<CodesJob, DecodedCode[]>({
    name: 'codes',
    size: 1,
    spawn: () => startWorker(entry),
    jobTimeoutMs: JOB_TIMEOUT_MS,
    idleMs: options.idleMs ?? 0,
  });
  return {
    read: (image, size) => pool.run({ image: typeof image === 'string' ? image : new Uint8Array(image), size }),
    close: () => pool.close(),
    get workerCount() {
      return pool.workerCount;
    },
  };
}
