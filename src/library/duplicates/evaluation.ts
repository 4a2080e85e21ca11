// Pairwise precision / recall of duplicate grouping. Pairs, not groups, are scored because that is what a
// user reviews: one wrong photo in a group of ten costs nine wrong pairs, one missed edit costs as many
// pairs as its group has members. Pure; ids are strings or numbers.

export type Id = string | number;
export type Groups = readonly (readonly Id[])[];

export interface PairScores {
  /** Correct predicted pairs / predicted pairs; 1 when nothing was predicted (nothing claimed wrongly). */
  precision: number;
  /** Correct predicted pairs / true pairs; 1 when there are no true pairs (nothing to find). */
  recall: number;
  truePositives: number;
  predictedPairs: number;
  truePairs: number;
}

// A NUL separator cannot occur in the ids we use (paths, numbers, uuids); order makes the pair canonical.
function pairKey(a: Id, b: Id): string {
  const x = String(a);
  const y = String(b);
  return x < y ? `${x}\u0000${y}` : `${y}\u0000${x}`;
}

/** Every unordered pair of distinct ids that share a group, deduplicated across groups. */
export function pairsOf(groups: Groups): Set<string> {
  const pairs = new Set<string>();
  for (const group of groups) {
    const ids = [...new Set(group)];
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) pairs.add(pairKey(ids[i]!, ids[j]!));
    }
  }
  return pairs;
}

function score(predicted: Set<string>, truth: Set<string>): PairScores {
  let truePositives = 0;
  for (const p of predicted) if (truth.has(p)) truePositives++;
  return {
    precision: predicted.size === 0 ? 1 : truePositives / predicted.size,
    recall: truth.size === 0 ? 1 : truePositives / truth.size,
    truePositives,
    predictedPairs: predicted.size,
    truePairs: truth.size,
  };
}

/** Pairwise precision and recall of `predicted` groups against ground-truth "same photo" sets. */
export function pairwiseScores(predicted: Groups, truth: Groups): PairScores {
  return score(pairsOf(predicted), pairsOf(truth));
}

export interface TieredScores {
  tiers: Record<string, PairScores>;
  /** The union of all tiers' pairs: a pair counts when any tier puts it together (no transitive closure). */
  overall: PairScores;
}

/** Scores of each duplicate tier (checksum, PDQ, CLIP…) on its own, and of the tiers together. */
export function tieredScores(tiers: Readonly<Record<string, Groups>>, truth: Groups): TieredScores {
  const truthPairs = pairsOf(truth);
  const union = new Set<string>();
  const out: Record<string, PairScores> = {};
  for (const [name, groups] of Object.entries(tiers)) {
    const pairs = pairsOf(groups);
    for (const p of pairs) union.add(p);
    out[name] = score(pairs, truthPairs);
  }
  return { tiers: out, overall: score(union, truthPairs) };
}
