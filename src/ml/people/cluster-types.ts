// The full re-cluster's contract: what clusterAll (clustering.ts) takes and returns, and the keys of the people it
// proposes. Apart from the algorithm so that its parts (neighbours.ts, constraints.ts) share these shapes without
// importing clusterAll.
import type { AssignedBy, ClusteringParams } from './params.js';

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
