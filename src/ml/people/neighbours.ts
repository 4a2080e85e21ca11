// The full re-cluster's neighbour lists: each face's nearest faces within maxDistance (not in its photo), from an
// exact all-pairs scan or from a vector index. Pure; apart from clusterAll because it is the hot numeric loop,
// measured and tuned on its own.
import type { ClusterFace, NeighbourFn } from './cluster-types.js';

export interface NeighbourLists {
  /** n × k: neighbour node indices, row i sorted by (distance, index), count[i] valid entries. */
  idx: Int32Array;
  dist: Float64Array;
  count: Int32Array;
}

/**
 * Exact all-pairs scan. Measured on this 2-core machine, the plain loop (one pair at a time, four accumulators)
 * took ≈ 200 ns per 128-d pair: two loads per multiply-add. Here, 4 × 4 register tiles reuse each loaded value
 * four times (≈ 60 ns per pair), and the columns go in blocks of 256 rows (128 KiB) so that they stay in L2 while
 * every row tile above them passes. X has zero rows up to a multiple of 4, so tiles need no edge cases; `hit`
 * skips padding, the lower triangle and the diagonal.
 */
export function scanNeighbours(X: Float32Array, dim: number, n: number, photo: Int32Array, eps: number, k: number): NeighbourLists {
  const lists = emptyLists(n, k);
  const worst = new Int32Array(n); // slot of the worst entry once a row is full
  const rows = X.length / dim;
  const lo = 1 - eps - 1e-9; // cheap prefilter on the dot product; the exact test is in `hit`
  const hit = (i: number, j: number, dot: number): void => {
    if (i >= j || j >= n || photo[i] === photo[j]) return;
    const d = 1 - dot;
    if (d > eps) return;
    pushNeighbour(lists, worst, k, i, j, d < 0 ? 0 : d);
    pushNeighbour(lists, worst, k, j, i, d < 0 ? 0 : d);
  };
  const BLOCK = 256;
  for (let j0 = 0; j0 < rows; j0 += BLOCK) {
    const j1 = Math.min(rows, j0 + BLOCK);
    for (let i = 0; i < j1; i += 4) {
      const a0 = i * dim;
      const a1 = a0 + dim;
      const a2 = a1 + dim;
      const a3 = a2 + dim;
      for (let j = Math.max(j0, i); j < j1; j += 4) {
        const b0 = j * dim;
        const b1 = b0 + dim;
        const b2 = b1 + dim;
        const b3 = b2 + dim;
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
          const x0 = X[a0 + t]!;
          const x1 = X[a1 + t]!;
          const x2 = X[a2 + t]!;
          const x3 = X[a3 + t]!;
          const y0 = X[b0 + t]!;
          const y1 = X[b1 + t]!;
          const y2 = X[b2 + t]!;
          const y3 = X[b3 + t]!;
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
        if (s00 >= lo) hit(i, j, s00);
        if (s01 >= lo) hit(i, j + 1, s01);
        if (s02 >= lo) hit(i, j + 2, s02);
        if (s03 >= lo) hit(i, j + 3, s03);
        if (s10 >= lo) hit(i + 1, j, s10);
        if (s11 >= lo) hit(i + 1, j + 1, s11);
        if (s12 >= lo) hit(i + 1, j + 2, s12);
        if (s13 >= lo) hit(i + 1, j + 3, s13);
        if (s20 >= lo) hit(i + 2, j, s20);
        if (s21 >= lo) hit(i + 2, j + 1, s21);
        if (s22 >= lo) hit(i + 2, j + 2, s22);
        if (s23 >= lo) hit(i + 2, j + 3, s23);
        if (s30 >= lo) hit(i + 3, j, s30);
        if (s31 >= lo) hit(i + 3, j + 1, s31);
        if (s32 >= lo) hit(i + 3, j + 2, s32);
        if (s33 >= lo) hit(i + 3, j + 3, s33);
      }
    }
  }
  sortLists(lists, n, k);
  return lists;
}

export function indexNeighbours(
  nodes: readonly ClusterFace[],
  nodeOf: ReadonlyMap<string, number>,
  photo: Int32Array,
  fn: NeighbourFn,
  eps: number,
  k: number,
): NeighbourLists {
  const n = nodes.length;
  const lists = emptyLists(n, k);
  const worst = new Int32Array(n);
  for (let i = 0; i < n; i += 1) {
    const best = new Map<number, number>();
    for (const nb of fn(nodes[i]!)) {
      const j = nodeOf.get(nb.faceId);
      if (j === undefined || j === i || photo[j] === photo[i] || !(nb.distance <= eps)) continue;
      const d = Math.max(0, nb.distance);
      const old = best.get(j);
      if (old === undefined || d < old) best.set(j, d);
    }
    for (const [j, d] of best) pushNeighbour(lists, worst, k, i, j, d);
  }
  sortLists(lists, n, k);
  return lists;
}

function emptyLists(n: number, k: number): NeighbourLists {
  return { idx: new Int32Array(n * k), dist: new Float64Array(n * k), count: new Int32Array(n) };
}

/** Keeps the k closest of row i, ties to the smaller index, so the kept set does not depend on arrival order. */
function pushNeighbour(lists: NeighbourLists, worst: Int32Array, k: number, i: number, j: number, d: number): void {
  const base = i * k;
  const c = lists.count[i]!;
  if (c < k) {
    lists.idx[base + c] = j;
    lists.dist[base + c] = d;
    lists.count[i] = c + 1;
    if (c + 1 === k) worst[i] = worstSlot(lists, base, k);
    return;
  }
  const w = worst[i]!;
  const wd = lists.dist[base + w]!;
  if (d < wd || (d === wd && j < lists.idx[base + w]!)) {
    lists.idx[base + w] = j;
    lists.dist[base + w] = d;
    worst[i] = worstSlot(lists, base, k);
  }
}

function worstSlot(lists: NeighbourLists, base: number, k: number): number {
  let w = 0;
  for (let t = 1; t < k; t += 1) {
    const d = lists.dist[base + t]!;
    const wd = lists.dist[base + w]!;
    if (d > wd || (d === wd && lists.idx[base + t]! > lists.idx[base + w]!)) w = t;
  }
  return w;
}

function sortLists(lists: NeighbourLists, n: number, k: number): void {
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i += 1) {
    const c = lists.count[i]!;
    if (c < 2) continue;
    pairs.length = 0;
    for (let t = 0; t < c; t += 1) pairs.push([lists.dist[i * k + t]!, lists.idx[i * k + t]!]);
    pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    for (let t = 0; t < c; t += 1) {
      lists.dist[i * k + t] = pairs[t]![0];
      lists.idx[i * k + t] = pairs[t]![1];
    }
  }
}
