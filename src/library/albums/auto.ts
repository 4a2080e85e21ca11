// Automatic albums in a library: the pure clustering (auto-clustering.ts) and naming (auto-naming.ts) run on the
// owner's photos, and the result is reconciled with the albums already there.
//
// This file is the regeneration: it reads the photos (auto-snapshot.ts), clusters them (auto-clustering.ts, in a
// worker thread from auto-clustering-thread.ts), matches the clusters with the albums there (auto-matching.ts,
// auto-existing.ts), names them (auto-namer.ts), plans (auto-plan.ts) and writes (auto-write.ts). Photos that arrive
// between regenerations join albums through auto-assign.ts.
//
// Concurrency: one regeneration at a time per library in this process (a second gets 409). The writes happen in
// one transaction under an advisory lock, after checking that no automatic album was kept, dismissed, created or
// deleted since the plan was made (another server, a user clicking meanwhile); if one was, the plan is made again.
import { UserError } from '../../base/errors.js';
import type { Db } from '../../db/connection.js';
import { createTextChatClient } from '../../ml/captions/index.js';
import { refreshSearchDocuments } from '../../search/documents.js';
import { forgetAssignmentCache } from './auto-assign.js';
import { resolveAutoClusteringParams, type AutoClusteringParams } from './auto-clustering-params.js';
import { clusterOffThread, WORKER_MIN_PHOTOS } from './auto-clustering-thread.js';
import { clusterPhotos } from './auto-clustering.js';
import type { AutoAlbumResult, AutoAlbumsLibrary, RegenerateParams } from './auto-context.js';
import { loadExisting } from './auto-existing.js';
import { clusterSignature } from './auto-matching.js';
import { Namer } from './auto-namer.js';
import type { AlbumNamingClient } from './auto-naming.js';
import { makePlan } from './auto-plan.js';
import { countPending, loadSnapshot } from './auto-snapshot.js';
import { writePlan } from './auto-write.js';

/** Plans made again when albums change under a regeneration, before giving up with 409. */
const MAX_PLANS = 3;

export interface RegenerateOptions extends Partial<RegenerateParams> {
  /**
   * Who names the albums. Undefined: the caption endpoint of the settings (its text stage when it has one), or
   * none. Null: no provider, names from tags, dates and places.
   */
  namingClient?: AlbumNamingClient | null;
  /** Cluster in a worker thread; default: from WORKER_MIN_PHOTOS photos on. */
  clusterInWorker?: boolean;
}

export interface RegenerateSummary {
  created: number;
  /** Active automatic albums whose photos or name changed. */
  updated: number;
  unchanged: number;
  /** Active automatic albums that no longer match any cluster, deleted. */
  removed: number;
  /** Clusters not made into albums because they match a dismissed or kept album. */
  skipped: number;
  /** Photos clustered: live, with an embedding of `model`. */
  photos: number;
  /** Live photos without an embedding of `model` yet (left out). */
  pending: number;
  model: string;
  params: RegenerateParams;
  /** Every active automatic album after the run, largest first. */
  albums: AutoAlbumResult[];
}

/** Libraries (database and owner) regenerating now, in this process. */
const running = new WeakMap<Db, Set<string>>();

/**
 * Clusters the owner's photos and reconciles the result with the automatic albums (see the top of the file and of
 * auto-matching.ts).
 * Throws UserError 409 when no CLIP model is installed or a regeneration is already running, 400 on bad params.
 */
export async function regenerateAutoAlbums(lib: AutoAlbumsLibrary, options: RegenerateOptions = {}): Promise<RegenerateSummary> {
  // Checked and marked before the first await: two calls in the same tick cannot both pass.
  const busy = running.get(lib.db) ?? new Set<string>();
  running.set(lib.db, busy);
  if (busy.has(lib.ownerId))
    throw new UserError('conflict', 'automatic albums are already being regenerated for this library: try again when that run has finished');
  busy.add(lib.ownerId);
  try {
    return await regenerate(lib, options);
  } finally {
    busy.delete(lib.ownerId);
  }
}

async function regenerate(lib: AutoAlbumsLibrary, options: RegenerateOptions): Promise<RegenerateSummary> {
  let resolved: AutoClusteringParams;
  try {
    resolved = resolveAutoClusteringParams({ minSize: options.minSize, minSimilarity: options.minSimilarity, timeGapDays: options.timeGapDays });
  } catch (error) {
    if (error instanceof RangeError) throw new UserError('invalid', error.message);
    throw error;
  }
  const params: RegenerateParams = { minSize: resolved.minSize, minSimilarity: resolved.minSimilarity, timeGapDays: resolved.timeGapDays };
  const model = await lib.ml.clipVersion();
  if (model === 'none') throw new UserError('conflict', `automatic albums need a CLIP model (${await lib.ml.clipMissingReason()})`);

  const started = performance.now();
  const snapshot = await loadSnapshot(lib, model);
  const pending = await countPending(lib, model);
  const inWorker = options.clusterInWorker ?? snapshot.photos.length >= WORKER_MIN_PHOTOS;
  const found = inWorker ? await clusterOffThread(snapshot.photos, resolved) : clusterPhotos(snapshot.photos, resolved);
  const clusters = found.map((cluster) => ({ ...cluster, signature: clusterSignature(cluster.members) }));
  const clusteredMs = Math.round(performance.now() - started);

  const client = options.namingClient !== undefined ? options.namingClient : createTextChatClient(lib.ml.settings.caption);
  const namer = new Namer(lib, client, snapshot);
  for (let attempt = 1; ; attempt++) {
    const existing = await loadExisting(lib);
    const plan = await makePlan(clusters, existing, snapshot, namer);
    const outcome = await writePlan(lib, plan, existing.stamp, { model, ...params });
    if (outcome === 'stale') {
      if (attempt < MAX_PLANS) continue;
      throw new UserError('conflict', 'automatic albums kept changing during the regeneration (kept, dismissed or regenerated elsewhere): try again');
    }
    forgetAssignmentCache(lib);
    await refreshSearchDocuments(lib.db, [...outcome.affected]);
    const summary: RegenerateSummary = {
      created: plan.results.filter((r) => r.change === 'created').length,
      updated: plan.results.filter((r) => r.change === 'updated').length,
      unchanged: plan.results.filter((r) => r.change === 'unchanged').length,
      removed: plan.removals.length,
      skipped: plan.skipped,
      photos: snapshot.photos.length,
      pending,
      model,
      params,
      albums: plan.results.map((result, i) => ({ ...result, id: result.id ?? outcome.createdIds[i]! })),
    };
    lib.logger.info(
      {
        ...params,
        model,
        photos: summary.photos,
        pending,
        clusters: clusters.length,
        created: summary.created,
        updated: summary.updated,
        unchanged: summary.unchanged,
        removed: summary.removed,
        skipped: summary.skipped,
        clusterMs: clusteredMs,
        ms: Math.round(performance.now() - started),
      },
      'automatic albums regenerated',
    );
    return summary;
  }
}
