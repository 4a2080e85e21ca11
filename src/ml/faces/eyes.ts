// Whether a face's eyes are open, for the best shot (library/best-shot/score.ts): MediaPipe's iris landmark model as
// shipped with @vladmandic/human (iris.json + .bin, a TensorFlow.js graph model), run on the tfjs backend the
// landmarks already use. Each eye is cropped around face-api's two eye-corner landmarks (a square 2.3× the corner
// distance, as Human crops it), the face's other eye mirrored (the model sees right eyes), 64×64 RGB in 0–1; of the
// 71 eye-contour points it returns, 0 and 8 are the corners and 4 and 12 the middle of the lower and upper lid.
// Openness is the lids' gap over the corners' distance: ~0.3–0.45 for open eyes on face-api's sample photos,
// under ~0.2 when closed (bench/best-shot). face-api's own 68 landmarks barely move when eyes close (measured
// there too), which is why a second model is run.
import type * as Tf from '@tensorflow/tfjs';
import type { Point } from '../types.js';
import { humanModelFile, loadGraphModelFiles } from '../tfjs-graph.js';

export const IRIS_INPUT_SIZE = 64;
/** Human's crop: the eye corners' box enlarged this much, made square. */
const EYE_CROP_SCALE = 2.3;
/** Values in the model's output an eye: x, y, z of the 71 eye-contour points (the 5 iris points follow). */
const CONTOUR_VALUES = 71 * 3;
/** face-api's 68 landmarks: the outer and inner corner of each eye, the image-left eye first. */
const EYE_CORNERS = [
  [36, 39],
  [45, 42],
] as const;
/** Eyes narrower than this (pixels of the decoded image) are too small to judge. */
const MIN_EYE_WIDTH = 6;

/** `iris.json` inside the installed @vladmandic/human. */
export function irisModelFile(resolve: (id: string) => string): string {
  return humanModelFile(resolve, 'iris.json');
}

/** The iris graph model from its local files. */
export const loadIrisModel = loadGraphModelFiles;

export interface RgbPixels {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface EyeCrop {
  /** Square in the image's pixels (may stick out of the frame: outside reads black). */
  x: number;
  y: number;
  side: number;
  mirrored: boolean;
}

/** The two eye crops of a face from its 68 landmarks; null when the eyes are too small to judge. */
export function eyeCrops(landmarks: readonly Point[]): [EyeCrop, EyeCrop] | null {
  if (landmarks.length !== 68) return null;
  const crops = EYE_CORNERS.map(([outer, inner], index) => {
    const a = landmarks[outer]!;
    const b = landmarks[inner]!;
    const width = Math.hypot(a.x - b.x, a.y - b.y);
    const side = width * EYE_CROP_SCALE;
    return { x: (a.x + b.x) / 2 - side / 2, y: (a.y + b.y) / 2 - side / 2, side, mirrored: index === 1, width };
  });
  if (crops.some((c) => c.width < MIN_EYE_WIDTH)) return null;
  return crops.map(({ width: _, ...crop }) => crop) as [EyeCrop, EyeCrop];
}

/** An eye crop resampled (bilinear, edges clamped) to the model's input: HWC, RGB in 0–1, mirrored when asked; black outside the frame. */
export function sampleCrop(image: RgbPixels, crop: EyeCrop, out: Float32Array, offset: number): void {
  const size = IRIS_INPUT_SIZE;
  const step = crop.side / size;
  const clampX = (x: number) => Math.min(image.width - 1, Math.max(0, x));
  const clampY = (y: number) => Math.min(image.height - 1, Math.max(0, y));
  const at = (x: number, y: number, c: number) => image.data[(clampY(y) * image.width + clampX(x)) * 3 + c]!;
  for (let row = 0; row < size; row++) {
    const sy = crop.y + (row + 0.5) * step - 0.5;
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    for (let col = 0; col < size; col++) {
      const sx = crop.x + ((crop.mirrored ? size - 1 - col : col) + 0.5) * step - 0.5;
      const at0 = offset + (row * size + col) * 3;
      if (sx < -0.5 || sy < -0.5 || sx > image.width - 0.5 || sy > image.height - 0.5) {
        out.fill(0, at0, at0 + 3);
        continue;
      }
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const top = at(x0, y0, c) * (1 - fx) + at(x0 + 1, y0, c) * fx;
        const bottom = at(x0, y0 + 1, c) * (1 - fx) + at(x0 + 1, y0 + 1, c) * fx;
        out[at0 + c] = (top * (1 - fy) + bottom * fy) / 255;
      }
    }
  }
}

/** The lids' gap over the corners' distance, from one eye's model output (x, y, z per point, crop pixels). */
export function openness(points: ArrayLike<number>, offset = 0): number {
  const x = (i: number) => points[offset + i * 3]!;
  const y = (i: number) => points[offset + i * 3 + 1]!;
  const width = Math.hypot(x(0) - x(8), y(0) - y(8));
  return width > 0 ? Math.abs(y(4) - y(12)) / width : 0;
}

/**
 * Each face's eye openness (the mean of its two eyes), null where its landmarks cannot place both eyes; one run of
 * the model for all the eyes of the image.
 */
export async function eyesOpenness(
  tf: typeof Tf,
  model: Tf.GraphModel,
  image: RgbPixels,
  faces: readonly (readonly Point[] | null)[],
): Promise<(number | null)[]> {
  const crops = faces.map((landmarks) => (landmarks ? eyeCrops(landmarks) : null));
  const eyes = crops.flatMap((pair) => pair ?? []);
  if (eyes.length === 0) return faces.map(() => null);
  const pixels = IRIS_INPUT_SIZE * IRIS_INPUT_SIZE * 3;
  const input = new Float32Array(eyes.length * pixels);
  eyes.forEach((crop, index) => sampleCrop(image, crop, input, index * pixels));
  const tensor = tf.tensor4d(input, [eyes.length, IRIS_INPUT_SIZE, IRIS_INPUT_SIZE, 3]);
  let values: Float32Array;
  let outputs: Tf.Tensor[] = [];
  try {
    const output = model.execute(tensor) as Tf.Tensor | Tf.Tensor[];
    outputs = Array.isArray(output) ? output : [output];
    const points = outputs.find((t) => (t.shape[t.shape.length - 1] ?? 0) >= CONTOUR_VALUES) ?? outputs[0]!;
    values = (await points.data()) as Float32Array;
  } finally {
    tf.dispose(outputs);
    tensor.dispose();
  }
  const perEye = values.length / eyes.length;
  if (perEye < CONTOUR_VALUES) throw new Error(`the iris model returned ${perEye} values an eye`);
  let eye = 0;
  return crops.map((pair) => {
    if (!pair) return null;
    const mean = (openness(values, eye * perEye) + openness(values, (eye + 1) * perEye)) / 2;
    eye += 2;
    return Math.round(mean * 1000) / 1000;
  });
}
