// The identity descriptor: FaceRes (HSE-FaceRec, a MobileNet trained for age, gender and identity), the face
// description model that ships with @vladmandic/human: 224×224 RGB in 0–255, output `global_pooling/Mean`, 1024
// values. It runs on onnxruntime, translated from the shipped graph (faceres-onnx.ts, ~8× faster than on tfjs-wasm
// with the same output); loadFaceRes puts it on tfjs as shipped, to check the translation against.
// Crop geometry and the mirrored second pass were chosen by measurement: bench/results/faces-measurement.md.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

import type * as Tf from '@tensorflow/tfjs';

import type { Box } from '../types.js';

/** Side of the square crop FaceRes takes. */
export const FACERES_INPUT_SIZE = 224;
/** Length of its descriptor. */
export const FACERES_DIMENSIONS = 1024;
/** The graph node holding the descriptor (the other two outputs are gender and age). */
const DESCRIPTOR_NODE = 'global_pooling/Mean';
/**
 * The crop is a square this many times the longer side of the SSD box, centred on the box. Measured: 1.2–1.3
 * separate best; 1.4 and above let different people in one photo come closer (min 0.33–0.35 vs 0.37).
 */
export const CROP_SCALE = 1.25;
/** Crops per FaceRes call (four faces, each plain and mirrored): bounds the memory on photos with many faces. */
const BATCH = 8;

/** Upright RGB pixels, 3 bytes per pixel. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
}

const require = createRequire(import.meta.url);

/** `faceres.json` inside the installed @vladmandic/human (its package exports hide package.json and models/). */
export function faceResModelFile(): string {
  // `require` resolves to dist/human.node.js; the models sit beside dist/. Resolving does not load Human.
  return path.join(path.dirname(path.dirname(require.resolve('@vladmandic/human'))), 'models', 'faceres.json');
}

interface ModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: object;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: Tf.io.WeightsManifestEntry[] }[];
}

/** Loads FaceRes from disk into `tf` (a file-reading IO handler: tfjs's own loaders would fetch). */
export async function loadFaceRes(tf: typeof Tf, file = faceResModelFile()): Promise<Tf.GraphModel> {
  const json = JSON.parse(await readFile(file, 'utf8')) as ModelJson;
  const parts = await Promise.all(json.weightsManifest.flatMap((g) => g.paths.map((p) => readFile(path.join(path.dirname(file), p)))));
  const bytes = Buffer.concat(parts);
  const artifacts: Tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? null,
    signature: json.signature,
  };
  const model = await tf.loadGraphModel({ load: () => Promise.resolve(artifacts) });
  const shape = model.inputs[0]?.shape;
  if (shape?.[1] !== FACERES_INPUT_SIZE || shape[2] !== FACERES_INPUT_SIZE || shape[3] !== 3) {
    throw new Error(`${file}: expected a [-1, ${FACERES_INPUT_SIZE}, ${FACERES_INPUT_SIZE}, 3] input, got [${shape?.join(', ')}]`);
  }
  if (!model.outputNodes.includes(DESCRIPTOR_NODE)) throw new Error(`${file}: no ${DESCRIPTOR_NODE} output`);
  return model;
}

/** A square region of the image: centre, side and the angle (radians) the face is tilted by. */
export interface CropGeometry {
  cx: number;
  cy: number;
  side: number;
  angle: number;
}

/**
 * The measured crop: a square of `CROP_SCALE` × the box's longer side around its centre, not rotated. Aligning
 * the eye line with face-api's landmarks did not help (it hurt augmented copies, and the landmarks of a profile
 * are guesses), nor did landmark-based centring.
 */
export function faceCrop(box: Box): CropGeometry {
  return {
    cx: box.x + box.width / 2,
    cy: box.y + box.height / 2,
    side: CROP_SCALE * Math.max(box.width, box.height),
    angle: 0,
  };
}

/**
 * Samples `crop` of `image` into a `size`×`size` RGB float array (0–255), bilinearly, averaging n×n samples per
 * pixel when shrinking by n or more (plain bilinear would alias); outside the image is black, as in Human
 * (tf.image.cropAndResize's extrapolation). With `mirror` the crop comes out flipped left–right.
 */
export function sampleCrop(image: RawImage, crop: CropGeometry, size = FACERES_INPUT_SIZE, mirror = false): Float32Array {
  const { data, width: W, height: H } = image;
  const out = new Float32Array(size * size * 3);
  const k = crop.side / size;
  const n = Math.min(4, Math.max(1, Math.ceil(k - 0.01)));
  const cos = Math.cos(crop.angle);
  const sin = Math.sin(crop.angle);
  const weight = 1 / (n * n);
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sv = 0; sv < n; sv++) {
        const dy = (v + (sv + 0.5) / n - size / 2) * k;
        for (let su = 0; su < n; su++) {
          const dx = (u + (su + 0.5) / n - size / 2) * k;
          // Pixel centres sit at +0.5: source pixel (x, y) covers [x, x + 1).
          const sx = crop.cx + cos * dx - sin * dy - 0.5;
          const sy = crop.cy + sin * dx + cos * dy - 0.5;
          const x0 = Math.floor(sx);
          const y0 = Math.floor(sy);
          const fx = sx - x0;
          const fy = sy - y0;
          for (let j = 0; j < 4; j++) {
            const x = x0 + (j & 1);
            const y = y0 + (j >> 1);
            if (x < 0 || y < 0 || x >= W || y >= H) continue;
            const w = (j & 1 ? fx : 1 - fx) * (j >> 1 ? fy : 1 - fy);
            const o = (y * W + x) * 3;
            r += w * data[o]!;
            g += w * data[o + 1]!;
            b += w * data[o + 2]!;
          }
        }
      }
      const o = (v * size + (mirror ? size - 1 - u : u)) * 3;
      out[o] = r * weight;
      out[o + 1] = g * weight;
      out[o + 2] = b * weight;
    }
  }
  return out;
}

function normalise(values: Float32Array): Float32Array {
  let sum = 0;
  for (const v of values) sum += v * v;
  const norm = Math.sqrt(sum) || 1;
  return Float32Array.from(values, (v) => v / norm);
}

/** FaceRes on `count` crops laid out [count, 224, 224, 3] (RGB 0–255): the raw descriptors, count × 1024. */
export type FaceResInference = (input: Float32Array, count: number) => Promise<Float32Array>;

/** FaceRes on tfjs (what the model ships for), kept to check the ONNX translation against. */
export function tfjsFaceRes(tf: typeof Tf, model: Tf.GraphModel): FaceResInference {
  return async (input, count) => {
    const x = tf.tensor4d(input, [count, FACERES_INPUT_SIZE, FACERES_INPUT_SIZE, 3]);
    try {
      const y = model.execute(x, DESCRIPTOR_NODE) as Tf.Tensor;
      try {
        return Float32Array.from((await y.data()) as Float32Array);
      } finally {
        y.dispose();
      }
    } finally {
      x.dispose();
    }
  };
}

/**
 * One L2-normalised descriptor per crop: FaceRes on the crop and on its mirror image, each normalised, summed and
 * normalised again. The mirrored pass costs a second inference; measured, it halves the distance between copies
 * of one face (max 0.18 → 0.09) and brings real photos of one person closer (median 0.33 → 0.30) while different
 * people stay as far apart.
 */
export async function describeFaces(infer: FaceResInference, image: RawImage, crops: readonly CropGeometry[]): Promise<Float32Array[]> {
  const descriptors: Float32Array[] = [];
  const px = FACERES_INPUT_SIZE * FACERES_INPUT_SIZE * 3;
  for (let start = 0; start < crops.length; start += BATCH / 2) {
    const chunk = crops.slice(start, start + BATCH / 2);
    const input = new Float32Array(chunk.length * 2 * px);
    chunk.forEach((crop, i) => {
      input.set(sampleCrop(image, crop), 2 * i * px);
      input.set(sampleCrop(image, crop, FACERES_INPUT_SIZE, true), (2 * i + 1) * px);
    });
    const values = await infer(input, chunk.length * 2);
    const d = FACERES_DIMENSIONS;
    for (let i = 0; i < chunk.length; i++) {
      const plain = normalise(values.subarray(2 * i * d, (2 * i + 1) * d));
      const mirrored = normalise(values.subarray((2 * i + 1) * d, (2 * i + 2) * d));
      descriptors.push(normalise(plain.map((v, j) => v + mirrored[j]!)));
    }
  }
  return descriptors;
}
