// Entry of a faces worker thread: loads the models as soon as it starts, then answers jobs: detect the faces of an
// image, or describe boxes a file names.
import type { Box, DetectedFace } from '../types.js';
import { describeBoxes, detectFaces, loadFaceModels, type Size } from './detect.js';
import { serveWorkerJobs } from '../worker-pool.js';
import { DEFAULT_FACE_SETTINGS, type FaceSettings } from './settings.js';

export interface FaceJob {
  image: string;
  upright: Size;
  settings: FaceSettings;
  /** Given: describe these boxes (upright pixels of the original) instead of detecting. */
  boxes?: Box[];
}

export type FaceJobResult = DetectedFace[] | Float32Array[];

// Start loading before the first job arrives (for the default SSD runtime); a failure surfaces (and is
// retried) in that job.
loadFaceModels(DEFAULT_FACE_SETTINGS.ssdRuntime).catch(() => undefined);

serveWorkerJobs<FaceJob, FaceJobResult>(async ({ image, upright, settings, boxes }) => {
  if (boxes) {
    const descriptors = await describeBoxes(image, upright, boxes, settings);
    return { result: descriptors, transfer: descriptors.map((d) => d.buffer as ArrayBuffer) };
  }
  const faces = await detectFaces(image, upright, settings);
  return { result: faces, transfer: faces.map((f) => f.embedding.buffer as ArrayBuffer) };
});
