// Automatic albums, step one: photos → groups of alike photos, as pure functions (no I/O, no clock, no randomness).
// The caller reads embeddings, dates and places, and writes albums back; naming is in auto-naming.ts.
//
// Model: DBSCAN over cosine similarity of CLIP image embeddings. A photo is *core* when at least minSize − 1 other
// photos are within minSimilarity of it; core photos within minSimilarity of each other share a cluster; a photo
// that is not core joins the cluster of its most similar core neighbour, or stays out (noise). Why DBSCAN, as for
// people (ml/people/clustering.ts): its two knobs are the product's (how alike, how many), it leaves odd photos out
// instead of forcing each into some album as k-means would, and it needs no number of albums up front.
//
// Determinism: photos are sorted by id first and every later step depends on that order only (ties go to the
// smaller id), so the same library and settings give the same albums whatever order the rows arrive in.
//
// Cost, n photos of dimension d, k = maxNeighbours:
// - n ≤ maxExact: exact neighbours by a blocked all-pairs scan, O(n² d) time, O(n d + n k) memory (no n × n matrix).
//   At 512-d this 2-core machine did 2.5 million pairs a second (with a benchmark busy on the other core), so the
//   default maxExact (10 000, 50 million pairs) costs ≈ 20 s: fine for a background regeneration.
// - n > maxExact: DBSCAN on a sample of maxExact photos chosen by a hash of their id (stable as the library grows),
//   then every photo outside those clusters (sampled noise included, so that falling in the sample changes nothing
//   for it) joins the cluster whose centroid is most similar, when at least minSimilarity (assignIncrementally's rule). O(s² d + (n − s) C d) for sample size s and C clusters. minSize is kept as it is
//   on the sample, so a theme needs about minSize × n / s photos to be found: a very large library gets albums for
//   its larger themes; regenerate a subset (a year, a folder) to find the smaller ones there.
import { centroid, cosineDistance } from '../../ml/people/clustering.js';

// ---------------------------------------------------------------------------------------------------------------
// Types and parameters

export interface AlbumPhoto {
  photoId: string;
  /** CLIP image embedding, L2-normalised; any dimension, the same for all photos. */
  embedding: Float32Array;
  takenAt: Date | null;
  /** A place name for display, e.g. "Utah"; null when unknown. */
  place: string | null;
}

export interface AutoCluster {
  /** Photo ids, sorted (code-unit order). */
  members: string[];
  /** Up to MAX_REPRESENTATIVES ids, most central first: what a caption model is shown to name the album. */
  representatives: string[];
  /** Mean direction of the members, L2-normalised: what assignIncrementally compares new photos with. */
  centroid: Float32Array;
  /** Earliest and latest date taken among the members; null when none has a date. */
  start: Date | null;
  end: Date | null;
  /** See dominantPlace. */
  place: string | null;
}

export interface AutoClusteringParams {
  /** Smallest album; also DBSCAN's minPts (the photo itself included). */
  minSize: number;
  /** Cosine similarity at or above which two photos are neighbours (DBSCAN's eps = 1 − minSimilarity). */
  minSimilarity: number;
  /** Split each cluster into events where consecutive dated photos are more than this many days apart; null: don't. */
  timeGapDays: number | null;
  /** Neighbours kept per photo: bounds memory when a theme is very large; clusters connect through the closest. */
  maxNeighbours: number;
  /** Largest library clustered exactly; above it, a sample is clustered and the rest assigned (see the top). */
  maxExact: number;
}

/**
 * minSimilarity 0.80: with CLIP ViT-B/32-class image embeddings, unrelated photos typically sit around 0.4–0.65,
 * near-duplicates at ≥ 0.95 (the duplicates tier in ARCHITECTURE.md), and photos of one subject or scene (plants,
 * a beach, a birthday table) in between, roughly 0.75–0.9. 0.80 takes the bulk of that band while staying clear of
 * the unrelated one; density (minSize neighbours) is what keeps loosely alike photos from chaining albums
 * together. A judgement, not yet measured on a labelled library: tune it with one and record it in DECISIONS.md.
 * minSize 5: fewer photos than that rarely make an album worth showing. No time split by default: a theme
 * ("Plants") is an album on its own; events are what the caller asks for with timeGapDays.
 */
export const DEFAULT_AUTO_CLUSTERING_PARAMS: Readonly<AutoClusteringParams> = Object.freeze({
  minSize: 5,
  minSimilarity: 0.8,
  timeGapDays: null,
  maxNeighbours: 32,
  maxExact: 10_000,
});

export const MAX_REPRESENTATIVES = 5;

/** Representatives this alike are near-duplicates (the CLIP duplicates tier): one of them tells a caption model enough. */
const NEAR_DUPLICATE_SIMILARITY = 0.95;

const DAY_MS = 86_400_000;

/** Defaults filled in and checked; throws RangeError on a value that would make the rules meaningless. */
export function resolveAutoClusteringParams(params: Partial<AutoClusteringParams> = {}): AutoClusteringParams {
  const given = Object.entries(params).filter(([key, value]) => key in DEFAULT_AUTO_CLUSTERING_PARAMS && value !== undefined);
  const p: AutoClusteringParams = { ...DEFAULT_AUTO_CLUSTERING_PARAMS, ...Object.fromEntries(given) };
  if (!Number.isInteger(p.minSize) || p.minSize < 2) throw new RangeError(`minSize must be an integer ≥ 2, got ${p.minSize}`);
  checkSimilarity(p.minSimilarity);
  checkGapDays(p.timeGapDays);
  if (!Number.isInteger(p.maxNeighbours) || p.maxNeighbours < 1) {
    throw new RangeError(`maxNeighbours must be an integer ≥ 1, got ${p.maxNeighbours}`);
  }
  if (!Number.isInteger(p.maxExact) || p.maxExact < p.minSize) {
    throw new RangeError(`maxExact must be an integer ≥ minSize, got ${p.maxExact}`);
  }
  // The core test counts kept neighbours; fewer kept than minSize − 1 would make every photo noise.
  p.maxNeighbours = Math.max(p.maxNeighbours, p.minSize - 1);
  return p;
}

function checkSimilarity(value: number): void {
  if (!(value > 0 && value <= 1)) throw new RangeError(`minSimilarity must be in (0, 1], got ${value}`);
}

function checkGapDays(value: number | null | undefined): void {
  if (value == null) return;
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`timeGapDays must be a positive number or null, got ${value}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Full regeneration

/**
 * All auto albums of a library (see the top of the file): DBSCAN clusters, split into events when timeGapDays is
 * set, those with at least minSize photos kept; largest first, ties by first member id.
 */
export function clusterPhotos(photos: readonly AlbumPhoto[], params: Partial<AutoClusteringParams> = {}): AutoCluster[] {
  const p = resolveAutoClusteringParams(params);
  const sorted = sortedAndChecked(photos);
  const groups = sorted.length <= p.maxExact ? densityGroups(sorted, p) : sampledGroups(sorted, p);
  const gapDays = p.timeGapDays;
  const events = gapDays === null ? groups : groups.flatMap((g) => splitByTimeGaps(g, gapDays));
  return events
    .filter((g) => g.length >= p.minSize)
    .map(describeCluster)
    .sort((a, b) => b.members.length - a.members.length || compareIds(a.members[0]!, b.members[0]!));
}

/** A copy sorted by id; throws RangeError on duplicate ids, mixed or empty dimensions, or non-finite values. */
function sortedAndChecked(photos: readonly AlbumPhoto[]): AlbumPhoto[] {
  const sorted = [...photos].sort((a, b) => compareIds(a.photoId, b.photoId));
  const dim = sorted[0]?.embedding.length ?? 0;
  if (sorted.length > 0 && dim === 0) throw new RangeError('embeddings are empty');
  for (let i = 0; i < sorted.length; i += 1) {
    const photo = sorted[i]!;
    if (i > 0 && sorted[i - 1]!.photoId === photo.photoId) throw new RangeError(`duplicate photo id ${photo.photoId}`);
    if (photo.embedding.length !== dim) {
      throw new RangeError(`photo ${photo.photoId}: dimension ${photo.embedding.length}, expected ${dim}`);
    }
    if (!photo.embedding.every(Number.isFinite)) throw new RangeError(`photo ${photo.photoId}: embedding is not finite`);
  }
  return sorted;
}

/** DBSCAN on exact neighbours; each group sorted by id (the input is). */
function densityGroups(sorted: readonly AlbumPhoto[], p: AutoClusteringParams): AlbumPhoto[][] {
  const dim = sorted[0]?.embedding.length ?? 0;
  const lists = similarNeighbours(packRows(sorted, dim), sorted.length, dim, p.minSimilarity, p.maxNeighbours);
  const labels = dbscanLabels(lists, p.minSize);
  const byLabel = new Map<number, AlbumPhoto[]>();
  sorted.forEach((photo, i) => {
    const label = labels[i]!;
    if (label < 0) return;
    const group = byLabel.get(label);
    if (group) group.push(photo);
    else byLabel.set(label, [photo]);
  });
  return [...byLabel.values()];
}

/** Large libraries: DBSCAN on a hash sample, then the rest joins by centroid (see the top of the file). */
function sampledGroups(sorted: readonly AlbumPhoto[], p: AutoClusteringParams): AlbumPhoto[][] {
  const inSample = hashSample(sorted, p.maxExact);
  const groups = densityGroups(sorted.filter((_, i) => inSample[i]), p).filter((g) => g.length >= p.minSize);
  const seeds = groups.map((g, i) => ({ id: String(i), centroid: centroid(g.map((photo) => photo.embedding)) }));
  const seeded = new Set(groups.flat());
  const rest = sorted.filter((photo) => !seeded.has(photo));
  const byId = new Map(rest.map((photo) => [photo.photoId, photo]));
  for (const a of assignIncrementally(seeds, rest, { minSimilarity: p.minSimilarity }).assigned) {
    groups[Number(a.clusterId)]!.push(byId.get(a.photoId)!);
  }
  for (const g of groups) g.sort((a, b) => compareIds(a.photoId, b.photoId));
  return groups;
}

/** Marks the `size` photos with the smallest FNV-1a hash of their id (ties by id): independent of input order. */
function hashSample(sorted: readonly AlbumPhoto[], size: number): Uint8Array {
  const hashes = sorted.map((photo) => fnv1a(photo.photoId));
  const order = Array.from(sorted.keys()).sort((a, b) => hashes[a]! - hashes[b]! || a - b);
  const mask = new Uint8Array(sorted.length);
  for (const i of order.slice(0, size)) mask[i] = 1;
  return mask;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i += 1) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Events: dated photos in time order, cut where consecutive ones are more than `gapDays` apart. Undated photos
 * cannot be placed in one event of several, so they then form a group of their own; with a single event (or none
 * dated) the group stays whole. Groups come back sorted by id.
 */
function splitByTimeGaps(group: readonly AlbumPhoto[], gapDays: number): AlbumPhoto[][] {
  const dated: AlbumPhoto[] = [];
  const undated: AlbumPhoto[] = [];
  for (const photo of group) (timeOf(photo) === null ? undated : dated).push(photo);
  dated.sort((a, b) => timeOf(a)! - timeOf(b)! || compareIds(a.photoId, b.photoId));
  const events: AlbumPhoto[][] = [];
  for (let i = 0; i < dated.length; i += 1) {
    const gap = i === 0 ? Infinity : timeOf(dated[i]!)! - timeOf(dated[i - 1]!)!;
    if (gap > gapDays * DAY_MS) events.push([]);
    events.at(-1)!.push(dated[i]!);
  }
  if (events.length <= 1) return [[...group]];
  if (undated.length > 0) events.push(undated);
  return events.map((e) => e.sort((a, b) => compareIds(a.photoId, b.photoId)));
}

/** Milliseconds of the date taken; null when there is none or it is an invalid Date. */
function timeOf(photo: Pick<AlbumPhoto, 'takenAt'>): number | null {
  const t = photo.takenAt?.getTime();
  return t !== undefined && Number.isFinite(t) ? t : null;
}

function describeCluster(group: readonly AlbumPhoto[]): AutoCluster {
  const center = centroid(group.map((photo) => photo.embedding));
  let first = Infinity;
  let last = -Infinity;
  for (const photo of group) {
    const t = timeOf(photo);
    if (t === null) continue;
    first = Math.min(first, t);
    last = Math.max(last, t);
  }
  const dated = first <= last;
  return {
    members: group.map((photo) => photo.photoId),
    representatives: pickRepresentatives(group, center),
    centroid: center,
    start: dated ? new Date(first) : null,
    end: dated ? new Date(last) : null,
    place: dominantPlace(group.map((photo) => photo.place)),
  };
}

/**
 * Up to `max` photo ids, most similar to the centroid first (ties by id). A near-duplicate of one already picked
 * (a burst) is passed over while there are other photos, so the captions a model reads describe different shots.
 */
export function pickRepresentatives(
  photos: readonly Pick<AlbumPhoto, 'photoId' | 'embedding'>[],
  center: Float32Array,
  max = MAX_REPRESENTATIVES,
): string[] {
  const ranked = photos
    .map((photo) => ({ photo, similarity: 1 - cosineDistance(photo.embedding, center) }))
    .sort((a, b) => b.similarity - a.similarity || compareIds(a.photo.photoId, b.photo.photoId))
    .map((r) => r.photo);
  const picked: typeof ranked = [];
  const passedOver: typeof ranked = [];
  for (const photo of ranked) {
    if (picked.length === max) break;
    const duplicate = picked.some((q) => 1 - cosineDistance(q.embedding, photo.embedding) >= NEAR_DUPLICATE_SIMILARITY);
    (duplicate ? passedOver : picked).push(photo);
  }
  // Only bursts left: fill up with them rather than show fewer.
  for (const photo of passedOver) if (picked.length < max) picked.push(photo);
  return picked.map((photo) => photo.photoId);
}

/**
 * The place most photos share, when it accounts for at least half of those with a known place (ties by name);
 * else null: an album spread over many places is not named after one of them.
 */
export function dominantPlace(places: readonly (string | null | undefined)[]): string | null {
  const counts = new Map<string, number>();
  let known = 0;
  for (const raw of places) {
    const place = raw?.replace(/\s+/g, ' ').trim();
    if (!place) continue;
    known += 1;
    counts.set(place, (counts.get(place) ?? 0) + 1);
  }
  let best: [string, number] | null = null;
  for (const entry of counts) {
    if (best === null || entry[1] > best[1] || (entry[1] === best[1] && compareIds(entry[0], best[0]) < 0)) best = entry;
  }
  return best !== null && best[1] * 2 >= known ? best[0] : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Incremental: photos that arrive between regenerations

export interface ExistingCluster {
  id: string;
  centroid: Float32Array;
  /** The album's date span; used only with timeGapDays. */
  start?: Date | null;
  end?: Date | null;
}

export type IncrementalPhoto = Pick<AlbumPhoto, 'photoId' | 'embedding'> & { takenAt?: Date | null };

export interface IncrementalAssignment {
  photoId: string;
  clusterId: string;
  similarity: number;
}

export interface IncrementalResult {
  /** Sorted by photo id. */
  assigned: IncrementalAssignment[];
  /** Photos no album is close enough to, sorted: left for the next full regeneration. */
  unassigned: string[];
}

export interface IncrementalOptions {
  /** Similarity to an album's centroid needed to join it. Default: DEFAULT_AUTO_CLUSTERING_PARAMS.minSimilarity. */
  minSimilarity?: number;
  /**
   * As in clusterPhotos: a photo joins only an album whose span, widened by this many days on each side, holds its
   * date; undated photos and undated albums match only each other. Null (default): dates are not looked at.
   */
  timeGapDays?: number | null;
}

/**
 * Each new photo joins the album with the most similar centroid (ties: smaller album id) when that similarity is
 * at least minSimilarity. Centroids stay fixed within one call, so the answer does not depend on photo order; the
 * caller refreshes them afterwards. The same threshold as the neighbour rule keeps one number to tune: members sit
 * closer to their centroid than to each other, so this admits photos about as alike as the album's own members, and
 * is on the strict side for long, chained albums (the next regeneration picks up what it leaves).
 */
export function assignIncrementally(
  clusters: readonly ExistingCluster[],
  photos: readonly IncrementalPhoto[],
  options: IncrementalOptions = {},
): IncrementalResult {
  const minSimilarity = options.minSimilarity ?? DEFAULT_AUTO_CLUSTERING_PARAMS.minSimilarity;
  checkSimilarity(minSimilarity);
  checkGapDays(options.timeGapDays);
  const gapMs = options.timeGapDays == null ? null : options.timeGapDays * DAY_MS;
  const ordered = [...clusters].sort((a, b) => compareIds(a.id, b.id));
  const result: IncrementalResult = { assigned: [], unassigned: [] };
  for (const photo of [...photos].sort((a, b) => compareIds(a.photoId, b.photoId))) {
    let best: IncrementalAssignment | null = null;
    for (const cluster of ordered) {
      if (gapMs !== null && !withinSpan(photo, cluster, gapMs)) continue;
      const similarity = 1 - cosineDistance(photo.embedding, cluster.centroid);
      // Strictly greater: clusters come in id order, so a tie keeps the smaller id.
      if (similarity >= minSimilarity && (best === null || similarity > best.similarity)) {
        best = { photoId: photo.photoId, clusterId: cluster.id, similarity };
      }
    }
    if (best) result.assigned.push(best);
    else result.unassigned.push(photo.photoId);
  }
  return result;
}

function withinSpan(photo: IncrementalPhoto, cluster: ExistingCluster, gapMs: number): boolean {
  const t = timeOf({ takenAt: photo.takenAt ?? null });
  const start = timeOf({ takenAt: cluster.start ?? cluster.end ?? null });
  const end = timeOf({ takenAt: cluster.end ?? cluster.start ?? null });
  if (t === null || start === null || end === null) return t === null && start === null;
  return t >= start - gapMs && t <= end + gapMs;
}

// ---------------------------------------------------------------------------------------------------------------
// Neighbours and DBSCAN

interface NeighbourLists {
  /** n × k: neighbour row indices, row i sorted by (similarity desc, index asc), count[i] valid entries. */
  idx: Int32Array;
  sim: Float32Array;
  count: Int32Array;
  k: number;
}

/** Clusters by union-find over core–core links; −1 for noise, else a label shared by one cluster. */
function dbscanLabels(lists: NeighbourLists, minSize: number): Int32Array {
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
function packRows(photos: readonly AlbumPhoto[], dim: number): Float32Array {
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
function similarNeighbours(X: Float32Array, n: number, dim: number, minSimilarity: number, k: number): NeighbourLists {
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
  const a0 = i * dim, a1 = a0 + dim, a2 = a1 + dim, a3 = a2 + dim;
  const b0 = j * dim, b1 = b0 + dim, b2 = b1 + dim, b3 = b2 + dim;
  let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
  let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
  for (let t = 0; t < dim; t += 1) {
    const x0 = X[a0 + t]!, x1 = X[a1 + t]!, x2 = X[a2 + t]!, x3 = X[a3 + t]!;
    const y0 = X[b0 + t]!, y1 = X[b1 + t]!, y2 = X[b2 + t]!, y3 = X[b3 + t]!;
    s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
    s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
    s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
    s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
  }
  out[0] = s00; out[1] = s01; out[2] = s02; out[3] = s03;
  out[4] = s10; out[5] = s11; out[6] = s12; out[7] = s13;
  out[8] = s20; out[9] = s21; out[10] = s22; out[11] = s23;
  out[12] = s30; out[13] = s31; out[14] = s32; out[15] = s33;
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

/** Code-unit order, not localeCompare: the same on every machine and locale. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
