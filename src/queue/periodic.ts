import { Queue, Worker } from 'bullmq';
import { QUEUE_PREFIX, redisConnection } from './bullmq.js';

export interface PeriodicTask {
  /** The job's name, the same on every machine: one schedule per name in the cluster. */
  name: string;
  everyMs: number;
  run(): Promise<void>;
}

/**
 * Periodic work scheduled once per cluster: BullMQ job schedulers keyed by the task's name, so every worker that
 * starts upserts the same schedule instead of adding its own timer, and each run goes to one worker.
 */
export class ClusterSchedule {
  private readonly queue: Queue;
  private readonly worker: Worker;

  private constructor(
    redisUrl: string,
    private readonly tasks: readonly PeriodicTask[],
    onError: (task: string, error: unknown) => void,
  ) {
    const byName = new Map(tasks.map((task) => [task.name, task]));
    this.queue = new Queue('periodic', { connection: redisConnection(redisUrl), prefix: QUEUE_PREFIX });
    this.queue.on('error', () => undefined);
    this.worker = new Worker(
      'periodic',
      async (job) => {
        try {
          await byName.get(job.name)?.run();
        } catch (error) {
          onError(job.name, error);
        }
      },
      { connection: redisConnection(redisUrl), prefix: QUEUE_PREFIX, concurrency: 1 },
    );
    this.worker.on('error', () => undefined);
  }

  static async start(redisUrl: string, tasks: readonly PeriodicTask[], onError: (task: string, error: unknown) => void): Promise<ClusterSchedule> {
    const schedule = new ClusterSchedule(redisUrl, tasks, onError);
    await schedule.upsert();
    return schedule;
  }

  /** Writes the schedules into Redis (again, after Redis lost them). */
  async upsert(): Promise<void> {
    for (const task of this.tasks) {
      await this.queue.upsertJobScheduler(
        task.name,
        { every: task.everyMs },
        { name: task.name, opts: { removeOnComplete: true, removeOnFail: true } },
      );
    }
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
  }
}

/**
 * The same tasks on this process's timers, for the embedded mode (the only process: nothing to share). One run
 * of a task at a time; the timers do not keep the process alive.
 */
export class LocalSchedule {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<void>>();

  constructor(tasks: readonly PeriodicTask[], onError: (task: string, error: unknown) => void) {
    for (const task of tasks) {
      const timer = setInterval(() => {
        if (this.running.has(task.name)) return;
        const run = task
          .run()
          .catch((error: unknown) => onError(task.name, error))
          .finally(() => this.running.delete(task.name));
        this.running.set(task.name, run);
      }, task.everyMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all(this.running.values());
  }
}
