// Which near-copies are duplicates and which are bursts: pure rules, no I/O. The member to keep is the best shot
// (../best-shot/score.ts).
import type { DuplicateThresholds } from '../../config/tuning.js';
import type { PdqDihedralName } from '../../media/pdq-dihedral.js';
import { hammingDistance } from '../../media/pdq-distance.js';

export { DEFAULT_DUPLICATE_THRESHOLDS, type DuplicateThresholds } from '../../config/tuning.js';

/** One stored photo measured against the photo being checked. */
export interface MatchEvidence {
  photoId: string;
  /** Smallest PDQ distance over the checked photo's orientations; null when either hash is missing or weak. */
  pdqDistance: number | null;
  /** Orientation of the checked photo that gave that distance (`original` unless it was turned or mirrored). */
  pdqOrientation: PdqDihedralName | null;
  /** CLIP cosine similarity; null when either has no embedding of the current model. */
  similarity: number | null;
  /** Same camera make and model, both known. */
  sameCamera: boolean;
  /** Seconds between the two capture times; null when either is unknown. */
  secondsApart: number | null;
}

export type MatchTier = 'pdq' | 'clip' | 'burst';

export interface Classified {
  kind: 'duplicate' | 'burst';
  tier: MatchTier;
}

/**
 * The tier a match falls in, or null. A burst is checked first: two frames shot seconds apart with one camera
 * are usually within PDQ's 31 bits of each other, and must not be offered for deletion as copies — nor when they
 * are practically identical (a burst of a still scene): each is the only file of its exposure. The very same
 * capture time is not a burst but the same shot (an edited or exported copy keeps the original's EXIF date,
 * sub-seconds included; burst frames differ in them).
 */
export function classifyMatch(match: MatchEvidence, thresholds: DuplicateThresholds): Classified | null {
  const burstTime = match.sameCamera && match.secondsApart !== null && match.secondsApart > 0 && match.secondsApart <= thresholds.burstSeconds;
  if (burstTime) return { kind: 'burst', tier: 'burst' };
  if (match.pdqDistance !== null && match.pdqDistance <= thresholds.pdqDistance) return { kind: 'duplicate', tier: 'pdq' };
  if (match.similarity !== null && match.similarity >= thresholds.clipSimilarity) return { kind: 'duplicate', tier: 'clip' };
  return null;
}

export interface PdqProbe {
  quality: number;
  /** The photo's hash per orientation (at least `original`). */
  hashes: Partial<Record<PdqDihedralName, string>>;
}

/** Smallest distance from any orientation of the probe to a stored hash, or null when either is too weak. */
export function closestOrientation(
  probe: PdqProbe,
  stored: { hash: string | null; quality: number | null },
  minQuality: number,
): { distance: number; orientation: PdqDihedralName } | null {
  if (!stored.hash || (stored.quality ?? 0) < minQuality || probe.quality < minQuality) return null;
  let best: { distance: number; orientation: PdqDihedralName } | null = null;
  for (const [orientation, hash] of Object.entries(probe.hashes) as [PdqDihedralName, string][]) {
    const distance = hammingDistance(hash, stored.hash);
    if (!best || distance < best.distance || (distance === best.distance && orientation === 'original')) {
      best = { distance, orientation };
    }
  }
  return best;
}

/** The pair in the order dismissals are stored (photo_a < photo_b). */
export function orderedPair(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}
