// face-api's SSD MobileNet v1 face detector, same weights, run by onnxruntime-node instead of tfjs-wasm: the session
// over the graph ./ssd-graph.ts writes, fed by ./ssd-input.ts, its output decoded against the prior boxes here and
// turned into detections by ./ssd-detections.ts.
import '../../config/telemetry-off.js';
import type * as Ort from 'onnxruntime-node';

import { buildSsdOnnx } from './ssd-graph.js';
import { ssdDetections, type SsdDetection, type SsdRaw } from './ssd-detections.js';
import { SSD_INPUT_SIZE, ssdInput, type RgbImage } from './ssd-input.js';

export interface SsdOnnx {
  session: Ort.InferenceSession;
  ort: typeof Ort;
  anchors: Float32Array;
}

export interface SsdOnnxOptions {
  /**
   * onnxruntime intra-op threads. Default 1: on the 2-core box under load, 2 threads were slower (median
   * 154–165 ms vs 116–117 ms per photo for SSD), and a pool of 2 workers uses both cores anyway.
   */
  threads?: number;
}

let loading: Promise<SsdOnnx> | null = null;

/** Builds the graph and opens its session once per thread; a failure is retried by the next call. */
export function loadSsdOnnx(options: SsdOnnxOptions = {}): Promise<SsdOnnx> {
  loading ??= (async () => {
    const ort = (await import('onnxruntime-node')) as typeof Ort;
    const { model, anchors } = buildSsdOnnx();
    const session = await ort.InferenceSession.create(model, {
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // no arena: it keeps the largest tensors' memory for good (peak of a process detecting 16 photos 521–623 → 448–492 MB)
      enableCpuMemArena: false,
    });
    return { session, ort, anchors };
  })();
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

/** SSD boxes and scores on onnxruntime, the way face-api's `SsdMobilenetv1.locateFaces` reports them. */
export async function locateFacesOnnx(image: RgbImage, maxResults: number, minScore: number): Promise<SsdDetection[]> {
  const ssd = await loadSsdOnnx();
  const raw = await runSsdOnnx(ssd, ssdInput(image));
  return ssdDetections(raw, image, maxResults, minScore);
}

/** Runs the network on `image` ([512, 512, 3] float 0..255, padded and resized as face-api does). */
export async function runSsdOnnx(ssd: SsdOnnx, image: Float32Array): Promise<SsdRaw> {
  const input = new ssd.ort.Tensor('float32', image, [1, SSD_INPUT_SIZE, SSD_INPUT_SIZE, 3]);
  const result = await ssd.session.run({ image: input });
  const enc = result['box_encodings']!.data as Float32Array;
  const logits = result['class_logits']!.data as Float32Array;
  const a = ssd.anchors;
  const count = a.length / 4;
  const boxes = new Float64Array(count * 4);
  const scores = new Float64Array(count);
  // outputLayer.ts: decodeBoxesLayer, then sigmoid of class 1.
  for (let i = 0; i < count; i++) {
    const s0 = a[4 * i + 2]! - a[4 * i]!;
    const s1 = a[4 * i + 3]! - a[4 * i + 1]!;
    const c0 = a[4 * i]! + s0 / 2;
    const c1 = a[4 * i + 1]! + s1 / 2;
    const h0 = (Math.exp(enc[4 * i + 2]! / 5) * s0) / 2;
    const m0 = (enc[4 * i]! / 10) * s0 + c0;
    const h1 = (Math.exp(enc[4 * i + 3]! / 5) * s1) / 2;
    const m1 = (enc[4 * i + 1]! / 10) * s1 + c1;
    boxes[4 * i] = m0 - h0;
    boxes[4 * i + 1] = m1 - h1;
    boxes[4 * i + 2] = m0 + h0;
    boxes[4 * i + 3] = m1 + h1;
    scores[i] = 1 / (1 + Math.exp(-logits[3 * i + 1]!));
  }
  for (const t of Object.values(result)) t.dispose?.();
  return { boxes, scores };
}
