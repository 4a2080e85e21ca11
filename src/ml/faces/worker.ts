// Entry of a faces worker thread: loads the models as soon as it starts, then answers jobs: detect the faces of an
// image, describe boxes a file names, or find the objects of an image (its tfjs runtime shared with the faces').
import type { Box, DetectedFace } from '../types.js';
import { describeBoxes, detectFaces, loadFaceModels, type Size } from './detect.js';
import { serveWorkerJobs } from '../worker-pool.js';
import { detectObjects, type DetectedObject } from '../objects/index.js';
import { DEFAULT_FACE_SETTINGS, type FaceSettings } from './settings.js';

export interface FaceJob {
  image: string;
  upright: Size;
  settings: FaceSettings;
  /** Given: describe these boxes (upright pixels of the original) instead of detecting. */
  boxes?: Box[];
  /** Set: find the objects (ml/objects) instead of faces, on this thread's tfjs runtime. */
  objects?: true;
}

export type FaceJobResult = DetectedFace[] | Float32Array[] | DetectedObject[];

// Start loading before the first job arrives (for the default SSD runtime); a failure surfaces (and is
// retried) in that job.
loadFaceModels(DEFAULT_FACE_SETTINGS.ssdRuntime).catch(() => undefined);

serveWorkerJobs<FaceJob, FaceJobResult>(async ({ image, upright, settings, boxes, objects }) => {
  if (objects) return { result: await detectObjects(image, upright), transfer: [] };
  if (boxes) {
    const descriptors = await describeBoxes(image, upright, boxes, settings);
    return { result: descriptors, transfer: descriptors.map((d) => d.buffer as ArrayBuffer) };
  }
  const faces = await detectFaces(image, upright, settings);
  return { result: faces, transfer: faces.map((f) => f.embedding.buffer as ArrayBuffer) };
});
