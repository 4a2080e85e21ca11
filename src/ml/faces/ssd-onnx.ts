// face-api's SSD MobileNet v1 face detector, same weights, run by onnxruntime-node instead of tfjs-wasm.
// The graph is written here at first use from face-api's weights manifest + .bin, following face-api's own
// network (node_modules/@vladmandic/face-api/src/ssdMobilenetv1/): MobileNet v1 (a 3×3 conv, then 13
// depthwise 3×3 + batchnorm + relu6 / pointwise 1×1 + bias + relu6 pairs, strides 2 at pairs 2, 4, 6, 12),
// 8 extra pointwise layers, six box predictors (on conv 11, the last MobileNet layer and extra layers 1, 3,
// 5, 7), then box decoding against its 5118 prior boxes, sigmoid scores and face-api's non-maximum
// suppression, both in JavaScript. Convolutions use TensorFlow's 'same' padding (ONNX SAME_UPPER); the
// depthwise batchnorm is folded into the depthwise convolution's weights and bias.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import type * as Ort from 'onnxruntime-node';

import { DataType, encodeModel, hwioToOihw, type Initializer, type Node as OnnxNode } from '../onnx-writer.js';

/** SSD's input side: face-api pads the image to a square (bottom / right, zeros) and resizes it to this. */
export const SSD_INPUT_SIZE = 512;
/** face-api's batchnorm epsilon (mobileNetV1.ts). */
const BN_EPSILON = 0.0010000000474974513;
/** face-api's NMS IoU threshold (SsdMobilenetv1.locateFaces). */
const IOU_THRESHOLD = 0.5;

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  quantization?: { dtype: 'uint8' | 'uint16'; scale: number; min: number };
}

const require = createRequire(import.meta.url);

function modelDir(): string {
  return path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

/** Reads and dequantises ssd_mobilenetv1_model (the way tfjs' io.decodeWeights does: q * scale + min). */
function loadWeights(): Map<string, { shape: number[]; data: Float32Array }> {
  const dir = modelDir();
  const manifest = JSON.parse(readFileSync(path.join(dir, 'ssd_mobilenetv1_model-weights_manifest.json'), 'utf8')) as {
    paths: string[];
    weights: WeightSpec[];
  }[];
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const group of manifest) {
    const bin = Buffer.concat(group.paths.map((p) => readFileSync(path.join(dir, p))));
    let offset = 0;
    for (const spec of group.weights) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const q = spec.quantization;
      const data = new Float32Array(size);
      if (q) {
        const bytes = q.dtype === 'uint8' ? 1 : 2;
        for (let i = 0; i < size; i++) {
          const v = bytes === 1 ? bin.readUInt8(offset + i) : bin.readUInt16LE(offset + 2 * i);
          data[i] = v * q.scale + q.min;
        }
        offset += size * bytes;
      } else {
        for (let i = 0; i < size; i++) {
          data[i] = spec.dtype === 'float32' ? bin.readFloatLE(offset + 4 * i) : bin.readInt32LE(offset + 4 * i);
        }
        offset += size * 4;
      }
      out.set(spec.name, { shape: spec.shape, data });
    }
    if (offset !== bin.length) throw new Error(`ssd weights: read ${offset} of ${bin.length} bytes`);
  }
  return out;
}


interface Built {
  model: Uint8Array;
  /** Prior boxes [5118 × 4]: face-api's Output/extra_dim. */
  anchors: Float32Array;
}

/** Builds the ONNX model: input `image` [1, 512, 512, 3] float 0..255 (NHWC); outputs box encodings + class logits. */
export function buildSsdOnnx(): Built {
  const weights = loadWeights();
  const get = (name: string) => {
    const w = weights.get(name);
    if (!w) throw new Error(`ssd weights: no ${name}`);
    return w;
  };
  const nodes: OnnxNode[] = [];
  const inits: Initializer[] = [];
  const constant = (name: string, dims: number[], data: ArrayLike<number>) => {
    inits.push({ name, dims, data: Float32Array.from(data) });
    return name;
  };
  const int64 = (name: string, values: number[]) => {
    inits.push({ name, dims: [values.length], data: BigInt64Array.from(values.map((v) => BigInt(v))) });
    return name;
  };
  const zero = constant('c_zero', [], [0]);
  const six = constant('c_six', [], [6]);
  let n = 0;
  const conv = (x: string, w: { dims: number[]; data: Float32Array }, bias: Float32Array, stride: number, group = 1) => {
    const id = n++;
    const wn = constant(`w${id}`, w.dims, w.data);
    const bn = constant(`b${id}`, [bias.length], bias);
    const y = `conv${id}`;
    nodes.push({
      op: 'Conv',
      inputs: [x, wn, bn],
      outputs: [y],
      attrs: { auto_pad: { s: 'SAME_UPPER' }, strides: { ints: [stride, stride] }, group: { i: group }, kernel_shape: { ints: w.dims.slice(2) } },
    });
    return y;
  };
  const relu6 = (x: string) => {
    const y = `${x}_relu6`;
    nodes.push({ op: 'Clip', inputs: [x, zero, six], outputs: [y] });
    return y;
  };
  const pointwise = (x: string, prefix: string, stride: number) => {
    const w = get(`${prefix}/weights`);
    return relu6(conv(x, hwioToOihw(w.shape, w.data), get(`${prefix}/convolution_bn_offset`).data, stride));
  };
  const depthwise = (x: string, prefix: string, stride: number) => {
    const w = get(`${prefix}/depthwise_weights`);
    const [h, ww, c, mult] = w.shape as [number, number, number, number];
    if (mult !== 1) throw new Error(`ssd weights: depthwise multiplier ${mult}`);
    const gamma = get(`${prefix}/BatchNorm/gamma`).data;
    const beta = get(`${prefix}/BatchNorm/beta`).data;
    const mean = get(`${prefix}/BatchNorm/moving_mean`).data;
    const variance = get(`${prefix}/BatchNorm/moving_variance`).data;
    const data = new Float32Array(c * h * ww);
    const bias = new Float32Array(c);
    for (let k = 0; k < c; k++) {
      const scale = gamma[k]! / Math.sqrt(variance[k]! + BN_EPSILON);
      bias[k] = beta[k]! - mean[k]! * scale;
      for (let y = 0; y < h; y++) for (let x2 = 0; x2 < ww; x2++) data[(k * h + y) * ww + x2] = w.data[(y * ww + x2) * c + k]! * scale;
    }
    return relu6(conv(x, { dims: [c, 1, h, ww], data }, bias, stride, c));
  };

  // Normalise as face-api does (x / 127.5 - 1), then NHWC → NCHW.
  nodes.push({ op: 'Div', inputs: ['image', constant('c_127_5', [], [127.5])], outputs: ['scaled'] });
  nodes.push({ op: 'Sub', inputs: ['scaled', constant('c_one', [], [1])], outputs: ['normed'] });
  nodes.push({ op: 'Transpose', inputs: ['normed'], outputs: ['nchw'], attrs: { perm: { ints: [0, 3, 1, 2] } } });

  let out = pointwise('nchw', 'MobilenetV1/Conv2d_0_pointwise', 2);
  let conv11 = '';
  for (let i = 1; i <= 13; i++) {
    out = depthwise(out, `MobilenetV1/Conv2d_${i}_depthwise`, [2, 4, 6, 12].includes(i) ? 2 : 1);
    out = pointwise(out, `MobilenetV1/Conv2d_${i}_pointwise`, 1);
    if (i === 11) conv11 = out;
  }
  const extra: string[] = [];
  let p = out;
  for (let i = 0; i <= 7; i++) {
    p = pointwise(p, `Prediction/Conv2d_${i}_pointwise`, i % 2 === 1 ? 2 : 1);
    extra.push(p);
  }
  const sources = [conv11, out, extra[1]!, extra[3]!, extra[5]!, extra[7]!];
  const shapeBox = int64('s_box', [1, -1, 4]);
  const shapeClass = int64('s_class', [1, -1, 3]);
  const boxParts: string[] = [];
  const classParts: string[] = [];
  sources.forEach((x, i) => {
    for (const [kind, shape, parts] of [
      ['BoxEncodingPredictor', shapeBox, boxParts],
      ['ClassPredictor', shapeClass, classParts],
    ] as const) {
      const w = get(`Prediction/BoxPredictor_${i}/${kind}/weights`);
      const y = conv(x, hwioToOihw(w.shape, w.data), get(`Prediction/BoxPredictor_${i}/${kind}/biases`).data, 1);
      // Back to NHWC so that the reshape orders predictions (row, column, anchor) as face-api's does.
      nodes.push({ op: 'Transpose', inputs: [y], outputs: [`${y}_nhwc`], attrs: { perm: { ints: [0, 2, 3, 1] } } });
      nodes.push({ op: 'Reshape', inputs: [`${y}_nhwc`, shape], outputs: [`${y}_flat`] });
      parts.push(`${y}_flat`);
    }
  });
  nodes.push({ op: 'Concat', inputs: boxParts, outputs: ['box_encodings'], attrs: { axis: { i: 1 } } });
  nodes.push({ op: 'Concat', inputs: classParts, outputs: ['class_logits'], attrs: { axis: { i: 1 } } });

  const anchors = get('Output/extra_dim');
  const model = encodeModel({
    name: 'face-api-ssd-mobilenet-v1',
    nodes,
    initializers: inits,
    inputs: [{ name: 'image', type: DataType.FLOAT, shape: [1, SSD_INPUT_SIZE, SSD_INPUT_SIZE, 3] }],
    outputs: [
      { name: 'box_encodings', type: DataType.FLOAT, shape: [1, anchors.shape[1]!, 4] },
      { name: 'class_logits', type: DataType.FLOAT, shape: [1, anchors.shape[1]!, 3] },
    ],
  });
  return { model, anchors: anchors.data };
}

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
    });
    return { session, ort, anchors };
  })();
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

/** Upright RGB pixels, 3 bytes per pixel, row by row. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * face-api's SSD input (NetInput.toBatchTensor(512, false)): the image padded to a square at the bottom / right
 * with zeros, resized to 512×512 as tf.image.resizeBilinear does without corner alignment or half-pixel centres,
 * as float 0..255 [512, 512, 3]. Plain JavaScript: the same ops on tfjs-wasm cost ~200 ms per photo here.
 */
export function ssdInput(image: RgbImage): Float32Array {
  const { data, width, height } = image;
  if (data.length !== width * height * 3) throw new Error(`expected ${width}×${height}×3 bytes, got ${data.length}`);
  const side = Math.max(width, height);
  const out = new Float32Array(SSD_INPUT_SIZE * SSD_INPUT_SIZE * 3);
  const scale = side / SSD_INPUT_SIZE;
  // Source columns and weights are the same on every row: worked out once (float32-rounded as tfjs computes them).
  const columns0 = new Int32Array(SSD_INPUT_SIZE);
  const columns1 = new Int32Array(SSD_INPUT_SIZE);
  const weightsX = new Float64Array(SSD_INPUT_SIZE);
  for (let ox = 0; ox < SSD_INPUT_SIZE; ox++) {
    const fx = Math.fround(ox * scale);
    columns0[ox] = Math.floor(fx);
    columns1[ox] = Math.min(side - 1, Math.ceil(fx));
    weightsX[ox] = Math.fround(fx - columns0[ox]!);
  }
  // The padding reads as 0; `at` is only needed where a row or column lies in it.
  const at = (y: number, x: number, c: number) => (y < height && x < width ? data[(y * width + x) * 3 + c]! : 0);
  for (let oy = 0; oy < SSD_INPUT_SIZE; oy++) {
    const fy = Math.fround(oy * scale);
    const y0 = Math.floor(fy);
    const y1 = Math.min(side - 1, Math.ceil(fy));
    const dy = Math.fround(fy - y0);
    if (y0 >= height) break; // this row and every later one are all padding: zeros
    const inside = y1 < height;
    const row0 = y0 * width * 3;
    const row1 = y1 * width * 3;
    for (let ox = 0; ox < SSD_INPUT_SIZE; ox++) {
      const x0 = columns0[ox]!;
      const x1 = columns1[ox]!;
      const dx = weightsX[ox]!;
      const o = (oy * SSD_INPUT_SIZE + ox) * 3;
      if (inside && x1 < width) {
        const a = row0 + x0 * 3;
        const b = row0 + x1 * 3;
        const d = row1 + x0 * 3;
        const e = row1 + x1 * 3;
        for (let c = 0; c < 3; c++) {
          const tl = data[a + c]!;
          const top = tl + (data[b + c]! - tl) * dx;
          const bl = data[d + c]!;
          const bottom = bl + (data[e + c]! - bl) * dx;
          out[o + c] = top + (bottom - top) * dy;
        }
        continue;
      }
      if (x0 >= width) break; // the rest of the row is padding
      for (let c = 0; c < 3; c++) {
        const tl = at(y0, x0, c);
        const tr = at(y0, x1, c);
        const bl = at(y1, x0, c);
        const br = at(y1, x1, c);
        const top = tl + (tr - tl) * dx;
        const bottom = bl + (br - bl) * dx;
        out[o + c] = top + (bottom - top) * dy;
      }
    }
  }
  return out;
}

/** SSD boxes and scores on onnxruntime, the way face-api's `SsdMobilenetv1.locateFaces` reports them. */
export async function locateFacesOnnx(image: RgbImage, maxResults: number, minScore: number): Promise<SsdDetection[]> {
  const ssd = await loadSsdOnnx();
  const raw = await runSsdOnnx(ssd, ssdInput(image));
  return ssdDetections(raw, image, maxResults, minScore);
}

/** Raw SSD output for one 512×512 input: decoded boxes [ymin, xmin, ymax, xmax] (relative to the padded square) and scores. */
export interface SsdRaw {
  boxes: Float64Array;
  scores: Float64Array;
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

function iou(b: Float64Array, i: number, j: number): number {
  const yminI = Math.min(b[4 * i]!, b[4 * i + 2]!);
  const xminI = Math.min(b[4 * i + 1]!, b[4 * i + 3]!);
  const ymaxI = Math.max(b[4 * i]!, b[4 * i + 2]!);
  const xmaxI = Math.max(b[4 * i + 1]!, b[4 * i + 3]!);
  const yminJ = Math.min(b[4 * j]!, b[4 * j + 2]!);
  const xminJ = Math.min(b[4 * j + 1]!, b[4 * j + 3]!);
  const ymaxJ = Math.max(b[4 * j]!, b[4 * j + 2]!);
  const xmaxJ = Math.max(b[4 * j + 1]!, b[4 * j + 3]!);
  const areaI = (ymaxI - yminI) * (xmaxI - xminI);
  const areaJ = (ymaxJ - yminJ) * (xmaxJ - xminJ);
  if (areaI <= 0 || areaJ <= 0) return 0;
  const inter =
    Math.max(Math.min(ymaxI, ymaxJ) - Math.max(yminI, yminJ), 0) * Math.max(Math.min(xmaxI, xmaxJ) - Math.max(xminI, xminJ), 0);
  return inter / (areaI + areaJ - inter);
}

/** face-api's nonMaxSuppression.ts, unchanged in behaviour: greedy, IoU 0.5, candidates above `minScore`. */
export function ssdNonMaxSuppression(raw: SsdRaw, maxResults: number, minScore: number): number[] {
  const candidates = Array.from(raw.scores, (score, index) => ({ score, index }))
    .filter((c) => c.score > minScore)
    .sort((x, y) => y.score - x.score);
  const outputSize = Math.min(maxResults, raw.scores.length);
  const selected: number[] = [];
  for (const c of candidates) {
    if (selected.length >= outputSize) break;
    let score = c.score;
    for (let j = selected.length - 1; j >= 0; --j) {
      const o = iou(raw.boxes, c.index, selected[j]!);
      if (o === 0) continue;
      if (o > IOU_THRESHOLD) score = 0;
      if (score <= minScore) break;
    }
    if (score === c.score) selected.push(c.index);
  }
  return selected;
}

export interface SsdDetection {
  score: number;
  /** Pixels of the image given to face-api (before padding), as face-api's FaceDetection.box. */
  box: { x: number; y: number; width: number; height: number };
  /** Relative to the image (may exceed 0..1 slightly on the padded side), as face-api's relativeBox. */
  relative: { x: number; y: number; width: number; height: number };
}

/** locateFaces from SsdMobilenetv1.ts: NMS, clip to [0, 1] of the padded square, rescale to the image. */
export function ssdDetections(raw: SsdRaw, size: { width: number; height: number }, maxResults: number, minScore: number): SsdDetection[] {
  const scale = SSD_INPUT_SIZE / Math.max(size.width, size.height);
  const padX = SSD_INPUT_SIZE / Math.round(size.width * scale);
  const padY = SSD_INPUT_SIZE / Math.round(size.height * scale);
  return ssdNonMaxSuppression(raw, maxResults, minScore).map((i) => {
    const top = Math.max(0, raw.boxes[4 * i]!) * padY;
    const bottom = Math.min(1, raw.boxes[4 * i + 2]!) * padY;
    const left = Math.max(0, raw.boxes[4 * i + 1]!) * padX;
    const right = Math.min(1, raw.boxes[4 * i + 3]!) * padX;
    const relative = { x: left, y: top, width: right - left, height: bottom - top };
    return {
      score: raw.scores[i]!,
      relative,
      box: { x: left * size.width, y: top * size.height, width: relative.width * size.width, height: relative.height * size.height },
    };
  });
}
