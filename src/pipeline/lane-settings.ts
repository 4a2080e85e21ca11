import type { Settings } from '../config/settings.js';
import type { LaneConcurrency } from './lane-queue.js';

/**
 * Slots per lane: `concurrency` photos get their thumbnail, metadata and hashes at once; the faces and OCR lanes
 * one more than their worker threads (a photo prepares or writes while another is in the worker); CLIP and the
 * duplicate check one (CLIP's own threads use the cores); captions as many requests as the setting allows.
 */
export function laneConcurrency(settings: Settings): LaneConcurrency {
  return {
    quick: settings.concurrency,
    clip: 1,
    faces: settings.ml.facesConcurrency + 1,
    ocr: settings.ml.ocrConcurrency + 1,
    captions: settings.ml.captionConcurrency,
    duplicates: 1,
    video: settings.video.transcodeConcurrency,
  };
}
