// Automatic albums, incrementally: photos that arrive between regenerations join the album whose centroid they are
// most like. Pure; apart from the full regeneration because it needs only the albums' centroids, never the library.
import { compareIds } from '../../ml/people/ids.js';
import { cosineDistance } from '../../ml/people/vectors.js';
import { checkGapDays, checkSimilarity, DAY_MS, DEFAULT_AUTO_CLUSTERING_PARAMS, timeOf, type AlbumPhoto } from './auto-clustering-params.js';

export interface ExistingCluster {
  id: string;
  centroid: Float32Array;
  /** The album's date span; used only with timeGapDays. */
  start?: Date | null;
  end?: Date | null;
}

export type IncrementalPhoto = Pick<AlbumPhoto, 'photoId' | 'embedding'> & { takenAt?: Date | null };

export interface IncrementalAssignment {
  photoId: string;
  clusterId: string;
  similarity: number;
}

export interface IncrementalResult {
  /** Sorted by photo id. */
  assigned: IncrementalAssignment[];
  /** Photos no album is close enough to, sorted: left for the next full regeneration. */
  unassigned: string[];
}

export interface IncrementalOptions {
  /** Similarity to an album's centroid needed to join it. Default: DEFAULT_AUTO_CLUSTERING_PARAMS.minSimilarity. */
  minSimilarity?: number;
  /**
   * As in clusterPhotos: a photo joins only an album whose span, widened by this many days on each side, holds its
   * date; undated photos and undated albums match only each other. Null (default): dates are not looked at.
   */
  timeGapDays?: number | null;
}

/**
 * Each new photo joins the album with the most similar centroid (ties: smaller album id) when that similarity is
 * at least minSimilarity. Centroids stay fixed within one call, so the answer does not depend on photo order; the
 * caller refreshes them afterwards. The same threshold as the neighbour rule keeps one number to tune: members sit
 * closer to their centroid than to each other, so this admits photos about as alike as the album's own members, and
 * is on the strict side for long, chained albums (the next regeneration picks up what it leaves).
 */
export function assignIncrementally(
  clusters: readonly ExistingCluster[],
  photos: readonly IncrementalPhoto[],
  options: IncrementalOptions = {},
): IncrementalResult {
  const minSimilarity = options.minSimilarity ?? DEFAULT_AUTO_CLUSTERING_PARAMS.minSimilarity;
  checkSimilarity(minSimilarity);
  checkGapDays(options.timeGapDays);
  const gapMs = options.timeGapDays == null ? null : options.timeGapDays * DAY_MS;
  const ordered = [...clusters].sort((a, b) => compareIds(a.id, b.id));
  const result: IncrementalResult = { assigned: [], unassigned: [] };
  for (const photo of [...photos].sort((a, b) => compareIds(a.photoId, b.photoId))) {
    let best: IncrementalAssignment | null = null;
    for (const cluster of ordered) {
      if (gapMs !== null && !withinSpan(photo, cluster, gapMs)) continue;
      const similarity = 1 - cosineDistance(photo.embedding, cluster.centroid);
      // Strictly greater: clusters come in id order, so a tie keeps the smaller id.
      if (similarity >= minSimilarity && (best === null || similarity > best.similarity)) {
        best = { photoId: photo.photoId, clusterId: cluster.id, similarity };
      }
    }
    if (best) result.assigned.push(best);
    else result.unassigned.push(photo.photoId);
  }
  return result;
}

function withinSpan(photo: IncrementalPhoto, cluster: ExistingCluster, gapMs: number): boolean {
  const t = timeOf({ takenAt: photo.takenAt ?? null });
  const start = timeOf({ takenAt: cluster.start ?? cluster.end ?? null });
  const end = timeOf({ takenAt: cluster.end ?? cluster.start ?? null });
  if (t === null || start === null || end === null) return t === null && start === null;
  return t >= start - gapMs && t <= end + gapMs;
}
