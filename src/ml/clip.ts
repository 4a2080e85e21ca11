// CLIP through transformers.js + onnxruntime-node, from a local folder only (never the network).
// Loads the vision and text encoders once; images are decoded by sharp, texts tokenised with the model's own
// tokenizer. Every vector returned is L2-normalised.
// `loadClip` also runs the Immich layout (separate visual/ and textual/ ONNX graphs, e.g. the multilingual
// M-CLIP): see clip-split.ts; the layout comes from the option or from the files in the folder.
import '../config/telemetry-off.js';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { AutoProcessor, AutoTokenizer, CLIPTextModelWithProjection, CLIPVisionModelWithProjection, env, RawImage, Tensor } from '@huggingface/transformers';

import { clipModel, ClipLoadError, CUDA_HELP, normalise, probeTextDimensions, uprightCrop, type CropGeometry, type LoadClipOptions } from './clip-common.js';
import { hasSplitClipLayout, loadSplitClip } from './clip-split.js';
import type { ClipLayout } from './model-catalogue.js';
import type { ClipModel } from './types.js';

export { ClipLoadError, CUDA_HELP, type LoadClipOptions, type MlDevice } from './clip-common.js';

type Dtype = 'fp32' | 'q8';

/** fp32 when both full-precision encoders are there (someone chose them), else the quantized pair. */
function pickDtype(dir: string): Dtype {
  const has = (file: string): boolean => existsSync(path.join(dir, 'onnx', file));
  if (has('vision_model.onnx') && has('text_model.onnx')) return 'fp32';
  if (has('vision_model_quantized.onnx') && has('text_model_quantized.onnx')) return 'q8';
  throw new ClipLoadError(
    `${dir} has no CLIP encoders: expected onnx/vision_model.onnx + onnx/text_model.onnx or their _quantized versions ` +
      '(transformers.js layout), or visual/model.onnx + textual/model.onnx (Immich layout)',
  );
}

/** Rows of a [batch, dim] output tensor. */
function rows(tensor: Tensor): Float32Array[] {
  const [batch, dim] = tensor.dims as [number, number];
  const data = tensor.data as Float32Array;
  return Array.from({ length: batch }, (_, i) => normalise(data.subarray(i * dim, (i + 1) * dim)));
}

type SizeConfig = number | { shortest_edge?: number; height?: number; width?: number } | undefined;

/**
 * CLIP's crop: resize the shortest side to `size`, then cut `crop_size` from the centre. Done here with sharp
 * because transformers.js reads an integer `size` (what the CLIP repos have) as "fit inside size×size" and
 * then pads the crop with black, which would put black bars into every non-square photo's embedding.
 */
function cropGeometry(config: Record<string, unknown>): CropGeometry {
  const size = config.size as SizeConfig;
  const crop = config.crop_size as SizeConfig;
  const edge = typeof size === 'number' ? size : (size?.shortest_edge ?? Math.min(size?.height ?? 224, size?.width ?? 224));
  const common = { mode: 'shortest', edge, kernel: 'cubic' } as const;
  if (typeof crop === 'number') return { ...common, width: crop, height: crop };
  return { ...common, width: crop?.width ?? edge, height: crop?.height ?? edge };
}

/** Upright RGB pixels, shortest side scaled to `edge`, centre `width`×`height`. */
async function clipPixels(file: string, geometry: CropGeometry): Promise<RawImage> {
  const { data, width, height } = await uprightCrop(file, geometry);
  return new RawImage(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width, height, 3);
}

/** The Immich layout when its encoders are there, else the transformers.js one (whose errors say what is missing). */
export function detectClipLayout(dir: string): ClipLayout {
  return hasSplitClipLayout(dir) ? 'immich' : 'hf';
}

export async function loadClip(dir: string, options: LoadClipOptions): Promise<ClipModel> {
  const root = path.resolve(dir);
  const layout = options.layout ?? detectClipLayout(root);
  return layout === 'immich' ? loadSplitClip(root, options) : loadTransformersClip(root, options);
}

/** Xenova/clip-vit-base-patch32 layout: config.json, preprocessor and tokenizer files, onnx/{vision,text}_model*.onnx. */
async function loadTransformersClip(root: string, options: LoadClipOptions): Promise<ClipModel> {
  const device = options.device ?? 'cpu';
  // `root` is absolute: never taken for a hub id, so nothing depends on the shared `env.localModelPath`.
  if (!existsSync(path.join(root, 'config.json'))) throw new ClipLoadError(`${root} is not a model folder (no config.json)`);
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  const dtype = pickDtype(root);
  const modelOptions = { device, dtype, local_files_only: true } as const;

  let vision: CLIPVisionModelWithProjection;
  let text: CLIPTextModelWithProjection;
  try {
    [vision, text] = await Promise.all([
      CLIPVisionModelWithProjection.from_pretrained(root, modelOptions),
      CLIPTextModelWithProjection.from_pretrained(root, modelOptions),
    ]);
  } catch (error) {
    const message = (error as Error).message;
    if (device === 'cuda') throw new ClipLoadError(`CLIP could not start on CUDA (${message}). ${CUDA_HELP}`);
    throw new ClipLoadError(`CLIP model in ${root} could not be loaded: ${message}`);
  }
  const [processor, tokenizer, preprocessor] = await Promise.all([
    AutoProcessor.from_pretrained(root, { local_files_only: true }),
    AutoTokenizer.from_pretrained(root, { local_files_only: true }),
    readFile(path.join(root, 'preprocessor_config.json'), 'utf8').then((t) => JSON.parse(t) as Record<string, unknown>),
  ]);
  const geometry = cropGeometry(preprocessor);
  const maxLength = Math.min(Number(tokenizer.model_max_length) || 77, 77);
  const padId = tokenizer.pad_token_id ?? 0;
  const batchSize = options.batchSize ?? 64;

  /**
   * Token ids with the end token kept when a text is cut to the model's 77 positions (CLIP pools at the end
   * token), padded with the pad token to the longest text of the batch.
   */
  function encodeBatch(texts: readonly string[]): { input_ids: Tensor; attention_mask: Tensor } {
    const encoded = texts.map((t) => {
      const ids = tokenizer.encode(t);
      return ids.length <= maxLength ? ids : [...ids.slice(0, maxLength - 1), ids[ids.length - 1]!];
    });
    const width = Math.max(...encoded.map((ids) => ids.length));
    const ids = new BigInt64Array(texts.length * width).fill(BigInt(padId));
    const mask = new BigInt64Array(texts.length * width);
    encoded.forEach((row, r) =>
      row.forEach((id, c) => {
        ids[r * width + c] = BigInt(id);
        mask[r * width + c] = 1n;
      }),
    );
    return {
      input_ids: new Tensor('int64', ids, [texts.length, width]),
      attention_mask: new Tensor('int64', mask, [texts.length, width]),
    };
  }

  async function runTexts(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += batchSize) {
      const { text_embeds } = (await text(encodeBatch(texts.slice(i, i + batchSize)))) as { text_embeds: Tensor };
      out.push(...rows(text_embeds));
    }
    return out;
  }

  const dimensions = await probeTextDimensions(runTexts, device);

  return clipModel(root, options, dimensions, {
    runTexts,

    async embedImage(file: string): Promise<Float32Array | undefined> {
      // Already square at the crop size: the processor only rescales and normalises.
      const image = await clipPixels(file, geometry);
      const inputs = (await processor(image)) as { pixel_values: Tensor };
      const { image_embeds } = (await vision(inputs)) as { image_embeds: Tensor };
      return rows(image_embeds)[0];
    },

    async close(): Promise<void> {
      await Promise.all([vision.dispose(), text.dispose()]);
    },
  });
}
