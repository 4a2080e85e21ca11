// Entry of a faces worker thread: loads the models as soon as it starts, then answers detection jobs.
import type { DetectedFace } from '../types.js';
import { detectFaces, loadFaceModels, type Size } from './detect.js';
import { serveWorkerJobs } from './pool.js';
import { DEFAULT_FACE_SETTINGS, type FaceSettings } from './settings.js';

export interface FaceJob {
  image: string;
  upright: Size;
  settings: FaceSettings;
}

// Start loading before the first job arrives (for the default SSD runtime); a failure surfaces (and is
// retried) in that job.
loadFaceModels(DEFAULT_FACE_SETTINGS.ssdRuntime).catch(() => undefined);

serveWorkerJobs<FaceJob, DetectedFace[]>(async ({ image, upright, settings }) => {
  const faces = await detectFaces(image, upright, settings);
  return { result: faces, transfer: faces.map((f) => f.embedding.buffer as ArrayBuffer) };
});
