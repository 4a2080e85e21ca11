// The knobs of the face clustering rules (the model they belong to is described at the top of clustering.ts). Apart
// from the rules so that the settings (ml/services.ts) and both rules, incremental.ts and clustering.ts, read the same
// parameters without importing the algorithms.

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
