import { eq, notInArray } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import { DEFAULT_OWNER_NAME, openDatabase, type Database, type Db } from '../db/connection.js';
import { photos, photoSteps, users } from '../db/schema.js';
import { closeRawExtractor, stopDecoderWorkers } from '../media/decode.js';
import { closeMetadataReader } from '../media/metadata.js';
import { LocalQueue, type PhotoQueue } from '../pipeline/queue.js';
import { processPhoto } from '../pipeline/runner.js';
import { TERMINAL_STATES } from '../pipeline/state.js';
import { PIPELINE_STEPS } from '../pipeline/steps/index.js';
import { LocalStorage } from '../storage/local.js';

/** An open library: the database, the files, the queue, and whose photos we are looking at. */
export interface Library {
  settings: Settings;
  database: Database;
  db: Db;
  storage: LocalStorage;
  queue: PhotoQueue;
  logger: Logger;
  ownerId: string;
  /** Starts the pipeline workers and re-queues everything a crash or stop left unfinished. */
  startPipeline(): Promise<void>;
  close(): Promise<void>;
}

export async function openLibrary(settings: Settings, logger: Logger): Promise<Library> {
  const database = await openDatabase(settings.databaseUrl ? { url: settings.databaseUrl, poolSize: settings.databasePoolSize } : { dataDir: settings.dataDir });
  const { db } = database;
  const [owner] = await db.select({ id: users.id }).from(users).where(eq(users.name, DEFAULT_OWNER_NAME));
  if (!owner) throw new Error('the default owner is missing from the database');
  const storage = new LocalStorage(settings.dataDir);
  // Uploads cut short by a crash leave temp files. Only the embedded mode owns its folder alone; a shared
  // folder in cluster mode may hold other servers' uploads in flight.
  if (database.kind === 'embedded') await storage.sweepTemp();
  const queue = new LocalQueue(settings.concurrency, (photoId, error) =>
    logger.error({ photoId, err: error }, 'pipeline job crashed'),
  );
  let pipelineStarted = false;

  const lib: Library = {
    settings,
    database,
    db,
    storage,
    queue,
    logger,
    ownerId: owner.id,
    async startPipeline() {
      if (pipelineStarted) return;
      pipelineStarted = true;
      const resumed = await resumeUnfinished(db, queue);
      if (resumed > 0) logger.info({ photos: resumed }, 'resuming unfinished photos');
      queue.start((photoId) => processPhoto({ db, storage, steps: PIPELINE_STEPS, logger }, photoId));
    },
    async close() {
      await queue.close();
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
async function resumeUnfinished(db: Db, queue: PhotoQueue): Promise<number> {
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
