// Automatic albums between regenerations: photos that finish their pipeline join the active album they fit
// (assignIncrementally, pure, in auto-incremental.ts), with the albums' centroids cached per library. Apart from the
// regeneration because the pipeline calls it for every photo, without a plan, a snapshot or a naming step.
import { sql } from 'drizzle-orm';
import { uuidArray } from '../../db/arrays.js';
import { rows, type Db } from '../../db/connection.js';
import { parseVector } from '../../db/vector-values.js';
import { refreshSearchDocuments } from '../../search/documents.js';
import { resolveAutoClusteringParams } from './auto-clustering-params.js';
import { BATCH, type AutoAlbumsContext, type RegenerateParams } from './auto-context.js';
import { metaKey } from './auto-existing.js';
import { assignIncrementally, type ExistingCluster } from './auto-incremental.js';
import { ownsSql, sameOwnerSql, type OwnerView } from '../../scope/rows.js';
import { forSystemRows } from '../actors.js';

interface AssignmentState {
  stamp: string;
  model: string | null;
  minSimilarity: number;
  timeGapDays: number | null;
  clusters: ExistingCluster[];
}

/** Per database and owner: the active automatic albums' centroids, with the stamp they were read at. */
const assignmentCache = new WeakMap<Db, Map<string, AssignmentState>>();

/** After a regeneration: the centroids and the albums changed, read them again. */
export function forgetAssignmentCache(owner: OwnerView): void {
  assignmentCache.get(owner.db)?.delete(owner.ownerId);
}

/**
 * Which active automatic albums there are and when the library last regenerated them: cheap (one indexed query),
 * and it moves whenever the centroids could have (a regeneration here or on another server, a keep, a dismissal).
 */
async function assignmentStamp(owner: OwnerView): Promise<string> {
  const [row] = await rows<{ stamp: string }>(
    owner.db,
    sql`select coalesce(md5(string_agg(a.id::text, ',' order by a.id)), '') || '|' ||
          coalesce((select updated_at::text from library_meta where key = ${metaKey(owner)}), '') as stamp
        from albums a where ${ownsSql(owner, 'a')} and a.kind = 'auto' and a.status = 'active'`,
  );
  return row?.stamp ?? '';
}

async function assignmentState(owner: OwnerView): Promise<AssignmentState> {
  const { db, ownerId } = owner;
  const stamp = await assignmentStamp(owner);
  const cached = assignmentCache.get(db)?.get(ownerId);
  if (cached && cached.stamp === stamp) return cached;
  const [meta] = await rows<{ value: Partial<RegenerateParams & { model: string }> }>(db, sql`select value from library_meta where key = ${metaKey(owner)}`);
  const timeGapDays = meta?.value.timeGapDays ?? null;
  const found = await rows<{ id: string; centroid: string; start_ms: number | null; end_ms: number | null }>(
    db,
    timeGapDays === null
      ? sql`select a.id, array_to_string(a.centroid, ',') as centroid, null::float8 as start_ms, null::float8 as end_ms
            from albums a where ${ownsSql(owner, 'a')} and a.kind = 'auto' and a.status = 'active' and a.centroid is not null`
      : sql`select a.id, array_to_string(a.centroid, ',') as centroid,
              (select (extract(epoch from min(p.taken_at)) * 1000)::float8 from album_photos ap join photos p on p.id = ap.photo_id where ap.album_id = a.id and p.deleted_at is null) as start_ms,
              (select (extract(epoch from max(p.taken_at)) * 1000)::float8 from album_photos ap join photos p on p.id = ap.photo_id where ap.album_id = a.id and p.deleted_at is null) as end_ms
            from albums a where ${ownsSql(owner, 'a')} and a.kind = 'auto' and a.status = 'active' and a.centroid is not null`,
  );
  const state: AssignmentState = {
    stamp,
    model: meta?.value.model ?? null,
    minSimilarity: meta?.value.minSimilarity ?? resolveAutoClusteringParams().minSimilarity,
    timeGapDays,
    clusters: found
      .filter((row) => row.centroid !== '')
      .map((row) => ({
        id: row.id,
        centroid: Float32Array.from(row.centroid.split(','), Number),
        start: row.start_ms === null ? null : new Date(Number(row.start_ms)),
        end: row.end_ms === null ? null : new Date(Number(row.end_ms)),
      })),
  };
  const perDb = assignmentCache.get(db) ?? new Map<string, AssignmentState>();
  assignmentCache.set(db, perDb);
  perDb.set(ownerId, state);
  return state;
}

export interface AssignOptions {
  /** Refresh the search rows of the photos that joined an album (default true; the runner refreshes them itself). */
  refreshSearch?: boolean;
}

/**
 * New photos join the active automatic album whose centroid they are most similar to, when at least the
 * minSimilarity the albums were last regenerated with (assignIncrementally; with that run's timeGapDays, only an
 * album whose dates are near the photo's). Photos in the trash, without an embedding of the model the albums were
 * made with, or already in an automatic album are left alone. Centroids stay as the regeneration left them: an
 * album that drifted with each arrival would depend on the order photos arrived in; the next regeneration
 * recomputes them. Returns the photo ids that joined an album.
 */
export async function assignToAutoAlbums(ctx: AutoAlbumsContext, photoIds: readonly string[], options: AssignOptions = {}): Promise<string[]> {
  const ids = [...new Set(photoIds)];
  if (ids.length === 0) return [];
  const model = await ctx.ml.clipVersion();
  if (model === 'none') return [];
  const joined: string[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    const candidates = await rows<{ id: string; owner_id: string; embedding: string; taken_ms: number | null }>(
      ctx.db,
      sql`select p.id, p.owner_id, e.embedding::text as embedding, (extract(epoch from p.taken_at) * 1000)::float8 as taken_ms
          from photos p join photo_embeddings e on e.photo_id = p.id
          where p.id = any(${uuidArray(ids.slice(i, i + BATCH))}) and p.deleted_at is null and e.model = ${model}
            and not exists (select 1 from album_photos ap join albums a on a.id = ap.album_id where ap.photo_id = p.id and a.kind = 'auto')
            -- most photos arrive in libraries without automatic albums: then no embedding is read at all
            and exists (select 1 from albums a where ${sameOwnerSql('a', 'p')} and a.kind = 'auto' and a.status = 'active')`,
    );
    const byOwner = new Map<string, typeof candidates>();
    for (const row of candidates) byOwner.set(row.owner_id, [...(byOwner.get(row.owner_id) ?? []), row]);
    for (const [ownerId, owned] of byOwner) {
      const state = await assignmentState(forSystemRows(ctx.db, ownerId));
      if (state.clusters.length === 0 || state.model !== model) continue;
      const dims = state.clusters[0]!.centroid.length;
      const photos = owned
        .map((row) => ({ photoId: row.id, embedding: parseVector(row.embedding), takenAt: row.taken_ms === null ? null : new Date(Number(row.taken_ms)) }))
        .filter((photo) => photo.embedding.length === dims);
      const clusters = state.clusters.filter((cluster) => cluster.centroid.length === dims);
      const { assigned } = assignIncrementally(clusters, photos, { minSimilarity: state.minSimilarity, timeGapDays: state.timeGapDays });
      for (const a of assigned) {
        // Only while the album is still an active automatic one: a kept album is the user's to fill.
        const inserted = await rows<{ photo_id: string }>(
          ctx.db,
          sql`insert into album_photos (album_id, photo_id)
              select a.id, ${a.photoId}::uuid from albums a where a.id = ${a.clusterId}::uuid and a.kind = 'auto' and a.status = 'active'
              on conflict do nothing returning photo_id`,
        );
        if (inserted.length === 0) continue;
        await ctx.db.execute(sql`update albums set updated_at = now() where id = ${a.clusterId}::uuid`);
        joined.push(a.photoId);
        ctx.logger.debug({ photoId: a.photoId, albumId: a.clusterId, similarity: a.similarity }, 'photo joined an automatic album');
      }
    }
  }
  if (joined.length > 0 && options.refreshSearch !== false) await refreshSearchDocuments(ctx.db, joined);
  return joined;
}
