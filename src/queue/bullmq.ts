import { randomUUID } from 'node:crypto';
import { DelayedError, PRIORITY_LIMIT, Queue, Worker, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { FairTurns } from './fair-turns.js';
import type { AddOptions, PhotoQueue, QueueLoad } from './photo-queue.js';

export type PhotoHandler = (photoId: string) => Promise<void>;

/** BullMQ's connection for a redis:// URL: workers block on Redis, so commands wait out a restart instead of failing. */
export function redisConnection(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username || undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/** The key prefix of every Shoebox queue in Redis. */
export const QUEUE_PREFIX = 'shoebox';

/** How often idle() looks at the queue's counts. */
const IDLE_POLL_MS = 50;

/** Resolves once `depth` answers 0, asking every IDLE_POLL_MS (BullMQ has no event for a drained set of queues). */
export async function untilDrained(depth: () => Promise<number>): Promise<void> {
  while ((await depth()) > 0) await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
}

/** A job that met a retryable error runs again after 1 s, 2 s, 4 s… (about 34 min in all over 12 tries). */
const JOB_RETRIES = { attempts: 12, backoff: { type: 'exponential', delay: 1000 } } as const;

/** Redis scripts on a held group: renewed, or let go, only by the job that holds it (its token). */
const RENEW_IF_HELD = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_IF_HELD = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** What a job carries: the photo, how it was added (again so, when it is added again after its run), its turn's tag. */
interface JobData {
  photoId: string;
  background?: boolean;
  share?: string;
  tag?: number;
}

/**
 * A queue of photo ids on Redis (or Valkey) through BullMQ, shared by every server and worker of a cluster. The
 * job's id is the photo's, so a photo waiting is added once. A photo added again while a worker runs it is marked
 * in a Redis set and added once more when that run has finished (its steps may have been reset meanwhile); the
 * mark is cleared when a run starts, since that run reads the photo's latest state. The database stays the
 * truth: a job lost with Redis is found again by the lease-based resume (src/app/open.ts).
 */
export class BullPhotoQueue implements PhotoQueue {
  private readonly queue: Queue;
  private readonly redis: Redis;
  private readonly againKey: string;
  private readonly turns: FairTurns;
  private worker: Worker | null = null;
  private closed = false;

  constructor(
    readonly name: string,
    private readonly redisUrl: string,
    private readonly options: {
      concurrency: number;
      onError?: (photoId: string, error: unknown) => void;
      /**
       * How long a job may go without its worker renewing its lock before another worker takes it (a worker that
       * died): the pipeline's step lease, so that the queue and the database give up on a dead worker together.
       */
      leaseMs?: number;
      /**
       * How often the queue looks for jobs whose worker stopped renewing its lock (BullMQ's stalled-job check); by
       * default the lease. Short where the lock is short, so that a SIGKILLed worker's jobs come back within seconds.
       */
      stalledCheckMs?: number;
      /**
       * Errors worth running the job again for (the database or the object store unreachable): the job is retried
       * with a growing delay instead of being done with, so that a photo is not left with nothing queued for it.
       */
      retryable?: (error: unknown) => boolean;
      /**
       * At most one job of a group at once in the whole cluster (libraries in place: their owner). The group is held
       * in Redis while its job runs (renewed every third of the lease); a job whose group another runs waits in
       * BullMQ's delayed set and is tried again `retryMs` later, leaving its slot to other groups' jobs.
       */
      exclusive?: { groupOf(id: string): Promise<string | null>; retryMs: number };
    },
  ) {
    this.queue = new Queue(name, { connection: redisConnection(this.redisUrl), prefix: QUEUE_PREFIX });
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    // lost connections are retried by ioredis (commands wait); without listeners the errors would end the process
    this.redis.on('error', () => undefined);
    this.queue.on('error', () => undefined);
    this.againKey = `${QUEUE_PREFIX}:${name}:again`;
    const keys = this.queue.keys;
    this.turns = new FairTurns(
      this.redis,
      `${QUEUE_PREFIX}:${name}:fair:`,
      { prioritized: keys.prioritized!, delayed: keys.delayed!, active: keys.active!, job: (id) => this.queue.toKey(id) },
      PRIORITY_LIMIT,
    );
  }

  async add(photoId: string, options: AddOptions = {}): Promise<void> {
    if (this.closed) return;
    // marked first: if a run is under way, the photo is looked at once more when it ends
    await this.redis.sadd(this.againKey, photoId);
    const jobOptions = { jobId: photoId, removeOnComplete: true, removeOnFail: true, ...JOB_RETRIES };
    if (!options.background) {
      await this.queue.add('photo', { photoId } satisfies JobData, jobOptions);
      return;
    }
    // jobs without a priority are taken before any with one (BullMQ): a background photo waits for the others, in
    // its share's turn (fair-turns.ts)
    const turn = await this.turns.take(photoId, options.share ?? '');
    if (turn === null) return; // waiting already, or running (then added again when it ends: `again`)
    const data: JobData = { photoId, background: true, tag: turn.tag, ...(options.share ? { share: options.share } : {}) };
    const job = await this.queue.add('photo', data, { ...jobOptions, priority: turn.priority });
    const priority = await this.turns.priorityIfRebased(turn);
    if (priority !== null) await job.changePriority({ priority }).catch(() => undefined); // gone meanwhile: run already
  }

  /** Consumes the queue: at most `concurrency` photos at once in this process. */
  start(handler: PhotoHandler): void {
    if (this.worker) return;
    this.worker = new Worker(
      this.name,
      async (job, token) => {
        const { photoId, tag } = job.data as JobData;
        const held = await this.holdGroup(photoId);
        if (held === 'taken') {
          await job.moveToDelayed(Date.now() + this.options.exclusive!.retryMs, token);
          throw new DelayedError();
        }
        try {
          if (tag !== undefined) await this.turns.started(tag);
          await this.redis.srem(this.againKey, photoId);
          try {
            await handler(photoId);
          } catch (error) {
            if (this.options.retryable?.(error) && job.attemptsMade + 1 < JOB_RETRIES.attempts) throw error; // again after the backoff
            this.options.onError?.(photoId, error);
          }
        } finally {
          await held?.release();
        }
      },
      {
        connection: redisConnection(this.redisUrl),
        prefix: QUEUE_PREFIX,
        concurrency: this.options.concurrency,
        // a stalled job always goes back to waiting (never failed for stalling too often): the database says what is left
        ...(this.options.leaseMs
          ? { lockDuration: this.options.leaseMs, stalledInterval: this.options.stalledCheckMs ?? this.options.leaseMs, maxStalledCount: 1_000 }
          : {}),
      },
    );
    // after the job is gone from the queue (removeOnComplete), so that adding it again is not refused as a duplicate
    this.worker.on('completed', (job) => void this.runAgainIfAsked(job.data as JobData));
    this.worker.on('error', () => undefined); // a lost connection is retried by ioredis; nothing to do here
  }

  /** The job's group held for it (exclusive), 'taken' when another job of the group runs, null when it has none. */
  private async holdGroup(id: string): Promise<{ release(): Promise<void> } | 'taken' | null> {
    const group = this.options.exclusive ? await this.options.exclusive.groupOf(id) : null;
    if (group === null) return null;
    const key = `${QUEUE_PREFIX}:${this.name}:group:${group}`;
    const token = randomUUID();
    const leaseMs = this.options.leaseMs ?? 30_000;
    if ((await this.redis.set(key, token, 'PX', leaseMs, 'NX')) !== 'OK') return 'taken';
    const renew = setInterval(() => void this.redis.eval(RENEW_IF_HELD, 1, key, token, leaseMs).catch(() => undefined), Math.max(1000, leaseMs / 3));
    renew.unref();
    return {
      release: async () => {
        clearInterval(renew);
        await this.redis.eval(RELEASE_IF_HELD, 1, key, token).catch(() => undefined); // else it lapses with its lease
      },
    };
  }

  private async runAgainIfAsked({ photoId, background, share }: JobData): Promise<void> {
    if (this.closed) return;
    if ((await this.redis.srem(this.againKey, photoId)) === 1) await this.add(photoId, { background, share });
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  /** Jobs waiting and running, and the workers connected to the queue, cluster-wide. */
  async queueLoad(): Promise<QueueLoad> {
    const [counts, workers] = await Promise.all([this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'), this.queue.getWorkersCount()]);
    const running = counts.active ?? 0;
    const waiting = Object.values(counts).reduce((sum, n) => sum + n, 0) - running;
    return { waiting, running, workers };
  }

  idle(): Promise<void> {
    return untilDrained(() => this.depth());
  }

  /** Stops taking work and waits for this process's running jobs; waiting jobs stay in Redis for the next worker. */
  async close(): Promise<void> {
    this.closed = true;
    await this.worker?.close();
    await this.queue.close();
    await this.redis.quit().catch(() => undefined);
  }
}
