// Faces → people, as pure functions: no I/O, no clock, no randomness. The caller reads faces, neighbours and
// rejections from the database / vector index and writes the decisions back.
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

// ---------------------------------------------------------------------------------------------------------------
// Parameters

export type AssignedBy = 'user' | 'auto';

export interface ClusteringParams {
  /** Cosine distance (0–2) within which two faces may be the same person: DBSCAN's eps. */
  maxDistance: number;
  /** Faces from distinct photos, the face itself included, that make a dense core and the smallest new person. */
  minFaces: number;
  /** Incremental: neighbours of one person within `maxDistance` needed to assign a new face to that person. */
  minVotes: number;
  /** Incremental: a second person whose vote score reaches this fraction of the best one's makes the face ambiguous. */
  ambiguityRatio: number;
  /** clusterAll: nearest neighbours kept per face as graph edges; bounds memory when many faces are one person. */
  maxNeighbours: number;
}

/**
 * Defaults for the algorithm itself. maxDistance depends on the face descriptor: the library passes the one
 * measured for its descriptor (PEOPLE_MAX_DISTANCE in ml/faces/settings.ts, via SHOEBOX_PEOPLE_MAX_DISTANCE).
 */
export const DEFAULT_CLUSTERING_PARAMS: Readonly<ClusteringParams> = Object.freeze({
  maxDistance: 0.45,
  minFaces: 3,
  minVotes: 2,
  ambiguityRatio: 0.5,
  maxNeighbours: 32,
});

/** Defaults filled in and checked; throws RangeError on a value that would make the rules meaningless. */
export function resolveClusteringParams(params: Partial<ClusteringParams> = {}): ClusteringParams {
  const p: ClusteringParams = { ...DEFAULT_CLUSTERING_PARAMS };
  for (const key of Object.keys(DEFAULT_CLUSTERING_PARAMS) as (keyof ClusteringParams)[]) {
    const value = params[key];
    if (value !== undefined) p[key] = value;
  }
  if (!(p.maxDistance > 0 && p.maxDistance <= 2)) throw new RangeError(`maxDistance must be in (0, 2], got ${p.maxDistance}`);
  if (!Number.isInteger(p.minFaces) || p.minFaces < 1) throw new RangeError(`minFaces must be an integer ≥ 1, got ${p.minFaces}`);
  if (!Number.isInteger(p.minVotes) || p.minVotes < 1) throw new RangeError(`minVotes must be an integer ≥ 1, got ${p.minVotes}`);
  if (!(p.ambiguityRatio > 0 && p.ambiguityRatio <= 1)) {
    throw new RangeError(`ambiguityRatio must be in (0, 1], got ${p.ambiguityRatio}`);
  }
  if (!Number.isInteger(p.maxNeighbours) || p.maxNeighbours < 1) {
    throw new RangeError(`maxNeighbours must be an integer ≥ 1, got ${p.maxNeighbours}`);
  }
  // The core test counts neighbours in the kept list; fewer kept than minFaces − 1 would make every face noise.
  p.maxNeighbours = Math.max(p.maxNeighbours, p.minFaces - 1);
  return p;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

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

export interface CoverCandidate {
  id: string;
  /** Detector confidence. */
  score: number;
  box: { width: number; height: number };
}

/**
 * The face to show for a person: highest score × size, size = √(width × height) (a length, so that a large
 * blurry face does not beat a sharp one by area alone); ties go to the smaller id, so the pick is stable.
 */
export function pickCoverFace<T extends CoverCandidate>(faces: readonly T[]): T | null {
  let best: T | null = null;
  let bestValue = -Infinity;
  for (const face of faces) {
    const raw = face.score * Math.sqrt(Math.max(0, face.box.width) * Math.max(0, face.box.height));
    const value = Number.isFinite(raw) ? raw : -Infinity;
    if (best === null || value > bestValue || (value === bestValue && face.id < best.id)) {
      best = face;
      bestValue = value;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------------------
// Incremental: one new face

export interface IncrementalFace {
  id: string;
  photoId: string;
}

/** One row of the vector index's answer for the new face. */
export interface NeighbourFace {
  faceId: string;
  photoId: string;
  personId: string | null;
  /** Cosine distance to the new face. */
  distance: number;
  assignedBy: AssignedBy | null;
  /** Optional: when given, `create` also checks that members are close to each other, not only to the new face. */
  embedding?: Float32Array;
}

export interface IncrementalContext {
  /**
   * The new face's nearest neighbours (any number; those beyond maxDistance are ignored). Hidden people must be
   * included: hidden is a display flag, they still receive faces.
   */
  neighbours: readonly NeighbourFace[];
  /** Persons that already have a face in the new face's photo. */
  personsInPhoto: Iterable<string>;
  /** Persons the user said this face is not. */
  rejectedPersonIds: Iterable<string>;
  params?: Partial<ClusteringParams>;
}

/**
 * - `sparse`: no person near and too few unassigned faces for a core;
 * - `weak`: a person is near but with fewer than `minVotes` neighbours (not `create`: it would likely duplicate them);
 * - `ambiguous`: two persons are near with comparable support;
 * - `blocked`: only persons the face may not join (same photo, rejected) are near, and there is no core.
 */
export type NoneReason = 'sparse' | 'weak' | 'ambiguous' | 'blocked';

export type Decision =
  | { kind: 'assign'; personId: string; reason: string; votes: number; meanDistance: number }
  /** A new person of these faces (sorted ids, the new face included); all of them are currently unassigned. */
  | { kind: 'create'; members: string[] }
  | { kind: 'none'; reason: NoneReason };

/**
 * Decides for one new face, from its neighbours (DBSCAN's core/border test, local to this face).
 *
 * Neighbours count when within maxDistance, not the face itself, not in the same photo. Persons in the same photo
 * (given, or seen among same-photo neighbours) and rejected persons are blocked. User-assigned and auto-assigned
 * neighbours vote alike (an auto face was itself density-approved); a neighbour with no person but
 * `assignedBy: 'user'` is one the user took out of people and is never used.
 *
 * 1. assign — vote: each eligible neighbour of person P adds 1 − d / (2 · maxDistance) (1 when identical, ½ at
 *    the limit: the count dominates, closeness breaks near-ties). The best person wins when it has ≥ minVotes
 *    neighbours, or one the user confirmed (a named face: different people measured ≥ 0.38 apart, above
 *    maxDistance), and the runner-up scores below ambiguityRatio × its score. A vote rather than a centroid: it needs
 *    only what the index returns, and follows people whose faces spread (ageing) where a centroid drifts away.
 * 2. create — only when no eligible person has any vote: the face with its unassigned neighbours (the closest one
 *    per photo; pairwise within maxDistance when embeddings are given) forms a core of ≥ minFaces faces.
 *    Rejections name existing persons, so they cannot block a new one.
 * 3. none otherwise; the next clusterAll may still place the face.
 */
export function assignIncremental(newFace: IncrementalFace, context: IncrementalContext): Decision {
  const p = resolveClusteringParams(context.params);
  const blocked = new Set<string>(context.personsInPhoto);
  for (const personId of context.rejectedPersonIds) blocked.add(personId);

  // Closest first, each face once: the order decides which face of a photo a new person keeps.
  const seen = new Set<string>();
  const near = context.neighbours
    .filter((n) => n.faceId !== newFace.id && Number.isFinite(n.distance) && n.distance <= p.maxDistance)
    .sort((a, b) => a.distance - b.distance || compareIds(a.faceId, b.faceId))
    .filter((n) => (seen.has(n.faceId) ? false : (seen.add(n.faceId), true)));

  for (const n of near) if (n.photoId === newFace.photoId && n.personId !== null) blocked.add(n.personId);

  const votes = new Map<string, { count: number; confirmed: number; score: number; distanceSum: number }>();
  let blockedVotes = 0;
  for (const n of near) {
    if (n.personId === null || n.photoId === newFace.photoId) continue;
    if (blocked.has(n.personId)) {
      blockedVotes += 1;
      continue;
    }
    const v = votes.get(n.personId) ?? { count: 0, confirmed: 0, score: 0, distanceSum: 0 };
    v.count += 1;
    if (n.assignedBy === 'user') v.confirmed += 1;
    v.score += 1 - n.distance / (2 * p.maxDistance);
    v.distanceSum += n.distance;
    votes.set(n.personId, v);
  }

  const ranked = [...votes].sort(
    ([ia, a], [ib, b]) => b.score - a.score || b.count - a.count || compareIds(ia, ib),
  );
  const [best, second] = ranked;
  if (best !== undefined) {
    const [personId, v] = best;
    if (second !== undefined && second[1].score >= p.ambiguityRatio * v.score) return { kind: 'none', reason: 'ambiguous' };
    // One face the user (or the file) put on this person is evidence enough within maxDistance: a name given on
    // one photo is then recognised on the next.
    if (v.count < p.minVotes && v.confirmed === 0) return { kind: 'none', reason: 'weak' };
    const meanDistance = v.distanceSum / v.count;
    return {
      kind: 'assign',
      personId,
      votes: v.count,
      meanDistance,
      reason:
        `${v.count} of ${near.length} neighbours within ${p.maxDistance} are this person ` +
        `(mean distance ${meanDistance.toFixed(3)}${second ? `; next person ${second[1].count}` : ''})`,
    };
  }

  const members: NeighbourFace[] = [];
  const photos = new Set<string>([newFace.photoId]);
  for (const n of near) {
    if (n.personId !== null || n.assignedBy === 'user' || photos.has(n.photoId)) continue;
    const e = n.embedding;
    if (e !== undefined && members.some((m) => m.embedding !== undefined && cosineDistance(m.embedding, e) > p.maxDistance)) {
      continue;
    }
    members.push(n);
    photos.add(n.photoId);
  }
  if (members.length + 1 >= p.minFaces) {
    return { kind: 'create', members: [newFace.id, ...members.map((m) => m.faceId)].sort(compareIds) };
  }
  return { kind: 'none', reason: blockedVotes > 0 ? 'blocked' : 'sparse' };
}

// ---------------------------------------------------------------------------------------------------------------
// Full re-cluster

export interface ClusterFace {
  id: string;
  photoId: string;
  embedding: Float32Array;
  personId: string | null;
  /** `user` with a person: fixed there. `user` without one: the user took it out of people; it stays unassigned. */
  assignedBy: AssignedBy | null;
}

export interface Rejection {
  faceId: string;
  personId: string;
}

export interface IndexNeighbour {
  faceId: string;
  distance: number;
}

/**
 * Nearest neighbours of a face from an index, synchronously (prefetch them when the index is async). Unknown ids,
 * the face itself, same-photo faces and faces beyond maxDistance are dropped; at most maxNeighbours are kept.
 */
export type NeighbourFn = (face: ClusterFace) => readonly IndexNeighbour[];

export interface ClusterAllParams extends Partial<ClusteringParams> {
  /** Replaces the built-in exact O(n²) scan. */
  neighbours?: NeighbourFn;
  /**
   * Treat auto-assigned faces as unassigned, so only user-assigned faces seed existing people (a reset). People with
   * no user face then come back among `newPeople`; matching them to the old ones by overlap is the caller's part.
   */
  reassignAuto?: boolean;
}

/** A person that clusterAll proposes: index into `newPeople`. */
export type NewPersonKey = `new:${number}`;
/** An existing person id, or a NewPersonKey (ids that start with `new:` are refused as input). */
export type PersonKey = string;

export interface ClusterStats {
  /** Faces given. */
  faces: number;
  /** Taken out of clustering: no person but assignedBy 'user'. */
  excluded: number;
  userFixed: number;
  /** Auto faces that stay with their person. */
  autoKept: number;
  /** Auto faces taken off their person before clustering: rejected, or a second face of one photo (the farther). */
  autoDropped: number;
  /** Faces that end on an existing person they were not on before (with reassignAuto: every non-user face there). */
  attached: number;
  newPeople: number;
  newPeopleFaces: number;
  /** Faces with no person in the result. */
  unassigned: number;
  corePoints: number;
  /** Distinct face pairs within maxDistance that were considered (after the per-face cap). */
  edges: number;
  /** Unions refused, by reason. */
  refused: { samePhoto: number; twoPeople: number; rejection: number };
  /** Unassigned faces dropped from a group as it joined a person they were rejected from; they stay unassigned. */
  evicted: number;
}

export interface ClusterResult {
  /** Every face that has a person afterwards (user ones included): faceId → person id or `new:<i>`. */
  assignments: Map<string, PersonKey>;
  /** Proposed people, each sorted by face id, the list sorted by first id; `new:<i>` is newPeople[i]. */
  newPeople: string[][];
  /** Faces that had an auto person and have none now (sorted). */
  released: string[];
  stats: ClusterStats;
}

export const newPersonKey = (index: number): NewPersonKey => `new:${index}`;

export function isNewPersonKey(key: PersonKey): key is NewPersonKey {
  return key.startsWith('new:');
}

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
export function clusterAll(
  faces: readonly ClusterFace[],
  rejections: Iterable<Rejection>,
  params: ClusterAllParams = {},
): ClusterResult {
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
  const order = Array.from(edgeD.keys()).sort(
    (x, y) => edgeD[x]! - edgeD[y]! || edgeA[x]! - edgeA[y]! || edgeB[x]! - edgeB[y]!,
  );

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

// ---------------------------------------------------------------------------------------------------------------
// Internals

function compareIds(a: string, b: string): number {
  // Code-unit order, not localeCompare: the same on every machine and locale.
  return a < b ? -1 : a > b ? 1 : 0;
}

function normalised(v: ArrayLike<number>): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i += 1) s += v[i]! * v[i]!;
  const out = new Float32Array(v.length);
  if (s === 0) return out;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i += 1) out[i] = v[i]! * inv;
  return out;
}

/** Auto faces that break a rule lose their person before clustering (they may still join someone else). */
function dropInvalidAuto(
  label: Int32Array,
  isUser: Uint8Array,
  photo: Int32Array,
  rejectsOf: readonly (number[] | undefined)[],
  X: Float32Array,
  dim: number,
  stats: ClusterStats,
): void {
  const n = label.length;
  for (let i = 0; i < n; i += 1) {
    // A user assignment wins over a rejection of the same person (we cannot tell which came last; the assignment
    // is the explicit positive act).
    if (label[i]! >= 0 && !isUser[i] && rejectsOf[i]?.includes(label[i]!)) {
      label[i] = -1;
      stats.autoDropped += 1;
    }
  }
  const byPersonPhoto = new Map<string, number[]>();
  for (let i = 0; i < n; i += 1) {
    if (label[i]! < 0) continue;
    const key = `${label[i]}:${photo[i]}`;
    const list = byPersonPhoto.get(key);
    if (list) list.push(i);
    else byPersonPhoto.set(key, [i]);
  }
  const centroids = new Map<number, Float32Array>();
  const centroidOf = (person: number): Float32Array => {
    let c = centroids.get(person);
    if (c) return c;
    const members: number[] = [];
    for (let i = 0; i < n; i += 1) if (label[i] === person) members.push(i);
    const users = members.filter((i) => isUser[i]);
    c = centroid((users.length > 0 ? users : members).map((i) => X.subarray(i * dim, (i + 1) * dim)));
    centroids.set(person, c);
    return c;
  };
  for (const list of byPersonPhoto.values()) {
    if (list.length < 2) continue;
    const autos = list.filter((i) => !isUser[i]);
    if (autos.length === 0) continue; // only user faces: the user's call
    let keep = -1;
    if (autos.length === list.length) {
      const c = centroidOf(label[list[0]!]!);
      let bestD = Infinity;
      for (const i of autos) {
        const d = cosineDistance(X.subarray(i * dim, (i + 1) * dim), c);
        if (d < bestD) [bestD, keep] = [d, i]; // ascending index: ties keep the smaller id
      }
    }
    for (const i of autos) {
      if (i === keep) continue;
      label[i] = -1;
      stats.autoDropped += 1;
    }
  }
}

interface NeighbourLists {
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
function scanNeighbours(
  X: Float32Array,
  dim: number,
  n: number,
  photo: Int32Array,
  eps: number,
  k: number,
): NeighbourLists {
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
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        for (let t = 0; t < dim; t += 1) {
          const x0 = X[a0 + t]!;
          const x1 = X[a1 + t]!;
          const x2 = X[a2 + t]!;
          const x3 = X[a3 + t]!;
          const y0 = X[b0 + t]!;
          const y1 = X[b1 + t]!;
          const y2 = X[b2 + t]!;
          const y3 = X[b3 + t]!;
          s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
          s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
          s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
          s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
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

function indexNeighbours(
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

interface Component {
  members: number[];
  photos: Set<number>;
  /** Person index, −1 for none. */
  person: number;
  /** Only while unassigned: rejected person → the member faces that rejected it. */
  rejects: Map<number, number[]> | null;
}

/** Union-find whose roots carry the data the constraints need; smaller merges into larger. */
class Components {
  private readonly parent: Int32Array;
  private readonly data: (Component | undefined)[];
  private readonly evicted: Uint8Array;
  evictedCount = 0;

  constructor(
    n: number,
    private readonly photo: Int32Array,
    label: Int32Array,
    rejectsOf: readonly (number[] | undefined)[],
  ) {
    this.parent = new Int32Array(n);
    this.evicted = new Uint8Array(n);
    this.data = new Array(n);
    for (let i = 0; i < n; i += 1) {
      this.parent[i] = i;
      const person = label[i]!;
      const rejected = rejectsOf[i];
      this.data[i] = {
        members: [i],
        photos: new Set([photo[i]!]),
        person,
        rejects: person < 0 && rejected ? new Map(rejected.map((r) => [r, [i]])) : null,
      };
    }
  }

  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r]!;
    while (this.parent[i] !== r) {
      const next = this.parent[i]!;
      this.parent[i] = r;
      i = next;
    }
    return r;
  }

  comp(root: number): Component {
    return this.data[root]!;
  }

  *roots(): Generator<number> {
    for (let i = 0; i < this.parent.length; i += 1) if (this.parent[i] === i) yield i;
  }

  /** Union without checks: for the members of one existing person. */
  forceUnion(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.link(ra, rb, []);
  }

  /** Union if no constraint is broken; `a`, `b` are the edge's ends. Returns whether they are together now. */
  tryUnion(a: number, b: number, stats: ClusterStats): boolean {
    if (this.evicted[a] || this.evicted[b]) return false;
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return true;
    const A = this.data[ra]!;
    const B = this.data[rb]!;
    if (A.person >= 0 && B.person >= 0) {
      stats.refused.twoPeople += 1;
      return false;
    }
    let evict: number[] = [];
    if (A.person >= 0 || B.person >= 0) {
      const person = A.person >= 0 ? A.person : B.person;
      const free = A.person >= 0 ? B : A;
      const freeEnd = A.person >= 0 ? b : a;
      const rejecting = free.rejects?.get(person);
      if (rejecting !== undefined && rejecting.length > 0) {
        // The link runs through a face that is not this person: nothing joins along it.
        if (rejecting.includes(freeEnd)) {
          stats.refused.rejection += 1;
          return false;
        }
        evict = rejecting;
      }
    }
    const evictedPhotos = new Set(evict.map((i) => this.photo[i]!));
    const [small, large] = A.photos.size <= B.photos.size ? [A, B] : [B, A];
    for (const ph of small.photos) {
      if (large.photos.has(ph) && !evictedPhotos.has(ph)) {
        stats.refused.samePhoto += 1;
        return false;
      }
    }
    this.link(ra, rb, evict);
    return true;
  }

  private link(ra: number, rb: number, evict: readonly number[]): void {
    const A = this.data[ra]!;
    const B = this.data[rb]!;
    for (const i of evict) {
      this.evicted[i] = 1;
      this.evictedCount += 1;
    }
    const [root, child] = A.members.length >= B.members.length ? [ra, rb] : [rb, ra];
    const R = this.data[root]!;
    const C = this.data[child]!;
    const gone = new Set(evict);
    if (gone.size > 0) {
      for (const side of [R, C]) {
        side.members = side.members.filter((i) => !gone.has(i));
        for (const i of evict) {
          const ph = this.photo[i]!;
          if (side.photos.has(ph) && !side.members.some((m) => this.photo[m] === ph)) side.photos.delete(ph);
        }
      }
    }
    for (const i of C.members) R.members.push(i);
    for (const ph of C.photos) R.photos.add(ph);
    R.person = R.person >= 0 ? R.person : C.person;
    if (R.person >= 0) {
      R.rejects = null;
    } else if (C.rejects) {
      R.rejects ??= new Map();
      for (const [person, list] of C.rejects) {
        const mine = R.rejects.get(person);
        if (mine) mine.push(...list);
        else R.rejects.set(person, [...list]);
      }
    }
    this.parent[child] = root;
    this.data[child] = undefined;
  }
}
