// Automatic albums' clustering: the shapes it works on (photos in, clusters out), its parameters and their checks,
// and the date helpers every step shares. Pure; apart from the algorithms so that the full regeneration, the
// incremental rule, naming and the worker thread agree on them without importing each other.

export interface AlbumPhoto {
  photoId: string;
  /** CLIP image embedding, L2-normalised; any dimension, the same for all photos. */
  embedding: Float32Array;
  takenAt: Date | null;
  /** A place name for display, e.g. "Utah"; null when unknown. */
  place: string | null;
}

export interface AutoCluster {
  /** Photo ids, sorted (code-unit order). */
  members: string[];
  /** Up to MAX_REPRESENTATIVES ids, most central first: what a caption model is shown to name the album. */
  representatives: string[];
  /** Mean direction of the members, L2-normalised: what assignIncrementally compares new photos with. */
  centroid: Float32Array;
  /** Earliest and latest date taken among the members; null when none has a date. */
  start: Date | null;
  end: Date | null;
  /** See dominantPlace (auto-describe.ts). */
  place: string | null;
}

export interface AutoClusteringParams {
  /** Smallest album; also DBSCAN's minPts (the photo itself included). */
  minSize: number;
  /** Cosine similarity at or above which two photos are neighbours (DBSCAN's eps = 1 − minSimilarity). */
  minSimilarity: number;
  /** Split each cluster into events where consecutive dated photos are more than this many days apart; null: don't. */
  timeGapDays: number | null;
  /** Neighbours kept per photo: bounds memory when a theme is very large; clusters connect through the closest. */
  maxNeighbours: number;
  /** Largest library clustered exactly; above it, a sample is clustered and the rest assigned (see the top). */
  maxExact: number;
}

/**
 * minSimilarity 0.80: with CLIP ViT-B/32-class image embeddings, unrelated photos typically sit around 0.4–0.65,
 * near-duplicates at ≥ 0.95 (the duplicates tier in ARCHITECTURE.md), and photos of one subject or scene (plants,
 * a beach, a birthday table) in between, roughly 0.75–0.9. 0.80 takes the bulk of that band while staying clear of
 * the unrelated one; density (minSize neighbours) is what keeps loosely alike photos from chaining albums
 * together. A judgement, not yet measured on a labelled library: tune it with one and record it in DECISIONS.md.
 * minSize 5: fewer photos than that rarely make an album worth showing. No time split by default: a theme
 * ("Plants") is an album on its own; events are what the caller asks for with timeGapDays.
 */
export const DEFAULT_AUTO_CLUSTERING_PARAMS: Readonly<AutoClusteringParams> = Object.freeze({
  minSize: 5,
  minSimilarity: 0.8,
  timeGapDays: null,
  maxNeighbours: 32,
  maxExact: 10_000,
});

export const MAX_REPRESENTATIVES = 5;

export const DAY_MS = 86_400_000;

/** Defaults filled in and checked; throws RangeError on a value that would make the rules meaningless. */
export function resolveAutoClusteringParams(params: Partial<AutoClusteringParams> = {}): AutoClusteringParams {
  const given = Object.entries(params).filter(([key, value]) => key in DEFAULT_AUTO_CLUSTERING_PARAMS && value !== undefined);
  const p: AutoClusteringParams = { ...DEFAULT_AUTO_CLUSTERING_PARAMS, ...Object.fromEntries(given) };
  if (!Number.isInteger(p.minSize) || p.minSize < 2) throw new RangeError(`minSize must be an integer ≥ 2, got ${p.minSize}`);
  checkSimilarity(p.minSimilarity);
  checkGapDays(p.timeGapDays);
  if (!Number.isInteger(p.maxNeighbours) || p.maxNeighbours < 1) {
    throw new RangeError(`maxNeighbours must be an integer ≥ 1, got ${p.maxNeighbours}`);
  }
  if (!Number.isInteger(p.maxExact) || p.maxExact < p.minSize) {
    throw new RangeError(`maxExact must be an integer ≥ minSize, got ${p.maxExact}`);
  }
  // The core test counts kept neighbours; fewer kept than minSize − 1 would make every photo noise.
  p.maxNeighbours = Math.max(p.maxNeighbours, p.minSize - 1);
  return p;
}

export function checkSimilarity(value: number): void {
  if (!(value > 0 && value <= 1)) throw new RangeError(`minSimilarity must be in (0, 1], got ${value}`);
}

export function checkGapDays(value: number | null | undefined): void {
  if (value == null) return;
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`timeGapDays must be a positive number or null, got ${value}`);
}

/** Milliseconds of the date taken; null when there is none or it is an invalid Date. */
export function timeOf(photo: Pick<AlbumPhoto, 'takenAt'>): number | null {
  const t = photo.takenAt?.getTime();
  return t !== undefined && Number.isFinite(t) ? t : null;
}
