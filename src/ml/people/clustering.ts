// Faces → people, as pure functions: no I/O, no clock, no randomness. The caller reads faces, neighbours and
// rejections from the database / vector index and writes the decisions back.
//
// This file is the full re-cluster, clusterAll. Its parts are beside it, pure as well: params.ts (the knobs),
// incremental.ts (one new face), cluster-types.ts (clusterAll's input and output), neighbours.ts (the neighbour
// lists), constraints.ts (who may not be together), and vectors.ts, ids.ts, cover.ts (small shared helpers).
//
// Model: DBSCAN on cosine distance, eps = `maxDistance`, minPts = `minFaces` (the face itself included), with
// cannot-link constraints.
//
// Why DBSCAN and not HDBSCAN:
// - its two knobs are the product's two knobs (maximum distance, minimum faces), so a threshold tuned on real
//   descriptors means the same thing in the full re-cluster and in the per-face incremental rule;
// - the incremental rule is the same core/border test on one face's neighbour list, which a vector index returns
//   cheaply; HDBSCAN's condensed tree has no such local update and must be rebuilt on every import;
// - HDBSCAN picks clusters by stability, so adding photos can split or merge existing people; people must stay put;
// - its gain, varying density, matters little here: a metric-learned face space has roughly uniform per-identity
//   spread.
// clusterAll runs DBSCAN as Kruskal (single linkage over core points, cut at eps): edges in ascending distance,
// union-find over components. That order is what makes the constraints cheap and fair: each union is checked
// (same photo, two different people, "not this person") and the closer link always wins a conflict.
import {
  isNewPersonKey,
  newPersonKey,
  type ClusterAllParams,
  type ClusterFace,
  type ClusterResult,
  type ClusterStats,
  type PersonKey,
  type Rejection,
} from './cluster-types.js';
import { Components, dropInvalidAuto } from './constraints.js';
import { compareIds } from './ids.js';
import { indexNeighbours, scanNeighbours } from './neighbours.js';
import { resolveClusteringParams } from './params.js';
import { normalised } from './vectors.js';

/**
 * Full re-cluster (see the top of the file).
 *
 * 1. Faces sorted by id: everything after depends on that order only, so the result does not depend on input order.
 * 2. Existing people become one component each: user faces always; auto faces unless rejected for that person, or
 *    a second face of one photo (a user face in the photo wins; else the face closest to the person's centroid,
 *    of user faces when there are some).
 * 3. Neighbours within maxDistance (not same photo), the closest maxNeighbours per face. A face is core when they
 *    come from ≥ minFaces − 1 distinct photos.
 * 4. Core–core edges in ascending distance: union unless the two components share a photo, hold two different
 *    people, or the unassigned side holds faces rejected from the other side's person. In that last case those
 *    faces are evicted (left unassigned) and the rest joins, unless the edge itself starts at a rejecting face.
 * 5. Then core–non-core edges, ascending: an unassigned border face joins the first component that accepts it;
 *    a face of an existing person pulls the nearby core's component into that person (that is how a dense group
 *    finds a person with few faces).
 * 6. Components with a person → that person; others with ≥ minFaces faces → new people; the rest stay unassigned.
 *
 * Same-photo conflicts are not resolved by eviction: two groups that share a photo are more likely two people
 * photographed together than one, so their union is refused, which also stops DBSCAN chaining across such pairs.
 */
export function clusterAll(faces: readonly ClusterFace[], rejections: Iterable<Rejection>, params: ClusterAllParams = {}): ClusterResult {
  const p = resolveClusteringParams(params);
  const sorted = [...faces].sort((a, b) => compareIds(a.id, b.id));
  const dim = sorted[0]?.embedding.length ?? 0;
  if (sorted.length > 0 && dim === 0) throw new RangeError('embeddings are empty');
  for (let i = 0; i < sorted.length; i += 1) {
    const f = sorted[i]!;
    if (i > 0 && sorted[i - 1]!.id === f.id) throw new RangeError(`duplicate face id ${f.id}`);
    if (f.embedding.length !== dim) throw new RangeError(`face ${f.id}: dimension ${f.embedding.length}, expected ${dim}`);
    if (f.personId !== null && isNewPersonKey(f.personId)) throw new RangeError(`person id ${f.personId} clashes with new-person keys`);
  }

  // Nodes: the faces that take part.
  const nodes = sorted.filter((f) => !(f.personId === null && f.assignedBy === 'user'));
  const n = nodes.length;
  const nodeOf = new Map<string, number>();
  nodes.forEach((f, i) => nodeOf.set(f.id, i));

  const photoIndex = new Map<string, number>();
  const photo = new Int32Array(n);
  const personIndex = new Map<string, number>();
  const personIds: string[] = [];
  const personOf = (id: string): number => {
    let k = personIndex.get(id);
    if (k === undefined) {
      k = personIds.length;
      personIds.push(id);
      personIndex.set(id, k);
    }
    return k;
  };
  const label = new Int32Array(n).fill(-1);
  const isUser = new Uint8Array(n);
  for (let i = 0; i < n; i += 1) {
    const f = nodes[i]!;
    let ph = photoIndex.get(f.photoId);
    if (ph === undefined) photoIndex.set(f.photoId, (ph = photoIndex.size));
    photo[i] = ph;
    if (f.personId === null) continue;
    if (f.assignedBy === 'user') {
      label[i] = personOf(f.personId);
      isUser[i] = 1;
    } else if (!params.reassignAuto) {
      label[i] = personOf(f.personId);
    }
  }

  // Rejections per node, as person indices (persons known only from rejections get an index too).
  const rejectsOf: (number[] | undefined)[] = new Array(n);
  for (const r of rejections) {
    const i = nodeOf.get(r.faceId);
    if (i === undefined) continue;
    const k = personOf(r.personId);
    const list = (rejectsOf[i] ??= []);
    if (!list.includes(k)) list.push(k);
  }

  const stats: ClusterStats = {
    faces: faces.length,
    excluded: sorted.length - n,
    userFixed: 0,
    autoKept: 0,
    autoDropped: 0,
    attached: 0,
    newPeople: 0,
    newPeopleFaces: 0,
    unassigned: 0,
    corePoints: 0,
    edges: 0,
    refused: { samePhoto: 0, twoPeople: 0, rejection: 0 },
    evicted: 0,
  };

  // Rows padded with zeros to a multiple of 4 for the scan's 4 × 4 tiles.
  const X = new Float32Array(Math.ceil(n / 4) * 4 * dim);
  for (let i = 0; i < n; i += 1) X.set(normalised(nodes[i]!.embedding), i * dim);

  dropInvalidAuto(label, isUser, photo, rejectsOf, X, dim, stats);

  // Neighbour lists, each sorted by (distance, index).
  const k = p.maxNeighbours;
  const lists =
    params.neighbours === undefined
      ? scanNeighbours(X, dim, n, photo, p.maxDistance, k)
      : indexNeighbours(nodes, nodeOf, photo, params.neighbours, p.maxDistance, k);

  const core = new Uint8Array(n);
  {
    const mark = new Int32Array(photoIndex.size).fill(-1);
    for (let i = 0; i < n; i += 1) {
      let distinct = 0;
      for (let t = 0; t < lists.count[i]!; t += 1) {
        const ph = photo[lists.idx[i * k + t]!]!;
        if (mark[ph] !== i) {
          mark[ph] = i;
          distinct += 1;
        }
      }
      if (distinct + 1 >= p.minFaces) {
        core[i] = 1;
        stats.corePoints += 1;
      }
    }
  }

  // Undirected edges, each pair once (a truncated list may hold it on one side only), sorted by (d, a, b).
  const pairDistance = new Map<number, number>();
  for (let i = 0; i < n; i += 1) {
    for (let t = 0; t < lists.count[i]!; t += 1) {
      const j = lists.idx[i * k + t]!;
      const d = lists.dist[i * k + t]!;
      const key = i < j ? i * n + j : j * n + i;
      const old = pairDistance.get(key);
      if (old === undefined || d < old) pairDistance.set(key, d);
    }
  }
  stats.edges = pairDistance.size;
  const edgeA: number[] = [];
  const edgeB: number[] = [];
  const edgeD: number[] = [];
  for (const [key, d] of pairDistance) {
    const a = Math.floor(key / n);
    const b = key - a * n;
    if (!core[a] && !core[b]) continue; // no density on either side: no link
    edgeA.push(a);
    edgeB.push(b);
    edgeD.push(d);
  }
  const order = Array.from(edgeD.keys()).sort((x, y) => edgeD[x]! - edgeD[y]! || edgeA[x]! - edgeA[y]! || edgeB[x]! - edgeB[y]!);

  const uf = new Components(n, photo, label, rejectsOf);
  // Existing people start whole: their membership is a decision already taken (by the user or an earlier run).
  {
    const firstOf = new Map<number, number>();
    for (let i = 0; i < n; i += 1) {
      if (label[i]! < 0) continue;
      const first = firstOf.get(label[i]!);
      if (first === undefined) firstOf.set(label[i]!, i);
      else uf.forceUnion(first, i);
    }
  }

  for (const e of order) {
    const a = edgeA[e]!;
    const b = edgeB[e]!;
    if (core[a] && core[b]) uf.tryUnion(a, b, stats);
  }
  const joined = new Uint8Array(n);
  for (const e of order) {
    const a = edgeA[e]!;
    const b = edgeB[e]!;
    if (core[a] && core[b]) continue;
    const border = core[a] ? b : a;
    const c = core[a] ? a : b;
    if (label[border]! < 0) {
      // An unassigned border face belongs to one cluster only: the closest that accepts it.
      if (joined[border]) continue;
      if (uf.tryUnion(c, border, stats)) joined[border] = 1;
    } else {
      uf.tryUnion(c, border, stats);
    }
  }

  // Results.
  const assignments = new Map<string, PersonKey>();
  const groups: number[][] = [];
  for (const root of uf.roots()) {
    const comp = uf.comp(root);
    if (comp.person >= 0) {
      for (const i of comp.members) assignments.set(nodes[i]!.id, personIds[comp.person]!);
    } else if (comp.members.length >= p.minFaces) {
      groups.push([...comp.members].sort((x, y) => x - y));
    }
  }
  groups.sort((x, y) => x[0]! - y[0]!);
  const newPeople = groups.map((g, gi) => {
    const key = newPersonKey(gi);
    const ids = g.map((i) => nodes[i]!.id);
    for (const id of ids) assignments.set(id, key);
    return ids;
  });

  const released: string[] = [];
  for (const f of sorted) {
    const now = assignments.get(f.id);
    if (f.personId !== null && f.assignedBy !== 'user' && now === undefined) released.push(f.id);
    if (now === undefined) stats.unassigned += 1;
    else if (f.personId !== null && f.assignedBy === 'user') stats.userFixed += 1;
    else if (isNewPersonKey(now)) continue;
    else if (now === f.personId && !params.reassignAuto) stats.autoKept += 1;
    else stats.attached += 1;
  }
  stats.newPeople = newPeople.length;
  stats.newPeopleFaces = newPeople.reduce((s, g) => s + g.length, 0);
  stats.evicted = uf.evictedCount;
  return { assignments, newPeople, released, stats };
}
