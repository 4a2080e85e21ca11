// Opening a library: the process's resources (database, storage, queue, models) wired together, and the
// pipeline's worker started on request. The one place that knows both the library and the pipeline runner.
import path from 'node:path';
import { and, eq, isNull, lte, notInArray, or } from 'drizzle-orm';
import { libraryOwnerId } from '../auth/users.js';
import { asOwner } from '../library/owner.js';
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import { openDatabase, type Database, type Db } from '../db/connection.js';
import { prewarmSemanticSearch } from '../db/prewarm.js';
import { photos, photoSteps } from '../db/schema.js';
import { closeRawExtractor, stopDecoderWorkers } from '../media/decode.js';
import { closeMetadataReader } from '../media/metadata.js';
import { MlServices } from '../ml/services.js';
import { reconcileSteps } from '../pipeline/reconcile.js';
import { BullLaneQueue } from '../pipeline/bull-lane-queue.js';
import { LaneQueue } from '../pipeline/lane-queue.js';
import type { PhotoQueue } from '../queue/photo-queue.js';
import type { Library, LibraryContext } from '../library/library.js';
import { laneConcurrency } from '../pipeline/lane-settings.js';
import { routePhoto, runLane, STEP_LEASE_MS } from '../pipeline/runner.js';
import { STEP_NAMES, TERMINAL_STATES, type StepName } from '../pipeline/state.js';
import { currentStepVersion } from '../pipeline/step.js';
import { PIPELINE_STEPS } from '../pipeline/steps/index.js';
import type { BlobStore } from '../storage/blob-store.js';
import { LocalBlobStore } from '../storage/local.js';
import { Scratch } from '../storage/scratch.js';
import { seedCategories } from '../library/categories.js';
import { ensureSearchDocuments } from '../search/documents.js';

/** Opens the library and acts as its owner: the first active admin (the pre-accounts `local` owner before set-up). */
export async function openLibraryAsOwner(settings: Settings, logger: Logger): Promise<Library> {
  const context = await openLibrary(settings, logger);
  try {
    return asOwner(context, await libraryOwnerId(context.db));
  } catch (error) {
    await context.close();
    throw error;
  }
}

export async function openLibrary(settings: Settings, logger: Logger): Promise<LibraryContext> {
  const database = await openDatabase(
    settings.databaseUrl ? { url: settings.databaseUrl, poolSize: settings.databasePoolSize } : { dataDir: settings.dataDir },
  );
  const { db } = database;
  const scratch = new Scratch(path.join(settings.dataDir, 'tmp'));
  const storage: BlobStore = new LocalBlobStore(settings.dataDir, scratch);
  // Uploads cut short by a crash leave temp files. Only the embedded mode owns its folder alone; a shared
  // folder in cluster mode may hold other servers' uploads in flight.
  if (database.kind === 'embedded') await scratch.sweep();
  await seedCategories(db);
  const indexed = await ensureSearchDocuments(db);
  if (indexed > 0) logger.info({ photos: indexed }, 'search rows built');
  const ml = new MlServices(settings.dataDir, settings.ml, logger);
  const crashed = (photoId: string, error: unknown, lane: string) => logger.error({ photoId, lane, err: error }, 'pipeline job crashed');
  const queue = settings.redisUrl ? new BullLaneQueue(settings.redisUrl, laneConcurrency(settings), crashed) : new LaneQueue(laneConcurrency(settings), crashed);
  let pipelineStarted = false;
  const prewarm = database.kind === 'embedded' ? prewarmSemanticSearch(database) : null;
  prewarm?.done.then(
    ({ pages, ms }) => pages > 0 && logger.debug({ pages, ms }, 'semantic search pages read into the database cache'),
    (error: unknown) => logger.warn({ err: error }, 'could not read the semantic search pages into the database cache'),
  );

  const lib: LibraryContext = {
    settings,
    database,
    db,
    storage,
    scratch,
    queue,
    ml,
    logger,
    async startPipeline(options = {}) {
      if (pipelineStarted) return;
      pipelineStarted = true;
      const versions = Object.fromEntries(
        await Promise.all(STEP_NAMES.map(async (name) => [name, await currentStepVersion(PIPELINE_STEPS[name], ml)] as const)),
      ) as Record<StepName, string>;
      const reopened = await reconcileSteps(db, versions);
      if (reopened > 0) logger.info({ photos: reopened }, 'photos with steps to (re)do for new steps or models');
      const resumed = await resumeUnfinished(db, queue, database.kind === 'embedded' ? 0 : STEP_LEASE_MS);
      if (resumed > 0) logger.info({ photos: resumed }, 'resuming unfinished photos');
      const deps = { db, storage, steps: PIPELINE_STEPS, ml, logger };
      queue.start({ route: (photoId) => routePhoto(deps, photoId), run: (photoId, lane) => runLane(deps, photoId, lane) }, options.lanes);
    },
    async close() {
      prewarm?.stop();
      await prewarm?.done.catch(() => undefined);
      await queue.close();
      await ml.close();
      await database.close();
      await Promise.all([closeMetadataReader(), stopDecoderWorkers(), closeRawExtractor()]);
    },
  };
  return lib;
}

/**
 * After a crash a step may be left `running`: it never finished, so it is pending again once its lease has run
 * out — at once in the embedded mode, whose lock makes this the only process; in a cluster only when it has not
 * been renewed for STEP_LEASE_MS (the runner renews a running step's lease while it works), so that a server
 * starting does not take steps another one is running. Every photo not in a terminal state goes back on the
 * queue, oldest first.
 */
async function resumeUnfinished(db: Db, queue: PhotoQueue, leaseMs: number): Promise<number> {
  const unfinished = await db
    .select({ id: photos.id })
    .from(photos)
    .where(notInArray(photos.state, [...TERMINAL_STATES]))
    .orderBy(photos.createdAt);
  if (unfinished.length === 0) return 0;
  const expired = new Date(Date.now() - leaseMs);
  await db
    .update(photoSteps)
    .set({ status: 'pending' })
    .where(and(eq(photoSteps.status, 'running'), or(isNull(photoSteps.startedAt), lte(photoSteps.startedAt, expired))));
  const ids = unfinished.map((p) => p.id);
  for (const id of ids) await queue.add(id);
  return ids.length;
}
