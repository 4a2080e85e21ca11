// Automatic albums' DBSCAN core: exact neighbour lists by a blocked all-pairs scan, and the labels DBSCAN gives them.
// Pure; apart from clusterPhotos (auto-clustering.ts), which decides what is scanned, because this is the hot numeric
// loop, measured and tuned on its own.
import type { AlbumPhoto } from './auto-clustering-params.js';

export interface NeighbourLists {
  /** n × k: neighbour row indices, row i sorted by (similarity desc, index asc), count[i] valid entries. */
  idx: Int32Array;
  sim: Float32Array;
  count: Int32Array;
  k: number;
}

/** Clusters by union-find over core–core links; −1 for noise, else a label shared by one cluster. */
export function dbscanLabels(lists: NeighbourLists, minSize: number): Int32Array {
  const { idx, count, k } = lists;
  const n = count.length;
  const core = new Uint8Array(n);
  for (let i = 0; i < n; i += 1) core[i] = count[i]! + 1 >= minSize ? 1 : 0;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (let i = 0; i < n; i += 1) {
    if (!core[i]) continue;
    for (let t = 0; t < count[i]!; t += 1) {
      const j = idx[i * k + t]!;
      if (core[j]) parent[find(i)] = find(j);
    }
  }
  const labels = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i += 1) {
    if (core[i]) {
      labels[i] = find(i);
      continue;
    }
    // Not core: its list is complete (fewer than minSize − 1 ≤ k entries), best first, so this is its closest core.
    for (let t = 0; t < count[i]!; t += 1) {
      const j = idx[i * k + t]!;
      if (core[j]) {
        labels[i] = find(j);
        break;
      }
    }
  }
  return labels;
}

/** Rows normalised, padded with zero rows to a multiple of 4 so that the scan's 4 × 4 tiles need no edge cases. */
export function packRows(photos: readonly AlbumPhoto[], dim: number): Float32Array {
  const X = new Float32Array(Math.ceil(photos.length / 4) * 4 * dim);
  photos.forEach((photo, i) => {
    const e = photo.embedding;
    let s = 0;
    for (let t = 0; t < dim; t += 1) s += e[t]! * e[t]!;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let t = 0; t < dim; t += 1) X[i * dim + t] = e[t]! * inv;
  });
  return X;
}

/** Floats of column rows kept hot while every row tile passes them: 128 KiB, about half of a core's L2. */
const COLUMN_BLOCK_FLOATS = 32 * 1024;

/**
 * Exact neighbours at or above minSimilarity, the k most similar per row. The pairs are computed in 4 × 4 tiles
 * (each loaded value is used four times) over column blocks that stay in cache, upper triangle only; memory is the
 * n × k lists, never an n × n matrix.
 */
export function similarNeighbours(X: Float32Array, n: number, dim: number, minSimilarity: number, k: number): NeighbourLists {
  const lists: NeighbourLists = { idx: new Int32Array(n * k), sim: new Float32Array(n * k), count: new Int32Array(n), k };
  const worst = new Int32Array(n); // slot of the least similar entry once a row is full
  const rows = X.length / dim || 0;
  const block = Math.max(4, Math.floor(COLUMN_BLOCK_FLOATS / dim / 4) * 4);
  const tile = new Float64Array(16);
  for (let j0 = 0; j0 < rows; j0 += block) {
    const j1 = Math.min(rows, j0 + block);
    for (let i = 0; i < j1; i += 4) {
      for (let j = Math.max(j0, i); j < j1; j += 4) {
        dotTile(X, dim, i, j, tile);
        for (let t = 0; t < 16; t += 1) {
          const s = tile[t]!;
          if (s < minSimilarity) continue;
          const a = i + (t >> 2);
          const b = j + (t & 3);
          if (a >= b || b >= n) continue; // lower triangle, diagonal, padding
          keepNeighbour(lists, worst, a, b, s);
          keepNeighbour(lists, worst, b, a, s);
        }
      }
    }
  }
  sortLists(lists);
  return lists;
}

/** The 16 dot products of rows i…i+3 with rows j…j+3, row-major into `out`. */
function dotTile(X: Float32Array, dim: number, i: number, j: number, out: Float64Array): void {
  const a0 = i * dim,
    a1 = a0 + dim,
    a2 = a1 + dim,
    a3 = a2 + dim;
  const b0 = j * dim,
    b1 = b0 + dim,
    b2 = b1 + dim,
    b3 = b2 + dim;
  let s00 = 0,
    s01 = 0,
    s02 = 0,
    s03 = 0,
    s10 = 0,
    s11 = 0,
    s12 = 0,
    s13 = 0;
  let s20 = 0,
    s21 = 0,
    s22 = 0,
    s23 = 0,
    s30 = 0,
    s31 = 0,
    s32 = 0,
    s33 = 0;
  for (let t = 0; t < dim; t += 1) {
    const x0 = X[a0 + t]!,
      x1 = X[a1 + t]!,
      x2 = X[a2 + t]!,
      x3 = X[a3 + t]!;
    const y0 = X[b0 + t]!,
      y1 = X[b1 + t]!,
      y2 = X[b2 + t]!,
      y3 = X[b3 + t]!;
    s00 += x0 * y0;
    s01 += x0 * y1;
    s02 += x0 * y2;
    s03 += x0 * y3;
    s10 += x1 * y0;
    s11 += x1 * y1;
    s12 += x1 * y2;
    s13 += x1 * y3;
    s20 += x2 * y0;
    s21 += x2 * y1;
    s22 += x2 * y2;
    s23 += x2 * y3;
    s30 += x3 * y0;
    s31 += x3 * y1;
    s32 += x3 * y2;
    s33 += x3 * y3;
  }
  out[0] = s00;
  out[1] = s01;
  out[2] = s02;
  out[3] = s03;
  out[4] = s10;
  out[5] = s11;
  out[6] = s12;
  out[7] = s13;
  out[8] = s20;
  out[9] = s21;
  out[10] = s22;
  out[11] = s23;
  out[12] = s30;
  out[13] = s31;
  out[14] = s32;
  out[15] = s33;
}

/** Keeps the k most similar of row i, ties to the smaller index, so the kept set does not depend on arrival order. */
function keepNeighbour(lists: NeighbourLists, worst: Int32Array, i: number, j: number, s: number): void {
  const { idx, sim, count, k } = lists;
  const base = i * k;
  const c = count[i]!;
  if (c < k) {
    idx[base + c] = j;
    sim[base + c] = s;
    count[i] = c + 1;
    if (c + 1 === k) worst[i] = worstSlot(lists, base);
    return;
  }
  const w = base + worst[i]!;
  const stored = Math.fround(s);
  if (stored > sim[w]! || (stored === sim[w]! && j < idx[w]!)) {
    idx[w] = j;
    sim[w] = s;
    worst[i] = worstSlot(lists, base);
  }
}

function worstSlot({ idx, sim, k }: NeighbourLists, base: number): number {
  let w = 0;
  for (let t = 1; t < k; t += 1) {
    const s = sim[base + t]!;
    const ws = sim[base + w]!;
    if (s < ws || (s === ws && idx[base + t]! > idx[base + w]!)) w = t;
  }
  return w;
}

function sortLists(lists: NeighbourLists): void {
  const { idx, sim, count, k } = lists;
  const pairs: [number, number][] = [];
  for (let i = 0; i < count.length; i += 1) {
    const c = count[i]!;
    if (c < 2) continue;
    pairs.length = 0;
    for (let t = 0; t < c; t += 1) pairs.push([sim[i * k + t]!, idx[i * k + t]!]);
    pairs.sort((x, y) => y[0] - x[0] || x[1] - y[1]);
    for (let t = 0; t < c; t += 1) [sim[i * k + t], idx[i * k + t]] = pairs[t]!;
  }
}
