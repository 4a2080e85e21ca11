// What both CLIP loaders share: options, errors, the LRU of text queries, L2 normalisation, CLIP's
// upright-resize-and-centre-crop done with sharp, the load-time text probe and the ClipModel built around a
// loader's own image and text runs.
import sharp, { type KernelEnum, type Sharp } from 'sharp';

import type { ClipLayout } from './model-catalogue.js';
import { modelVersionAt } from './model-manifest.js';
import type { ClipModel } from './types.js';

export type MlDevice = 'cpu' | 'cuda';

export interface LoadClipOptions {
  /** Registry name, e.g. `clip-vit-b32`. */
  name: string;
  device?: MlDevice;
  /** Recent queries kept by `embedText`. */
  cacheSize?: number;
  /** Texts per model run in `embedTexts` (a graph exported for batch 1 runs them one by one anyway). */
  batchSize?: number;
  /** Folder layout; found from the files on disk when not given. */
  layout?: ClipLayout;
}

export class ClipLoadError extends Error {
  override name = 'ClipLoadError';
}

export const CUDA_HELP =
  'onnxruntime-node has no CUDA libraries here. To run CLIP on an NVIDIA GPU: install the CUDA 12 runtime and ' +
  "cuDNN 9, add onnxruntime-node's CUDA provider (run `node node_modules/onnxruntime-node/script/install.js` in " +
  'the Shoebox folder: npm installs skip that script), then start Shoebox with ' +
  'SHOEBOX_ML_DEVICE=cuda. Without SHOEBOX_ML_DEVICE=cuda it runs on the CPU.';

export function normalise(values: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(values);
  let sum = 0;
  for (const v of out) sum += v * v;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i] = out[i]! / norm;
  return out;
}

/** A small least-recently-used map: Map keeps insertion order, so the first key is the oldest. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value!);
  }
}

export interface CropGeometry {
  /** `shortest`: shortest side to `edge`, then the centre `width`×`height`; `squash`: straight to `width`×`height`. */
  mode: 'shortest' | 'squash';
  edge: number;
  width: number;
  height: number;
  kernel: keyof KernelEnum;
}

/** Upright (EXIF orientation applied) sRGB pixels, 3 channels, interleaved, at the geometry's crop size. */
export async function uprightCrop(file: string, geometry: CropGeometry): Promise<{ data: Buffer; width: number; height: number }> {
  const { width, height, kernel } = geometry;
  let resized: Sharp;
  if (geometry.mode === 'squash') {
    resized = sharp(file).rotate().resize({ width, height, fit: 'fill', kernel });
  } else {
    const meta = await sharp(file).metadata();
    const swap = (meta.orientation ?? 1) >= 5;
    const srcW = (swap ? meta.height : meta.width) ?? geometry.edge;
    const srcH = (swap ? meta.width : meta.height) ?? geometry.edge;
    const scale = geometry.edge / Math.min(srcW, srcH);
    const w = Math.max(width, Math.round(srcW * scale));
    const h = Math.max(height, Math.round(srcH * scale));
    resized = sharp(file)
      .rotate()
      .resize({ width: w, height: h, fit: 'fill', kernel })
      .extract({ left: Math.floor((w - width) / 2), top: Math.floor((h - height) / 2), width, height });
  }
  const { data, info } = await resized.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * One text run at load: reads the embedding size from the model, so a broken text encoder fails at load and not
 * at the first photo.
 */
export async function probeTextDimensions(runTexts: (texts: readonly string[]) => Promise<Float32Array[]>, device: MlDevice): Promise<number> {
  try {
    return (await runTexts(['']))[0]!.length;
  } catch (error) {
    const message = (error as Error).message;
    if (device === 'cuda') throw new ClipLoadError(`CLIP failed on CUDA (${message}). ${CUDA_HELP}`);
    throw new ClipLoadError(`CLIP text model failed: ${message}`);
  }
}

/** What a loader supplies to `clipModel`: its own image run, batched text runs and release. */
export interface ClipRunner {
  /** The L2-normalised embedding of one image (undefined when the model gave no row). */
  embedImage(file: string): Promise<Float32Array | undefined>;
  /** L2-normalised embeddings of the texts, in order. */
  runTexts(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

/**
 * The ClipModel both loaders return, for the model in `root` whose text probe gave `dimensions`: versioned as the
 * registry does, image embeddings checked against that size, text queries through an LRU (callers get copies,
 * so the cached vectors cannot be changed), many texts uncached.
 */
export async function clipModel(root: string, options: LoadClipOptions, dimensions: number, runner: ClipRunner): Promise<ClipModel> {
  const { runTexts } = runner;
  const version = await modelVersionAt(root, options.name);
  const cache = new Lru<Float32Array>(options.cacheSize ?? 256);
  return {
    name: options.name,
    version,
    dimensions,

    async embedImage(file: string): Promise<Float32Array> {
      const embedding = await runner.embedImage(file);
      if (embedding?.length !== dimensions) {
        throw new Error(`CLIP image embedding has ${embedding?.length} values, expected ${dimensions}`);
      }
      return embedding;
    },

    async embedText(query: string): Promise<Float32Array> {
      const hit = cache.get(query);
      if (hit) return hit.slice();
      const [embedding] = await runTexts([query]);
      cache.set(query, embedding!);
      return embedding!.slice();
    },

    embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
      return texts.length === 0 ? Promise.resolve([]) : runTexts(texts);
    },

    close: () => runner.close(),
  };
}
