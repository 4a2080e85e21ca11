// Entry of a faces worker thread: answers jobs: detect the faces of an image, describe boxes a file names, or find the
// objects of an image (its tfjs runtime shared with the faces'). The face models load on the first face job, not at
// start: with SHOEBOX_FACES=off the thread only finds objects, and SSD, FaceRes and the landmarks stay on disk.
import type { Box, DetectedFace } from '../types.js';
import { describeBoxes, detectFaces, type Size } from './detect.js';
import { serveWorkerJobs } from '../worker-pool.js';
import { detectObjects, type DetectedObject } from '../objects/index.js';
import type { FaceSettings } from './settings.js';

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

serveWorkerJobs<FaceJob, FaceJobResult>(async ({ image, upright, settings, boxes, objects }) => {
  if (objects) return { result: await detectObjects(image, upright), transfer: [] };
  if (boxes) {
    const descriptors = await describeBoxes(image, upright, boxes, settings);
    return { result: descriptors, transfer: descriptors.map((d) => d.buffer as ArrayBuffer) };
  }
  const faces = await detectFaces(image, upright, settings);
  return { result: faces, transfer: faces.map((f) => f.embedding.buffer as ArrayBuffer) };
});
