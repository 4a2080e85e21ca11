// The ONNX graph of face-api's SSD MobileNet v1 face detector, with face-api's weights (./ssd-onnx.ts runs it).
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

import { DataType, encodeModel, hwioToOihw, type Initializer, type Node as OnnxNode } from '../onnx-writer.js';
import { SSD_INPUT_SIZE } from './ssd-input.js';

/** face-api's batchnorm epsilon (mobileNetV1.ts). */
const BN_EPSILON = 0.0010000000474974513;

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
