// The faces module: a FaceDetector backed by a pool of worker threads (face-api's SSD weights on onnxruntime,
// face-api landmarks and Human's FaceRes descriptor on one tfjs-wasm), and face thumbnails. Why these models and
// settings: bench/results/faces-measurement.md.
import path from 'node:path';

import type { DetectedFace, FaceDetector } from '../types.js';
import { startWorker, workerEntry } from '../worker-url.js';
import { WorkerPool } from '../worker-pool.js';
import { FACE_DESCRIPTOR_DIMENSIONS, faceDetectorVersion, resolveFaceSettings, type FaceSettings } from './settings.js';
import type { FaceJob, FaceJobResult } from './worker.js';
import type { DetectedObject } from '../objects/index.js';

export { cropFaceThumbnail, type FaceThumbnailOptions } from './thumbnail.js';
export { WorkerPoolError } from '../worker-pool.js';
export { DEFAULT_FACE_SETTINGS, FACE_DESCRIPTOR_DIMENSIONS, PEOPLE_MAX_DISTANCE, SAME_PERSON_MAX_DISTANCE, type FaceSettings } from './settings.js';

export interface FaceDetectorOptions extends Partial<FaceSettings> {
  /** Worker threads, each holding its own copy of the models (RSS ~450 MB each once warm). Default 1. */
  concurrency?: number;
  /** A photo taking longer fails and its worker is replaced. Default 120 s. */
  jobTimeoutMs?: number;
  /** A worker with nothing to do for this long exits and gives its models' memory back; 0 = never (default). */
  idleMs?: number;
}

export interface FaceDetectorPool extends FaceDetector {
  readonly settings: Readonly<FaceSettings>;
  /** The objects in an upright image (ml/objects), found in the same worker threads. */
  objects(image: string, upright: { width: number; height: number }): Promise<DetectedObject[]>;
  /** Workers alive now; they start on the first detect and stay until close() or `idleMs` without work. */
  readonly workerCount: number;
}

/** Creates the detector; no worker starts (and no model loads) before the first `detect`. */
export function createFaceDetector(options: FaceDetectorOptions = {}): FaceDetectorPool {
  const { concurrency = 1, jobTimeoutMs = 120_000, idleMs = 0, ...partial } = options;
  const settings = Object.freeze(resolveFaceSettings(partial));
  const entry = workerEntry(import.meta.url, 'worker');
  const pool = new WorkerPool<FaceJob, FaceJobResult>({
    name: 'faces',
    size: concurrency,
    jobTimeoutMs,
    idleMs,
    spawn: () => startWorker(entry),
  });
  return {
    version: faceDetectorVersion(settings),
    dimensions: FACE_DESCRIPTOR_DIMENSIONS,
    settings,
    get workerCount() {
      return pool.workerCount;
    },
    detect(image, upright) {
      if (!(upright.width > 0 && upright.height > 0)) {
        return Promise.reject(new RangeError(`upright size must be positive, got ${upright.width}×${upright.height}`));
      }
      return pool.run({ image: path.resolve(image), upright: { width: upright.width, height: upright.height }, settings }) as Promise<DetectedFace[]>;
    },
    describe(image, upright, boxes) {
      if (!(upright.width > 0 && upright.height > 0)) {
        return Promise.reject(new RangeError(`upright size must be positive, got ${upright.width}×${upright.height}`));
      }
      if (boxes.length === 0) return Promise.resolve([]);
      const plain = boxes.map((b) => ({ x: b.x, y: b.y, width: b.width, height: b.height }));
      return pool.run({ image: path.resolve(image), upright: { width: upright.width, height: upright.height }, settings, boxes: plain }) as Promise<
        Float32Array[]
      >;
    },
    objects(image, upright) {
      if (!(upright.width > 0 && upright.height > 0)) {
        return Promise.reject(new RangeError(`upright size must be positive, got ${upright.width}×${upright.height}`));
      }
      return pool.run({ image: path.resolve(image), upright: { width: upright.width, height: upright.height }, settings, objects: true }) as Promise<
        DetectedObject[]
      >;
    },
    close: () => pool.close(),
  };
}
