// CLIP models in Immich's layout (the immich-app/* repos on the Hugging Face hub, e.g. the multilingual
// M-CLIP immich-app/XLM-Roberta-Large-Vit-B-32): two plain ONNX graphs that transformers.js has no model
// class for, so they run on onnxruntime-node directly.
//
//   config.json                  open_clip model config; text_cfg.context_length is the padded text length
//   visual/model.onnx            image [1,3,224,224] float32, CLIP-normalised → embedding [1,512]
//   visual/preprocess_cfg.json   size, mean, std, interpolation, resize_mode (open_clip's preprocess config)
//   textual/model.onnx           input_ids + attention_mask [1,77] int32 → embedding [1,512] (M-CLIP);
//                                open_clip text towers take one `text` input instead
//   textual/tokenizer.json, tokenizer_config.json   Hugging Face tokenizer (XLM-RoBERTa for M-CLIP)
//
// The textual graph of M-CLIP is over 2 GB, so its weights sit in an external-data file next to model.onnx,
// which onnxruntime reads from the same folder. Shapes, element types and input names are read from the
// graphs themselves: Immich exports for batch 1 and a fixed 77 tokens, other exports may be dynamic.
import '../config/telemetry-off.js';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { AutoTokenizer, env } from '@huggingface/transformers';
import { InferenceSession, Tensor } from 'onnxruntime-node';

import {
  clipModel,
  ClipLoadError,
  CUDA_HELP,
  normalise,
  probeTextDimensions,
  uprightCrop,
  type CropGeometry,
  type LoadClipOptions,
  type MlDevice,
} from './clip-common.js';
import type { ClipModel } from './types.js';

const VISUAL_MODEL = 'visual/model.onnx';
const TEXTUAL_MODEL = 'textual/model.onnx';
const REQUIRED = [VISUAL_MODEL, 'visual/preprocess_cfg.json', TEXTUAL_MODEL, 'textual/tokenizer.json', 'textual/tokenizer_config.json'];

// open_clip's OPENAI_DATASET_MEAN/STD: its default when a preprocess config leaves them out.
const OPENAI_MEAN = [0.48145466, 0.4578275, 0.40821073];
const OPENAI_STD = [0.26862954, 0.26130258, 0.27577711];

/** Whether `dir` holds an Immich-layout CLIP (either encoder is enough to pick this loader and name what is missing). */
export function hasSplitClipLayout(dir: string): boolean {
  return existsSync(path.join(dir, VISUAL_MODEL)) || existsSync(path.join(dir, TEXTUAL_MODEL));
}

interface OpenClipConfig {
  embed_dim?: number;
  text_cfg?: { context_length?: number };
}

/** open_clip's `get_model_preprocess_cfg`, as Immich saves it to visual/preprocess_cfg.json. */
interface PreprocessConfig {
  size?: number | number[];
  mode?: string;
  mean?: number[];
  std?: number[];
  interpolation?: string;
  resize_mode?: string;
}

const KERNELS: Record<string, CropGeometry['kernel']> = {
  bicubic: 'cubic',
  bilinear: 'linear',
  nearest: 'nearest',
  lanczos: 'lanczos3',
};

/**
 * open_clip's transform: `shortest` (its default, and Immich's for configs without the key) resizes the
 * shortest side and centre-crops; `squash` resizes straight to the target. `longest` (letterboxing) is not
 * used by any CLIP Immich ships and is refused rather than run wrongly.
 */
function geometryFrom(config: PreprocessConfig, file: string): CropGeometry {
  const size = config.size ?? 224;
  const [height, width] = typeof size === 'number' ? [size, size] : [size[0] ?? 224, size[1] ?? size[0] ?? 224];
  const mode = config.resize_mode ?? 'shortest';
  if (mode !== 'shortest' && mode !== 'squash') throw new ClipLoadError(`${file}: resize_mode "${mode}" is not supported`);
  const interpolation = (config.interpolation ?? 'bicubic').toLowerCase();
  const kernel = KERNELS[interpolation];
  if (!kernel) throw new ClipLoadError(`${file}: interpolation "${interpolation}" is not supported`);
  return { mode, edge: Math.max(height, width), width, height, kernel };
}

async function readJson<T>(file: string): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    throw new ClipLoadError(`${file} could not be read: ${(error as Error).message}`);
  }
}

type TensorMeta = { name: string; type: string; shape: readonly (number | string)[] };

function tensorMeta(metadata: readonly InferenceSession.ValueMetadata[], name: string): TensorMeta | null {
  const meta = metadata.find((m) => m.name === name);
  return meta?.isTensor ? { name, type: meta.type, shape: meta.shape } : null;
}

/** A fixed dimension of a graph input, or null when it is symbolic (dynamic) or unknown. */
const fixedDim = (meta: TensorMeta | null, axis: number): number | null => {
  const dim = meta?.shape[axis];
  return typeof dim === 'number' && dim > 0 ? dim : null;
};

async function createSession(file: string, device: MlDevice): Promise<InferenceSession> {
  return InferenceSession.create(file, { executionProviders: [device] });
}

function loadError(root: string, which: string, device: MlDevice, error: unknown): ClipLoadError {
  const message = (error as Error).message;
  if (device === 'cuda') return new ClipLoadError(`CLIP could not start on CUDA (${message}). ${CUDA_HELP}`);
  // A graph over 2 GB keeps its weights in files beside it; a copy of model.onnx alone cannot load.
  const external = /external|No such file|cannot open|GetFileLength|open file/i.test(message)
    ? ` (its weights are in external-data files next to ${which}: copy the whole ${path.dirname(which)}/ folder)`
    : '';
  return new ClipLoadError(`CLIP ${which} in ${root} could not be loaded: ${message}${external}`);
}

/** Immich's `clean_text`: whitespace runs to one space, none at the ends (a trailing space is a token of its own). */
const cleanText = (text: string): string => text.split(/\s+/).filter(Boolean).join(' ');

/** Rows of a [batch, dim] output. */
function rows(tensor: Tensor): Float32Array[] {
  const dims = tensor.dims;
  const dim = dims[dims.length - 1] ?? 0;
  const batch = dims.length > 1 ? dims[0]! : 1;
  const data = tensor.data as Float32Array;
  return Array.from({ length: batch }, (_, i) => normalise(data.subarray(i * dim, (i + 1) * dim)));
}

export async function loadSplitClip(root: string, options: LoadClipOptions): Promise<ClipModel> {
  const device = options.device ?? 'cpu';
  if (!existsSync(root)) throw new ClipLoadError(`${root} is not a model folder (it does not exist)`);
  const missing = REQUIRED.filter((f) => !existsSync(path.join(root, f)));
  if (missing.length > 0) {
    throw new ClipLoadError(`${root} is not a complete Immich-layout CLIP (visual/ + textual/): missing ${missing.join(', ')}`);
  }
  const configFile = path.join(root, 'config.json');
  const config = existsSync(configFile) ? await readJson<OpenClipConfig>(configFile) : {};
  const preprocessFile = path.join(root, 'visual', 'preprocess_cfg.json');
  const preprocess = await readJson<PreprocessConfig>(preprocessFile);
  const geometry = geometryFrom(preprocess, preprocessFile);
  const mean = preprocess.mean ?? OPENAI_MEAN;
  const std = preprocess.std ?? OPENAI_STD;

  const [visionResult, textResult] = await Promise.allSettled([
    createSession(path.join(root, VISUAL_MODEL), device),
    createSession(path.join(root, TEXTUAL_MODEL), device),
  ]);
  if (visionResult.status === 'rejected' || textResult.status === 'rejected') {
    await Promise.all([visionResult, textResult].map((r) => (r.status === 'fulfilled' ? r.value.release() : null)));
    if (visionResult.status === 'rejected') throw loadError(root, VISUAL_MODEL, device, visionResult.reason);
    throw loadError(root, TEXTUAL_MODEL, device, (textResult as PromiseRejectedResult).reason);
  }
  const vision = visionResult.value;
  const text = textResult.value;
  const sessions = [vision, text];
  try {
    return await assemble();
  } catch (error) {
    await Promise.all(sessions.map((s) => s.release()));
    throw error;
  }

  async function assemble(): Promise<ClipModel> {
    // --- vision: one image per run, NCHW float32, normalised with the config's mean and std.
    const imageInput = vision.inputNames[0]!;
    const imageOutput = vision.outputNames[0]!;
    const imageMeta = tensorMeta(vision.inputMetadata, imageInput);
    if (imageMeta && imageMeta.type !== 'float32') {
      throw new ClipLoadError(`${VISUAL_MODEL}: input ${imageInput} is ${imageMeta.type}, expected float32 pixels`);
    }
    const [graphH, graphW] = [fixedDim(imageMeta, 2), fixedDim(imageMeta, 3)];
    if ((graphH !== null && graphH !== geometry.height) || (graphW !== null && graphW !== geometry.width)) {
      throw new ClipLoadError(`${VISUAL_MODEL} takes ${graphW}×${graphH} images but preprocess_cfg.json crops ${geometry.width}×${geometry.height}`);
    }

    // --- text: the tokenizer of textual/, then the graph's own input names, element type and shape.
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
    let tokenizer: Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;
    try {
      tokenizer = await AutoTokenizer.from_pretrained(path.join(root, 'textual'), { local_files_only: true });
    } catch (error) {
      throw new ClipLoadError(`tokenizer in ${path.join(root, 'textual')} could not be loaded: ${(error as Error).message}`);
    }
    const idsInput = text.inputNames.find((n) => n === 'input_ids' || n === 'text');
    const maskInput = text.inputNames.find((n) => n === 'attention_mask');
    const unknown = text.inputNames.filter((n) => n !== idsInput && n !== maskInput);
    if (!idsInput || unknown.length > 0) {
      throw new ClipLoadError(`${TEXTUAL_MODEL} has inputs ${text.inputNames.join(', ')}; expected input_ids (+ attention_mask) or text`);
    }
    const textOutput = text.outputNames[0]!;
    const idsMeta = tensorMeta(text.inputMetadata, idsInput);
    const intType = idsMeta?.type === 'int64' ? 'int64' : 'int32';
    // Immich exports with a fixed [1, 77]: pad every text to the graph's length and run one at a time.
    const contextLength = config.text_cfg?.context_length ?? 77;
    const fixedLength = fixedDim(idsMeta, 1);
    const maxLength = fixedLength ?? contextLength;
    const fixedBatch = fixedDim(idsMeta, 0);
    if (fixedBatch !== null && fixedBatch !== 1) {
      throw new ClipLoadError(`${TEXTUAL_MODEL} is exported for batches of exactly ${fixedBatch}; only 1 or dynamic is supported`);
    }
    const batchSize = fixedBatch ?? Math.max(1, options.batchSize ?? 64);
    const padId = tokenizer.pad_token_id ?? 0;

    function feeds(texts: readonly string[]): Record<string, Tensor> {
      const encoded = texts.map((t) => {
        const ids = tokenizer.encode(cleanText(t));
        // Keep the end token when a text is cut, as the tokenizer's own truncation does.
        return ids.length <= maxLength ? ids : [...ids.slice(0, maxLength - 1), ids[ids.length - 1]!];
      });
      const width = fixedLength ?? Math.max(...encoded.map((ids) => ids.length));
      const size = texts.length * width;
      const ids = intType === 'int64' ? new BigInt64Array(size).fill(BigInt(padId)) : new Int32Array(size).fill(padId);
      const mask = intType === 'int64' ? new BigInt64Array(size) : new Int32Array(size);
      encoded.forEach((row, r) =>
        row.forEach((id, c) => {
          if (ids instanceof BigInt64Array) ids[r * width + c] = BigInt(id);
          else ids[r * width + c] = id;
          if (mask instanceof BigInt64Array) mask[r * width + c] = 1n;
          else mask[r * width + c] = 1;
        }),
      );
      const dims = [texts.length, width];
      const out: Record<string, Tensor> = { [idsInput!]: new Tensor(intType, ids, dims) };
      if (maskInput) out[maskInput] = new Tensor(intType, mask, dims);
      return out;
    }

    async function runTexts(texts: readonly string[]): Promise<Float32Array[]> {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        const result = await text.run(feeds(texts.slice(i, i + batchSize)));
        out.push(...rows(result[textOutput]!));
      }
      return out;
    }

    const dimensions = await probeTextDimensions(runTexts, device);
    const imageDim = tensorMeta(vision.outputMetadata, imageOutput)?.shape.at(-1);
    if (typeof imageDim === 'number' && imageDim > 0 && imageDim !== dimensions) {
      throw new ClipLoadError(`${VISUAL_MODEL} gives ${imageDim}-d embeddings but ${TEXTUAL_MODEL} ${dimensions}-d`);
    }
    if (config.embed_dim !== undefined && config.embed_dim !== dimensions) {
      throw new ClipLoadError(`config.json says embed_dim ${config.embed_dim} but the text model gives ${dimensions}`);
    }

    return clipModel(root, options, dimensions, {
      runTexts,

      async embedImage(file: string): Promise<Float32Array | undefined> {
        const { data, width, height } = await uprightCrop(file, geometry);
        const plane = width * height;
        const pixels = new Float32Array(3 * plane);
        for (let i = 0; i < plane; i++) {
          for (let c = 0; c < 3; c++) pixels[c * plane + i] = (data[i * 3 + c]! / 255 - mean[c]!) / std[c]!;
        }
        const result = await vision.run({ [imageInput]: new Tensor('float32', pixels, [1, 3, height, width]) });
        return rows(result[imageOutput]!)[0];
      },

      async close(): Promise<void> {
        await Promise.all(sessions.map((s) => s.release()));
      },
    });
  }
}
