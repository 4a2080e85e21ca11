/**
 * Reciprocal Rank Fusion and the semantic cutoff, as pure functions. The search runs them in SQL (engine.ts)
 * so that ranking, filtering and paging happen in one statement; these are the rule's reference, unit-tested
 * on their own and compared with the SQL's output in the integration tests.
 *
 * RRF (Cormack et al. 2009): score(d) = Σ over the arms that found d of 1 / (k + rank), rank starting at 1.
 * Only ranks count, so a keyword score (ts_rank) and a cosine similarity never need to share a scale; k = 60
 * damps the difference between the first few ranks so that a photo found by both arms beats one that is first
 * in only one.
 */

export const DEFAULT_RRF_K = 60;

/**
 * The cutoff: a photo found only by the semantic arm is kept when its cosine similarity is at least
 * `cutoff` × the best similarity of this search (0 keeps everything). CLIP's text–image similarities sit in a
 * narrow band (about 0.15–0.35 for ViT-B/32), so a rule relative to the best hit adapts to each query, where
 * a fixed threshold would be wrong for most of them. Photos the keyword arm found are never cut.
 */
export const DEFAULT_CUTOFF = 0.8;

export interface ArmHit {
  photoId: string;
  /** 1-based. */
  rank: number;
}

export interface KeywordArmHit extends ArmHit {
  /** Found through a library term that looks like the words typed (a typo pass), not by the words themselves. */
  fuzzy?: boolean;
}

export interface SemanticArmHit extends ArmHit {
  similarity: number;
}

export interface FusedHit {
  photoId: string;
  score: number;
  /**
   * Found only through a similar spelling while the words as typed found photos too: such hits come after every
   * other hit, whatever their score ("EOS R5" shows the R5's photos first, an R6 never among them).
   */
  closeMatch: boolean;
  keywordRank: number | null;
  semanticRank: number | null;
  similarity: number | null;
}

export function rrfTerm(rank: number, k: number = DEFAULT_RRF_K): number {
  return 1 / (k + rank);
}

/** Semantic hits that survive the cutoff, given which photos the keyword arm found. */
export function applyCutoff(semantic: readonly SemanticArmHit[], keywordIds: ReadonlySet<string>, cutoff: number): SemanticArmHit[] {
  if (semantic.length === 0 || cutoff <= 0) return [...semantic];
  const best = Math.max(...semantic.map((hit) => hit.similarity));
  return semantic.filter((hit) => keywordIds.has(hit.photoId) || hit.similarity >= cutoff * best);
}

/**
 * Fuses the two arms. Order: close matches last (see FusedHit), then score, then the better keyword rank, then
 * the better semantic rank, then the id — a total order, so the same query always pages the same way.
 */
export function fuse(keyword: readonly KeywordArmHit[], semantic: readonly SemanticArmHit[], options: { k?: number; cutoff?: number } = {}): FusedHit[] {
  const k = options.k ?? DEFAULT_RRF_K;
  const keywordIds = new Set(keyword.map((hit) => hit.photoId));
  const kept = applyCutoff(semantic, keywordIds, options.cutoff ?? 0);
  const wordsMatched = keyword.some((hit) => !hit.fuzzy);
  const byId = new Map<string, FusedHit>();
  for (const hit of keyword) {
    const closeMatch = wordsMatched && hit.fuzzy === true;
    byId.set(hit.photoId, { photoId: hit.photoId, score: rrfTerm(hit.rank, k), closeMatch, keywordRank: hit.rank, semanticRank: null, similarity: null });
  }
  for (const hit of kept) {
    const fused = byId.get(hit.photoId) ?? { photoId: hit.photoId, score: 0, closeMatch: false, keywordRank: null, semanticRank: null, similarity: null };
    fused.score += rrfTerm(hit.rank, k);
    fused.semanticRank = hit.rank;
    fused.similarity = hit.similarity;
    byId.set(hit.photoId, fused);
  }
  return [...byId.values()].sort(compareFused);
}

const nullsLast = (a: number | null, b: number | null) => (a ?? Infinity) - (b ?? Infinity);

export function compareFused(a: FusedHit, b: FusedHit): number {
  return (
    Number(a.closeMatch) - Number(b.closeMatch) ||
    b.score - a.score ||
    nullsLast(a.keywordRank, b.keywordRank) ||
    nullsLast(a.semanticRank, b.semanticRank) ||
    (a.photoId < b.photoId ? -1 : a.photoId > b.photoId ? 1 : 0)
  );
}
