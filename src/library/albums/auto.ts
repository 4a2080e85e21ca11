// Automatic albums in a library: the pure clustering (auto-clustering.ts) and naming (auto-naming.ts) run on the
// owner's photos, and the result is reconciled with the albums already there.
//
// What is clustered: the owner's photos that are not in the trash and have an embedding of the CLIP model in use
// (photo_embeddings.model = MlServices.clipVersion()). Photos still waiting for their embedding are left out (the
// summary counts them as `pending`) and join through assignToAutoAlbums when their pipeline finishes.
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
//
// Concurrency: one regeneration at a time per library in this process (a second gets 409). The writes happen in
// one transaction under an advisory lock, after checking that no automatic album was kept, dismissed, created or
// deleted since the plan was made (another server, a user clicking meanwhile); if one was, the plan is made again.
import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import { uuidArray, textArray } from '../../db/arrays.js';
import { rows, type Db } from '../../db/connection.js';
import { parseVector } from '../../db/vector-values.js';
import { CaptionError, createTextChatClient, type CaptionErrorCode } from '../../ml/captions/index.js';
import type { MlServices } from '../../ml/services.js';
import { startWorker, workerEntry } from '../../ml/worker-url.js';
import { refreshSearchDocuments } from '../../search/documents.js';
import { UserError } from '../../base/errors.js';
import {
  assignIncrementally,
  clusterPhotos,
  dominantPlace,
  resolveAutoClusteringParams,
  type AlbumPhoto,
  type AutoCluster,
  type AutoClusteringParams,
  type ExistingCluster,
} from './auto-clustering.js';
import type { ClusteringJob } from './auto-clustering-worker.js';
import {
  characteristicTags,
  fallbackAlbumName,
  formatDateSpan,
  MIN_TAG_SHARE,
  nameAlbumWithProvider,
  type AlbumName,
  type AlbumNamingClient,
  type FallbackNameInput,
} from './auto-naming.js';

/** What automatic albums need of a library; the pipeline's runner has it too (without the owner). */
export interface AutoAlbumsContext {
  db: Db;
  ml: MlServices;
  logger: Logger;
}

export interface AutoAlbumsLibrary extends AutoAlbumsContext {
  ownerId: string;
}

/** See the top of the file. */
export const JACCARD_MATCH = 0.5;

/** Photos per statement when members are read or written. */
const BATCH = 5000;

/**
 * From this many photos, clustering runs in a worker thread. Measured on this 2-core machine (512-d, random
 * vectors): 0.05 s at 500 photos, 0.15 s at 1,000, 0.6 s at 2,000, and auto-clustering.ts estimates 20 s at
 * 10,000, during which the server and the pipeline would stand still on the main thread. Below it, a thread's
 * start costs about what it saves.
 */
export const WORKER_MIN_PHOTOS = 1000;

/** Plans made again when albums change under a regeneration, before giving up with 409. */
const MAX_PLANS = 3;

export type RegenerateParams = Pick<AutoClusteringParams, 'minSize' | 'minSimilarity' | 'timeGapDays'>;

export interface RegenerateOptions extends Partial<RegenerateParams> {
  /**
   * Who names the albums. Undefined: the caption endpoint of the settings (its text stage when it has one), or
   * none. Null: no provider, names from tags, dates and places.
   */
  namingClient?: AlbumNamingClient | null;
  /** Cluster in a worker thread; default: from WORKER_MIN_PHOTOS photos on. */
  clusterInWorker?: boolean;
}

export type AlbumChange = 'created' | 'updated' | 'unchanged';

export interface AutoAlbumResult {
  id: string;
  name: string;
  description: string | null;
  tags: string[];
  primaryCategory: string | null;
  nameSource: string | null;
  /** Photos this run put in it. */
  photoCount: number;
  /** Most central first: what the caption endpoint was shown (or would be). */
  representativeIds: string[];
  start: Date | null;
  end: Date | null;
  place: string | null;
  change: AlbumChange;
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

// ---------------------------------------------------------------------------------------------------------------
// Matching clusters with existing albums (pure)

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

// ---------------------------------------------------------------------------------------------------------------
// Full regeneration

/** Libraries (database and owner) regenerating now, in this process. */
const running = new WeakMap<Db, Set<string>>();

/**
 * Clusters the owner's photos and reconciles the result with the automatic albums (see the top of the file).
 * Throws UserError 409 when no CLIP model is installed or a regeneration is already running, 400 on bad params.
 */
export async function regenerateAutoAlbums(lib: AutoAlbumsLibrary, options: RegenerateOptions = {}): Promise<RegenerateSummary> {
  // Checked and marked before the first await: two calls in the same tick cannot both pass.
  const busy = running.get(lib.db) ?? new Set<string>();
  running.set(lib.db, busy);
  if (busy.has(lib.ownerId)) throw new UserError('conflict', 'automatic albums are already being regenerated for this library: try again when that run has finished');
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
  if (model === 'none') throw new UserError('conflict', `automatic albums need a CLIP model (${lib.ml.clipMissingReason()})`);

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
    forgetAssignmentCache(lib.db, lib.ownerId);
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
      { ...params, model, photos: summary.photos, pending, clusters: clusters.length, created: summary.created, updated: summary.updated, unchanged: summary.unchanged, removed: summary.removed, skipped: summary.skipped, clusterMs: clusteredMs, ms: Math.round(performance.now() - started) },
      'automatic albums regenerated',
    );
    return summary;
  }
}

interface SnapshotPhoto extends AlbumPhoto {
  city: string | null;
  state: string | null;
  country: string | null;
}

interface Snapshot {
  photos: SnapshotPhoto[];
  byId: Map<string, SnapshotPhoto>;
}

/** The owner's live photos with an embedding of `model`, in id order, read a page at a time. */
async function loadSnapshot(lib: AutoAlbumsLibrary, model: string): Promise<Snapshot> {
  const photos: SnapshotPhoto[] = [];
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const page = await rows<{ id: string; embedding: string; taken_ms: number | null; city: string | null; state: string | null; country: string | null }>(
      lib.db,
      sql`select p.id, e.embedding::text as embedding, (extract(epoch from p.taken_at) * 1000)::float8 as taken_ms,
            p.place_city as city, p.place_state as state, p.place_country as country
          from photos p join photo_embeddings e on e.photo_id = p.id
          where p.owner_id = ${lib.ownerId}::uuid and p.deleted_at is null and e.model = ${model} and p.id > ${after}::uuid
          order by p.id limit ${BATCH}`,
    );
    for (const row of page) {
      const place = row.city ?? row.state ?? row.country;
      photos.push({
        photoId: row.id,
        embedding: parseVector(row.embedding),
        takenAt: row.taken_ms === null ? null : new Date(Number(row.taken_ms)),
        place,
        city: row.city,
        state: row.state,
        country: row.country,
      });
    }
    if (page.length < BATCH) break;
    after = page[page.length - 1]!.id;
  }
  return { photos, byId: new Map(photos.map((photo) => [photo.photoId, photo])) };
}

/** clusterPhotos in a worker thread (auto-clustering-worker.ts); the embeddings travel as one transferred buffer. */
async function clusterOffThread(photos: readonly AlbumPhoto[], params: AutoClusteringParams): Promise<AutoCluster[]> {
  const dim = photos[0]?.embedding.length ?? 0;
  const vectors = new Float32Array(photos.length * dim);
  const taken = new Float64Array(photos.length);
  photos.forEach((photo, i) => {
    if (photo.embedding.length !== dim) throw new RangeError(`photo ${photo.photoId}: dimension ${photo.embedding.length}, expected ${dim}`);
    vectors.set(photo.embedding, i * dim);
    taken[i] = photo.takenAt?.getTime() ?? NaN;
  });
  const job: ClusteringJob = { ids: photos.map((photo) => photo.photoId), dim, vectors, taken, places: photos.map((photo) => photo.place), params };
  const worker = startWorker(workerEntry(import.meta.url, 'auto-clustering-worker'), { workerData: job, transferList: [vectors.buffer, taken.buffer] });
  try {
    return await new Promise<AutoCluster[]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the clustering worker stopped (exit code ${code}) before answering`)));
    });
  } finally {
    await worker.terminate();
  }
}

async function countPending(lib: AutoAlbumsLibrary, model: string): Promise<number> {
  const [row] = await rows<{ n: number }>(
    lib.db,
    sql`select count(*)::int as n from photos p
        where p.owner_id = ${lib.ownerId}::uuid and p.deleted_at is null
          and not exists (select 1 from photo_embeddings e where e.photo_id = p.id and e.model = ${model})`,
  );
  return row?.n ?? 0;
}

interface ExistingAlbum {
  id: string;
  kind: string;
  status: string;
  name: string;
  description: string | null;
  tags: string[];
  primaryCategory: string | null;
  nameSource: string | null;
  signature: string | null;
  members: Set<string>;
}

interface Existing {
  /** Which albums there are and in which kind and status: what writePlan checks again before writing. */
  stamp: string;
  albums: ExistingAlbum[];
}

/** Albums regeneration reads: automatic ones, and manual ones made from a cluster (kept by the user). */
const RECONCILED = sql`(a.kind = 'auto' or a.signature is not null)`;

async function albumStamp(db: Db, ownerId: string): Promise<string> {
  const [row] = await rows<{ stamp: string | null }>(
    db,
    sql`select md5(string_agg(a.id::text || ':' || a.kind || ':' || a.status, ',' order by a.id)) as stamp
        from albums a where a.owner_id = ${ownerId}::uuid and ${RECONCILED}`,
  );
  return row?.stamp ?? '';
}

async function loadExisting(lib: AutoAlbumsLibrary): Promise<Existing> {
  const stamp = await albumStamp(lib.db, lib.ownerId);
  const found = await rows<{
    id: string;
    kind: string;
    status: string;
    name: string;
    description: string | null;
    tags: string[] | null;
    primary_category: string | null;
    name_source: string | null;
    signature: string | null;
  }>(
    lib.db,
    sql`select a.id, a.kind, a.status, a.name, a.description, a.tags, a.primary_category, a.name_source, a.signature
        from albums a where a.owner_id = ${lib.ownerId}::uuid and ${RECONCILED} order by a.id`,
  );
  const albums = found.map((row) => ({
    id: row.id,
    kind: row.kind,
    status: row.status,
    name: row.name,
    description: row.description,
    tags: row.tags ?? [],
    primaryCategory: row.primary_category,
    nameSource: row.name_source,
    signature: row.signature,
    members: new Set<string>(),
  }));
  const byId = new Map(albums.map((album) => [album.id, album]));
  const members = await rows<{ album_id: string; photo_id: string }>(
    lib.db,
    sql`select ap.album_id, ap.photo_id from album_photos ap
        join albums a on a.id = ap.album_id join photos p on p.id = ap.photo_id
        where a.owner_id = ${lib.ownerId}::uuid and ${RECONCILED} and p.deleted_at is null`,
  );
  for (const row of members) byId.get(row.album_id)?.members.add(row.photo_id);
  return { stamp, albums };
}

type PlannedCluster = AutoCluster & { signature: string };

interface Plan {
  /** One per cluster made into an album, in cluster order; id null for those to create. */
  results: (Omit<AutoAlbumResult, 'id'> & { id: string | null })[];
  creates: { index: number; cluster: PlannedCluster; name: AlbumName; nameSource: string }[];
  updates: { album: ExistingAlbum; cluster: PlannedCluster; add: string[]; remove: string[]; rename: { name: AlbumName; nameSource: string } | null }[];
  removals: ExistingAlbum[];
  skipped: number;
}

async function makePlan(clusters: readonly PlannedCluster[], existing: Existing, snapshot: Snapshot, namer: Namer): Promise<Plan> {
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

/**
 * Writes the plan in one transaction, unless the albums changed kind or status (or appeared, or went) since it was
 * made: then 'stale'. Returns the photos whose search rows change and the ids of the albums created.
 */
async function writePlan(
  lib: AutoAlbumsLibrary,
  plan: Plan,
  stamp: string,
  meta: RegenerateParams & { model: string },
): Promise<'stale' | { affected: Set<string>; createdIds: Record<number, string> }> {
  const affected = new Set<string>();
  const createdIds: Record<number, string> = {};
  const stale = await lib.db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`auto-albums:${lib.ownerId}`}))`);
    if ((await albumStamp(tx, lib.ownerId)) !== stamp) return true;

    if (plan.removals.length > 0) {
      const ids = plan.removals.map((album) => album.id);
      const gone = await rows<{ photo_id: string }>(tx, sql`select photo_id from album_photos where album_id = any(${uuidArray(ids)})`);
      for (const row of gone) affected.add(row.photo_id);
      await tx.execute(sql`delete from albums where id = any(${uuidArray(ids)}) and kind = 'auto' and status = 'active'`);
      // Their suggestion terms are at zero now and can never count again (as deleteAlbum does).
      await tx.execute(sql`delete from search_terms where owner_id = ${lib.ownerId}::uuid and kind = 'album' and key = any(${uuidArray(ids)}::text[])`);
    }

    for (const update of plan.updates) {
      const { album, cluster, add, remove, rename } = update;
      const membersChanged = add.length > 0 || remove.length > 0 || album.signature !== cluster.signature;
      if (!membersChanged && !rename) continue;
      const naming = rename
        ? sql`, name = ${rename.name.name}, description = ${rename.name.description || null}, tags = ${textArray(rename.name.tags)},
              primary_category = ${rename.name.primaryCategory}, name_source = ${rename.nameSource}`
        : sql``;
      await tx.execute(
        sql`update albums set centroid = ${realArray(cluster.centroid)}, signature = ${cluster.signature}, updated_at = now() ${naming}
            where id = ${album.id}::uuid`,
      );
      for (let i = 0; i < remove.length; i += BATCH) {
        await tx.execute(sql`delete from album_photos where album_id = ${album.id}::uuid and photo_id = any(${uuidArray(remove.slice(i, i + BATCH))})`);
      }
      await insertMembers(tx, album.id, add);
      for (const id of [...add, ...remove]) affected.add(id);
      if (rename && rename.name.name !== album.name) for (const id of [...album.members, ...cluster.members]) affected.add(id);
    }

    for (const create of plan.creates) {
      const { cluster, name, nameSource } = create;
      const [row] = await rows<{ id: string }>(
        tx,
        sql`insert into albums (owner_id, name, description, kind, status, tags, primary_category, name_source, centroid, signature)
            values (${lib.ownerId}::uuid, ${name.name}, ${name.description || null}, 'auto', 'active', ${textArray(name.tags)},
                    ${name.primaryCategory}, ${nameSource}, ${realArray(cluster.centroid)}, ${cluster.signature})
            returning id`,
      );
      createdIds[create.index] = row!.id;
      await insertMembers(tx, row!.id, cluster.members);
      for (const id of cluster.members) affected.add(id);
    }

    const value = { ...meta, regeneratedAt: new Date().toISOString() };
    await tx.execute(
      sql`insert into library_meta (key, value) values (${metaKey(lib.ownerId)}, ${JSON.stringify(value)}::jsonb)
          on conflict (key) do update set value = excluded.value, updated_at = now()`,
    );
    return false;
  });
  return stale ? 'stale' : { affected, createdIds };
}

async function insertMembers(db: Db, albumId: string, photoIds: readonly string[]): Promise<void> {
  for (let i = 0; i < photoIds.length; i += BATCH) {
    await db.execute(
      sql`insert into album_photos (album_id, photo_id)
          select ${albumId}::uuid, unnest(${uuidArray(photoIds.slice(i, i + BATCH))})
          on conflict do nothing`,
    );
  }
}

function realArray(values: Float32Array): SQL {
  return sql.raw(`'{${Array.from(values, (v) => (Number.isFinite(v) ? v : 0)).join(',')}}'::real[]`);
}

/** A text[] parameter (drizzle spreads a JS array into a list of parameters, so it goes as one JSON value). */
function metaKey(ownerId: string): string {
  return `auto_albums:${ownerId}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Naming

/** Failures of the endpoint rather than of one reply. */
const ENDPOINT_FAILURES: ReadonlySet<CaptionErrorCode> = new Set(['auth', 'timeout', 'unavailable', 'http', 'bad-response']);

interface Named {
  name: AlbumName;
  source: 'provider' | 'fallback';
}

/** Names clusters: the caption endpoint from representatives' captions when there is one, else tags, dates, places. */
class Namer {
  private libraryTags: Promise<Pick<FallbackNameInput, 'libraryTagFrequency' | 'libraryPhotoCount' | 'tagCategories'>> | null = null;
  private readonly tagsOf = new Map<string, string[]>();
  /** By signature: a plan made again does not ask the endpoint again. */
  private readonly named = new Map<string, Promise<Named>>();
  private endpointDown = false;

  constructor(
    private readonly lib: AutoAlbumsLibrary,
    private readonly client: AlbumNamingClient | null,
    private readonly snapshot: Snapshot,
  ) {}

  name(cluster: PlannedCluster): Promise<Named> {
    let named = this.named.get(cluster.signature);
    if (!named) {
      named = this.compute(cluster);
      this.named.set(cluster.signature, named);
    }
    return named;
  }

  /**
   * The place an album is named after: the dominant city when there is one, else state, else country; it must
   * be where at least MIN_TAG_SHARE of the album's photos were taken (one geotagged photo of twenty says little).
   */
  placeOf(members: readonly string[]): { place: string | null; perPhoto: (string | null)[] } {
    const photos = members.map((id) => this.snapshot.byId.get(id));
    for (const level of ['city', 'state', 'country'] as const) {
      const values = photos.map((photo) => photo?.[level] ?? null);
      const place = dominantPlace(values);
      if (place === null) continue;
      const count = values.filter((v) => v?.replace(/\s+/g, ' ').trim() === place).length;
      if (count >= members.length * MIN_TAG_SHARE) return { place, perPhoto: values };
    }
    return { place: null, perPhoto: members.map(() => null) };
  }

  private async compute(cluster: PlannedCluster): Promise<Named> {
    await this.loadTags(cluster.members);
    const tags = cluster.members.map((id) => this.tagsOf.get(id) ?? []);
    const library = await (this.libraryTags ??= this.loadLibraryTags());
    const { place, perPhoto } = this.placeOf(cluster.members);
    const fallback = (): Named => ({
      name: fallbackAlbumName({ tags, start: cluster.start, end: cluster.end, places: perPhoto, ...library }),
      source: 'fallback',
    });
    if (!this.client || this.endpointDown) return fallback();
    const captions = await this.captionsOf(cluster.representatives);
    // Captions composed from tags say nothing the fallback does not read itself.
    if (captions.length === 0) return fallback();
    try {
      const name = await nameAlbumWithProvider(this.client, captions, {
        photoCount: cluster.members.length,
        dateSpan: formatDateSpan(cluster.start, cluster.end),
        place,
        tags: characteristicTags(tags, library),
      });
      return { name, source: 'provider' };
    } catch (error) {
      // An endpoint that is down, refuses the key or times out would do so for every album: not asked again
      // this run. A reply that did not validate is about this album only.
      if (error instanceof CaptionError && ENDPOINT_FAILURES.has(error.code)) this.endpointDown = true;
      this.lib.logger.warn(
        { err: error, photos: cluster.members.length, representatives: cluster.representatives, askingAgain: !this.endpointDown },
        'naming an automatic album through the caption endpoint failed: named from its tags, dates and places',
      );
      return fallback();
    }
  }

  /** Captions a caption model wrote for these photos, in their order (fallback captions left out). */
  private async captionsOf(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const found = await rows<{ photo_id: string; caption: string }>(
      this.lib.db,
      sql`select photo_id, caption from photo_captions where photo_id = any(${uuidArray(ids)}) and source <> 'fallback' and btrim(caption) <> ''`,
    );
    const byId = new Map(found.map((row) => [row.photo_id, row.caption]));
    return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  /** Zero-shot and caption tags of photos not read yet. */
  private async loadTags(members: readonly string[]): Promise<void> {
    const missing = members.filter((id) => !this.tagsOf.has(id));
    for (const id of missing) this.tagsOf.set(id, []);
    for (let i = 0; i < missing.length; i += BATCH) {
      const ids = uuidArray(missing.slice(i, i + BATCH));
      const found = await rows<{ photo_id: string; tag: string }>(
        this.lib.db,
        sql`select photo_id, tag from photo_tags where photo_id = any(${ids})
            union all
            select photo_id, unnest(tags) as tag from photo_captions where photo_id = any(${ids})`,
      );
      for (const row of found) this.tagsOf.get(row.photo_id)!.push(row.tag);
    }
  }

  /** How many of the owner's live photos carry each tag, and the tag → category mapping. */
  private async loadLibraryTags() {
    const owner = sql`${this.lib.ownerId}::uuid`;
    const [frequency, count, mapping] = await Promise.all([
      rows<{ tag: string; n: number }>(
        this.lib.db,
        sql`select tag, count(distinct photo_id)::int as n from (
              select pt.photo_id, lower(regexp_replace(btrim(pt.tag), '\\s+', ' ', 'g')) as tag
              from photo_tags pt join photos p on p.id = pt.photo_id
              where p.owner_id = ${owner} and p.deleted_at is null
              union all
              select c.photo_id, lower(regexp_replace(btrim(x), '\\s+', ' ', 'g'))
              from photo_captions c join photos p on p.id = c.photo_id, unnest(c.tags) x
              where p.owner_id = ${owner} and p.deleted_at is null
            ) t where tag <> '' group by tag`,
      ),
      rows<{ n: number }>(this.lib.db, sql`select count(*)::int as n from photos where owner_id = ${owner} and deleted_at is null`),
      rows<{ tag: string; name: string }>(
        this.lib.db,
        sql`select ct.tag, c.name from category_tags ct join categories c on c.id = ct.category_id
            where c.owner_id = ${owner} order by c.name, ct.tag`,
      ),
    ]);
    const tagCategories = new Map<string, string>();
    for (const row of mapping) {
      const tag = row.tag.trim().toLowerCase().replace(/\s+/g, ' ');
      if (!tagCategories.has(tag)) tagCategories.set(tag, row.name);
    }
    return {
      libraryTagFrequency: new Map(frequency.map((row) => [row.tag, row.n])),
      libraryPhotoCount: count[0]?.n ?? 0,
      tagCategories,
    };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Incremental: photos that finish their pipeline join the albums they fit

interface AssignmentState {
  stamp: string;
  model: string | null;
  minSimilarity: number;
  timeGapDays: number | null;
  clusters: ExistingCluster[];
}

/** Per database and owner: the active automatic albums' centroids, with the stamp they were read at. */
const assignmentCache = new WeakMap<Db, Map<string, AssignmentState>>();

function forgetAssignmentCache(db: Db, ownerId: string): void {
  assignmentCache.get(db)?.delete(ownerId);
}

/**
 * Which active automatic albums there are and when the library last regenerated them: cheap (one indexed query),
 * and it moves whenever the centroids could have (a regeneration here or on another server, a keep, a dismissal).
 */
async function assignmentStamp(db: Db, ownerId: string): Promise<string> {
  const [row] = await rows<{ stamp: string }>(
    db,
    sql`select coalesce(md5(string_agg(a.id::text, ',' order by a.id)), '') || '|' ||
          coalesce((select updated_at::text from library_meta where key = ${metaKey(ownerId)}), '') as stamp
        from albums a where a.owner_id = ${ownerId}::uuid and a.kind = 'auto' and a.status = 'active'`,
  );
  return row?.stamp ?? '';
}

async function assignmentState(db: Db, ownerId: string): Promise<AssignmentState> {
  const stamp = await assignmentStamp(db, ownerId);
  const cached = assignmentCache.get(db)?.get(ownerId);
  if (cached && cached.stamp === stamp) return cached;
  const [meta] = await rows<{ value: Partial<RegenerateParams & { model: string }> }>(
    db,
    sql`select value from library_meta where key = ${metaKey(ownerId)}`,
  );
  const timeGapDays = meta?.value.timeGapDays ?? null;
  const found = await rows<{ id: string; centroid: string; start_ms: number | null; end_ms: number | null }>(
    db,
    timeGapDays === null
      ? sql`select a.id, array_to_string(a.centroid, ',') as centroid, null::float8 as start_ms, null::float8 as end_ms
            from albums a where a.owner_id = ${ownerId}::uuid and a.kind = 'auto' and a.status = 'active' and a.centroid is not null`
      : sql`select a.id, array_to_string(a.centroid, ',') as centroid,
              (select (extract(epoch from min(p.taken_at)) * 1000)::float8 from album_photos ap join photos p on p.id = ap.photo_id where ap.album_id = a.id and p.deleted_at is null) as start_ms,
              (select (extract(epoch from max(p.taken_at)) * 1000)::float8 from album_photos ap join photos p on p.id = ap.photo_id where ap.album_id = a.id and p.deleted_at is null) as end_ms
            from albums a where a.owner_id = ${ownerId}::uuid and a.kind = 'auto' and a.status = 'active' and a.centroid is not null`,
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
            and exists (select 1 from albums a where a.owner_id = p.owner_id and a.kind = 'auto' and a.status = 'active')`,
    );
    const byOwner = new Map<string, typeof candidates>();
    for (const row of candidates) byOwner.set(row.owner_id, [...(byOwner.get(row.owner_id) ?? []), row]);
    for (const [ownerId, owned] of byOwner) {
      const state = await assignmentState(ctx.db, ownerId);
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

/** Code-unit order, as auto-clustering.ts sorts ids. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
