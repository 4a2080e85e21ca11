// Vector helpers for tests: similarity of embeddings and a seeded PRNG for synthetic data.

/** Cosine similarity of two L2-normalised vectors: their dot product. */
export const cosine = (a: Float32Array, b: Float32Array): number => a.reduce((sum, v, i) => sum + v * b[i]!, 0);

/** Euclidean length. */
export const norm = (a: Float32Array): number => Math.sqrt(cosine(a, a));

/** mulberry32: a small seeded PRNG, uniform in [0, 1), so synthetic vectors are the same on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
