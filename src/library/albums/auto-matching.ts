// Automatic albums: which cluster continues which existing album, on ids only. Pure (no I/O); apart from the
// regeneration so that the rule can be read and tested on its own. What becomes of each pair is auto-plan.ts's part.
//
// Reconciliation (deterministic: the same clusters and albums give the same result):
// - A cluster *matches* an album when the album's signature (sha256 of the cluster's sorted member ids, written
//   when the album was made or last updated) is the cluster's, or when their members overlap by a Jaccard index
//   |C ∩ A| / |C ∪ A| ≥ 0.5 (JACCARD_MATCH; the album's members not in the trash). 0.5 because two disjoint
//   clusters cannot both pass it against one album unless each is exactly half of it, so one album continues at
//   most one cluster in practice, while an album that lost up to half of its photos, or gained as many as it had,
//   is still recognised.
// - A cluster matching a dismissed automatic album, or an album the user kept (it is manual now but still carries
//   the signature it was made with), is skipped: the user has said what they want of those photos.
// - Other clusters are paired one-to-one with active automatic albums, best pair first (signature matches, then
//   higher Jaccard; ties by cluster order, then album id). A paired album is updated in place: its members become
//   the cluster's (members that this run did not see, such as photos in the trash or photos that arrived during
//   the run, stay), its centroid and signature follow; its name, description and tags are kept unless they came
//   from the fallback (name_source 'fallback') and naming now gives something else (a caption endpoint was
//   configured since, or the tags, dates or places moved).
// - Clusters left over become new albums; active automatic albums left over are deleted. Manual albums the user
//   made are never read nor written.
import { createHash } from 'node:crypto';
import { compareIds } from '../../ml/people/ids.js';
import type { AutoCluster } from './auto-clustering-params.js';

/** See the top of the file. */
export const JACCARD_MATCH = 0.5;

export interface MatchableCluster {
  members: readonly string[];
  signature: string;
}

export interface MatchableAlbum {
  id: string;
  /** 'active' automatic albums are continued; 'blocking' ones (dismissed, or kept by the user) stop a cluster. */
  role: 'active' | 'blocking';
  signature: string | null;
  /** Members not in the trash. */
  members: ReadonlySet<string>;
}

export interface ClusterMatches {
  /** Cluster index → the active album it continues. */
  continues: Map<number, string>;
  /** Cluster index → the blocking album it matches (the first by id). */
  blocked: Map<number, string>;
  /** Active albums no cluster continues, sorted. */
  orphans: string[];
}

/** The reconciliation rule at the top of the file, on ids only. */
export function matchClusters(clusters: readonly MatchableCluster[], albums: readonly MatchableAlbum[]): ClusterMatches {
  const ordered = [...albums].sort((a, b) => compareIds(a.id, b.id));
  const byPhoto = new Map<string, number[]>();
  ordered.forEach((album, ai) => {
    for (const photo of album.members) {
      const list = byPhoto.get(photo);
      if (list) list.push(ai);
      else byPhoto.set(photo, [ai]);
    }
  });
  const blocked = new Map<number, string>();
  const pairs: { ci: number; ai: number; exact: boolean; jaccard: number }[] = [];
  clusters.forEach((cluster, ci) => {
    const shared = new Map<number, number>();
    for (const photo of new Set(cluster.members)) for (const ai of byPhoto.get(photo) ?? []) shared.set(ai, (shared.get(ai) ?? 0) + 1);
    const size = new Set(cluster.members).size;
    const matches: { ai: number; exact: boolean; jaccard: number }[] = [];
    ordered.forEach((album, ai) => {
      const inter = shared.get(ai) ?? 0;
      const union = size + album.members.size - inter;
      const jaccard = union === 0 ? 0 : inter / union;
      const exact = album.signature !== null && album.signature === cluster.signature;
      if (exact || jaccard >= JACCARD_MATCH) matches.push({ ai, exact, jaccard });
    });
    const blocking = matches.find((m) => ordered[m.ai]!.role === 'blocking');
    if (blocking) blocked.set(ci, ordered[blocking.ai]!.id);
    else for (const m of matches) pairs.push({ ci, ...m });
  });
  pairs.sort((a, b) => Number(b.exact) - Number(a.exact) || b.jaccard - a.jaccard || a.ci - b.ci || a.ai - b.ai);
  const continues = new Map<number, string>();
  const taken = new Set<number>();
  for (const pair of pairs) {
    if (continues.has(pair.ci) || taken.has(pair.ai)) continue;
    continues.set(pair.ci, ordered[pair.ai]!.id);
    taken.add(pair.ai);
  }
  const orphans = ordered.filter((album, ai) => album.role === 'active' && !taken.has(ai)).map((album) => album.id);
  return { continues, blocked, orphans };
}

/** What recognises a cluster again: sha256 of its sorted member ids. */
export function clusterSignature(members: readonly string[]): string {
  const sorted = [...members].sort(compareIds);
  return `sha256:${createHash('sha256').update(sorted.join(',')).digest('hex')}`;
}

/** A cluster with the signature that recognises it. */
export type PlannedCluster = AutoCluster & { signature: string };
