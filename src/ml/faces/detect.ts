// Face detection: @vladmandic/face-api's SSD MobileNet v1 boxes (on onnxruntime by default, ssd-onnx.ts) and its
// 68-point landmarks on the tfjs WebAssembly backend, then FaceRes 1024-d descriptors (descriptor.ts) on
// onnxruntime (faceres-onnx.ts). Runs inside a faces worker (see worker.ts); models load once per thread.
import { createRequire } from 'node:module';
import path from 'node:path';

import type * as Tf from '@tensorflow/tfjs';
import type * as FaceApi from '@vladmandic/face-api';
import sharp from 'sharp';

import type { Box, DetectedFace, Point } from '../types.js';
import { describeFaces, faceCrop } from './descriptor.js';
import { eyesOpenness, irisModelFile, loadIrisModel } from './eyes.js';
import { loadFaceResOnnx, runFaceResOnnx, type FaceResOnnx } from './faceres-onnx.js';
import type { FaceSettings, SsdRuntime } from './settings.js';
import { mergeOverlappingFaces } from './overlap.js';
import type { RgbImage } from './ssd-input.js';
import { loadSsdOnnx, locateFacesOnnx } from './ssd-onnx.js';
import { keptOnce } from '../../base/kept-once.js';
import { tfjsWasm, type Tfjs } from '../tfjs-wasm.js';

export interface Size {
  width: number;
  height: number;
}

interface Models {
  faceapi: typeof FaceApi;
  tf: Tfjs;
  faceres: FaceResOnnx;
  /** MediaPipe's iris model (eyes.ts); null when it could not be loaded. */
  iris: Tf.GraphModel | null;
}

/** The image could not be decoded (missing, truncated, not an image). */
export class FaceImageError extends Error {
  override name = 'FaceImageError';
}

const require = createRequire(import.meta.url);
let loadingBase: Promise<Models> | null = null;
const loadingSsd = new Map<SsdRuntime, Promise<unknown>>();

/** face-api, the wasm backend, the landmark net and FaceRes, once; a failed load is retried by the next call. */
function loadBaseModels(): Promise<Models> {
  loadingBase ??= (async () => {
    const { faceapi, tf } = await tfjsWasm();
    const [faceres, iris] = await Promise.all([
      loadFaceResOnnx(),
      // the eyes are measured when their model loads; faces are found either way
      loadIrisModel(tf, irisModelFile(require.resolve)).catch(() => null),
      faceapi.nets.faceLandmark68Net.loadFromDisk(faceApiModelDir()),
    ]);
    return { faceapi, tf, faceres, iris };
  })();
  loadingBase.catch(() => {
    loadingBase = null;
  });
  return loadingBase;
}

const faceApiModelDir = () => path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');

/**
 * Loads face-api, the wasm backend, landmarks and FaceRes once, plus the SSD detector for `ssdRuntime`:
 * face-api's own on tfjs (the default here, so that callers using `faceapi.detectAllFaces` directly keep
 * working), or the same weights as an ONNX graph on onnxruntime (ssd-onnx.ts; face-api's SSD is then not
 * loaded). A failed load is retried by the next call. face-api's recognition net is not loaded: FaceRes
 * replaces it.
 */
export async function loadFaceModels(ssdRuntime: SsdRuntime = 'tfjs'): Promise<Models> {
  const base = loadBaseModels();
  const ssd = keptOnce(loadingSsd, ssdRuntime, () =>
    ssdRuntime === 'onnx' ? loadSsdOnnx() : base.then(({ faceapi }) => faceapi.nets.ssdMobilenetv1.loadFromDisk(faceApiModelDir())),
  );
  const [models] = await Promise.all([base, ssd]);
  return models;
}

/** SSD (on `ssdRuntime`) then face-api's 68-point landmarks on the boxes, on one decoded image. */
async function detectWithLandmarks(models: Models, pixels: RgbImage, input: Tf.Tensor3D, settings: FaceSettings) {
  const { faceapi } = models;
  const faceInput = input as unknown as FaceApi.tf.Tensor3D;
  if (settings.ssdRuntime === 'tfjs') {
    const options = new faceapi.SsdMobilenetv1Options({ minConfidence: settings.minScore, maxResults: 100 });
    return faceapi.detectAllFaces(faceInput, options).withFaceLandmarks();
  }
  const found = await locateFacesOnnx(pixels, 100, settings.minScore);
  const dims = { width: input.shape[1], height: input.shape[0] };
  const detections = found.map((d) =>
    faceapi.extendWithFaceDetection(
      {},
      new faceapi.FaceDetection(d.score, new faceapi.Rect(d.relative.x, d.relative.y, d.relative.width, d.relative.height), dims),
    ),
  );
  // The same task face-api's withFaceLandmarks() runs after its own SSD.
  return new faceapi.DetectAllFaceLandmarksTask(Promise.resolve(detections), faceInput, false);
}

/** Upright RGB pixels, downscaled to fit `maxSide`. */
async function decode(image: string, maxSide: number): Promise<{ data: Buffer; width: number; height: number }> {
  try {
    const { data, info } = await sharp(image)
      .rotate() // harmless on an upright preview; right on anything else
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels after conversion, got ${info.channels}`);
    return { data, width: info.width, height: info.height };
  } catch (error) {
    throw new FaceImageError(`cannot decode ${image}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Detects faces on an upright image; boxes and landmarks come back in pixels of `upright`. */
export async function detectFaces(image: string, upright: Size, settings: FaceSettings): Promise<DetectedFace[]> {
  const models = await loadFaceModels(settings.ssdRuntime);
  const { tf, faceres } = models;
  const pixels = await decode(image, settings.maxSide);
  const input = tf.tensor3d(pixels.data, [pixels.height, pixels.width, 3], 'int32');
  const found = await (async () => {
    try {
      return await detectWithLandmarks(models, pixels, input, settings);
    } finally {
      input.dispose();
    }
  })();
  const sx = upright.width / pixels.width;
  const sy = upright.height / pixels.height;
  const kept: { box: Box; score: number; landmarks: Point[] }[] = [];
  for (const f of found) {
    const b = f.detection.box;
    // SSD boxes may stick out of the frame; clip so that crops and overlaps stay meaningful.
    const x0 = Math.max(0, b.x);
    const y0 = Math.max(0, b.y);
    const x1 = Math.min(pixels.width, b.x + b.width);
    const y1 = Math.min(pixels.height, b.y + b.height);
    const box = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    if (Math.min(box.width * sx, box.height * sy) < settings.minSize) continue;
    kept.push({ box, score: f.detection.score, landmarks: f.landmarks.positions.map((p) => ({ x: p.x, y: p.y })) });
  }
  const faces = mergeOverlappingFaces(kept);
  // Crops come from the decoded pixels (the image the boxes are in), before scaling to the upright original.
  const embeddings = await describeFaces(
    (input, count) => runFaceResOnnx(faceres, input, count),
    pixels,
    faces.map((f) => faceCrop(f.box)),
  );
  // how open the eyes are is for the best shot only: a failure there leaves it unmeasured, never the faces
  const eyes = models.iris
    ? await eyesOpenness(
        tf,
        models.iris,
        pixels,
        faces.map((f) => f.landmarks),
      ).catch(() => faces.map(() => null))
    : faces.map(() => null);
  return faces.map((f, i) => ({
    box: { x: f.box.x * sx, y: f.box.y * sy, width: f.box.width * sx, height: f.box.height * sy },
    score: f.score,
    landmarks: f.landmarks.map((p) => ({ x: p.x * sx, y: p.y * sy })),
    embedding: embeddings[i]!,
    eyesOpen: eyes[i]!,
  }));
}

/**
 * Identity descriptors of given boxes (upright pixels of the original) on an upright image: faces the detector
 * did not find but a file names (face regions), described the way detected faces are.
 */
export async function describeBoxes(image: string, upright: Size, boxes: readonly Box[], settings: FaceSettings): Promise<Float32Array[]> {
  if (boxes.length === 0) return [];
  const { faceres } = await loadFaceModels(settings.ssdRuntime);
  const pixels = await decode(image, settings.maxSide);
  const sx = pixels.width / upright.width;
  const sy = pixels.height / upright.height;
  const crops = boxes.map((b) => faceCrop({ x: b.x * sx, y: b.y * sy, width: b.width * sx, height: b.height * sy }));
  return describeFaces((input, count) => runFaceResOnnx(faceres, input, count), pixels, crops);
}
