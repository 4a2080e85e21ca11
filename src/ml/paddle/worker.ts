// Entry of a PP-OCR worker thread: the text detector (the gate's and OCR's) and one engine per recogniser set, loaded
// on first use. onnxruntime-node's `run` computes on the calling thread, so in the main thread every detector pass
// (up to ~1 s at 1,280 px) would stall the API and the embedded database; here it stalls only this thread.
import { workerData } from 'node:worker_threads';
import type { Ocr } from '../ocr.js';
import type { OcrResult } from '../types.js';
import { serveWorkerJobs } from '../worker-pool.js';
import { createTextDetector, gateBoxes } from './detector.js';
import type { PaddleModelFiles } from './models.js';
import { createPaddleOcr } from './paddle-ocr.js';

export interface PaddleWorkerData {
  /** onnxruntime threads per model run. */
  threads: number;
}

export type PaddleJob = { kind: 'gate'; preview: string } | { kind: 'read'; models: PaddleModelFiles; file: string; detail?: string };

export type PaddleJobResult = number | OcrResult;

const { threads } = workerData as PaddleWorkerData;
// no idle timer here: the pool ends the whole thread when it has nothing to do (its memory goes with it)
const detector = createTextDetector({ threads });
/** The recogniser set read with last: one at a time (another comes only when a model is installed). */
let current: { name: string; engine: Ocr } | null = null;

async function engine(models: PaddleModelFiles): Promise<Ocr> {
  if (current?.name !== models.name) {
    await current?.engine.close(); // its sessions go; the shared detector stays
    current = { name: models.name, engine: createPaddleOcr({ models, threads, detector }) };
  }
  return current.engine;
}

serveWorkerJobs<PaddleJob, PaddleJobResult>(async (job) => {
  switch (job.kind) {
    case 'gate':
      return { result: await gateBoxes(detector, job.preview) };
    case 'read':
      return { result: await (await engine(job.models)).recognize(job.file, job.detail) };
  }
});
