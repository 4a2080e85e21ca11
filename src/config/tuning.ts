// Measured defaults the settings start from (config/settings.ts); the code that uses them imports them from here, so
// that config/ depends on nothing above it.

/** Hashes at Hamming distance ≤ this are considered a match (ThreatExchange README). */
export const PDQ_MATCH_DISTANCE = 31;
/** Hashes with quality below this are too featureless to be trusted for matching. */
export const PDQ_MIN_QUALITY = 50;

/**
 * Recommended `maxDistance` (DBSCAN eps on cosine distance) for clustering faces into people with these FaceRes
 * descriptors. Lower than SAME_PERSON_MAX_DISTANCE (ml/faces/settings.ts) because clustering links faces in
 * chains: a person needs only a path of close faces, and one wrong link merges two people. Measured with
 * clusterAll (minFaces 3) on 127 faces (bench/results/faces-measurement.md): at 0.30 all 18 faces of the one man
 * photographed many times form one person, and no person holds faces of people known to differ; at 0.35 one person
 * chains several visibly different women; at 0.45 (the clustering default when this was written) the man merges
 * with women. At 0.28 one of his faces stays out, at 0.26 he splits in two.
 */
export const PEOPLE_MAX_DISTANCE = 0.3;

export interface DuplicateThresholds {
  /** PDQ Hamming distance (bits) at or under which two photos are the same picture (pdq.md: 31). */
  pdqDistance: number;
  /** Both hashes need this quality; flatter photos (sky, walls) hash alike without being alike. */
  pdqMinQuality: number;
  /** CLIP cosine similarity at or over which two photos are the same picture (crops, straightened copies). */
  clipSimilarity: number;
  /**
   * Same camera, taken this close in seconds (but not at the same instant): a burst, however alike the frames — two
   * exposures, never offered for deletion as copies.
   */
  burstSeconds: number;
}

export const DEFAULT_DUPLICATE_THRESHOLDS: Readonly<DuplicateThresholds> = Object.freeze({
  pdqDistance: PDQ_MATCH_DISTANCE,
  pdqMinQuality: PDQ_MIN_QUALITY,
  clipSimilarity: 0.95,
  burstSeconds: 3,
});
