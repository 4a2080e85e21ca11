// Opening a library: the process's resources (database, storage, queue, models) wired together, and the
// pipeline's worker started on request. The one place that knows both the library and the pipeline runner.
import path from 'node:path';
import { notInArray, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { Metrics } from '../metrics/metrics.js';
import { libraryOwnerId } from '../auth/users.js';
import { forSystem } from '../library/actors.js';
import type { Settings } from '../config/settings.js';
import { openDatabase, rows, type Db } from '../db/connection.js';
import { prewarmSemanticSearch } from '../db/prewarm.js';
import { photos } from '../db/schema.js';
import { closeRawExtractor } from '../media/decoders/raw.js';
import { stopDecoderWorkers } from '../media/decoders/wasm-worker.js';
import { closeMetadataReader } from '../media/exiftool-reader.js';
import { configureVideoTools } from '../media/video/tools.js';
import { MlServices } from '../ml/services.js';
import { reconcileSteps } from '../pipeline/reconcile.js';
import { LaneQueue } from '../pipeline/lane-queue.js';
import type { PhotoQueue } from '../queue/photo-queue.js';
import type { Library, Resources } from '../library/library.js';
import { laneConcurrency } from '../pipeline/lane-settings.js';
import { itemPlacement, routePhoto, runLane } from '../pipeline/runner.js';
import { LocalSchedule, type PeriodicTask } from '../queue/local-schedule.js';
import { MEMORIES_EVERY_MS, refreshMemories, serverToday } from '../library/memories/index.js';
import type { ClusterSchedule } from '../queue/periodic.js';
import { purgeExpiredTrash, TRASH_PURGE_INTERVAL_MS } from '../library/trash/index.js';
import { chooseUnchosenGroups } from '../library/duplicates/index.js';
import { scheduledBackup } from './backups.js';
import { adoptArrivedClip, followClipChoice } from './clip-choice.js';
import { currentStepVersions, stepsForNewModel } from './model-arrived.js';
import { ModelInstalls } from '../ml/model-installs.js';
import { isInstalled } from '../ml/registry.js';
import { generationQueue, queueOpenGenerations } from './generation.js';
import { loadRedisEngines } from './redis-engines.js';
import { inPlaceScanQueue, inPlaceTasks, queueInPlaceScans, startInPlaceScans, type InPlaceWatchers } from './in-place-scans.js';
import { ImageProviders } from '../ml/images/index.js';
import { runGenerationJob, Slots, stepsLeftOut } from '../library/create/index.js';
import { recoverDeadWorkers, recoverExpiredLeases, resetExpiredLeases, retryDueSteps } from './lease-recovery.js';
import { WorkerHeartbeat } from '../pipeline/heartbeat.js';
import { STEP_NAMES, TERMINAL_STATES } from '../model/photo-state.js';
import { PIPELINE_STEPS } from '../pipeline/steps/index.js';
import { openStorageLocations, type StorageLocations } from '../storage/locations.js';
import { Scratch } from '../storage/scratch.js';
import { sweepTempFolders } from '../base/process-folders.js';
import { inPlaceLookup } from '../library/write-back/index.js';
import { seedCategories } from '../library/categories/index.js';
import { ensureSearchDocuments } from '../search/documents.js';

/** Opens the library and acts as its owner: the first active admin (the pre-accounts `local` owner before set-up). */
export async function openLibraryAsOwner(settings: Settings, logger: Logger): Promise<Library> {
  const context = await openLibrary(settings, logger);
  try {
    return forSystem(context, await libraryOwnerId(context.db), 'command line');
  } catch (error) {
    await context.close();
    throw error;
  }
}

export async function openLibrary(settings: Settings, logger: Logger): Promise<Resources> {
  const database = await openDatabase(
    settings.databaseUrl ? { url: settings.databaseUrl, poolSize: settings.databasePoolSize } : { dataDir: settings.dataDir },
  );
  const { db } = database;
  const scratch = new Scratch(path.join(settings.dataDir, 'tmp'));
  let storage: StorageLocations;
  try {
    storage = await openStorageLocations(settings, settings.dataDir, scratch);
  } catch (error) {
    await database.close();
    throw error;
  }
  // files of libraries in place are read only as their scan recorded them (storage/in-place.ts)
  storage.guardInPlace({ lookup: inPlaceLookup({ settings, db }), lendDir: scratch.dir });
  await warnOfMissingLocations(db, storage, logger);
  // what a crash left (uploads cut short, temporary folders): only this host's processes that are gone, and in the
  // embedded mode, which owns its data folder alone, whatever else lies in its scratch folder
  const swept = (await scratch.sweep({ alone: database.kind === 'embedded' })) + (await sweepTempFolders()).length;
  if (swept > 0) logger.info({ entries: swept }, 'temporary files of stopped processes removed');
  await seedCategories(db);
  const indexed = await ensureSearchDocuments(db);
  if (indexed > 0) logger.info({ photos: indexed }, 'search rows built');
  const ml = new MlServices(settings.dataDir, settings.ml, logger);
  configureVideoTools(settings.video);
  const crashed = (photoId: string, error: unknown, lane: string) => logger.error({ photoId, lane, err: error }, 'pipeline job crashed');
  const redis = settings.redisUrl ? await loadRedisEngines(settings.redisUrl) : null;
  const queue = redis
    ? new redis.BullLaneQueue(redis.url, laneConcurrency(settings), crashed, settings.workerHeartbeatSeconds * 1000)
    : new LaneQueue(laneConcurrency(settings), crashed);
  const generations = generationQueue(settings, logger, redis);
  const inPlaceScans = inPlaceScanQueue(settings, logger, redis, db);
  let watchers: InPlaceWatchers | null = null;
  const images = new ImageProviders(settings.images, settings.maxUploadBytes);
  const closing = new AbortController();
  const metrics = new Metrics({
    queue,
    pool: database.poolUse,
    openSteps: async () =>
      rows<{ step: string; status: string; count: number }>(
        db,
        // one index range per step and status (photo_steps_step_status_idx), not a scan of every step of the library
        sql`select s.step, st.status, (select count(*)::int from photo_steps p where p.step = s.step and p.status = st.status) as count
            from unnest(${sql.raw(`array[${STEP_NAMES.map((name) => `'${name}'`).join(',')}]`)}) s(step), unnest(array['pending', 'running', 'failed']) st(status)`,
      ),
  });
  let pipelineStarted = false;
  let schedule: ClusterSchedule | LocalSchedule | null = null;
  let reconnect: { close(): Promise<void> } | null = null;
  let heartbeat: WorkerHeartbeat | null = null;
  const prewarm = database.kind === 'embedded' ? prewarmSemanticSearch(database) : null;
  prewarm?.done.then(
    ({ pages, ms }) => pages > 0 && logger.debug({ pages, ms }, 'semantic search pages read into the database cache'),
    (error: unknown) => logger.warn({ err: error }, 'could not read the semantic search pages into the database cache'),
  );

  // the steps this library goes without (the catalogue without the creation tools): the core is told, not importing create/
  const leftOut = () => stepsLeftOut(db);
  // a model installed here lets the steps skipped for want of it run here (a worker on another machine needs it
  // installed in its own data folder: `shoebox models pull`)
  const models = new ModelInstalls(
    settings.dataDir,
    { endpoint: settings.ml.hubEndpoint ?? undefined, redirectHosts: settings.ml.hubRedirectHosts },
    logger,
    async (name) => {
      await adoptArrivedClip({ db, ml, queue, logger, settings, stepsLeftOut: leftOut }, name);
      await stepsForNewModel({ db, ml, queue, logger, stepsLeftOut: leftOut });
    },
  );
  // an admin's choice of CLIP model (Settings → Models), the same in every process
  const clipChoice = await followClipChoice({ db, ml, queue, logger, settings, stepsLeftOut: leftOut });
  const lib: Resources = {
    settings,
    database,
    db,
    storage,
    scratch,
    queue,
    generationQueue: generations,
    inPlaceScans,
    images,
    ml,
    models,
    logger,
    metrics,
    stepsLeftOut: leftOut,
    async startPipeline(options = {}) {
      if (pipelineStarted) return;
      pipelineStarted = true;
      const reopened = await reconcileSteps(db, await currentStepVersions(ml), await leftOut());
      if (reopened > 0) logger.info({ photos: reopened }, 'photos with steps to (re)do for new steps or models');
      const chosen = await chooseUnchosenGroups(db);
      if (chosen > 0) logger.info({ groups: chosen }, 'duplicate groups chose their keeper again under the current rules');
      const leaseMs = settings.stepLeaseSeconds * 1000;
      const resumed = await resumeUnfinished(db, queue, database.kind === 'embedded' ? 0 : leaseMs);
      if (resumed > 0) logger.info({ photos: resumed }, 'resuming unfinished photos');
      const retryBaseMs = settings.stepRetrySeconds * 1000;
      // beating before the first step names it, so that no live worker's step looks orphaned
      heartbeat = new WorkerHeartbeat(db, settings.workerHeartbeatSeconds * 1000, logger);
      await heartbeat.start();
      const deps = {
        db,
        storage,
        steps: PIPELINE_STEPS,
        ml,
        logger,
        leaseMs,
        retryBaseMs,
        metrics,
        workerId: heartbeat.id,
        video: settings.video,
        queue,
        closing: closing.signal,
      };
      const tasks = periodicTasks(lib, leaseMs, retryBaseMs);
      const onError = (task: string, error: unknown) => logger.error({ task, err: error }, 'periodic task failed');
      if (redis) {
        const cluster = await redis.ClusterSchedule.start(redis.url, tasks, onError);
        schedule = cluster;
        // Redis restarted or wiped: its schedules and waiting jobs are put back from the database
        reconnect = redis.onRedisReconnect(
          redis.url,
          async () => {
            await cluster.upsert();
            const queued = await resumeUnfinished(db, queue, leaseMs);
            const jobs = await queueOpenGenerations(db, generations, leaseMs);
            await queueInPlaceScans(lib, 'open');
            logger.warn({ photos: queued, generationJobs: jobs }, 'Redis is back: unfinished photos and generation jobs queued again');
          },
          (error) => logger.error({ err: error }, 'queuing unfinished photos again after Redis came back failed'),
        );
      } else {
        schedule = new LocalSchedule(tasks, onError);
      }
      queue.start(
        { route: (photoId) => routePhoto(deps, photoId), run: (photoId, lane, giveWay) => runLane(deps, photoId, lane, giveWay), placement: itemPlacement(db) },
        options.lanes,
      );
      // a worker given only some steps (a GPU box for the model steps) leaves generation to the others
      if (options.generation ?? !options.lanes) {
        const runner = { context: lib, slots: new Slots(settings.images.concurrency), leaseMs, closing: closing.signal };
        generations.start((jobId) => runGenerationJob(runner, jobId));
        const open = await queueOpenGenerations(db, generations, database.kind === 'embedded' ? 0 : leaseMs);
        if (open > 0) logger.info({ jobs: open }, 'resuming generation jobs');
        // scans and watchers of libraries in place run where everything runs (they need the folders' mount)
        watchers = await startInPlaceScans(lib);
        await installAsked(lib);
      }
    },
    async close() {
      closing.abort();
      clipChoice.stop();
      await models.close(); // before the queue: a download ending now queues its photos
      await reconnect?.close();
      await schedule?.close();
      prewarm?.stop();
      await prewarm?.done.catch(() => undefined);
      await watchers?.close();
      await queue.close();
      await generations.close();
      await inPlaceScans.close();
      await heartbeat?.stop(); // after its steps finished: none is taken from it while it still runs them
      await ml.close();
      await storage.close();
      await database.close();
      await Promise.all([closeMetadataReader(), stopDecoderWorkers(), closeRawExtractor()]);
    },
  };
  return lib;
}

/** Unattended installs (SHOEBOX_MODELS_INSTALL): the named models not installed yet are downloaded in the background. */
async function installAsked(lib: Resources): Promise<void> {
  for (const name of lib.settings.ml.installModels) {
    try {
      if (!(await isInstalled(lib.settings.dataDir, name))) lib.models.start(name);
    } catch (error) {
      lib.logger.error({ model: name, err: error }, 'SHOEBOX_MODELS_INSTALL names a model that cannot be downloaded');
    }
  }
}

/**
 * After a crash a step may be left `running`: it never finished, so it is pending again once its lease has run
 * out — at once in the embedded mode, whose lock makes this the only process; in a cluster only when it has not
 * been renewed (the runner renews a running step's lease while it works), so that a process starting does not
 * take steps another one is running; those whose lease runs out later are taken by the periodic lease recovery.
 * Every photo not in a terminal state goes back on the queue, oldest first.
 */
async function resumeUnfinished(db: Db, queue: PhotoQueue, leaseMs: number): Promise<number> {
  await resetExpiredLeases(db, leaseMs); // their photos are unfinished: queued below with the rest
  const unfinished = await db
    .select({ id: photos.id })
    .from(photos)
    .where(notInArray(photos.state, [...TERMINAL_STATES]))
    .orderBy(photos.createdAt);
  for (const { id } of unfinished) await queue.add(id);
  return unfinished.length;
}

/**
 * The pipeline's periodic work: steps that failed for want of a service are tried again when their time comes;
 * in a cluster, steps whose runner died are taken again when their lease has run out, and photos whose time in
 * the trash is up are removed (embedded: `serve`'s timer). Run once per cluster by its workers (BullMQ job
 * schedulers), or on this process's timers.
 */
function periodicTasks(lib: Resources, leaseMs: number, retryBaseMs: number): PeriodicTask[] {
  const { logger } = lib;
  const retries: PeriodicTask = {
    name: 'step-retries',
    everyMs: Math.min(15_000, Math.max(500, Math.round(retryBaseMs / 4))),
    run: async () => {
      const queued = await retryDueSteps(lib.db, lib.queue);
      if (queued > 0) logger.info({ photos: queued }, 'steps that failed for want of a service are tried again');
    },
  };
  // generation jobs whose worker died (its lease ran out) or whose queue entry was lost
  const generations: PeriodicTask = {
    name: 'generation-recovery',
    everyMs: Math.max(1000, Math.round(leaseMs / 2)),
    run: async () => {
      const queued = await queueOpenGenerations(lib.db, lib.generationQueue, leaseMs);
      if (queued > 0) logger.debug({ jobs: queued }, 'open generation jobs queued again');
    },
  };
  const backups: PeriodicTask[] = lib.settings.backupDir
    ? [{ name: 'backup', everyMs: Math.round(lib.settings.backupEveryHours * 3_600_000), run: async () => void (await scheduledBackup(lib)) }]
    : [];
  const libraries = inPlaceTasks(lib);
  // each user's memories, once a day (for the server's date; the app asks for the user's own)
  const memories: PeriodicTask = {
    name: 'memories',
    everyMs: MEMORIES_EVERY_MS,
    run: async () => {
      const users = await refreshMemories(lib, serverToday());
      if (users > 0) logger.info({ users }, 'memories computed for the day');
    },
  };
  if (!lib.settings.redisUrl) return [retries, generations, memories, ...backups, ...libraries];
  return [
    retries,
    generations,
    memories,
    ...backups,
    ...libraries,
    {
      // a worker that stopped beating (SIGKILL, a lost machine): its steps are taken again within a few beats
      name: 'dead-workers',
      everyMs: Math.max(200, Math.round(lib.settings.workerHeartbeatSeconds * 1000)),
      run: async () => {
        const queued = await recoverDeadWorkers(lib.db, lib.queue, lib.settings.workerHeartbeatSeconds * 1000);
        if (queued > 0) logger.warn({ photos: queued }, 'steps of a worker whose heartbeat stopped are taken again');
      },
    },
    {
      name: 'lease-recovery',
      everyMs: Math.max(1000, Math.round(leaseMs / 2)),
      run: async () => {
        const queued = await recoverExpiredLeases(lib.db, lib.queue, leaseMs);
        if (queued > 0) logger.warn({ photos: queued }, 'steps whose runner stopped answering are taken again');
      },
    },
    ...(lib.settings.trashDays > 0
      ? [
          {
            name: 'trash-purge',
            everyMs: TRASH_PURGE_INTERVAL_MS,
            run: async () => {
              const removed = await purgeExpiredTrash(lib);
              if (removed > 0) logger.info({ photos: removed, days: lib.settings.trashDays }, 'expired photos removed from the trash');
            },
          },
        ]
      : []),
  ];
}

/**
 * Rows naming a storage location these settings lack: its photos cannot be read here (each read says why, and their
 * steps wait and retry), while everyone else's work on. Said once at the start, where the admin looks.
 */
async function warnOfMissingLocations(db: Db, storage: StorageLocations, logger: Logger): Promise<void> {
  const named = await rows<{ location: string }>(
    db,
    sql`select distinct storage_location as location from photos where storage_location is not null
        union select storage_location from users where storage_location is not null`,
  );
  const missing = named.map((row) => row.location).filter((location) => !storage.has(location));
  if (missing.length > 0) {
    logger.error({ missing }, `storage locations named in the library are not set up here (SHOEBOX_STORAGE_LOCATIONS): ${missing.join(', ')}`);
  }
}
