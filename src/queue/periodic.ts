import { Queue, Worker } from 'bullmq';
import { QUEUE_PREFIX, redisConnection } from './bullmq.js';
import type { PeriodicTask } from './local-schedule.js';

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
      await this.queue.upsertJobScheduler(task.name, { every: task.everyMs }, { name: task.name, opts: { removeOnComplete: true, removeOnFail: true } });
    }
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
  }
}
