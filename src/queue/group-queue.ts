// An in-process queue of jobs that belong to groups (libraries in place to scan, by their owner): at most
// `concurrency` jobs at once and one per group, the first waiting job whose group runs nothing taken next. So one
// group's long job holds its own group's others, never another group's (BullPhotoQueue's `exclusive` option is the
// same rule across a cluster).
import type { PhotoQueue } from './photo-queue.js';

export type GroupJobHandler = (id: string) => Promise<void>;

export class GroupQueue implements PhotoQueue {
  /** Waiting, in order, each with its group. */
  private readonly waiting: { id: string; group: string }[] = [];
  /** Running: id → group. */
  private readonly running = new Map<string, string>();
  /** Added again while running: run once more when it ends. */
  private readonly again = new Set<string>();
  private handler: GroupJobHandler | null = null;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    /** The job's group (its library's owner); null: a group of its own (the job finds nothing to do). */
    private readonly groupOf: (id: string) => Promise<string | null>,
    private readonly onError: (id: string, error: unknown) => void = () => {},
  ) {}

  async add(id: string): Promise<void> {
    if (this.closed) return;
    if (this.running.has(id)) {
      this.again.add(id);
      return;
    }
    if (this.waiting.some((job) => job.id === id)) return;
    const group = (await this.groupOf(id)) ?? `job:${id}`;
    // the same job may have been added, or started, while its group was read
    if (this.closed || this.waiting.some((job) => job.id === id)) return;
    if (this.running.has(id)) {
      this.again.add(id);
      return;
    }
    this.waiting.push({ id, group });
    this.pump();
  }

  start(handler: GroupJobHandler): void {
    this.handler = handler;
    this.pump();
  }

  async depth(): Promise<number> {
    return this.waiting.length + this.running.size;
  }

  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    this.again.clear();
    await this.idle();
  }

  private isIdle(): boolean {
    return this.running.size === 0 && (this.waiting.length === 0 || this.handler === null || this.closed);
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler || this.closed) return this.notifyIdle();
    const busy = new Set(this.running.values());
    for (let k = 0; k < this.waiting.length && this.running.size < this.concurrency;) {
      const job = this.waiting[k]!;
      if (busy.has(job.group)) {
        k++;
        continue;
      }
      this.waiting.splice(k, 1);
      this.running.set(job.id, job.group);
      busy.add(job.group);
      handler(job.id)
        .catch((error: unknown) => this.onError(job.id, error))
        .finally(() => {
          this.running.delete(job.id);
          if (this.again.delete(job.id)) this.waiting.push(job);
          this.pump();
        });
    }
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
