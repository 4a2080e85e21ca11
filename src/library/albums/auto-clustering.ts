// Automatic albums, step one: photos → groups of alike photos, as pure functions (no I/O, no clock, no randomness).
// The caller reads embeddings, dates and places, and writes albums back; naming is in auto-naming.ts.
//
// This file is the full regeneration, clusterPhotos. Its parts are beside it, pure as well:
// auto-clustering-params.ts (shapes and parameters), auto-dbscan.ts (neighbours and DBSCAN), auto-describe.ts
// (a cluster's centroid, dates, place and representatives) and auto-incremental.ts (photos that arrive later).
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
//   for it) joins the cluster whose centroid is most similar, when at least minSimilarity (assignIncrementally's
//   rule). O(s² d + (n − s) C d) for sample size s and C clusters. minSize is kept as it is on the sample, so a theme
//   needs about minSize × n / s photos to be found: a very large library gets albums for its larger themes;
//   regenerate a subset (a year, a folder) to find the smaller ones there.
import { compareIds } from '../../ml/people/ids.js';
import { centroid } from '../../ml/people/vectors.js';
import { DAY_MS, resolveAutoClusteringParams, timeOf, type AlbumPhoto, type AutoCluster, type AutoClusteringParams } from './auto-clustering-params.js';
import { dbscanLabels, packRows, similarNeighbours } from './auto-dbscan.js';
import { describeCluster } from './auto-describe.js';
import { assignIncrementally } from './auto-incremental.js';

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
  const groups = densityGroups(
    sorted.filter((_, i) => inSample[i]),
    p,
  ).filter((g) => g.length >= p.minSize);
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
