// Automatic albums: the plan of one regeneration, from the matches (the reconciliation rule at the top of
// auto-matching.ts): which albums to create, update in place (members, and names that came from the fallback) and
// remove. No SQL; apart from the writing (auto-write.ts) so that a plan made stale by a concurrent change is simply
// made again.
import { compareIds } from '../../ml/people/ids.js';
import type { AutoAlbumResult } from './auto-context.js';
import type { Existing, ExistingAlbum } from './auto-existing.js';
import { matchClusters, type MatchableAlbum, type PlannedCluster } from './auto-matching.js';
import type { Namer } from './auto-namer.js';
import type { AlbumName } from './auto-naming.js';
import type { Snapshot } from './auto-snapshot.js';

export interface Plan {
  /** One per cluster made into an album, in cluster order; id null for those to create. */
  results: (Omit<AutoAlbumResult, 'id'> & { id: string | null })[];
  creates: { index: number; cluster: PlannedCluster; name: AlbumName; nameSource: string }[];
  updates: { album: ExistingAlbum; cluster: PlannedCluster; add: string[]; remove: string[]; rename: { name: AlbumName; nameSource: string } | null }[];
  removals: ExistingAlbum[];
  skipped: number;
}

export async function makePlan(clusters: readonly PlannedCluster[], existing: Existing, snapshot: Snapshot, namer: Namer): Promise<Plan> {
  const matchable: MatchableAlbum[] = existing.albums.map((album) => ({
    id: album.id,
    role: album.kind === 'auto' && album.status === 'active' ? 'active' : 'blocking',
    signature: album.signature,
    members: album.members,
  }));
  const matches = matchClusters(clusters, matchable);
  const albumsById = new Map(existing.albums.map((album) => [album.id, album]));
  const plan: Plan = { results: [], creates: [], updates: [], removals: matches.orphans.map((id) => albumsById.get(id)!), skipped: matches.blocked.size };
  for (const [index, cluster] of clusters.entries()) {
    if (matches.blocked.has(index)) continue;
    const continued = matches.continues.get(index);
    const base = {
      photoCount: cluster.members.length,
      representativeIds: cluster.representatives,
      start: cluster.start,
      end: cluster.end,
      place: namer.placeOf(cluster.members).place,
    };
    if (continued === undefined) {
      const named = await namer.name(cluster);
      plan.creates.push({ index: plan.results.length, cluster, name: named.name, nameSource: named.source });
      plan.results.push({ ...base, id: null, ...nameFields(named.name, named.source), change: 'created' });
      continue;
    }
    const album = albumsById.get(continued)!;
    const members = new Set(cluster.members);
    // Members this run did not see (in the trash, arrived meanwhile, not embedded by this model yet) stay.
    const remove = [...album.members].filter((id) => snapshot.byId.has(id) && !members.has(id)).sort(compareIds);
    const add = cluster.members.filter((id) => !album.members.has(id));
    let rename: { name: AlbumName; nameSource: string } | null = null;
    if (album.nameSource === 'fallback' || album.nameSource === null) {
      const named = await namer.name(cluster);
      const current = { name: album.name, description: album.description ?? '', tags: album.tags, primaryCategory: album.primaryCategory };
      if (!sameName(current, named.name) || named.source !== album.nameSource) rename = { name: named.name, nameSource: named.source };
    }
    const changed = rename !== null || add.length > 0 || remove.length > 0 || album.signature !== cluster.signature;
    plan.updates.push({ album, cluster, add, remove, rename });
    const fields = rename
      ? nameFields(rename.name, rename.nameSource)
      : { name: album.name, description: album.description, tags: album.tags, primaryCategory: album.primaryCategory, nameSource: album.nameSource };
    plan.results.push({ ...base, id: album.id, ...fields, change: changed ? 'updated' : 'unchanged' });
  }
  return plan;
}

function nameFields(name: AlbumName, source: string) {
  return { name: name.name, description: name.description || null, tags: name.tags, primaryCategory: name.primaryCategory, nameSource: source };
}

function sameName(a: AlbumName, b: AlbumName): boolean {
  return (
    a.name === b.name &&
    (a.description || '') === (b.description || '') &&
    a.primaryCategory === b.primaryCategory &&
    a.tags.length === b.tags.length &&
    a.tags.every((tag, i) => tag === b.tags[i])
  );
}
