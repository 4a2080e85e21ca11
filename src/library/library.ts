import type { Metrics } from '../metrics/metrics.js';
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import type { Database, Db } from '../db/connection.js';
import type { ImageProviders } from '../ml/images/index.js';
import type { ModelInstalls } from '../ml/model-installs.js';
import type { MlServices } from '../ml/services.js';
import type { LaneName } from '../model/lanes.js';
import type { PhotoQueue } from '../queue/photo-queue.js';
import type { StorageLocations } from '../storage/locations.js';
import type { Scratch } from '../storage/scratch.js';

/** An open library's process resources: the database, the files, the queue, the models. No user: see `asOwner`. */

export interface LibraryContext {
  settings: Settings;
  database: Database;
  db: Db;
  /** Where files are: `storage.at(photo.storageLocation)`. */
  storage: StorageLocations;
  /** This process's working files (uploads in flight). */
  scratch: Scratch;
  queue: PhotoQueue;
  /** Generation jobs by id (library/create): the API queues them, the worker runs them. */
  generationQueue: PhotoQueue;
  /** Libraries in place to scan, by id (library/in-place/): a scan asked for while one runs runs once more after it. */
  libraryScans: PhotoQueue;
  /** The configured image generators (SHOEBOX_IMAGE_*). */
  images: ImageProviders;
  ml: MlServices;
  /** Model downloads this server runs (Settings → Models, SHOEBOX_MODELS_INSTALL). */
  models: ModelInstalls;
  logger: Logger;
  /** This process's Prometheus metrics (GET /metrics). */
  metrics: Metrics;
  /** Starts the pipeline workers and re-queues everything a crash or stop left unfinished. */
  /**
   * `lanes`: the pipeline lanes this process takes (default all); `generation`: whether it runs generation jobs too
   * (default: when it takes every lane; a worker given only some steps, a GPU box for the model steps, does not).
   */
  startPipeline(options?: { lanes?: readonly LaneName[]; generation?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/**
 * The library as one user sees it: what the library's operations take. Routes make one per request from the
 * signed-in actor; the CLI on the library folder acts as the library's owner (`openLibraryAsOwner`, src/app/open.ts).
 */
export interface Library extends LibraryContext {
  ownerId: string;
}
