// FaceRes (descriptor.ts) on onnxruntime-node instead of tfjs-wasm: the same graph and weights, translated at first
// use from Human's TensorFlow.js graph model (faceres.json + .bin) into ONNX. FaceRes is a MobileNet v1: Conv2D,
// DepthwiseConv2dNative, batchnorm written out as Mul + Add, ReLU6 written out as Relu + Minimum + Maximum, and a
// global Mean that is the descriptor; only the ops on the way to that Mean are translated (age and gender heads are
// left out). TensorFlow's NHWC becomes ONNX's NCHW after the input: per-channel constants become [C, 1, 1], filters
// HWIO → OIHW (depthwise HWCM → (C·M)1HW, group C), 'SAME' padding → SAME_UPPER.
// Measured on the corpus faces: descriptors equal to tfjs-wasm's within float rounding (cosine distance < 1e-6,
// test/integration/faces.test.ts) at ~4× less time per face (bench/README.md, session 15).
import '../../config/telemetry-off.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type * as Ort from 'onnxruntime-node';

import { DataType, encodeModel, hwioToOihw, type Initializer, type Node as OnnxNode } from '../onnx-writer.js';
import { FACERES_DIMENSIONS, FACERES_INPUT_SIZE, faceResModelFile } from './descriptor.js';

const OUTPUT = 'global_pooling/Mean';

interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, { s?: string; b?: boolean; list?: { i?: string[] } }>;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  quantization?: { dtype: 'float16' | 'uint8' | 'uint16'; scale?: number; min?: number };
}

interface Constant {
  shape: number[];
  data: Float32Array;
}

/** IEEE 754 half → float. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** The graph's weights, dequantised as tfjs' io.decodeWeights does. */
function readWeights(file: string, manifest: { paths: string[]; weights: WeightSpec[] }[]): Map<string, Constant> {
  const out = new Map<string, Constant>();
  for (const group of manifest) {
    const bin = Buffer.concat(group.paths.map((p) => readFileSync(path.join(path.dirname(file), p))));
    let offset = 0;
    for (const spec of group.weights) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(size);
      const q = spec.quantization;
      if (q?.dtype === 'float16') {
        for (let i = 0; i < size; i++) data[i] = halfToFloat(bin.readUInt16LE(offset + 2 * i));
        offset += 2 * size;
      } else if (q) {
        const bytes = q.dtype === 'uint8' ? 1 : 2;
        for (let i = 0; i < size; i++) data[i] = (bytes === 1 ? bin.readUInt8(offset + i) : bin.readUInt16LE(offset + 2 * i)) * q.scale! + q.min!;
        offset += bytes * size;
      } else {
        for (let i = 0; i < size; i++) data[i] = spec.dtype === 'int32' ? bin.readInt32LE(offset + 4 * i) : bin.readFloatLE(offset + 4 * i);
        offset += 4 * size;
      }
      out.set(spec.name, { shape: spec.shape, data });
    }
    if (offset !== bin.length) throw new Error(`${file}: read ${offset} of ${bin.length} weight bytes`);
  }
  return out;
}

const decodeAttr = (value: string | undefined) => (value ? Buffer.from(value, 'base64').toString('latin1') : '');

/** HWCM (tf depthwise filters) → (C·M)1HW, for an ONNX Conv with group = C. */
function hwcmToGrouped(shape: number[], data: Float32Array): { dims: number[]; data: Float32Array } {
  const [h, w, c, m] = shape as [number, number, number, number];
  const out = new Float32Array(data.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++) for (let k = 0; k < m; k++) out[((ch * m + k) * h + y) * w + x] = data[((y * w + x) * c + ch) * m + k]!;
  return { dims: [c * m, 1, h, w], data: out };
}

/** NHWC axis → NCHW axis. */
const NCHW_AXIS = [0, 2, 3, 1];

/**
 * Translates FaceRes up to its descriptor into ONNX: input `image` [N, 224, 224, 3] float 0..255 (NHWC, as
 * descriptor.ts samples crops), output `descriptor` [N, 1024].
 */
export function buildFaceResOnnx(file = faceResModelFile()): Uint8Array {
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    modelTopology: { node: TfNode[] };
    weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  };
  const constants = readWeights(file, json.weightsManifest);
  const byName = new Map(json.modelTopology.node.map((n) => [n.name, n]));
  // Only what the descriptor needs, inputs before their users.
  const order: TfNode[] = [];
  const visited = new Set<string>();
  const visit = (name: string) => {
    const clean = name.replace(/:\d+$/, '');
    if (visited.has(clean)) return;
    visited.add(clean);
    const node = byName.get(clean);
    if (!node) throw new Error(`${file}: no node ${clean}`);
    for (const input of node.input ?? []) visit(input);
    order.push(node);
  };
  visit(OUTPUT);

  const nodes: OnnxNode[] = [];
  const inits: Initializer[] = [];
  const tensors = new Map<string, string>(); // tf node → ONNX value name
  let n = 0;
  const constant = (dims: number[], data: Float32Array) => {
    const name = `c${n++}`;
    inits.push({ name, dims, data });
    return name;
  };
  const constOf = (name: string): Constant | undefined => constants.get(name.replace(/:\d+$/, ''));
  const tensorOf = (name: string): string => {
    const t = tensors.get(name.replace(/:\d+$/, ''));
    if (!t) throw new Error(`${file}: ${name} is not computed before its use`);
    return t;
  };
  /** A binary op's operand: a computed tensor, or a constant shaped to broadcast over NCHW. */
  const operand = (name: string): string => {
    const c = constOf(name);
    if (!c) return tensorOf(name);
    const size = c.data.length;
    if (size === 1) return constant([], c.data);
    if (c.shape.length === 1) return constant([size, 1, 1], c.data); // per channel
    throw new Error(`${file}: constant ${name} of shape [${c.shape.join(', ')}] in an elementwise op`);
  };
  const convAttrs = (node: TfNode, kernel: number[], group: number) => {
    const strides = (node.attr?.strides?.list?.i ?? ['1', '1', '1', '1']).map(Number);
    const dilations = (node.attr?.dilations?.list?.i ?? ['1', '1', '1', '1']).map(Number);
    const padding = decodeAttr(node.attr?.padding?.s);
    if (decodeAttr(node.attr?.data_format?.s) !== 'NHWC') throw new Error(`${file}: ${node.name} is not NHWC`);
    if (padding !== 'SAME' && padding !== 'VALID') throw new Error(`${file}: ${node.name} has padding ${padding}`);
    return {
      auto_pad: { s: padding === 'SAME' ? 'SAME_UPPER' : 'VALID' },
      strides: { ints: [strides[1]!, strides[2]!] },
      dilations: { ints: [dilations[1]!, dilations[2]!] },
      group: { i: group },
      kernel_shape: { ints: kernel },
    };
  };

  for (const node of order) {
    const out = `t${n++}`;
    const inputs = node.input ?? [];
    switch (node.op) {
      case 'Const':
        continue; // read where used
      case 'Placeholder':
        nodes.push({ op: 'Transpose', inputs: ['image'], outputs: [out], attrs: { perm: { ints: [0, 3, 1, 2] } } });
        break;
      case 'Conv2D': {
        const f = constOf(inputs[1]!);
        if (!f) throw new Error(`${file}: ${node.name} has no constant filter`);
        const w = hwioToOihw(f.shape, f.data);
        nodes.push({ op: 'Conv', inputs: [tensorOf(inputs[0]!), constant(w.dims, w.data)], outputs: [out], attrs: convAttrs(node, w.dims.slice(2), 1) });
        break;
      }
      case 'DepthwiseConv2dNative': {
        const f = constOf(inputs[1]!);
        if (!f) throw new Error(`${file}: ${node.name} has no constant filter`);
        const w = hwcmToGrouped(f.shape, f.data);
        nodes.push({
          op: 'Conv',
          inputs: [tensorOf(inputs[0]!), constant(w.dims, w.data)],
          outputs: [out],
          attrs: convAttrs(node, w.dims.slice(2), f.shape[2]!),
        });
        break;
      }
      case 'Add':
      case 'AddV2':
      case 'Mul':
      case 'Minimum':
      case 'Maximum': {
        const op = { Add: 'Add', AddV2: 'Add', Mul: 'Mul', Minimum: 'Min', Maximum: 'Max' }[node.op]!;
        nodes.push({ op, inputs: [operand(inputs[0]!), operand(inputs[1]!)], outputs: [out] });
        break;
      }
      case 'Relu':
        nodes.push({ op: 'Relu', inputs: [tensorOf(inputs[0]!)], outputs: [out] });
        break;
      case 'Mean': {
        const axes = constOf(inputs[1]!);
        if (!axes) throw new Error(`${file}: ${node.name} has no constant axes`);
        nodes.push({
          op: 'ReduceMean',
          inputs: [tensorOf(inputs[0]!)],
          outputs: [out],
          attrs: { axes: { ints: Array.from(axes.data, (a) => NCHW_AXIS[a]!) }, keepdims: { i: node.attr?.keep_dims?.b ? 1 : 0 } },
        });
        break;
      }
      default:
        throw new Error(`${file}: op ${node.op} (${node.name}) is not translated`);
    }
    tensors.set(node.name, out);
  }
  nodes.push({ op: 'Identity', inputs: [tensorOf(OUTPUT)], outputs: ['descriptor'] });
  return encodeModel({
    name: 'human-faceres',
    nodes,
    initializers: inits,
    inputs: [{ name: 'image', type: DataType.FLOAT, shape: ['batch', FACERES_INPUT_SIZE, FACERES_INPUT_SIZE, 3] }],
    outputs: [{ name: 'descriptor', type: DataType.FLOAT, shape: ['batch', FACERES_DIMENSIONS] }],
  });
}

export interface FaceResOnnx {
  session: Ort.InferenceSession;
  ort: typeof Ort;
}

let loading: Promise<FaceResOnnx> | null = null;

/** Translates the graph and opens its session once per thread (one intra-op thread, as SSD); retried after a failure. */
export function loadFaceResOnnx(): Promise<FaceResOnnx> {
  loading ??= (async () => {
    const ort = (await import('onnxruntime-node')) as typeof Ort;
    const session = await ort.InferenceSession.create(buildFaceResOnnx(), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // no arena: it keeps the largest tensors' memory for good (peak of a process detecting 16 photos 521–623 → 448–492 MB)
      enableCpuMemArena: false,
    });
    return { session, ort };
  })();
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

/** FaceRes descriptors (raw, not normalised) for `count` crops laid out [count, 224, 224, 3]. */
export async function runFaceResOnnx(faceres: FaceResOnnx, input: Float32Array, count: number): Promise<Float32Array> {
  const tensor = new faceres.ort.Tensor('float32', input, [count, FACERES_INPUT_SIZE, FACERES_INPUT_SIZE, 3]);
  const result = await faceres.session.run({ image: tensor });
  const output = result['descriptor']!;
  const values = Float32Array.from(output.data as Float32Array);
  for (const t of Object.values(result)) t.dispose?.();
  return values;
}
