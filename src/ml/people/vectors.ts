// Vector helpers of face clustering, also used by automatic albums (library/albums/), which cluster CLIP embeddings
// the same way: cosine distance, centroids, normalisation. Pure; one implementation for every rule that needs them.

/** 1 − cos(a, b), in [0, 2]. Norms are computed, so unnormalised input is fine; a zero vector is at distance 1. */
export function cosineDistance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`dimension mismatch: ${a.length} vs ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return 1;
  const d = 1 - dot / Math.sqrt(na * nb);
  return d < 0 ? 0 : d > 2 ? 2 : d;
}

/** Mean direction, L2-normalised (all zeros if the inputs cancel out). Throws on no input or mixed dimensions. */
export function centroid(embeddings: readonly Float32Array[]): Float32Array {
  const first = embeddings[0];
  if (first === undefined) throw new RangeError('centroid of no embeddings');
  const dim = first.length;
  const acc = new Float64Array(dim);
  for (const e of embeddings) {
    if (e.length !== dim) throw new RangeError(`dimension mismatch: ${e.length} vs ${dim}`);
    for (let i = 0; i < dim; i += 1) acc[i]! += e[i]!;
  }
  return normalised(acc);
}

/** L2-normalised copy (all zeros for a zero vector). */
export function normalised(v: ArrayLike<number>): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i += 1) s += v[i]! * v[i]!;
  const out = new Float32Array(v.length);
  if (s === 0) return out;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i += 1) out[i] = v[i]! * inv;
  return out;
}
