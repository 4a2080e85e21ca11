import type { PhotoQueue, QueueLoad } from './photo-queue.js';
import type { AgainMarks, AnyQueue, AnyWorker, QueueConnection } from './shared.js';

export type PhotoHandler = (photoId: string) => Promise<void>;

/** How often idle() looks at the queue's counts. */
const IDLE_POLL_MS = 50;

/** Resolves once `depth` answers 0, asking every IDLE_POLL_MS (BullMQ has no event for a drained set of queues). */
export async function untilDrained(depth: () => Promise<number>): Promise<void> {
  while ((await depth()) > 0) await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
}

/** A job that met a retryable error runs again after 1 s, 2 s, 4 s… (about 34 min in all over 12 tries). */
const JOB_RETRIES = { attempts: 12, backoff: { type: 'exponential', delay: 1000 } } as const;

/**
 * A queue of photo ids through BullMQ (on Redis or Valkey, or on PostgreSQL: queue/shared.ts), shared by every
 * server and worker of a cluster. The job's id is the photo's, so a photo waiting is added once. A photo added
 * again while a worker runs it is marked and added once more when that run has finished (its steps may have been
 * reset meanwhile); the mark is cleared when a run starts, since that run reads the photo's latest state. The
 * database stays the truth: a job lost with Redis is found again by the lease-based resume (src/app/open.ts).
 */
export class BullPhotoQueue implements PhotoQueue {
  private readonly queue: AnyQueue;
  private readonly again: AgainMarks;
  private worker: AnyWorker | null = null;
  private closed = false;

  constructor(
    readonly name: string,
    private readonly connection: QueueConnection,
    private readonly options: {
      concurrency: number;
      onError?: (photoId: string, error: unknown) => void;
      /**
       * How long a job may go without its worker renewing its lock before another worker takes it (a worker that
       * died): the pipeline's step lease, so that the queue and the database give up on a dead worker together.
       */
      leaseMs?: number;
      /**
       * Errors worth running the job again for (the database or the object store unreachable): the job is retried
       * with a growing delay instead of being done with, so that a photo is not left with nothing queued for it.
       */
      retryable?: (error: unknown) => boolean;
    },
  ) {
    this.queue = connection.newQueue(name);
    // lost connections are retried (commands wait); without listeners the errors would end the process
    this.queue.on('error', () => undefined);
    this.again = connection.againMarks(name);
  }

  async add(photoId: string): Promise<void> {
    if (this.closed) return;
    // marked first: if a run is under way, the photo is looked at once more when it ends
    await this.again.mark(photoId);
    await this.queue.add('photo', { photoId }, { jobId: photoId, removeOnComplete: true, removeOnFail: true, ...JOB_RETRIES });
  }

  /** Consumes the queue: at most `concurrency` photos at once in this process. */
  start(handler: PhotoHandler): void {
    if (this.worker) return;
    this.worker = this.connection.newWorker(
      this.name,
      async (job) => {
        const { photoId } = job.data as { photoId: string };
        await this.again.take(photoId);
        try {
          await handler(photoId);
        } catch (error) {
          if (this.options.retryable?.(error) && job.attemptsMade + 1 < JOB_RETRIES.attempts) throw error; // again after the backoff
          this.options.onError?.(photoId, error);
        }
      },
      {
        concurrency: this.options.concurrency,
        ...(this.options.leaseMs ? { lockDuration: this.options.leaseMs, stalledInterval: this.options.leaseMs, maxStalledCount: 5 } : {}),
      },
    );
    // after the job is gone from the queue (removeOnComplete), so that adding it again is not refused as a duplicate
    this.worker.on('completed', (job) => void this.runAgainIfAsked((job.data as { photoId: string }).photoId));
    this.worker.on('error', () => undefined); // a lost connection is retried by the client; nothing to do here
  }

  private async runAgainIfAsked(photoId: string): Promise<void> {
    if (this.closed) return;
    if (await this.again.take(photoId)) await this.add(photoId);
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  /** Jobs waiting and running, and the workers connected to the queue, cluster-wide. */
  async queueLoad(): Promise<QueueLoad> {
    const [counts, workers] = await Promise.all([
      this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
      this.queue.getWorkersCount(),
    ]);
    const running = counts.active ?? 0;
    const waiting = Object.values(counts).reduce((sum, n) => sum + n, 0) - running;
    return { waiting, running, workers };
  }

  idle(): Promise<void> {
    return untilDrained(() => this.depth());
  }

  /** Stops taking work and waits for this process's running jobs; waiting jobs stay queued for the next worker. */
  async close(): Promise<void> {
    this.closed = true;
    await this.worker?.close();
    await this.queue.close();
  }
}
