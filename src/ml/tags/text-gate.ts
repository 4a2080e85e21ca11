// Text-likely gating: OCR costs seconds per photo, so it runs only where CLIP thinks text is likely.
import type { ClipModel } from '../types.js';
import { TEXT_PROMPTS } from './categories.js';

export interface TextGateOptions {
  /** CLIP's learned temperature (100 for the OpenAI models). */
  logitScale?: number;
  /** `likely` when score ≥ threshold; 0.5 means "no worse than even", so an undecided photo still gets OCR. */
  threshold?: number;
}

export interface TextGate {
  /** P(text) between the two prompt sets, 0–1. */
  score: number;
  likely: boolean;
}

const TIE = 1e-4;

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** log(mean(exp(x))) without overflow: a soft maximum over one prompt set. */
function logMeanExp(values: number[]): number {
  const max = Math.max(...values);
  let sum = 0;
  for (const v of values) sum += Math.exp(v - max);
  return max + Math.log(sum / values.length);
}

/**
 * A two-way softmax between "has readable text" and "no text": each side's logit is the log-mean-exp of
 * logitScale × cosine over its prompts, so a side scores like its average prompt, not its luckiest one.
 * Embeddings are expected L2-normalised (as `ClipModel` returns them).
 */
export function textLikelyFromClip(
  imageEmbedding: Float32Array,
  textEmbeds: readonly Float32Array[],
  noTextEmbeds: readonly Float32Array[],
  options: TextGateOptions = {},
): TextGate {
  const { logitScale = 100, threshold = 0.5 } = options;
  if (textEmbeds.length === 0 || noTextEmbeds.length === 0) throw new Error('text gate needs prompts on both sides');
  for (const e of [...textEmbeds, ...noTextEmbeds]) {
    if (e.length !== imageEmbedding.length) {
      throw new Error(`text gate: prompt embedding has ${e.length} dimensions, image has ${imageEmbedding.length}`);
    }
  }
  const text = logMeanExp(textEmbeds.map((e) => logitScale * dot(imageEmbedding, e)));
  const noText = logMeanExp(noTextEmbeds.map((e) => logitScale * dot(imageEmbedding, e)));
  const score = 1 / (1 + Math.exp(noText - text));
  // Within float noise of the threshold is a tie (a model that cannot tell the sides apart): run OCR.
  return { score, likely: score >= threshold - TIE };
}

/** Embeds both prompt sets once per model; keep the result next to the tag matrix. */
export async function embedTextPrompts(
  clip: Pick<ClipModel, 'embedTexts'>,
  prompts: { readonly text: readonly string[]; readonly noText: readonly string[] } = TEXT_PROMPTS,
): Promise<{ text: Float32Array[]; noText: Float32Array[] }> {
  const all = await clip.embedTexts([...prompts.text, ...prompts.noText]);
  return { text: all.slice(0, prompts.text.length), noText: all.slice(prompts.text.length) };
}
