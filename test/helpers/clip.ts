// Checks both CLIP loaders' tests make of a model.
import { expect } from 'vitest';

import { ClipLoadError, loadClip } from '../../src/ml/clip.js';
import type { ClipModel } from '../../src/ml/types.js';
import { cosine } from './vectors.js';

/** Names of `candidates` (name → image file), best match for `query` first. */
export async function rank(clip: ClipModel, query: string, candidates: Record<string, string>): Promise<string[]> {
  const text = await clip.embedText(query);
  const scored = await Promise.all(Object.entries(candidates).map(async ([name, file]) => ({ name, score: cosine(text, await clip.embedImage(file)) })));
  return scored.sort((a, b) => b.score - a.score).map((s) => s.name);
}

/**
 * Loads the model in `dir` on CUDA: where onnxruntime has no CUDA libraries the error must say how to get them;
 * on a machine with working CUDA the model must load there (512-d).
 */
export async function expectCudaLoadsOrExplains(dir: string, name: string): Promise<void> {
  let model: ClipModel | undefined;
  try {
    model = await loadClip(dir, { name, device: 'cuda' });
  } catch (error) {
    expect(error).toBeInstanceOf(ClipLoadError);
    expect((error as Error).message).toMatch(/CUDA.*onnxruntime-node\/script\/install\.js.*SHOEBOX_ML_DEVICE=cuda/s);
    return;
  }
  try {
    expect(model.dimensions).toBe(512);
  } finally {
    await model.close();
  }
}
