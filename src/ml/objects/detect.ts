// Objects on an upright image: Human's CenterNet (COCO's 80 classes, MobileNet v3 backbone, 4 MB of weights shipped
// in @vladmandic/human's models/) on the tfjs wasm backend of the thread it runs in (the faces worker's). The image is
// stretched to the model's 512×512 square, RGB as 0–255 floats (as Human feeds it); decode.ts turns its 100 peaks into
// objects. Local files only: nothing is fetched.
import { createRequire } from 'node:module';
import type * as Tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { humanModelFile, loadGraphModelFiles } from '../tfjs-graph.js';
import { tfjsWasm } from '../tfjs-wasm.js';
import { decodeDetections, type DetectedObject } from './decode.js';
import { OBJECTS_SETTINGS } from './settings.js';

const require = createRequire(import.meta.url);
const INPUT_SIZE = 512;
const OUTPUT = 'tower_0/detections';

let loading: Promise<{ tf: typeof Tf; model: Tf.GraphModel }> | null = null;

/** The model on the wasm backend, once a thread; a failed load is tried again by the next call. */
export function loadObjectsModel(): Promise<{ tf: typeof Tf; model: Tf.GraphModel }> {
  loading ??= (async () => {
    const { tf } = await tfjsWasm();
    return { tf, model: await loadGraphModelFiles(tf, humanModelFile(require.resolve, OBJECTS_SETTINGS.modelFile)) };
  })();
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

/** The image's upright RGB pixels stretched to the model's square (sharp's resize is cheaper than tfjs' on wasm). */
async function squarePixels(image: string): Promise<Buffer> {
  return sharp(image).rotate().resize(INPUT_SIZE, INPUT_SIZE, { fit: 'fill' }).removeAlpha().toColourspace('srgb').raw().toBuffer();
}

/** The objects in an upright image, boxes in pixels of `upright` (the original's upright size). */
export async function detectObjects(
  image: string,
  upright: { width: number; height: number },
  minScore: number = OBJECTS_SETTINGS.minScore,
): Promise<DetectedObject[]> {
  const [{ tf, model }, pixels] = await Promise.all([loadObjectsModel(), squarePixels(image)]);
  const input = tf.tensor4d(Float32Array.from(pixels), [1, INPUT_SIZE, INPUT_SIZE, 3]);
  let output: Tf.Tensor | null = null;
  try {
    output = model.execute(input, OUTPUT) as Tf.Tensor;
    const values = await output.data();
    return decodeDetections(values, { inputSize: INPUT_SIZE, upright, minScore, maxOverlap: OBJECTS_SETTINGS.maxOverlap });
  } finally {
    input.dispose();
    output?.dispose();
  }
}
