// Faces → people, one new face at a time: the decision from its nearest neighbours (DBSCAN's core/border test, local
// to that face; the model is described at the top of clustering.ts). Pure; apart from the full re-cluster because it
// works on what a vector index returns for one face, never on the whole library.
import { compareIds } from './ids.js';
import { resolveClusteringParams, type AssignedBy, type ClusteringParams } from './params.js';
import { cosineDistance } from './vectors.js';

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

  const ranked = [...votes].sort(([ia, a], [ib, b]) => b.score - a.score || b.count - a.count || compareIds(ia, ib));
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
