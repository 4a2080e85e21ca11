export interface PeriodicTask {
  /** The job's name, the same on every machine: one schedule per name in the cluster. */
  name: string;
  everyMs: number;
  run(): Promise<void>;
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
