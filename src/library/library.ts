import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics.js';
import type { Settings } from '../config/settings.js';
import type { Database, Db } from '../db/connection.js';
import type { ImageProviders } from '../ml/images/index.js';
import type { ModelInstalls } from '../ml/model-installs.js';
import type { MlServices } from '../ml/services.js';
import type { LaneName } from '../model/lanes.js';
import type { StepsLeftOut } from '../model/photo-state.js';
import type { PhotoQueue } from '../queue/photo-queue.js';
import type { StorageLocations } from '../storage/locations.js';
import type { Scratch } from '../storage/scratch.js';
import type { Actor, Role, Scope } from '../auth/actor.js';

/** An open library's process resources: the database, the files, the queue, the models. No user: see library/actors.ts. */

export interface Resources {
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
  inPlaceScans: PhotoQueue;
  /** The configured image generators (SHOEBOX_IMAGE_*). */
  images: ImageProviders;
  ml: MlServices;
  /** Model downloads this server runs (Settings → Models, SHOEBOX_MODELS_INSTALL). */
  models: ModelInstalls;
  logger: Logger;
  /** This process's Prometheus metrics (GET /metrics). */
  metrics: Metrics;
  /**
   * The steps this library goes without now, with why (the catalogue while the creation tools are off: wired by
   * app/open.ts from library/create/switch.ts, which the core may not import). Its new items get no row for them,
   * and no page, count, retry or reprocess names them.
   */
  stepsLeftOut(): Promise<StepsLeftOut>;
  /** Starts the pipeline workers and re-queues everything a crash or stop left unfinished. */
  /**
   * `lanes`: the pipeline lanes this process takes (default all); `generation`: whether it runs generation jobs too
   * (default: when it takes every lane; a worker given only some steps, a GPU box for the model steps, does not).
   */
  startPipeline(options?: { lanes?: readonly LaneName[]; generation?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** Who acts in a view of the library (library/actors.ts makes them). */
export type Acting =
  /** A signed-in user (session) or script (API key) in their own library, with what the role or key allows. */
  | { kind: 'user'; userId: string; role: Role; scopes: ReadonlySet<Scope>; via: Actor['via'] }
  /** An admin working in another user's library (moving their photos, deleting their account, a library for them). */
  | { kind: 'admin'; adminId: string; userId: string }
  /** A share link's visitor: what the link shows of its owner's library, read-only but for its upload allowance. */
  | { kind: 'link'; linkId: string }
  /** Background work for a user's library, named (`memories`, `trash expiry`, `library scan`, `command line`). */
  | { kind: 'system'; work: string };

/**
 * The library as one user's rows are reached: what the library's operations take, made only by library/actors.ts.
 * Routes make one per request for the signed-in actor; a share link's routes for its visitor; background work and the
 * CLI for the system, named (`forSystem(context, owner, 'memories')`).
 */
export interface Library extends Resources {
  /** The user whose rows this view reaches. */
  ownerId: string;
  /** Who acts: that user, an admin in their library, a link's visitor, or named background work. */
  acting: Acting;
  /** The key of caches of this owner's view (one object per library and owner, whoever acts). */
  ownerCache: object;
}
