// Automatic albums: what a cluster of photos is shown as, once found: centroid, date span, dominant place and the
// representative photos a caption model is shown. Pure; apart from the clustering because naming (auto-naming.ts,
// auto-namer.ts) reads the same rules for places and representatives.
import { compareIds } from '../../ml/people/ids.js';
import { centroid, cosineDistance } from '../../ml/people/vectors.js';
import { MAX_REPRESENTATIVES, timeOf, type AlbumPhoto, type AutoCluster } from './auto-clustering-params.js';

/** Representatives this alike are near-duplicates (the CLIP duplicates tier): one of them tells a caption model enough. */
const NEAR_DUPLICATE_SIMILARITY = 0.95;

export function describeCluster(group: readonly AlbumPhoto[]): AutoCluster {
  const center = centroid(group.map((photo) => photo.embedding));
  let first = Infinity;
  let last = -Infinity;
  for (const photo of group) {
    const t = timeOf(photo);
    if (t === null) continue;
    first = Math.min(first, t);
    last = Math.max(last, t);
  }
  const dated = first <= last;
  return {
    members: group.map((photo) => photo.photoId),
    representatives: pickRepresentatives(group, center),
    centroid: center,
    start: dated ? new Date(first) : null,
    end: dated ? new Date(last) : null,
    place: dominantPlace(group.map((photo) => photo.place)),
  };
}

/**
 * Up to `max` photo ids, most similar to the centroid first (ties by id). A near-duplicate of one already picked
 * (a burst) is passed over while there are other photos, so the captions a model reads describe different shots.
 */
export function pickRepresentatives(photos: readonly Pick<AlbumPhoto, 'photoId' | 'embedding'>[], center: Float32Array, max = MAX_REPRESENTATIVES): string[] {
  const ranked = photos
    .map((photo) => ({ photo, similarity: 1 - cosineDistance(photo.embedding, center) }))
    .sort((a, b) => b.similarity - a.similarity || compareIds(a.photo.photoId, b.photo.photoId))
    .map((r) => r.photo);
  const picked: typeof ranked = [];
  const passedOver: typeof ranked = [];
  for (const photo of ranked) {
    if (picked.length === max) break;
    const duplicate = picked.some((q) => 1 - cosineDistance(q.embedding, photo.embedding) >= NEAR_DUPLICATE_SIMILARITY);
    (duplicate ? passedOver : picked).push(photo);
  }
  // Only bursts left: fill up with them rather than show fewer.
  for (const photo of passedOver) if (picked.length < max) picked.push(photo);
  return picked.map((photo) => photo.photoId);
}

/**
 * The place most photos share, when it accounts for at least half of those with a known place (ties by name);
 * else null: an album spread over many places is not named after one of them.
 */
export function dominantPlace(places: readonly (string | null | undefined)[]): string | null {
  const counts = new Map<string, number>();
  let known = 0;
  for (const raw of places) {
    const place = raw?.replace(/\s+/g, ' ').trim();
    if (!place) continue;
    known += 1;
    counts.set(place, (counts.get(place) ?? 0) + 1);
  }
  let best: [string, number] | null = null;
  for (const entry of counts) {
    if (best === null || entry[1] > best[1] || (entry[1] === best[1] && compareIds(entry[0], best[0]) < 0)) best = entry;
  }
  return best !== null && best[1] * 2 >= known ? best[0] : null;
}
