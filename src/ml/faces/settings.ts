// Detector settings, their defaults and the version string that names them. Numbers come from
// bench/results/faces-measurement.md: read it before changing a default.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { CROP_SCALE } from './descriptor.js';
import { SAME_FACE_INSIDE, SAME_FACE_IOU } from './overlap.js';

export interface FaceSettings {
  /**
   * SSD MobileNet v1 score below which a detection is dropped. 0.25: Pierre Curie's profile scores 0.29–0.31,
   * a second, partial box on his head 0.19; on the no-people corpus photos nothing scored 0.20–0.54 (the two
   * false positives above that are there at any useful threshold).
   */
  minScore: number;
  /** Faces whose shorter box side is below this many pixels of the upright original are dropped. */
  minSize: number;
  /**
   * The image is downscaled to fit this many pixels before detection. SSD looks at 512×512 anyway; the
   * landmark net and FaceRes get their crops from this image (FaceRes sees 224×224, so a face larger than
   * ~1024 px is shrunk either way).
   */
  maxSide: number;
  /**
   * What runs face-api's SSD MobileNet v1 (same weights either way): `tfjs` is face-api itself on the tfjs wasm
   * backend (one thread), `onnx` the same network written as an ONNX graph and run by onnxruntime-node
   * (ssd-onnx.ts). Landmarks and descriptors stay on tfjs. Measured on the corpus JPEGs: identical detections
   * (scores within 6e-7, boxes within 0.001 px at score ≥ 0.1) and detectFaces ~3.5× faster (median 102–113 ms
   * vs 382–387 ms per photo on the loaded 2-core box); bench/results/faces-measurement.md.
   */
  ssdRuntime: SsdRuntime;
}

export type SsdRuntime = 'tfjs' | 'onnx';

export const DEFAULT_FACE_SETTINGS: Readonly<FaceSettings> = Object.freeze({
  minScore: 0.25,
  minSize: 24,
  maxSide: 1024,
  ssdRuntime: 'onnx',
} satisfies FaceSettings);

/** FaceRes (via @vladmandic/human) descriptors: see descriptor.ts. */
export const FACE_DESCRIPTOR_DIMENSIONS = 1024;

export function resolveFaceSettings(partial: Partial<FaceSettings> = {}): FaceSettings {
  const s: FaceSettings = { ...DEFAULT_FACE_SETTINGS };
  if (partial.minScore !== undefined) s.minScore = partial.minScore;
  if (partial.minSize !== undefined) s.minSize = partial.minSize;
  if (partial.maxSide !== undefined) s.maxSide = partial.maxSide;
  if (partial.ssdRuntime !== undefined) s.ssdRuntime = partial.ssdRuntime;
  if (!(s.minScore > 0 && s.minScore < 1)) throw new RangeError(`minScore must be in (0, 1), got ${s.minScore}`);
  if (!(s.minSize >= 0)) throw new RangeError(`minSize must be ≥ 0, got ${s.minSize}`);
  if (s.ssdRuntime !== 'tfjs' && s.ssdRuntime !== 'onnx') throw new RangeError(`ssdRuntime must be tfjs or onnx, got ${String(s.ssdRuntime)}`);
  if (!(Number.isInteger(s.maxSide) && s.maxSide >= 128)) throw new RangeError(`maxSide must be an integer ≥ 128, got ${s.maxSide}`);
  return s;
}

const require = createRequire(import.meta.url);

function packageVersion(packageJson: string): string {
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

/** The installed @vladmandic/face-api version (its models ship inside the package, so this pins them too). */
export function faceApiVersion(): string {
  return packageVersion(require.resolve('@vladmandic/face-api/package.json'));
}

/**
 * The installed @vladmandic/human version, which pins `models/faceres.json`. Its package exports hide
 * package.json: it sits one level above the resolved dist/human.node.js (resolving loads nothing).
 */
export function humanVersion(): string {
  return packageVersion(path.join(path.dirname(path.dirname(require.resolve('@vladmandic/human'))), 'package.json'));
}

/**
 * e.g. `face-api-ssd-mobilenet-v1+landmark68@1.7.15;descriptor=human-faceres-1024@3.3.6;crop=1.25-mirror-avg;`
 * `min-score=0.25;min-size=24;max-side=1024;ssd-runtime=onnx` (no `ssd-runtime` part for face-api's own tfjs
 * SSD, which is what versions without it ran), `;one-box=iou0.3-inside0.7` (overlap.ts; versions before it kept a
 * face's second box). The crop part names how descriptors are computed (descriptor.ts): changing it moves every
 * descriptor, so it changes the version.
 */
export function faceDetectorVersion(s: FaceSettings): string {
  return (
    `face-api-ssd-mobilenet-v1+landmark68@${faceApiVersion()}` +
    `;descriptor=human-faceres-${FACE_DESCRIPTOR_DIMENSIONS}@${humanVersion()};crop=${CROP_SCALE}-mirror-avg` +
    `;min-score=${s.minScore};min-size=${s.minSize};max-side=${s.maxSide}` +
    (s.ssdRuntime === 'tfjs' ? '' : `;ssd-runtime=${s.ssdRuntime}`) +
    `;one-box=iou${SAME_FACE_IOU}-inside${SAME_FACE_INSIDE}`
  );
}

/**
 * Cosine distance between two FaceRes descriptors at or below which one pair of faces is likely the same person.
 * Measured (bench/results/faces-measurement.md): copies of one face (mirrored, recompressed, resized, cropped,
 * tilted, blurred) ≤ 0.09; one man across 18 different photos median 0.31, p95 0.43, max 0.46; different people
 * ≥ 0.38 in one photo (p05 0.41) and ≥ 0.39 across photos (small, low-quality faces come closest). 0.35 keeps
 * every observed pair of different people out and about 70% of the cross-photo pairs of one person in. Do not
 * reuse a threshold tuned for another descriptor (face-api's 128-d one needed 0.06).
 */
export const SAME_PERSON_MAX_DISTANCE = 0.35;

export { PEOPLE_MAX_DISTANCE } from '../../config/tuning.js';
