// Zero-shot tagging: one text vector per vocabulary tag (the mean of its prompt embeddings), compared with a
// photo's CLIP image embedding. Pure functions; the model only comes in through `embedTexts`.
import type { TagScore } from '../types.js';
import { promptsFor, type VocabularyEntry } from './vocabulary.js';

/** Row-major `names.length × dims`, each row L2-normalised (or all zero when no prompt embedded to anything). */
export interface TagMatrix {
  readonly names: readonly string[];
  readonly dims: number;
  readonly data: Float32Array;
}

export type EmbedTexts = (texts: readonly string[]) => Promise<Float32Array[]>;

export interface BuildOptions {
  /** Texts per `embedTexts` call: bounds memory and gives progress; the model batches inside. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Averages each tag's normalised prompt embeddings and renormalises the mean (CLIP prompt ensembling). */
export async function buildTagMatrix(vocabulary: readonly VocabularyEntry[], embedTexts: EmbedTexts, options: BuildOptions = {}): Promise<TagMatrix> {
  const { batchSize = 256, onProgress } = options;
  const texts: string[] = [];
  const owner: number[] = [];
  vocabulary.forEach((entry, i) => {
    for (const text of promptsFor(entry)) {
      texts.push(text);
      owner.push(i);
    }
  });

  let dims = 0;
  let sums = new Float64Array(0);
  for (let start = 0; start < texts.length; start += batchSize) {
    const batch = texts.slice(start, start + batchSize);
    const vectors = await embedTexts(batch);
    if (vectors.length !== batch.length) throw new Error(`embedTexts returned ${vectors.length} vectors for ${batch.length} texts`);
    vectors.forEach((v, k) => {
      if (dims === 0) {
        dims = v.length;
        sums = new Float64Array(vocabulary.length * dims);
      }
      if (v.length !== dims) throw new Error(`text embedding has ${v.length} dimensions, expected ${dims}`);
      const norm = Math.hypot(...v);
      if (norm === 0) return; // a text the model maps to nothing adds nothing
      const row = owner[start + k]! * dims;
      for (let d = 0; d < dims; d++) sums[row + d]! += v[d]! / norm;
    });
    onProgress?.(Math.min(start + batchSize, texts.length), texts.length);
  }

  const data = new Float32Array(vocabulary.length * dims);
  for (let i = 0; i < vocabulary.length; i++) {
    const row = sums.subarray(i * dims, (i + 1) * dims);
    const norm = Math.hypot(...row);
    if (norm > 0) for (let d = 0; d < dims; d++) data[i * dims + d] = row[d]! / norm;
  }
  return { names: vocabulary.map((e) => e.name), dims, data };
}

export interface ZeroShotOptions {
  topK?: number;
  /** Keep tags at or above this confidence (see the rule below). */
  minConfidence?: number;
  /** CLIP's learned temperature: 100 for the OpenAI models. */
  logitScale?: number;
  /** The softmax probability that maps to confidence 0.5 (see the rule below). */
  referenceProbability?: number;
}

export const DEFAULT_TOP_K = 10;
export const DEFAULT_MIN_CONFIDENCE = 0.5;
export const DEFAULT_REFERENCE_PROBABILITY = 0.02;

/** Cosine of the (normalised) image with every tag row; zero everywhere for a zero image. */
export function tagCosines(imageEmbedding: Float32Array, matrix: TagMatrix): Float64Array {
  const { dims, data, names } = matrix;
  if (imageEmbedding.length !== dims) {
    throw new Error(`image embedding has ${imageEmbedding.length} dimensions, the tag matrix ${dims}`);
  }
  const norm = Math.hypot(...imageEmbedding);
  const cos = new Float64Array(names.length);
  if (norm === 0) return cos;
  for (let i = 0; i < names.length; i++) {
    let sum = 0;
    const row = i * dims;
    for (let d = 0; d < dims; d++) sum += imageEmbedding[d]! * data[row + d]!;
    cos[i] = sum / norm;
  }
  return cos;
}

/**
 * The photo's best tags, most confident first.
 *
 * Confidence rule. p = softmax(logitScale × cosine) over the whole vocabulary is CLIP's own zero-shot
 * probability, but with ~3000 labels it is tiny even for a clear match, and it is split between synonyms
 * and co-occurring tags (beach, sea, sand). So each tag is scored against a reference probability p₀:
 *
 *     confidence = p / (p + p₀)  =  sigmoid(ln p − ln p₀)
 *
 * A tag holding p₀ (default 2%, i.e. ~60× a uniform guess over 3000 tags) of the softmax mass scores 0.5;
 * one dominant tag scores ~1; five tags sharing the mass ~0.9 each; a tag at uniform level ~0.02. It is
 * monotone in the cosine, needs no per-model calibration beyond CLIP's own temperature, and behaves the same
 * for the tiny test models. Default threshold 0.5 (p ≥ p₀), at most topK tags.
 *
 * Ties (equal cosines, e.g. synonyms a model embeds identically) keep vocabulary order, so the result is
 * deterministic and the more common word, listed first, wins.
 */
export function zeroShotTags(imageEmbedding: Float32Array, matrix: TagMatrix, options: ZeroShotOptions = {}): TagScore[] {
  const { topK = DEFAULT_TOP_K, minConfidence = DEFAULT_MIN_CONFIDENCE, logitScale = 100, referenceProbability = DEFAULT_REFERENCE_PROBABILITY } = options;
  const count = matrix.names.length;
  if (count === 0 || topK <= 0) return [];
  const cos = tagCosines(imageEmbedding, matrix);

  let max = -Infinity;
  for (let i = 0; i < count; i++) max = Math.max(max, logitScale * cos[i]!);
  let sum = 0;
  for (let i = 0; i < count; i++) sum += Math.exp(logitScale * cos[i]! - max);
  const logNormaliser = max + Math.log(sum);
  const logReference = Math.log(referenceProbability);

  const kept: { index: number; confidence: number }[] = [];
  for (let i = 0; i < count; i++) {
    const logP = logitScale * cos[i]! - logNormaliser;
    const confidence = 1 / (1 + Math.exp(logReference - logP));
    if (confidence >= minConfidence) kept.push({ index: i, confidence });
  }
  // By cosine rather than confidence: confidence saturates at 1 for strong matches, the cosine keeps order.
  kept.sort((a, b) => cos[b.index]! - cos[a.index]! || a.index - b.index);
  return kept.slice(0, topK).map(({ index, confidence }) => ({ name: matrix.names[index]!, confidence }));
}
