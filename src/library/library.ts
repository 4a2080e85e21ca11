import { eq, notInArray } from 'drizzle-orm';
import { libraryOwnerId } from '../auth/users.js';
import { asOwner } from './owner.js';
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import { openDatabase, type Database, type Db } from '../db/connection.js';
import { prewarmSemanticSearch } from '../db/prewarm.js';
import { photos, photoSteps } from '../db/schema.js';
import { closeRawExtractor, stopDecoderWorkers } from '../media/decode.js';
import { closeMetadataReader } from '../media/metadata.js';
import { MlServices } from '../ml/services.js';
import { reconcileSteps } from '../pipeline/reconcile.js';
import { LaneQueue } from '../pipeline/lane-queue.js';
import { laneConcurrency } from '../pipeline/lane-settings.js';
import { routePhoto, runLane } from '../pipeline/runner.js';
import { STEP_NAMES, TERMINAL_STATES, type StepName } from '../pipeline/state.js';
import { currentStepVersion } from '../pipeline/step.js';
import { PIPELINE_STEPS } from '../pipeline/steps/index.js';
import { LocalStorage } from '../storage/local.js';
import { seedCategories } from './categories.js';
import { ensureSearchDocuments } from '../search/documents.js';

/** An open library's process resources: the database, the files, the queue, the models. No user: see `asOwner`. */
export interface LibraryContext {
  settings: Settings;
  database: Database;
  db: Db;
  storage: LocalStorage;
  queue: LaneQueue;
  ml: MlServices;
  logger: Logger;
  /** Starts the pipeline workers and re-queues everything a crash or stop left unfinished. */
  startPipeline(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The library as one user sees it: what the library's operations take. Routes make one per request from the
 * signed-in actor; the CLI on the library folder acts as the library's owner (`openLibraryAsOwner`).
 */
export interface Library extends LibraryContext {
  ownerId: string;
}

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
  const database = await openDatabase(settings.databaseUrl ? { url: settings.databaseUrl, poolSize: settings.databasePoolSize } : { dataDir: settings.dataDir });
  const { db } = database;
  const storage = new LocalStorage(settings.dataDir);
  // Uploads cut short by a crash leave temp files. Only the embedded mode owns its folder alone; a shared
  // folder in cluster mode may hold other servers' uploads in flight.
  if (database.kind === 'embedded') await storage.sweepTemp();
  await seedCategories(db);
  const indexed = await ensureSearchDocuments(db);
  if (indexed > 0) logger.info({ photos: indexed }, 'search rows built');
  const ml = new MlServices(settings.dataDir, settings.ml, logger);
  const queue = new LaneQueue(laneConcurrency(settings), (photoId, error, lane) =>
    logger.error({ photoId, lane, err: error }, 'pipeline job crashed'),
  );
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
    queue,
    ml,
    logger,
    async startPipeline() {
      if (pipelineStarted) return;
      pipelineStarted = true;
      const versions = Object.fromEntries(
        await Promise.all(STEP_NAMES.map(async (name) => [name, await currentStepVersion(PIPELINE_STEPS[name], ml)] as const)),
      ) as Record<StepName, string>;
      const reopened = await reconcileSteps(db, versions);
      if (reopened > 0) logger.info({ photos: reopened }, 'photos with steps to (re)do for new steps or models');
      const resumed = await resumeUnfinished(db, queue);
      if (resumed > 0) logger.info({ photos: resumed }, 'resuming unfinished photos');
      const deps = { db, storage, steps: PIPELINE_STEPS, ml, logger };
      queue.start({ route: (photoId) => routePhoto(deps, photoId), run: (photoId, lane) => runLane(deps, photoId, lane) });
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
 * After a crash a step may be left `running`: it never finished, so it is pending again. Every photo that is
 * not in a terminal state goes back on the queue, oldest first.
 */
async function resumeUnfinished(db: Db, queue: LaneQueue): Promise<number> {
  const unfinished = await db
    .select({ id: photos.id })
    .from(photos)
    .where(notInArray(photos.state, [...TERMINAL_STATES]))
    .orderBy(photos.createdAt);
  if (unfinished.length === 0) return 0;
  // Embedded mode has one process, so anything still `running` was cut short.
  await db.update(photoSteps).set({ status: 'pending' }).where(eq(photoSteps.status, 'running'));
  const ids = unfinished.map((p) => p.id);
  for (const id of ids) await queue.add(id);
  return ids.length;
}
